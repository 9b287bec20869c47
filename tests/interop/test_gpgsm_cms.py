"""CMS against GnuPG's gpgsm (libksba, a CMS implementation of its own): libsign verifies gpgsm's detached
and enveloping signatures, and gpgsm accepts the .p7s and .p7m libsign writes; a changed byte fails in both.
gpgsm runs in a throw-away home (its gpg-agent is stopped at the end); the test key is imported from a
PKCS#12 re-exported in the legacy encryption gpgsm reads, the password always passed through a file or
stdin, never a command line. CRL checks are off in gpgsm (trust and revocation are libsign's part here)."""
import os
import shutil
import subprocess

import pytest

from conftest import CLI, P12_PASSWORD_FILE, PKI_DIR, TEST_GOV, codes, verify_json

pytestmark = pytest.mark.skipif(shutil.which("gpgsm") is None or shutil.which("gpgconf") is None,
                                reason="gpgsm not installed (apt install gpgsm)")

CONTENT = "Đơn đề nghị — hồ sơ số 1\n".encode("utf-8")


def _run(*args, stdin=None, check=True):
    proc = subprocess.run([str(a) for a in args], input=stdin, capture_output=True, timeout=120)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
    return proc


class Gpgsm:
    """gpgsm in one home; the key's passphrase goes through stdin (--passphrase-fd 0)."""
    def __init__(self, home):
        self.home = home

    def __call__(self, *args, check=True):
        return _run("gpgsm", "--homedir", self.home, "--batch", "--pinentry-mode", "loopback",
                    "--passphrase-fd", "0", "--disable-crl-checks", *args, stdin=P12_PASSWORD_FILE.read_bytes(),
                    check=check)


@pytest.fixture(scope="module")
def gpgsm(tmp_path_factory):
    home = tmp_path_factory.mktemp("gpgsm")
    home.chmod(0o700)
    (home / "gpg-agent.conf").write_text("allow-loopback-pinentry\n")
    root_sha1 = _run("openssl", "x509", "-in", PKI_DIR / "gov-root.pem", "-noout", "-fingerprint", "-sha1")
    (home / "trustlist.txt").write_text(root_sha1.stdout.decode().split("=")[1].strip() + " S relax\n")
    legacy = home / "signer.p12"
    _run("openssl", "pkcs12", "-export", "-legacy", "-inkey", PKI_DIR / "gov-official.key.pem",
         "-in", PKI_DIR / "gov-official.pem", "-passout", "stdin", "-out", legacy, stdin=P12_PASSWORD_FILE.read_bytes())
    tool = Gpgsm(home)
    tool("--import", legacy)
    tool("--import", PKI_DIR / "gov-ca.pem", PKI_DIR / "gov-root.pem")
    yield tool
    subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], capture_output=True, timeout=30)


def _signer_fingerprint():
    out = _run("openssl", "x509", "-in", PKI_DIR / "gov-official.pem", "-noout", "-fingerprint", "-sha1").stdout
    return out.decode().split("=")[1].strip().replace(":", "")


def test_libsign_verifies_a_gpgsm_detached_signature(gpgsm, tmp_path):
    content = tmp_path / "don.txt"
    content.write_bytes(CONTENT)
    gpgsm("-u", _signer_fingerprint(), "--detach-sign", "-o", tmp_path / "don.txt.p7s", content)
    status, report = verify_json(tmp_path / "don.txt.p7s", *TEST_GOV)
    sig = report["document"]["signatures"][0]
    assert sig["indication"] == "TOTAL_PASSED", codes(sig)
    assert status == 0
    content.write_bytes(CONTENT.replace(b"1", b"7"))
    status, report = verify_json(tmp_path / "don.txt.p7s", *TEST_GOV)
    sig = report["document"]["signatures"][0]
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "HASH_FAILURE")


def test_libsign_verifies_a_gpgsm_enveloping_signature(gpgsm, tmp_path):
    content = tmp_path / "don.txt"
    content.write_bytes(CONTENT)
    gpgsm("-u", _signer_fingerprint(), "--sign", "-o", tmp_path / "don.txt.p7m", content)
    extracted = tmp_path / "extracted.txt"
    status, report = verify_json(tmp_path / "don.txt.p7m", "--extract", str(extracted), *TEST_GOV)
    sig = report["document"]["signatures"][0]
    assert sig["indication"] == "TOTAL_PASSED", codes(sig)
    assert status == 0 and extracted.read_bytes() == CONTENT


@pytest.mark.parametrize("mode", ["--detached", "--enveloping"])
def test_gpgsm_accepts_what_libsign_signs(gpgsm, tmp_path, mode):
    content = tmp_path / "don.txt"
    content.write_bytes(CONTENT)
    env = {**os.environ, "LIBSIGN_TEST_P12_PASSWORD": P12_PASSWORD_FILE.read_text().strip()}
    proc = subprocess.run([str(CLI), "sign", str(content), mode, "--p12", str(PKI_DIR / "gov-official.p12"),
                           "--password-env", "LIBSIGN_TEST_P12_PASSWORD", "--signing-time", "2026-06-20T03:00:00Z"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    signature = tmp_path / ("don.txt.p7s" if mode == "--detached" else "don.txt.p7m")
    args = [signature, content] if mode == "--detached" else [signature]
    checked = gpgsm("--status-fd", "1", "--verify", *args, check=False)
    assert checked.returncode == 0 and b"[GNUPG:] GOODSIG" in checked.stdout, checked.stderr
    if mode == "--detached":
        content.write_bytes(CONTENT.replace(b"1", b"7"))
        checked = gpgsm("--status-fd", "1", "--verify", *args, check=False)
        assert checked.returncode != 0 and b"[GNUPG:] BADSIG" in checked.stdout
