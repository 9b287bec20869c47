"""EdDSA CMS signatures (RFC 8419: Ed25519 with SHA-512, Ed448 with SHAKE256), made by the independent
builder of tests/tools (cms_build.py, the raw signature by `openssl pkeyutl`): OpenSSL's CMS code
cannot verify them, libsign verifies them itself; a signer that names another digest is a format
failure, a changed byte of the value a signature failure."""
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

import cms_build
import libsign
from conftest import AT
from self_signed import make_self_signed_eddsa

CONTENT = "Tờ khai đính kèm\n".encode() * 20


def signed(tmp_path, curve, md, **faults):
    key, cert = make_self_signed_eddsa(tmp_path, curve)
    cert_der = x509.load_pem_x509_certificate(cert.read_bytes()).public_bytes(serialization.Encoding.DER)
    signature = cms_build.build_signed_data(CONTENT, str(key), cert_der, [cert_der], md=md,
                                            signing_time=cms_build.parse_time("2026-06-20T03:00:00Z"), **faults)
    return signature, cert


def verify(signature, cert, content=CONTENT):
    return libsign.verify_cms(signature, content, trust_profile="none", trust=[str(cert)], at=AT,
                              revocation={"required": False})


def codes(report):
    return {f.code for s in report.signatures for f in s.findings}


@pytest.mark.parametrize("curve, md", [("ed25519", "sha512"), ("ed448", "shake256")])
def test_eddsa_signatures_verify(tmp_path, curve, md):
    signature, cert = signed(tmp_path, curve, md)
    report = verify(signature, cert)
    assert report.indication == "TOTAL_PASSED", codes(report)
    sig = report.signatures[0]
    assert sig.digest_algorithm == md
    assert "SIGNATURE_ALGORITHM_UNSUPPORTED" not in codes(report)
    # Botan 2 has Ed25519 (it checks the value too), not Ed448 (it says so, never "disagree").
    results = {c.item: c.result for c in sig.cross_check.compared}
    assert results["signature"] == ("agree" if curve == "ed25519" else "unsupported")
    assert "disagree" not in results.values()


@pytest.mark.parametrize("curve", ["ed25519", "ed448"])
def test_a_changed_value_or_content_fails(tmp_path, curve):
    md = "sha512" if curve == "ed25519" else "shake256"
    signature, cert = signed(tmp_path, curve, md, sigvalue_corrupt=True)
    report = verify(signature, cert)
    assert (report.indication, report.signatures[0].sub_indication) == ("TOTAL_FAILED", "SIG_CRYPTO_FAILURE")
    assert "SIGNATURE_INVALID" in codes(report)
    signature, cert = signed(tmp_path, curve, md)
    assert verify(signature, cert, CONTENT + b"x").indication == "TOTAL_FAILED"


@pytest.mark.parametrize("curve, md", [("ed25519", "sha256"), ("ed448", "sha512")])
def test_a_digest_rfc_8419_does_not_allow_is_a_format_failure(tmp_path, curve, md):
    signature, cert = signed(tmp_path, curve, md)
    report = verify(signature, cert)
    assert (report.indication, report.signatures[0].sub_indication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert "DIGEST_ALGORITHM_NOT_ALLOWED" in codes(report) and "SIGNATURE_INVALID" not in codes(report)
