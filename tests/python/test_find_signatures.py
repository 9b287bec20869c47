"""Every signature of a PDF through the Python module: fields only in a page's /Annots, one value shared
by several fields, signature dictionaries that no field uses, and text strings in every PDF encoding.
The files are made here by tests/tools/pdfgen.py (the independent fixture signer)."""
import pytest

import libsign
import pdfgen
from conftest import AT, PKI_DIR, PROFILES_DIR

# Revocation optional, said explicitly: the default requires a status (docs/revocation.md).
OPTIONS = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT, revocation={"required": False})


def signed(pdf=None, **kwargs):
    return pdfgen.sign(pdf or pdfgen.base_pdf(), PKI_DIR / "gov-official.key.pem", PKI_DIR / "gov-official.pem",
                       [PKI_DIR / "gov-chain.pem"], options="chain=full", **kwargs)


def doc_codes(report):
    return {f.code for f in report.findings}


def test_an_ordinary_signature_is_found_through_the_form():
    report = libsign.verify_pdf(signed(field_name="Signer"), **OPTIONS)
    sig = report.signatures[0]
    assert (sig.found_via, sig.field_names, sig.field_name) == ("acroform", ["Signer"], "Signer")
    assert not {"SIGNATURE_FIELD_NOT_IN_ACROFORM", "SIGNATURE_VALUE_SHARED"} & set(sig.finding_codes)
    assert "SIGNATURE_VALUE_UNREFERENCED" not in doc_codes(report)


def test_a_field_only_in_the_page_annots_is_verified_and_flagged():
    # base_pdf() has no /AcroForm at all: the signature field is reachable only from the page.
    report = libsign.verify_pdf(signed(field_name="Hidden", in_acroform=False), **OPTIONS)
    assert len(report.signatures) == 1
    sig = report.signatures[0]
    assert sig.found_via == "page-annots"
    assert sig.field_name == "Hidden"
    assert sig.has_finding("SIGNATURE_FIELD_NOT_IN_ACROFORM")
    assert sig.indication == "TOTAL_PASSED"
    assert "NO_SIGNATURE_FOUND" not in doc_codes(report)


def test_a_value_shared_by_fields_is_one_signature_with_all_names():
    report = libsign.verify_pdf(signed(field_name="Signer", shared_with=["Approver", "Copy"]), **OPTIONS)
    assert len(report.signatures) == 1
    sig = report.signatures[0]
    assert sig.field_names == ["Signer", "Approver", "Copy"]
    assert sig.field_name == "Signer"
    assert sig.has_finding("SIGNATURE_VALUE_SHARED")
    assert sig.indication == "TOTAL_PASSED"


def test_an_unreferenced_signature_dictionary_is_reported_not_verified():
    data, num = pdfgen.add_unreferenced_signature_value(signed())
    report = libsign.verify_pdf(data, **OPTIONS)
    assert len(report.signatures) == 1  # only the real one
    orphans = [f for f in report.findings if f.code == "SIGNATURE_VALUE_UNREFERENCED"]
    assert [f.evidence["object"] for f in orphans] == [f"{num} 0 R"]
    assert orphans[0].evidence["revision"] == "2"


def test_an_unreferenced_value_alone_is_no_signature():
    data, _num = pdfgen.add_unreferenced_signature_value(pdfgen.base_pdf())
    report = libsign.verify_pdf(data, **OPTIONS)
    assert report.signatures == []
    assert {"NO_SIGNATURE_FOUND", "SIGNATURE_VALUE_UNREFERENCED"} <= doc_codes(report)
    assert report.indication == "INDETERMINATE"


@pytest.mark.parametrize("encoding, text", [
    ("utf16be", "Chữ ký số"),
    ("utf16le", "Chữ ký số"),
    ("utf8bom", "Chữ ký số"),
    ("pdfdoc", "Ký tên • € Ł"),
])
def test_field_names_and_texts_are_decoded(encoding, text):
    report = libsign.verify_pdf(signed(field_name=text, name_encoding=encoding, reason=text, location=text,
                                       shared_with=[text + "2"]), **OPTIONS)
    sig = report.signatures[0]
    assert sig.field_names == [text, text + "2"]
    assert (sig.reason, sig.location) == (text, text)
    assert sig.indication == "TOTAL_PASSED"
