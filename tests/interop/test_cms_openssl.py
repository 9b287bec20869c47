"""Detached and enveloping CMS against OpenSSL's `cms` command, both ways."""
import shutil
import subprocess

import pytest

from conftest import P12_PASSWORD_FILE, PKI_DIR, TEST_GOV, codes, run_cli, verify_json

pytestmark = pytest.mark.skipif(not shutil.which("openssl"), reason="openssl missing")
P12 = ["--p12", str(PKI_DIR / "gov-official.p12"), "--password-file", str(P12_PASSWORD_FILE)]
ROOT = str(PKI_DIR / "gov-root.pem")


def openssl(*args):
    return subprocess.run(["openssl", *map(str, args)], capture_output=True, timeout=60)


@pytest.fixture
def attachment(tmp_path):
    path = tmp_path / "quyet-dinh.docx"
    path.write_bytes(b"PK\x03\x04" + "Quyết định phê duyệt".encode() * 300)
    return path


@pytest.mark.parametrize("pem", [False, True])
def test_openssl_accepts_our_detached_signature(attachment, pem):
    assert run_cli("sign", attachment, *P12, *(["--pem"] if pem else [])).returncode == 0
    signature = attachment.with_name(attachment.name + ".p7s")
    proc = openssl("cms", "-verify", "-binary", "-inform", "PEM" if pem else "DER", "-in", signature,
                   "-content", attachment, "-CAfile", ROOT, "-purpose", "any", "-out", "/dev/null")
    assert proc.returncode == 0, proc.stderr
    attachment.write_bytes(attachment.read_bytes() + b"!")
    proc = openssl("cms", "-verify", "-binary", "-inform", "PEM" if pem else "DER", "-in", signature,
                   "-content", attachment, "-CAfile", ROOT, "-purpose", "any", "-out", "/dev/null")
    assert proc.returncode != 0  # the peer sees the change as well


def test_openssl_accepts_our_enveloping_signature_and_gives_the_content(attachment, tmp_path):
    envelope = tmp_path / "x.p7m"
    assert run_cli("sign", attachment, "--enveloping", "-o", envelope, *P12).returncode == 0
    out = tmp_path / "out"
    proc = openssl("cms", "-verify", "-inform", "DER", "-in", envelope, "-CAfile", ROOT, "-purpose", "any", "-out", out)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == attachment.read_bytes()


@pytest.mark.parametrize("enveloping", [False, True])
def test_libsign_verifies_openssl_signatures(attachment, tmp_path, enveloping):
    signature = tmp_path / ("x.p7m" if enveloping else "quyet-dinh.docx.p7s")
    proc = openssl("cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER", "-in", attachment,
                   "-signer", PKI_DIR / "gov-official.pem", "-inkey", PKI_DIR / "gov-official.key.pem",
                   "-certfile", PKI_DIR / "gov-chain.pem", "-out", signature, *(["-nodetach"] if enveloping else []))
    assert proc.returncode == 0, proc.stderr
    args = [] if enveloping else ["--content", attachment]
    status, report = verify_json(signature, *args, *TEST_GOV)
    sig = report["document"]["signatures"][0]
    # OpenSSL claims today's time as signing time, so the verdict at the pinned validation time is not
    # asserted; what must hold whatever the date: the content and the signature value verify.
    assert sig["kind"] == ("enveloping" if enveloping else "detached")
    checks = {c["step"]: c["status"] for c in sig["checks"]}
    assert (checks["integrity"], checks["signature_value"]) == ("passed", "passed"), checks
    assert sig["signer"]["common_name"] == "Nguyễn Văn An"
    # OpenSSL adds no ESS signing-certificate attribute: said, not fatal.
    assert "SIGNING_CERTIFICATE_ATTR_MISSING" in codes(sig)


def test_every_signer_of_a_co_signed_p7s_is_judged(attachment, tmp_path):
    """A second official co-signs with `openssl cms -resign`: two parallel signers, two signatures."""
    assert run_cli("sign", attachment, *P12, "--signing-time", "2026-06-20T03:00:00Z").returncode == 0
    co_signed = tmp_path / "co-signed.p7s"
    proc = openssl("cms", "-resign", "-binary", "-inform", "DER", "-in", attachment.with_name(attachment.name + ".p7s"),
                   "-content", attachment, "-signer", PKI_DIR / "gov-org.pem", "-inkey", PKI_DIR / "gov-org.key.pem",
                   "-md", "sha256", "-outform", "DER", "-out", co_signed)
    assert proc.returncode == 0, proc.stderr
    status, report = verify_json(co_signed, "--content", attachment, *TEST_GOV)
    signatures = report["document"]["signatures"]
    assert sorted(s["signer"]["common_name"] for s in signatures) == ["Nguyễn Văn An", "Ủy ban nhân dân xã Tân Lập"]
    for sig in signatures:
        checks = {c["step"]: c["status"] for c in sig["checks"]}
        assert (checks["integrity"], checks["signature_value"]) == ("passed", "passed"), checks
        assert "CMS_MULTIPLE_SIGNERS" not in codes(sig)
    ours = [s for s in signatures if s["signer"]["common_name"] == "Nguyễn Văn An"][0]
    assert ours["indication"] == "TOTAL_PASSED"  # its claimed time is pinned; OpenSSL's is today's
    changed = tmp_path / "changed"
    changed.write_bytes(attachment.read_bytes() + b"!")
    status, report = verify_json(co_signed, "--content", changed, *TEST_GOV)
    assert status == 1 and [s["sub_indication"] for s in report["document"]["signatures"]] == ["HASH_FAILURE"] * 2
