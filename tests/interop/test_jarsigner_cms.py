"""CMS written by another product: the JDK's jarsigner signs a JAR with its own PKCS#7 code
(sun.security.pkcs): META-INF/<NAME>.RSA or .EC is a detached SignedData over META-INF/<NAME>.SF, with
signed attributes, and with a signature timestamp token (unsigned attribute) when given a TSA.
`libsign verify X.RSA --content X.SF` must judge it like any detached CAdES-shaped signature.
The keys are the test PKI's PKCS#12 files (password from a file, never on a command line)."""
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SOURCE_DIR, TEST_GOV, codes, verify_json

sys.path.insert(0, str(SOURCE_DIR / "tests" / "servers"))
sys.path.insert(0, str(SOURCE_DIR / "tests" / "interop"))
import sign_helpers as sh  # noqa: E402
from servers import running_tsa  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("jarsigner") is None or shutil.which("keytool") is None,
                                reason="jarsigner/keytool not found (a JDK 17, e.g. openjdk-17-jdk-headless)")


def _alias(p12):
    out = subprocess.run(["keytool", "-list", "-keystore", str(p12), "-storetype", "PKCS12",
                          "-storepass:file", str(P12_PASSWORD_FILE)], capture_output=True, text=True, check=True).stdout
    return next(line.split(",")[0] for line in out.splitlines() if "PrivateKeyEntry" in line)


def _signed_jar(tmp_path, signer, *options):
    """Signs a small JAR with jarsigner; returns (signature file, signed .SF file) extracted from it."""
    jar = tmp_path / "dossier.jar"
    with zipfile.ZipFile(jar, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
        z.writestr("ho-so/don.txt", "Đơn đề nghị cấp phép — hồ sơ số 1\n")
    p12 = PKI_DIR / f"{signer}.p12"
    proc = subprocess.run(["jarsigner", "-keystore", str(p12), "-storetype", "PKCS12",
                           "-storepass:file", str(P12_PASSWORD_FILE), "-sigfile", "SIGNER", *options,
                           str(jar), _alias(p12)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = tmp_path / "unpacked"
    with zipfile.ZipFile(jar) as z:
        z.extractall(out)
        names = z.namelist()
    signature = next(n for n in names if n.startswith("META-INF/SIGNER.") and not n.endswith(".SF"))
    return out / signature, out / "META-INF/SIGNER.SF"


@pytest.mark.parametrize("signer, options", [
    ("gov-official", []),
    ("gov-official", ["-digestalg", "SHA-512", "-sigalg", "SHA512withRSA"]),
    ("gov-ecdsa", []),
])
def test_jarsigner_signature_verifies(tmp_path, signer, options):
    signature, content = _signed_jar(tmp_path, signer, *options)
    status, report = verify_json(signature, "--content", str(content), *TEST_GOV)
    sigs = report["document"]["signatures"]
    assert len(sigs) == 1
    assert sigs[0]["indication"] == "TOTAL_PASSED", codes(sigs[0])
    assert status == 0


def test_a_changed_signature_file_fails(tmp_path):
    signature, content = _signed_jar(tmp_path, "gov-official")
    data = content.read_bytes()
    content.write_bytes(data.replace(b"SHA-256-Digest", b"SHA-256-Digesu", 1))
    status, report = verify_json(signature, "--content", str(content), *TEST_GOV)
    sig = report["document"]["signatures"][0]
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "HASH_FAILURE")
    assert status == 1


def test_jarsigner_with_a_timestamp(tmp_path):
    # jarsigner and the TSA stamp the current time: validate just after signing, while the test
    # PKI (2025-01-01 .. 2030-01-01) is valid.
    sh.skip_unless_test_pki_valid_now()
    with running_tsa() as url:
        signature, content = _signed_jar(tmp_path, "gov-official", "-tsa", url)
    at = sh.just_after_now()
    options = ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov", "--at", at,
               "--offline", "--revocation", "optional"]
    status, report = verify_json(signature, "--content", str(content), *options)
    sig = report["document"]["signatures"][0]
    assert sig["indication"] == "TOTAL_PASSED", codes(sig)
    assert "TIMESTAMP_VALID" in codes(sig)
    assert status == 0
