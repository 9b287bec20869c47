"""A signed PDF inside a .p7m through the Python module: report.inner and report.worst_indication."""
import json
import shutil
import subprocess

import pytest

import libsign
import pdfgen
from conftest import AT, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SIGNING_TIME

# Revocation optional, said explicitly: the default requires a status (docs/revocation.md).
VERIFY = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT, revocation={"required": False})


@pytest.fixture(scope="module")
def official():
    return libsign.load_pkcs12(str(PKI_DIR / "gov-official.p12"), password_file=str(P12_PASSWORD_FILE))


@pytest.fixture(scope="module")
def signed_pdf(official):
    return libsign.sign_pdf(pdfgen.base_pdf(), official, signing_time=SIGNING_TIME)


def tampered(pdf):
    at = pdf.index(b"endobj\n")
    return pdf[:at + 6] + b" " + pdf[at + 7:]


def test_both_layers_of_a_p7m_holding_a_signed_pdf(official, signed_pdf):
    p7m = libsign.sign_cms(signed_pdf, official, enveloping=True, signing_time=SIGNING_TIME)
    assert libsign.detect_format(p7m) == "cms"
    report = libsign.verify(p7m, **VERIFY)
    assert (report.format, report.indication, report.worst_indication) == ("cms", "TOTAL_PASSED", "TOTAL_PASSED")
    inner = report.inner
    assert (inner.format, [s.indication for s in inner.signatures]) == ("pdf", ["TOTAL_PASSED"])
    assert inner.path.endswith("!content") and inner.inner is None
    assert json.loads(report.to_json())["document"]["inner"]["format"] == "pdf"
    assert libsign.extract_cms_content(p7m) == signed_pdf
    assert libsign.verify(p7m, inner=False, **VERIFY).inner is None


def test_tampered_inner_pdf_is_the_worst_layer(official, signed_pdf):
    p7m = libsign.sign_cms(tampered(signed_pdf), official, enveloping=True, signing_time=SIGNING_TIME)
    report = libsign.verify_cms(p7m, **VERIFY)
    assert (report.indication, report.inner.indication, report.worst_indication) == \
        ("TOTAL_PASSED", "TOTAL_FAILED", "TOTAL_FAILED")


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl missing")
def test_openssl_p7m_of_a_signed_pdf(signed_pdf, tmp_path):
    pdf = tmp_path / "hoso.pdf"
    pdf.write_bytes(signed_pdf)
    p7m = tmp_path / "hoso.pdf.p7m"
    subprocess.run(["openssl", "cms", "-sign", "-nodetach", "-binary", "-md", "sha256", "-outform", "DER", "-in", str(pdf),
                    "-signer", str(PKI_DIR / "gov-official.pem"), "-inkey", str(PKI_DIR / "gov-official.key.pem"),
                    "-certfile", str(PKI_DIR / "gov-chain.pem"), "-out", str(p7m)], check=True, capture_output=True, timeout=60)
    report = libsign.verify(str(p7m), **VERIFY)
    checks = {c.step: c.status for c in report.signatures[0].checks}
    assert (report.format, checks["integrity"], checks["signature_value"]) == ("cms", "passed", "passed")
    assert [s.indication for s in report.inner.signatures] == ["TOTAL_PASSED"]
    assert report.inner.path == f"{p7m}!content"
