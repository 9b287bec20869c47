"""PDFs signed by iText 5 (Debian's libitext5-java + Bouncy Castle): the API behind many Java signing
plug-ins used with the portals (PdfStamper.createSignature + MakeSignature.signDetached). libsign must
judge what it writes — adbe.pkcs7.detached and ETSI.CAdES.detached, invisible and visible, certification,
a timestamp, a second signature on a libsign-signed file — and iText must accept what libsign signs.
The common fault between portals is tested too: iText asked to sign an already signed file without
append mode rewrites it, which breaks the first signature; libsign must say so and name the rewrite.
Through the real front end: `libsign sign` and `libsign verify --format json`."""
import sys

import pytest

from conftest import P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SOURCE_DIR, codes

import pdfgen

sys.path.insert(0, str(SOURCE_DIR / "tests" / "interop" / "itext"))
sys.path.insert(0, str(SOURCE_DIR / "tests" / "interop"))
sys.path.insert(0, str(SOURCE_DIR / "tests" / "servers"))
import sign_helpers as sh  # noqa: E402
from run_itext import peer_unavailable, sign_with_itext, verify_with_itext  # noqa: E402
from servers import running_pki_server, running_tsa  # noqa: E402

pytestmark = pytest.mark.skipif(peer_unavailable() is not None, reason=str(peer_unavailable()))

SIGNING_TIME = "2026-06-20T03:00:00Z"


def _base(tmp_path):
    path = tmp_path / "base.pdf"
    path.write_bytes(pdfgen.base_pdf())
    return path


def _itext(src, dst, signer="gov-official", **options):
    options.setdefault("signing_time", SIGNING_TIME)
    sign_with_itext(src, dst, p12=PKI_DIR / f"{signer}.p12", password_file=P12_PASSWORD_FILE, **options)
    return dst


@pytest.mark.parametrize("name, options, subfilter", [
    ("cms", {}, "adbe.pkcs7.detached"),
    ("cades", {"subfilter": "cades"}, "ETSI.CAdES.detached"),
    ("cades-visible", {"subfilter": "cades", "visible": True}, "ETSI.CAdES.detached"),
    ("ecdsa", {"signer": "gov-ecdsa"}, "adbe.pkcs7.detached"),
])
def test_libsign_verifies_what_itext_signs(tmp_path, name, options, subfilter):
    path = _itext(_base(tmp_path), tmp_path / f"{name}.pdf", **options)
    status, indication, sigs = sh.verify_signatures(path)
    assert [(s["indication"], s["subfilter"], s["coverage"]) for s in sigs] == [("TOTAL_PASSED", subfilter, "ENTIRE_FILE")], \
        [codes(s) for s in sigs]
    assert (status, indication) == (0, "TOTAL_PASSED")


def test_itext_certification_signature(tmp_path):
    path = _itext(_base(tmp_path), tmp_path / "certified.pdf", certify="2")
    status, _, sigs = sh.verify_signatures(path)
    assert (sigs[0]["indication"], sigs[0]["kind"], sigs[0]["docmdp_permission"]) == ("TOTAL_PASSED", "certification", 2)
    assert status == 0


def test_itext_signature_with_a_timestamp(tmp_path):
    # The TSA stamps the current time: validate just after signing, inside the test PKI's validity.
    sh.skip_unless_test_pki_valid_now()
    with running_tsa() as url:
        path = _itext(_base(tmp_path), tmp_path / "tst.pdf", subfilter="cades", signing_time=None, tsa=url)
    at = sh.just_after_now()
    status, _, sigs = sh.verify_signatures(path, at=at)
    assert sigs[0]["indication"] == "TOTAL_PASSED" and "TIMESTAMP_VALID" in codes(sigs[0]), codes(sigs[0])
    assert status == 0


def test_itext_second_signature_on_a_libsign_signature(tmp_path):
    first = sh.sign_ok(_base(tmp_path), tmp_path / "first.pdf")
    both = _itext(first, tmp_path / "both.pdf", signer="gov-org", append=True, field="Signature2",
                  signing_time="2026-06-20T04:00:00Z")
    status, indication, sigs = sh.verify_signatures(both)
    assert [s["indication"] for s in sigs] == ["TOTAL_PASSED", "TOTAL_PASSED"], [codes(s) for s in sigs]
    assert "MODIFIED_AFTER_SIGNING" not in codes(sigs[0])
    assert (status, indication) == (0, "TOTAL_PASSED")
    assert verify_with_itext(both)[0] == 0


def test_itext_signature_after_a_no_changes_certification_is_refused(tmp_path):
    certified = sh.sign_ok(_base(tmp_path), tmp_path / "certified.pdf", "--certify", "1")
    after = _itext(certified, tmp_path / "after.pdf", signer="gov-org", append=True, field="Signature2",
                   signing_time="2026-06-20T04:00:00Z")
    status, indication, sigs = sh.verify_signatures(after)
    assert "DOCMDP_VIOLATION" in codes(sigs[0])
    assert sigs[0]["indication"] != "TOTAL_PASSED" and indication != "TOTAL_PASSED"
    assert status != 0


def test_itext_rewriting_a_signed_file_is_named(tmp_path):
    first = sh.sign_ok(_base(tmp_path), tmp_path / "first.pdf")
    rewritten = _itext(first, tmp_path / "rewritten.pdf", signer="gov-org", field="Signature2",
                       signing_time="2026-06-20T04:00:00Z")  # no append mode: the whole file is written anew
    status, report = sh.verify_json(rewritten, *sh.gov_options())
    doc = report["document"]
    by_field = {s["field_name"]: s for s in doc["signatures"]}
    assert by_field["Signature1"]["indication"] == "TOTAL_FAILED"
    assert by_field["Signature2"]["indication"] == "TOTAL_PASSED"
    assert "DAMAGE_REWRITTEN" in {f["code"] for f in doc["findings"]}
    assert status == 1
    # iText itself agrees that the first signature no longer verifies.
    assert verify_with_itext(rewritten)[1]["Signature1"][0] == "INVALID"


@pytest.mark.parametrize("fixture, expected", [
    ("official", {"Signature1": ("VALID", "whole")}),
    ("two-signatures", {"Signature1": ("VALID", "partial"), "Signature2": ("VALID", "whole")}),
    ("doc-timestamp", {"Signature1": ("VALID", "partial"), "DocTimeStamp1": ("VALID", "whole")}),
    ("tampered", {"Signature1": ("INVALID", "whole")}),
])
def test_itext_accepts_what_libsign_signs(fixtures, fixture, expected):
    # ECDSA is left out: iText 5.5.13 refuses ECDSA signatures, its own included.
    assert verify_with_itext(fixtures / f"{fixture}.pdf")[1] == expected


def test_itext_accepts_a_visible_libsign_signature(tmp_path):
    signed = sh.sign_ok(_base(tmp_path), tmp_path / "visible.pdf", "--visible", "1:350,60,220,80", "--certify", "2")
    assert verify_with_itext(signed) == (0, {"Signature1": ("VALID", "whole")})


@pytest.mark.parametrize("kind", ["ocsp", "crl"])
def test_itext_embedded_revocation_is_used_offline(tmp_path, kind):
    """iText puts the OCSP response or CRL it fetched (from the local test responder) into the
    adbe-revocationInfoArchival signed attribute: verified offline with revocation required, the
    signer's status comes from there. The responder answers for the current time, so validate just after."""
    sh.skip_unless_test_pki_valid_now()
    with running_pki_server() as base:
        url = f"{base}/ocsp/gov-ca" if kind == "ocsp" else f"{base}/crl/gov-ca.crl"
        path = _itext(_base(tmp_path), tmp_path / f"{kind}.pdf", subfilter="cms", signing_time=None, **{kind: url})
    at = sh.just_after_now()
    options = ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov", "--at", at,
               "--offline", "--revocation", "required"]
    status, report = sh.verify_json(path, *options)
    sig = report["document"]["signatures"][0]
    good = [f["evidence"] for f in sig["findings"] if f["code"] == "REVOCATION_GOOD"]
    assert good and good[0]["origin"] == "adbe-archival" and good[0]["source"] == kind, sig["findings"]
    # iText embeds the signer's status only: the CA above it has none, and revocation is required.
    missing = [f["evidence"]["certificate"] for f in sig["findings"] if f["code"] == "REVOCATION_NOT_CHECKED"]
    assert missing and sig["chain"][0]["common_name"] not in missing
    assert (sig["indication"], sig["sub_indication"]) == ("INDETERMINATE", "TRY_LATER")
    assert status == 2
