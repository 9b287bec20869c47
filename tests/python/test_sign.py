"""Signing through the Python module: PAdES B-B/B-T, certification, several signatures, bad input."""
import os
import subprocess

import pytest

import libsign
import pdfgen
from conftest import AT, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SIGNING_TIME
from servers import running_tsa

# Revocation optional, said explicitly: the default requires a status (docs/revocation.md).
VERIFY = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT, revocation={"required": False})


@pytest.fixture(scope="module")
def official():
    return libsign.load_pkcs12(str(PKI_DIR / "gov-official.p12"), password_file=str(P12_PASSWORD_FILE))


@pytest.fixture(scope="module")
def organisation():
    return libsign.load_pem(str(PKI_DIR / "gov-org.key.pem"), str(PKI_DIR / "gov-org.pem"), [str(PKI_DIR / "gov-chain.pem")])


def sign(data, signer, **options):
    return libsign.sign_pdf(data, signer, signing_time=SIGNING_TIME, **options)


def test_b_b_signature_verifies_and_leaves_the_input(official):
    base = pdfgen.base_pdf()
    signed = sign(base, official, reason="Phê duyệt hồ sơ", location="Hà Nội")
    assert signed.startswith(base)  # an incremental update: not one earlier byte changes
    report = libsign.verify_pdf(signed, **VERIFY)
    sig = report.signatures[0]
    assert (report.indication, sig.kind, sig.subfilter) == ("TOTAL_PASSED", "approval", "ETSI.CAdES.detached")
    assert sig.reason == "Phê duyệt hồ sơ" and sig.location == "Hà Nội"
    assert sig.signing_time == SIGNING_TIME
    assert not sig.has_finding("SIGNING_CERTIFICATE_ATTR_MISSING")  # PAdES baseline attributes present
    assert len(official.certificates) == 3  # the whole chain is embedded
    assert [c.common_name for c in sig.chain][0] == "Nguyễn Văn An"


def test_pem_signer_and_second_signature_keep_the_first_valid(official, organisation):
    twice = sign(sign(pdfgen.base_pdf(), official), organisation)
    report = libsign.verify_pdf(twice, **VERIFY)
    assert [s.indication for s in report.signatures] == ["TOTAL_PASSED", "TOTAL_PASSED"]
    assert report.signatures[0].modification_level == "FORM_FILLING"
    assert report.signatures[1].signer.identifiers["MST"] == "0100686209-199"


@pytest.mark.parametrize("p, second_allowed", [(1, False), (2, True), (3, True)])
def test_certification_levels(official, organisation, p, second_allowed):
    certified = sign(pdfgen.base_pdf(), official, certify=p)
    report = libsign.verify_pdf(certified, **VERIFY)
    assert report.signatures[0].kind == "certification" and report.signatures[0].docmdp_permission == p
    if not second_allowed:
        with pytest.raises(libsign.UsageError) as info:
            sign(certified, organisation)
        assert info.value.code == "DOCMDP_FORBIDS_SIGNING"
        return
    report = libsign.verify_pdf(sign(certified, organisation), **VERIFY)
    assert [s.indication for s in report.signatures] == ["TOTAL_PASSED", "TOTAL_PASSED"]


def test_certification_must_come_first(official):
    with pytest.raises(libsign.UsageError) as info:
        sign(sign(pdfgen.base_pdf(), official), official, certify=2)
    assert info.value.code == "CERTIFY_NOT_FIRST"


def test_existing_empty_field_is_filled_and_names_are_unique(official, fixtures):
    empty = (fixtures / "empty-field.pdf").read_bytes()
    [name] = libsign.verify_pdf(empty, **VERIFY).findings[0].evidence.values() or [None]
    signed = sign(empty, official, field=name)
    report = libsign.verify_pdf(signed, **VERIFY)
    assert [s.field_name for s in report.signatures] == [name]
    assert not report.has_finding("SIGNATURE_FIELD_EMPTY")
    with pytest.raises(libsign.UsageError) as info:
        sign(signed, official, field=name)
    assert info.value.code == "FIELD_NAME_IN_USE"


def test_object_stream_input_and_earlier_signatures_survive(official, organisation, tmp_path, fixtures):
    # qpdf rewrites the file with object and cross-reference streams; then two signatures on top.
    source = tmp_path / "objstm.pdf"
    subprocess.run(["qpdf", "--object-streams=generate", str(fixtures / "unsigned.pdf"), str(source)], check=True)
    signed = sign(sign(source.read_bytes(), official), organisation)
    report = libsign.verify_pdf(signed, **VERIFY)
    assert [s.indication for s in report.signatures] == ["TOTAL_PASSED", "TOTAL_PASSED"]
    (tmp_path / "out.pdf").write_bytes(signed)
    check = subprocess.run(["qpdf", "--check", str(tmp_path / "out.pdf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_b_t_with_a_real_tsa(official):
    with running_tsa() as url:
        signed = sign(pdfgen.base_pdf(), official, tsa={"url": url, "profiles_dir": str(PROFILES_DIR),
                                                        "trust_profile": "test-gov"})
    sig = libsign.verify_pdf(signed, **VERIFY).signatures[0]
    assert sig.timestamp.valid and sig.has_finding("TIMESTAMP_VALID")
    assert sig.timestamp.tsa.common_name == "Dịch vụ cấp dấu thời gian (TEST)"
    assert sig.indication == "TOTAL_PASSED"


def tsa_options(url, **extra):
    return {"url": url, "profiles_dir": str(PROFILES_DIR), "trust_profile": "test-gov", **extra}


@pytest.mark.parametrize("server, code", [
    ({"fail_mode": "http500"}, "TSA_REJECTED"),
    ({"fail_mode": "garbage"}, "TSA_RESPONSE_INVALID"),
    ({"delay": 5}, "NETWORK_TIMEOUT"),
])
def test_tsa_failures_are_typed_and_write_nothing(official, tmp_path, server, code):
    out = tmp_path / "out.pdf"
    (tmp_path / "in.pdf").write_bytes(pdfgen.base_pdf())
    with running_tsa(**server) as url:
        with pytest.raises(libsign.NetworkError) as info:
            libsign.sign_pdf_file(tmp_path / "in.pdf", out, official, tsa=tsa_options(url, timeout=1.5))
    assert info.value.code == code
    assert sorted(os.listdir(tmp_path)) == ["in.pdf"]  # no output, no temporary left behind


def test_unreachable_and_untrusted_tsa(official):
    with pytest.raises(libsign.NetworkError) as info:
        sign(pdfgen.base_pdf(), official, tsa=tsa_options("http://127.0.0.1:9/tsa", timeout=2))
    assert info.value.code == "NETWORK_UNREACHABLE"
    with running_tsa() as url:
        with pytest.raises(libsign.NetworkError) as info:
            sign(pdfgen.base_pdf(), official, tsa={"url": url, "trust_profile": "none",
                                                   "trust": [str(PKI_DIR / "other-root.pem")]})
    assert info.value.code == "TSA_UNTRUSTED"


def test_wrong_password_never_echoes_the_secret():
    with pytest.raises(libsign.UsageError) as info:
        libsign.load_pkcs12(str(PKI_DIR / "gov-official.p12"), password="Sai-Mat-Khau-123")
    assert info.value.code == "KEY_PASSWORD_WRONG"
    assert "Sai-Mat-Khau-123" not in str(info.value)
    with pytest.raises(libsign.UsageError) as info:
        libsign.load_pkcs12(str(PKI_DIR / "gov-official.p12"), password_env="LIBSIGN_NO_SUCH_VARIABLE")
    assert info.value.code == "PASSWORD_SOURCE_MISSING"


def test_mismatched_key_and_certificate():
    with pytest.raises(libsign.UsageError) as info:
        libsign.load_pem(str(PKI_DIR / "gov-org.key.pem"), str(PKI_DIR / "gov-official.pem"))
    assert info.value.code == "KEY_CERT_MISMATCH"


def test_bad_inputs_are_typed_errors_without_output(official, tmp_path, fixtures):
    encrypted = tmp_path / "encrypted.pdf"
    subprocess.run(["qpdf", "--encrypt", "", "owner-test", "256", "--", str(fixtures / "unsigned.pdf"), str(encrypted)],
                   check=True)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes((fixtures / "unsigned.pdf").read_bytes().replace(b"xref", b"xxxx"))
    for source, code in [(encrypted, "PDF_ENCRYPTED"), (broken, None)]:
        before = source.read_bytes()
        with pytest.raises(libsign.FormatError) as info:
            libsign.sign_pdf_file(source, tmp_path / "out.pdf", official)
        if code:
            assert info.value.code == code
        assert source.read_bytes() == before
        assert not (tmp_path / "out.pdf").exists()
    with pytest.raises(libsign.InputOutputError) as info:
        libsign.sign_pdf_file(fixtures / "unsigned.pdf", tmp_path / "no-such-dir" / "out.pdf", official)
    assert info.value.code == "OUTPUT_UNWRITABLE"


def test_file_signing_equals_memory_signing(official, tmp_path, fixtures):
    libsign.sign_pdf_file(fixtures / "unsigned.pdf", tmp_path / "out.pdf", official, signing_time=SIGNING_TIME)
    in_memory = sign((fixtures / "unsigned.pdf").read_bytes(), official)
    assert (tmp_path / "out.pdf").read_bytes() == in_memory  # RSA PKCS#1 v1.5 is deterministic
    with pytest.raises(libsign.UsageError):
        libsign.sign_pdf_file(tmp_path / "out.pdf", tmp_path / "out.pdf", official)
