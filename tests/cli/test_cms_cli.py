"""`libsign sign --detached/--enveloping` and `libsign verify` of .p7s/.p7m through the real command."""
import json
import os

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

import cms_build
from conftest import AT, OFFLINE, P12_PASSWORD_FILE, PKI_DIR, TEST_GOV, codes, run_cli, verify_json
from self_signed import make_self_signed_eddsa

P12 = ["--p12", str(PKI_DIR / "gov-official.p12"), "--password-file", str(P12_PASSWORD_FILE)]
SIGNING = ["--signing-time", "2026-06-20T03:00:00Z"]


@pytest.fixture
def attachment(tmp_path):
    path = tmp_path / "ban-ve.dwg"
    path.write_bytes(bytes(range(256)) * 40)  # any file type: not PDF, not XML
    return path


def test_any_file_is_signed_detached_by_default(attachment):
    proc = run_cli("sign", attachment, *P12, *SIGNING)
    assert proc.returncode == 0, proc.stderr
    signature = attachment.with_name(attachment.name + ".p7s")
    status, report = verify_json(signature, *TEST_GOV)  # the content is found beside the signature
    doc = report["document"]
    assert (status, doc["format"], doc["indication"]) == (0, "cms", "TOTAL_PASSED")
    assert doc["signatures"][0]["kind"] == "detached"
    assert doc["sha256"] == __import__("hashlib").sha256(attachment.read_bytes()).hexdigest()


def test_changed_content_and_content_option(attachment, tmp_path):
    signature = tmp_path / "chu-ky.p7s"
    assert run_cli("sign", attachment, "--detached", "-o", signature, *P12, *SIGNING).returncode == 0
    status, report = verify_json(signature, *TEST_GOV)  # nothing beside it: content unknown
    assert status == 2 and report["document"]["sub_indication"] == "SIGNED_DATA_NOT_FOUND"
    status, report = verify_json(signature, "--content", attachment, *TEST_GOV)
    assert status == 0
    changed = tmp_path / "changed.dwg"
    changed.write_bytes(attachment.read_bytes()[:-1] + b"\x00")
    status, report = verify_json(signature, "--content", changed, *TEST_GOV)
    assert status == 1 and "DIGEST_MISMATCH" in codes(report["document"]["signatures"][0])


def test_enveloping_pem_and_extract(attachment, tmp_path):
    envelope = tmp_path / "hoso.p7m"
    proc = run_cli("sign", attachment, "--enveloping", "--pem", "-o", envelope, *P12, *SIGNING)
    assert proc.returncode == 0, proc.stderr
    assert envelope.read_bytes().startswith(b"-----BEGIN CMS-----")
    out = tmp_path / "noi-dung.dwg"
    proc = run_cli("verify", envelope, "--extract", out, *TEST_GOV)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == attachment.read_bytes()


def test_pdf_can_be_signed_detached_too(tmp_path):
    import pdfgen
    pdf = tmp_path / "hoso.pdf"
    pdf.write_bytes(pdfgen.base_pdf())
    assert run_cli("sign", pdf, "--detached", *P12, *SIGNING).returncode == 0
    assert pdf.read_bytes() == pdfgen.base_pdf()  # untouched: the signature is beside it
    status, report = verify_json(tmp_path / "hoso.pdf.p7s", *TEST_GOV)
    assert status == 0 and report["document"]["format"] == "cms"


def test_long_term_levels_are_refused_for_cms(attachment, tmp_path):
    proc = run_cli("sign", attachment, "--level", "B-LT", *P12)
    assert proc.returncode == 3 and "[LEVEL_UNSUPPORTED]" in proc.stderr
    assert sorted(os.listdir(tmp_path)) == [attachment.name]


@pytest.mark.parametrize("content, code", [(b"", "INPUT_EMPTY"), (b"GIF89a not a signature", "INPUT_FORMAT_UNKNOWN")])
def test_unknown_input_is_exit_3_with_a_code(tmp_path, content, code):
    path = tmp_path / "x.bin"
    path.write_bytes(content)
    proc = run_cli("verify", path, "--format", "json", *TEST_GOV)
    assert proc.returncode == 3 and json.loads(proc.stdout)["error"]["code"] == code


STRICT_OFFLINE = ["--profiles-dir", str(PKI_DIR.parent / "profiles"), "--trust-profile", "test-gov",
                  "--at", "2026-07-01T00:00:00Z", "--offline", "--revocation", "required"]


def test_revocation_evidence_inside_the_p7s_decides_offline(attachment, tmp_path):
    import cms_build
    crls = [(PKI_DIR / f"{name}.crl.der").read_bytes() for name in ("gov-ca", "gov-root")]
    for signer, expected in (("gov-official", (0, "TOTAL_PASSED", None, "good")),
                             ("gov-revoked", (1, "TOTAL_FAILED", "REVOKED", "revoked"))):
        plain = tmp_path / f"{signer}.p7s"
        p12 = ["--p12", str(PKI_DIR / f"{signer}.p12"), "--password-file", str(P12_PASSWORD_FILE)]
        assert run_cli("sign", attachment, "--detached", "-o", plain, *p12, *SIGNING).returncode == 0
        signature = tmp_path / f"{signer}-crls.p7s"
        signature.write_bytes(cms_build.with_revocation_info(plain.read_bytes(), crls_der=crls))
        status, report = verify_json(signature, "--content", attachment, *STRICT_OFFLINE)
        sig = report["document"]["signatures"][0]
        assert (status, sig["indication"], sig["sub_indication"], sig["revocation"]["status"]) == expected
        assert sig["revocation"]["source"] == "signed-data"
        assert ("CERT_REVOKED" in codes(sig)) == (signer == "gov-revoked")


@pytest.mark.parametrize("curve, md, indication", [("ed25519", "sha512", "TOTAL_PASSED"), ("ed448", "shake256", "TOTAL_PASSED"),
                                                   ("ed25519", "sha256", "TOTAL_FAILED")])
def test_eddsa_signatures_from_the_command(tmp_path, attachment, curve, md, indication):
    """EdDSA .p7s made by the independent builder (tests/tools/cms_build.py), verified by the command."""
    key, cert = make_self_signed_eddsa(tmp_path, curve)
    cert_der = x509.load_pem_x509_certificate(cert.read_bytes()).public_bytes(serialization.Encoding.DER)
    signature = attachment.with_name(attachment.name + ".p7s")
    signature.write_bytes(cms_build.build_signed_data(attachment.read_bytes(), str(key), cert_der, [cert_der], md=md))
    status, report = verify_json(signature, "--trust-profile", "none", "--trust", cert, "--at", AT, *OFFLINE)
    sig = report["document"]["signatures"][0]
    assert sig["indication"] == indication, codes(sig)
    assert ("DIGEST_ALGORITHM_NOT_ALLOWED" in codes(sig)) == (indication == "TOTAL_FAILED")
