"""The Python API as a portal developer meets it: the default revocation policy (the same as the
command's), checked option dictionaries, conversion errors as UsageError, help() text for every
public function, parameter and report field, readable reprs, sign_pdf refusing what is not a PDF,
and a self-signed certificate given as a trust anchor."""
import inspect
import json
import subprocess

import pytest

import libsign
import pdfgen
from conftest import AT, CLI, PKI_DIR, PROFILES_DIR, P12_PASSWORD_FILE, SIGNING_TIME

TEST_GOV = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT)


@pytest.fixture(scope="module")
def official():
    return libsign.load_pkcs12(str(PKI_DIR / "gov-official.p12"), password_file=str(P12_PASSWORD_FILE))


@pytest.fixture(scope="module")
def signed(official):
    """A PAdES B-B signature: no revocation data embedded."""
    return libsign.sign_pdf(pdfgen.base_pdf(), official, signing_time=SIGNING_TIME)


def cli_verdict(path, *options):
    proc = subprocess.run([str(CLI), "verify", str(path), "--format", "json", "--at", AT, *options],
                          capture_output=True, text=True, timeout=60)
    doc = json.loads(proc.stdout)["document"]
    return proc.returncode, doc["indication"], doc.get("sub_indication")


# ---- one default policy ----

def test_default_policy_requires_a_revocation_status_like_the_command(signed, tmp_path):
    report = libsign.verify_pdf(signed, **TEST_GOV)
    assert (report.indication, report.sub_indication) == ("INDETERMINATE", "TRY_LATER")
    assert report.signatures[0].has_finding("REVOCATION_NOT_CHECKED")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    # The command, offline (the library's default too), gives the same verdict.
    status, indication, sub = cli_verdict(path, "--profiles-dir", PROFILES_DIR, "--trust-profile", "test-gov", "--offline")
    assert (indication, sub) == (report.indication, report.sub_indication) and status == 2


def test_revocation_optional_must_be_said(signed):
    report = libsign.verify_pdf(signed, revocation={"required": False}, **TEST_GOV)
    assert report.indication == "TOTAL_PASSED"
    assert report.signatures[0].has_finding("REVOCATION_NOT_CHECKED")  # still said, as a warning
    verifier = libsign.make_verifier(**TEST_GOV)
    assert verifier.verify_pdf(signed).indication == "INDETERMINATE"


def test_the_policy_is_in_help_and_stubs():
    for text in (libsign.__doc__, libsign.verify_pdf.__doc__, libsign.make_verifier.__doc__):
        assert "required" in text and "TRY_LATER" in text
    stub = (inspect.getfile(libsign).rsplit("/", 1)[0] + "/__init__.pyi")
    assert '"required": False' in open(stub, encoding="utf-8").read()


# ---- option dictionaries and conversions ----

@pytest.mark.parametrize("call", [
    lambda: libsign.make_verifier(revocation={"onlin": True}),
    lambda: libsign.verify_pdf(b"%PDF-1.7", revocation={"required": False, "cache": "/tmp"}),
    lambda: libsign.diagnose([], revocation={"onlin": True}),
])
def test_unknown_option_keys_raise_usage_error(call):
    with pytest.raises(libsign.UsageError) as info:
        call()
    assert info.value.code == "OPTION_UNKNOWN"
    assert "revocation" in str(info.value)


def test_unknown_keys_in_nested_and_signing_dictionaries(official):
    with pytest.raises(libsign.UsageError) as info:
        libsign.sign_pdf(pdfgen.base_pdf(), official, tsa={"ur": "http://127.0.0.1:1/"})
    assert info.value.code == "OPTION_UNKNOWN" and "tsa" in str(info.value)
    with pytest.raises(libsign.UsageError) as info:
        libsign.extend_pdf(pdfgen.base_pdf(), validation={"revocation": {"online": True, "requird": True}})
    assert info.value.code == "OPTION_UNKNOWN" and "validation['revocation']" in str(info.value)
    with pytest.raises(libsign.UsageError) as info:
        libsign.extend_pdf(pdfgen.base_pdf(), validation={"trust_profiles": "vn-gov"})
    assert info.value.code == "OPTION_UNKNOWN"


@pytest.mark.parametrize("kwargs, parameter", [
    (dict(visible=(1, 100, 100)), "visible"),
    (dict(visible="bottom-left"), "visible"),
    (dict(certify="yes"), "certify"),
    (dict(reason=42), "reason"),
    (dict(tsa={"url": "http://127.0.0.1:1/", "timeout": "soon"}), "tsa['timeout']"),
])
def test_conversion_errors_are_usage_errors_naming_the_parameter(official, kwargs, parameter):
    with pytest.raises(libsign.UsageError) as info:
        libsign.sign_pdf(pdfgen.base_pdf(), official, signing_time=SIGNING_TIME, **kwargs)
    assert info.value.code == "OPTION_INVALID"
    assert str(info.value).startswith(parameter + ":")


@pytest.mark.parametrize("kwargs, parameter", [
    (dict(revocation={"online": "yes"}), "revocation['online']"),
    (dict(revocation="online"), "revocation"),
    (dict(revocation={"timeout": -1}), "revocation['timeout']"),
    (dict(trust=42), "trust"),
])
def test_verify_conversion_errors(kwargs, parameter):
    with pytest.raises(libsign.UsageError) as info:
        libsign.make_verifier(**kwargs)
    assert info.value.code == "OPTION_INVALID"
    assert str(info.value).startswith(parameter + ":")


def test_an_unknown_level_is_refused(official):
    with pytest.raises(libsign.UsageError) as info:
        libsign.sign_pdf(pdfgen.base_pdf(), official, level="B-X")
    assert info.value.code == "LEVEL_UNSUPPORTED"


def test_unknown_keyword_arguments_are_type_errors(official, tmp_path):
    source = tmp_path / "in.pdf"
    source.write_bytes(pdfgen.base_pdf())
    with pytest.raises(TypeError):
        libsign.sign_pdf_file(source, tmp_path / "out.pdf", official, reasons="x")


# ---- help() ----

def public_functions():
    return [n for n in libsign.__all__ if callable(getattr(libsign, n)) and not inspect.isclass(getattr(libsign, n))]


@pytest.mark.parametrize("name", public_functions())
def test_every_public_function_documents_each_parameter(name):
    from test_stubs import runtime_parameters
    function = getattr(libsign, name)
    doc = function.__doc__ or ""
    body = doc.split("\n", 1)[1] if doc.startswith(name + "(") else doc  # pybind11: signature line first
    assert len(body.strip()) > 20, name
    for parameter in runtime_parameters(function):
        assert parameter.lstrip("*") in body, f"{name}: {parameter} not described"


REPORT_CLASSES = ["Finding", "Check", "CertificateInfo", "TimestampInfo", "RevocationInfo", "ManifestReference",
                  "ModifiedObject", "RevisionModification", "SignatureReport", "DocumentReport", "Signer"]


@pytest.mark.parametrize("name", REPORT_CLASSES)
def test_every_report_field_has_a_docstring(name):
    cls = getattr(libsign._core, name)
    assert cls.__doc__ and len(cls.__doc__) > 20
    for field, value in vars(cls).items():
        if isinstance(value, property):
            assert value.__doc__ and value.__doc__.strip(), f"{name}.{field}"
    assert "revocation" in help_text(libsign._core.SignatureReport)


def help_text(obj):
    import pydoc
    return pydoc.render_doc(obj, renderer=pydoc.plaintext)


# ---- repr ----

def test_reprs_say_what_the_object_is(official, signed):
    report = libsign.make_verifier(revocation={"required": False}, **TEST_GOV).verify_pdf(signed, "hoso.pdf")
    sig = report.signatures[0]
    assert repr(report).startswith("<DocumentReport 'hoso.pdf' pdf TOTAL_PASSED signatures=1")
    assert repr(sig).startswith("<SignatureReport sig1 TOTAL_PASSED")
    assert "'Nguyễn Văn An'" in repr(sig) and "REVOCATION_NOT_CHECKED" in repr(sig)
    assert repr(sig.findings[0]).startswith("<Finding " + sig.findings[0].code + " (")
    assert repr(sig.signer).startswith("<CertificateInfo 'Nguyễn Văn An'")
    assert repr(sig.revocation) == "<RevocationInfo unknown source=none>"
    assert repr(sig.timestamp) == "<TimestampInfo absent>"
    assert repr(sig.checks[0]).startswith("<Check ")
    assert repr(official) == "<Signer rsa 'Nguyễn Văn An' certificates=3>"
    verifier = libsign.make_verifier(**TEST_GOV)
    assert repr(verifier) == "<Verifier trust_profile='test-gov' revocation='offline, required' at='2026-07-01T00:00:00Z'>"


# ---- sign_pdf refuses what is not a PDF ----

def test_sign_pdf_refuses_data_that_is_not_a_pdf(official, tmp_path):
    notes = b"Ghi chu cuoc hop\nnot a PDF at all\n"
    with pytest.raises(libsign.FormatError) as info:
        libsign.sign_pdf(notes, official)
    assert info.value.code == "INPUT_NOT_PDF"
    source = tmp_path / "notes.pdf"
    source.write_bytes(notes)
    with pytest.raises(libsign.FormatError) as info:
        libsign.sign_pdf_file(source, tmp_path / "x.pdf", official)
    assert info.value.code == "INPUT_NOT_PDF"
    assert not (tmp_path / "x.pdf").exists()


# ---- a self-signed certificate given as a trust anchor ----

@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    pytest.importorskip("cryptography")
    from self_signed import make_self_signed
    key, cert = make_self_signed(tmp_path_factory.mktemp("self-signed"))
    signer = libsign.load_pem(str(key), str(cert))
    return cert, libsign.sign_pdf(pdfgen.base_pdf(), signer, signing_time=SIGNING_TIME)


def test_a_self_signed_trust_anchor_ends_its_chain(self_signed):
    cert, data = self_signed
    options = dict(trust_profile="none", trust=cert, at=AT)
    for revocation in (None, {"required": True}, {"required": False}):
        report = libsign.verify_pdf(data, revocation=revocation, **options)
        sig = report.signatures[0]
        assert (report.indication, sig.sub_indication) == ("TOTAL_PASSED", None), revocation
        assert sig.has_finding("SIGNER_IS_TRUST_ANCHOR") and not sig.has_finding("REVOCATION_NOT_CHECKED")
        assert {c.step: c.status for c in sig.checks}["revocation"] == "passed"
        assert [c.common_name for c in sig.chain] == ["Phòng Nội vụ"]


def test_the_same_certificate_not_trusted_has_no_chain(self_signed):
    _, data = self_signed
    report = libsign.verify_pdf(data, trust_profile="none", at=AT)
    assert (report.indication, report.sub_indication) == ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND")
    assert not report.has_finding("SIGNER_IS_TRUST_ANCHOR")
