"""Detached (.p7s) and enveloping (.p7m) CAdES signatures through the Python module."""
import os

import pytest

import libsign
from conftest import AT, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SIGNING_TIME
from servers import running_tsa

# Revocation optional, said explicitly: the default requires a status (docs/revocation.md).
VERIFY = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT, revocation={"required": False})
ATTACHMENT = "Tờ khai đính kèm — bản scan\n".encode() * 50


def p12(name):
    return libsign.load_pkcs12(str(PKI_DIR / f"{name}.p12"), password_file=str(P12_PASSWORD_FILE))


@pytest.fixture(scope="module")
def official():
    return p12("gov-official")


def codes(report):
    return {f.code for s in report.signatures for f in s.findings}


def test_detached_signature_verifies_and_names_the_signer(official):
    signature = libsign.sign_cms(ATTACHMENT, official, signing_time=SIGNING_TIME)
    assert libsign.detect_format(signature) == "cms"
    report = libsign.verify_cms(signature, ATTACHMENT, **VERIFY)
    sig = report.signatures[0]
    assert (report.format, report.indication, sig.kind, sig.coverage) == ("cms", "TOTAL_PASSED", "detached", "ENTIRE_FILE")
    assert sig.signer.common_name == "Nguyễn Văn An" and sig.signing_time == SIGNING_TIME
    assert sig.digest_algorithm == "sha256"
    # CAdES B-B: ESS signing-certificate-v2 and signing time are signed attributes.
    assert not ({"SIGNING_CERTIFICATE_ATTR_MISSING", "SIGNING_TIME_MISSING"} & codes(report))


def test_changed_attachment_is_a_hash_failure(official):
    signature = libsign.sign_cms(ATTACHMENT, official, signing_time=SIGNING_TIME)
    report = libsign.verify_cms(signature, ATTACHMENT + b" ", **VERIFY)
    assert (report.indication, report.sub_indication) == ("TOTAL_FAILED", "HASH_FAILURE")
    assert "DIGEST_MISMATCH" in codes(report)


def test_detached_signature_without_its_content(official):
    report = libsign.verify_cms(libsign.sign_cms(ATTACHMENT, official), **VERIFY)
    assert (report.indication, report.sub_indication) == ("INDETERMINATE", "SIGNED_DATA_NOT_FOUND")
    assert "SIGNED_DATA_NOT_FOUND" in codes(report)
    assert report.signatures[0].signer.common_name == "Nguyễn Văn An"  # still says who signed


@pytest.mark.parametrize("pem", [False, True])
def test_enveloping_signature_holds_the_content(official, pem):
    signature = libsign.sign_cms(ATTACHMENT, official, enveloping=True, pem=pem, signing_time=SIGNING_TIME)
    assert signature.startswith(b"-----BEGIN CMS-----") == pem
    report = libsign.verify(signature, **VERIFY)
    assert (report.format, report.indication, report.signatures[0].kind) == ("cms", "TOTAL_PASSED", "enveloping")
    assert libsign.extract_cms_content(signature) == ATTACHMENT


def test_bare_base64_signature_is_read(official):
    import base64
    signature = base64.b64encode(libsign.sign_cms(ATTACHMENT, official, signing_time=SIGNING_TIME))
    assert libsign.verify_cms(signature, ATTACHMENT, **VERIFY).indication == "TOTAL_PASSED"


def test_extracting_from_a_detached_signature_is_an_error(official):
    with pytest.raises(libsign.FormatError) as info:
        libsign.extract_cms_content(libsign.sign_cms(ATTACHMENT, official))
    assert info.value.code == "CMS_CONTENT_MISSING"


@pytest.mark.parametrize("name, indication, code", [
    ("gov-expired", "INDETERMINATE", "CERT_EXPIRED_AT_SIGNING_TIME"),
    ("other-leaf", "INDETERMINATE", "CHAIN_UNTRUSTED_ROOT"),
])
def test_certificate_problems_are_judged_as_for_pdf(name, indication, code):
    report = libsign.verify_cms(libsign.sign_cms(ATTACHMENT, p12(name), signing_time=SIGNING_TIME), ATTACHMENT, **VERIFY)
    assert report.indication == indication and code in codes(report)


def test_b_t_signature_carries_a_valid_timestamp(official):
    with running_tsa() as url:
        signature = libsign.sign_cms(ATTACHMENT, official, level="B-T", signing_time=SIGNING_TIME,
                                     tsa={"url": url, "profiles_dir": str(PROFILES_DIR), "trust_profile": "test-gov"})
    sig = libsign.verify_cms(signature, ATTACHMENT, **VERIFY).signatures[0]
    assert sig.timestamp.valid and "TIMESTAMP_VALID" in {f.code for f in sig.findings}


def test_files_and_the_detached_content_beside_the_signature(official, tmp_path):
    data = tmp_path / "to-khai.pdf.bin"
    data.write_bytes(ATTACHMENT)
    libsign.sign_cms_file(data, tmp_path / "to-khai.pdf.bin.p7s", official, signing_time=SIGNING_TIME)
    assert data.read_bytes() == ATTACHMENT
    report = libsign.verify(tmp_path / "to-khai.pdf.bin.p7s", **VERIFY)  # finds its content beside it
    assert report.indication == "TOTAL_PASSED" and report.path.endswith(".p7s")
    assert libsign.verify_cms(tmp_path / "to-khai.pdf.bin.p7s", data, **VERIFY).indication == "TOTAL_PASSED"


def test_failed_b_t_signing_leaves_no_file(official, tmp_path):
    data = tmp_path / "a.bin"
    data.write_bytes(ATTACHMENT)
    with pytest.raises(libsign.NetworkError):
        libsign.sign_cms_file(data, tmp_path / "a.bin.p7s", official, level="B-T",
                              tsa={"url": "http://127.0.0.1:9/tsa", "timeout": 2})
    assert sorted(os.listdir(tmp_path)) == ["a.bin"]


def test_not_a_signature_is_a_format_error():
    with pytest.raises(libsign.FormatError) as info:
        libsign.verify(b"PK\x03\x04 a zip file", **VERIFY)
    assert info.value.code == "INPUT_FORMAT_UNKNOWN"
    report = libsign.verify_cms(b"MIIBroken", ATTACHMENT, **VERIFY)
    assert (report.indication, report.sub_indication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert "CMS_MALFORMED" in codes(report)


def test_mutated_signatures_never_crash(official):
    """300 random corruptions of a .p7s (and of its PEM form): a report or a typed error, never a
    crash (the ASan build runs this too)."""
    import random
    rng = random.Random(20261128)
    der = libsign.sign_cms(ATTACHMENT, official, signing_time=SIGNING_TIME)
    verifier = libsign.make_verifier(**VERIFY)
    for i in range(300):
        data = bytearray(der if i % 3 else libsign.sign_cms(ATTACHMENT, official, pem=True, signing_time=SIGNING_TIME))
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if i % 10 == 0:
            data = data[:rng.randrange(len(data))]
        try:
            report = verifier.verify_cms(bytes(data), ATTACHMENT)
        except libsign.Error:
            continue
        assert report.format == "cms" and len(report.signatures) >= 1


# Revocation evidence in SignedData.crls, judged offline with a status required for the whole chain.
STRICT = dict(VERIFY, revocation={"required": True})


def crl(name):
    return (PKI_DIR / f"{name}.crl.der").read_bytes()


def test_crls_in_signed_data_clear_the_chain_offline(official):
    import cms_build
    signature = cms_build.with_revocation_info(libsign.sign_cms(ATTACHMENT, official, signing_time=SIGNING_TIME),
                                               crls_der=[crl("gov-ca"), crl("gov-root")])
    sig = libsign.verify_cms(signature, ATTACHMENT, **STRICT).signatures[0]
    assert sig.indication == "TOTAL_PASSED"
    assert (sig.revocation.source, sig.revocation.status, sig.revocation.crls) == ("signed-data", "good", 2)
    assert "REVOCATION_GOOD" in {f.code for f in sig.findings}
    bare = libsign.verify_cms(libsign.sign_cms(ATTACHMENT, official, signing_time=SIGNING_TIME), ATTACHMENT, **STRICT)
    assert (bare.indication, bare.sub_indication) == ("INDETERMINATE", "TRY_LATER")


def test_signer_revoked_before_the_claimed_signing_time_fails():
    import cms_build
    signed = libsign.sign_cms(ATTACHMENT, p12("gov-revoked"), signing_time=SIGNING_TIME)  # revoked 2026-01-15
    signature = cms_build.with_revocation_info(signed, crls_der=[crl("gov-ca"), crl("gov-root")])
    sig = libsign.verify_cms(signature, ATTACHMENT, **STRICT).signatures[0]
    assert (sig.indication, sig.sub_indication) == ("TOTAL_FAILED", "REVOKED")
    assert (sig.revocation.source, sig.revocation.status, sig.revocation.reason) == ("signed-data", "revoked", "keyCompromise")
    assert "CERT_REVOKED" in {f.code for f in sig.findings}
    # Dated before the revocation and without a timestamp: it may have been made in time.
    early = cms_build.with_revocation_info(libsign.sign_cms(ATTACHMENT, p12("gov-revoked"), signing_time="2026-01-10T03:00:00Z"),
                                           crls_der=[crl("gov-ca"), crl("gov-root")])
    sig = libsign.verify_cms(early, ATTACHMENT, **STRICT).signatures[0]
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "REVOKED_NO_POE")
