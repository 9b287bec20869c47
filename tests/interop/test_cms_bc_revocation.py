"""A peer-made .p7s with its own revocation evidence: Bouncy Castle writes a detached CMS whose
SignedData.crls holds CRLs and an RFC 5940 OCSP response answered by OpenSSL's responder
(`openssl ocsp -index`), and libsign verifies it offline at a pinned time.
"""
import subprocess
import sys

import pytest

from conftest import AT, CLI, PKI_DIR, PROFILES_DIR, SIGNING_TIME, SOURCE_DIR, codes, verify_json

if str(SOURCE_DIR / "tests/interop/bouncycastle") not in sys.path:
    sys.path.insert(0, str(SOURCE_DIR / "tests/interop/bouncycastle"))

from run_writer import write_cms, writer_unavailable  # noqa: E402

pytestmark = [
    pytest.mark.skipif(not CLI.exists(), reason=f"libsign CLI not built at {CLI}"),
    pytest.mark.skipif(writer_unavailable() is not None, reason=f"Bouncy Castle writer: {writer_unavailable()}"),
]

# Offline, a status required for every certificate of the chain: evidence must come from the file.
STRICT_OFFLINE = ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov", "--at", AT,
                  "--offline", "--revocation", "required"]


def openssl_ocsp(tmp_path, cert_name):
    """gov-ocsp's answer about certs-test/pki/<cert_name>.pem, from OpenSSL's responder (index file)."""
    request, response = tmp_path / f"{cert_name}.req", tmp_path / f"{cert_name}.ocsp"
    subprocess.run(["openssl", "ocsp", "-issuer", PKI_DIR / "gov-ca.pem", "-cert", PKI_DIR / f"{cert_name}.pem",
                    "-reqout", request, "-no_nonce"], check=True, capture_output=True)
    subprocess.run(["openssl", "ocsp", "-index", PKI_DIR / "ocsp-index-gov-ca.txt", "-CA", PKI_DIR / "gov-ca.pem",
                    "-rsigner", PKI_DIR / "gov-ocsp.pem", "-rkey", PKI_DIR / "gov-ocsp.key.pem",
                    "-reqin", request, "-respout", response, "-ndays", "30"], check=True, capture_output=True)
    return response


@pytest.fixture
def content(tmp_path):
    path = tmp_path / "ban-ve.dwg"
    path.write_bytes(bytes(range(256)) * 16)
    return path


def test_bc_cms_with_rfc5940_ocsp_good_passes_offline(tmp_path, content):
    signature = tmp_path / "ban-ve.dwg.p7s"
    write_cms(content, signature, signer="gov-official", signing_time=SIGNING_TIME,
              crls=[PKI_DIR / "gov-root.crl.der"], ocsps=[openssl_ocsp(tmp_path, "gov-official")])
    status, report = verify_json(signature, "--content", content, *STRICT_OFFLINE)
    sig = report["document"]["signatures"][0]
    assert (status, sig["indication"]) == (0, "TOTAL_PASSED"), codes(sig)
    assert sig["revocation"]["source"] == "signed-data" and sig["revocation"]["status"] == "good"
    assert (sig["revocation"]["crls"], sig["revocation"]["ocsp_responses"]) == (1, 1)
    good = [f for f in sig["findings"] if f["code"] == "REVOCATION_GOOD"]
    assert good and good[0]["evidence"]["source"] == "ocsp" and good[0]["evidence"]["origin"] == "signed-data"
    # The same file without its evidence: nothing is known offline.
    bare = tmp_path / "bare.p7s"
    write_cms(content, bare, signer="gov-official", signing_time=SIGNING_TIME)
    status, report = verify_json(bare, "--content", content, *STRICT_OFFLINE)
    assert report["document"]["signatures"][0]["sub_indication"] == "TRY_LATER"


def test_bc_cms_with_the_signers_crl_fails_revoked_offline(tmp_path, content):
    signature = tmp_path / "thu-hoi.p7s"
    write_cms(content, signature, signer="gov-revoked", signing_time=SIGNING_TIME,  # after the 2026-01-15 revocation
              crls=[PKI_DIR / "gov-ca.crl.der", PKI_DIR / "gov-root.crl.der"])
    status, report = verify_json(signature, "--content", content, *STRICT_OFFLINE)
    sig = report["document"]["signatures"][0]
    assert (status, sig["indication"], sig["sub_indication"]) == (1, "TOTAL_FAILED", "REVOKED")
    assert "CERT_REVOKED" in codes(sig)
    assert sig["revocation"]["source"] == "signed-data" and sig["revocation"]["reason"] == "keyCompromise"


def test_bc_cms_with_revoked_ocsp_fails_revoked_offline(tmp_path, content):
    signature = tmp_path / "thu-hoi-ocsp.p7s"
    write_cms(content, signature, signer="gov-revoked", signing_time=SIGNING_TIME,
              crls=[PKI_DIR / "gov-root.crl.der"], ocsps=[openssl_ocsp(tmp_path, "gov-revoked")])
    status, report = verify_json(signature, "--content", content, *STRICT_OFFLINE)
    sig = report["document"]["signatures"][0]
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "REVOKED")
    revoked = [f for f in sig["findings"] if f["code"] == "CERT_REVOKED"]
    assert revoked and revoked[0]["evidence"]["source"] == "ocsp" and revoked[0]["evidence"]["origin"] == "signed-data"
