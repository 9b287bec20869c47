"""Revocation evidence from the PDF DSS, and user anchors given as a PKCS#7 bundle."""
import subprocess

import libsign
import pdfgen
from conftest import AT, PKI_DIR, PROFILES_DIR

# Revocation optional, said explicitly: the default requires a status (docs/revocation.md).
OPTIONS = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT, revocation={"required": False})


def signed_by(name):
    return pdfgen.sign(pdfgen.base_pdf(), PKI_DIR / f"{name}.key.pem", PKI_DIR / f"{name}.pem",
                       [PKI_DIR / "gov-chain.pem"], options="chain=full")


def test_crl_in_the_dss_revokes():
    crl = (PKI_DIR / "gov-ca.crl.der").read_bytes()
    pdf = pdfgen.add_dss(signed_by("gov-revoked"), crls_der=[crl])
    sig = libsign.verify_pdf(pdf, **OPTIONS).signatures[0]
    assert sig.revocation.source == "dss"
    assert sig.revocation.status == "revoked"
    assert sig.revocation.reason == "keyCompromise"
    # Dated (/M 2026-06-20) after the revocation (2026-01-15): failed even without a timestamp.
    assert (sig.indication, sig.sub_indication) == ("TOTAL_FAILED", "REVOKED")
    assert sig.has_finding("CERT_REVOKED")
    assert sig.modification_level == "LTV_UPDATES"


def test_crls_in_the_dss_clear_the_whole_chain():
    crls = [(PKI_DIR / name).read_bytes() for name in ("gov-ca.crl.der", "gov-root.crl.der")]
    sig = libsign.verify_pdf(pdfgen.add_dss(signed_by("gov-official"), crls_der=crls), **OPTIONS).signatures[0]
    assert sig.revocation.status == "good"
    assert sig.has_finding("REVOCATION_GOOD") and not sig.has_finding("REVOCATION_NOT_CHECKED")
    assert {c.step: c.status for c in sig.checks}["revocation"] == "passed"
    assert sig.indication == "TOTAL_PASSED"


def test_without_the_root_crl_the_intermediate_is_unchecked():
    crl = (PKI_DIR / "gov-ca.crl.der").read_bytes()
    sig = libsign.verify_pdf(pdfgen.add_dss(signed_by("gov-official"), crls_der=[crl]), **OPTIONS).signatures[0]
    assert sig.revocation.status == "good"  # the signer's own status is known...
    unchecked = [f for f in sig.findings if f.code == "REVOCATION_NOT_CHECKED"]
    assert [f.evidence["certificate"] for f in unchecked] == ["CA phục vụ các cơ quan Nhà nước G2 (TEST)"]
    assert {c.step: c.status for c in sig.checks}["revocation"] == "skipped"


def test_pkcs7_bundle_as_user_anchors(tmp_path):
    bundle = tmp_path / "chain.p7b"
    subprocess.run(["openssl", "crl2pkcs7", "-nocrl", "-certfile", str(PKI_DIR / "gov-chain.pem"), "-outform", "DER",
                    "-out", str(bundle)], check=True)
    report = libsign.verify_pdf(signed_by("gov-official"), trust_profile="none", trust=bundle, at=AT,
                                revocation={"required": False})
    assert report.indication == "TOTAL_PASSED"
    assert report.signatures[0].chain[-1].trust_profile == "user"
