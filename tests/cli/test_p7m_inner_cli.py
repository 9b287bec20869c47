"""A signed PDF sent as CAdES enveloping (.p7m): detected as CMS by its structure, and both layers
(the CMS signers and the PDF's own signatures) in the report and the exit status."""
import shutil
import subprocess

import pytest

import pdfgen
from conftest import P12_PASSWORD_FILE, PKI_DIR, TEST_GOV, run_cli, verify_json

P12 = ["--p12", str(PKI_DIR / "gov-official.p12"), "--password-file", str(P12_PASSWORD_FILE)]
SIGNING = ["--signing-time", "2026-06-20T03:00:00Z"]
needs_openssl = pytest.mark.skipif(not shutil.which("openssl"), reason="openssl missing")


@pytest.fixture
def signed_pdf(tmp_path):
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(pdfgen.base_pdf())
    out = tmp_path / "hoso.pdf"
    proc = run_cli("sign", unsigned, "-o", out, *P12, *SIGNING)
    assert proc.returncode == 0, proc.stderr
    return out


def tamper(pdf):
    """A whitespace change inside the signed bytes: still a readable PDF, its signature broken."""
    data = pdf.read_bytes()
    at = data.index(b"endobj\n")
    pdf.write_bytes(data[:at + 6] + b" " + data[at + 7:])


def openssl_envelope(content, out):
    """CAdES enveloping by a peer: `openssl cms -sign -nodetach -binary -outform DER`."""
    proc = subprocess.run(["openssl", "cms", "-sign", "-nodetach", "-binary", "-md", "sha256", "-outform", "DER",
                           "-in", str(content), "-signer", str(PKI_DIR / "gov-official.pem"),
                           "-inkey", str(PKI_DIR / "gov-official.key.pem"), "-certfile", str(PKI_DIR / "gov-chain.pem"),
                           "-out", str(out)], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return out


def libsign_envelope(content, out):
    proc = run_cli("sign", content, "--enveloping", "-o", out, *P12, *SIGNING)
    assert proc.returncode == 0, proc.stderr
    return out


def checks(sig):
    return {c["step"]: c["status"] for c in sig["checks"]}


@needs_openssl
def test_openssl_p7m_of_a_signed_pdf_shows_both_layers_and_extracts_the_pdf(signed_pdf, tmp_path):
    p7m = openssl_envelope(signed_pdf, tmp_path / "hoso.pdf.p7m")
    status, report = verify_json(p7m, *TEST_GOV)
    doc = report["document"]
    assert doc["format"] == "cms"
    outer = doc["signatures"][0]
    assert outer["kind"] == "enveloping"
    # OpenSSL claims today's time as signing time: the outer verdict at the pinned time is not asserted.
    assert (checks(outer)["integrity"], checks(outer)["signature_value"]) == ("passed", "passed")
    inner = doc["inner"]
    assert (inner["format"], inner["path"]) == ("pdf", f"{p7m}!content")
    assert [s["indication"] for s in inner["signatures"]] == ["TOTAL_PASSED"]
    assert inner["inner"] is None

    extracted = tmp_path / "out.pdf"
    proc = run_cli("verify", p7m, "--extract", extracted, *TEST_GOV)
    assert proc.returncode == status, proc.stderr
    assert extracted.read_bytes() == signed_pdf.read_bytes()
    assert f"{p7m}!content" in proc.stdout  # the text report shows the inner layer too


@needs_openssl
def test_tampered_pdf_in_a_re_signed_p7m_fails_inside_only(signed_pdf, tmp_path):
    tamper(signed_pdf)
    p7m = openssl_envelope(signed_pdf, tmp_path / "hoso.pdf.p7m")
    status, report = verify_json(p7m, *TEST_GOV)
    doc = report["document"]
    assert (checks(doc["signatures"][0])["integrity"], checks(doc["signatures"][0])["signature_value"]) == ("passed", "passed")
    assert doc["inner"]["indication"] == "TOTAL_FAILED"
    assert status == 1  # the worst layer decides


def test_exit_status_takes_the_worst_layer(signed_pdf, tmp_path):
    good = libsign_envelope(signed_pdf, tmp_path / "good.p7m")
    status, report = verify_json(good, *TEST_GOV)
    assert (status, report["document"]["indication"], report["document"]["inner"]["indication"]) == \
        (0, "TOTAL_PASSED", "TOTAL_PASSED")

    tamper(signed_pdf)
    bad = libsign_envelope(signed_pdf, tmp_path / "bad.p7m")
    status, report = verify_json(bad, *TEST_GOV)
    assert (status, report["document"]["indication"], report["document"]["inner"]["indication"]) == \
        (1, "TOTAL_PASSED", "TOTAL_FAILED")
    status, report = verify_json(bad, "--no-inner", *TEST_GOV)
    assert (status, report["document"]["inner"]) == (0, None)


def test_p7m_of_an_unsigned_pdf_passes_on_the_cms_alone(tmp_path):
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(pdfgen.base_pdf())
    status, report = verify_json(libsign_envelope(pdf, tmp_path / "scan.pdf.p7m"), *TEST_GOV)
    inner = report["document"]["inner"]
    assert (status, inner["format"], inner["signatures"]) == (0, "pdf", [])
