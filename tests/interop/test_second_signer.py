"""A dossier signed by libsign, then a second signature added by another tool: the first signature
must stay TOTAL_PASSED and see the update as FORM_FILLING (docs/change-analysis.md).

Peers: (a) poppler's `pdfsig -add-signature` (NSS), (b) PDFBox 2 + Bouncy Castle
(`PDDocument.addSignature` + `saveIncremental`, tests/interop/pdfbox/SignatureAdder.java; invisible,
and visible through PDFBox's template builder, which also writes `/AcroForm /DR`),
(c) `@signpdf` (node, tests/interop/signpdf). A missing peer skips only its own cases.

Times: libsign signs at SIGNING_TIME and is verified at AT (conftest); PDFBox and @signpdf sign at
SIGNING_TIME too. pdfsig writes "now" as its signing time and cannot be told otherwise, so its cases
are verified at "now" (skipped outside the validity of the certs-test leaves).

DocMDP end to end with pdfsig as the second signer: P=2 allows the added signature, P=1 does not.
"""
import sys

import pytest

from conftest import AT, CLI, SIGNING_TIME, SOURCE_DIR, codes

import pdfgen

for _folder in ("tests/interop", "tests/interop/pdfbox", "tests/interop/signpdf"):
    if str(SOURCE_DIR / _folder) not in sys.path:
        sys.path.insert(0, str(SOURCE_DIR / _folder))

import sign_helpers as sh  # noqa: E402
from run_signer import sign_with_pdfbox, signer_unavailable  # noqa: E402
from run_signpdf import sign_with_signpdf  # noqa: E402

pytestmark = pytest.mark.skipif(not CLI.exists(), reason=f"libsign CLI not built at {CLI}")

FIRST = "ChuKyLibsign"


def _dossier(folder, *options, signing_time=SIGNING_TIME):
    base = folder / "base.pdf"
    base.write_bytes(pdfgen.base_pdf())
    return sh.sign_ok(base, folder / "libsign.pdf", "--field", FIRST, *options, signing_time=signing_time)


def _verify(path, at):
    """(status, document indication, signatures sorted by revision); the peer's file must be read."""
    status, report = sh.verify_json(path, *sh.gov_options(at))
    assert status != 3 and "document" in report, report.get("error", report)
    sigs = sorted(report["document"]["signatures"], key=lambda s: s["revision"])
    return status, report["document"]["indication"], sigs


def _now_or_skip():
    now = sh.now_utc()
    if now is None:
        pytest.skip("today is outside the validity of the certs-test leaves (pdfsig signs at now)")
    return now


def _nss_db(tmp_path_factory):
    reason = sh.nss_unavailable()
    if reason:
        pytest.skip(reason)
    return sh.make_nss_db(tmp_path_factory.mktemp("nss"))


@pytest.fixture(scope="module")
def nss_db(tmp_path_factory):
    return _nss_db(tmp_path_factory)


# --- peers: (folder, first-signed file) -> (second-signed file, validation time) --------------------

def add_with_pdfsig(folder, dossier, nss_db):
    at = _now_or_skip()
    out = folder / "pdfsig.pdf"
    sh.pdfsig_add_signature(nss_db, dossier, out, "gov-org", "NssKy")
    return out, at


def add_with_pdfbox(folder, dossier, nss_db):
    reason = signer_unavailable()
    if reason:
        pytest.skip(f"PDFBox signer unavailable: {reason}")
    out = folder / "pdfbox.pdf"
    sign_with_pdfbox(dossier, out, signer="gov-org", signing_time=SIGNING_TIME)
    return out, AT


def add_with_pdfbox_visible(folder, dossier, nss_db):
    """PDFBox's visible-signature template: it also writes /AcroForm /DR and the page's /Annots."""
    reason = signer_unavailable()
    if reason:
        pytest.skip(f"PDFBox signer unavailable: {reason}")
    seal = folder / "seal.png"
    seal.write_bytes(pdfgen.seal_png())
    out = folder / "pdfbox-visible.pdf"
    sign_with_pdfbox(dossier, out, signer="gov-org", signing_time=SIGNING_TIME, image=seal)
    return out, AT


def add_with_signpdf(folder, dossier, nss_db):
    out = folder / "signpdf.pdf"
    # fix_utf8_issuer: node-forge's double-encoded issuer would hide the signer's certificate
    # (tests/interop/signpdf/README.md); the change analysis is what this test is about.
    sign_with_signpdf(dossier, out, signer="gov-org", signing_time=SIGNING_TIME, fix_utf8_issuer=True)
    return out, AT


PEERS = {"pdfsig": add_with_pdfsig, "pdfbox": add_with_pdfbox, "pdfbox-visible": add_with_pdfbox_visible,
         "signpdf": add_with_signpdf}


def _needs_nss(peer, request):
    return request.getfixturevalue("nss_db") if peer == "pdfsig" else None


@pytest.mark.parametrize("peer", PEERS)
def test_first_signature_passes_after_peer_signs(peer, tmp_path, request):
    db = _needs_nss(peer, request)
    at_first = None
    if peer == "pdfsig":
        at_first = _now_or_skip()
    dossier = _dossier(tmp_path, signing_time=SIGNING_TIME if at_first is None else None)
    second, at = PEERS[peer](tmp_path, dossier, db)
    assert second.stat().st_size > dossier.stat().st_size
    assert second.read_bytes().startswith(dossier.read_bytes()), "the peer must append an incremental update"
    status, indication, sigs = _verify(second, at)
    first = sigs[0]
    assert first["field_name"] == FIRST
    # The point of this test: adding a signature is FORM_FILLING (not OTHER) for the earlier signature.
    assert first["modification_level"] == "FORM_FILLING", first.get("modifications")
    assert "MODIFIED_AFTER_SIGNING" not in codes(first)
    assert first["indication"] == "TOTAL_PASSED", sh.summary(first)
    # The peer's own signature is intact (its CMS may carry peer-specific findings).
    assert len(sigs) == 2, [sh.summary(s) for s in sigs]
    added = sigs[1]
    if peer == "pdfsig":
        # pdfsig does not list its field in a direct /AcroForm /Fields; only the page's /Annots has it.
        assert added["found_via"] == "page-annots"
        assert "SIGNATURE_FIELD_NOT_IN_ACROFORM" in codes(added)
    assert added["coverage"] == "ENTIRE_FILE"
    assert added["sub_indication"] not in ("HASH_FAILURE", "SIG_CRYPTO_FAILURE"), sh.summary(added)


@pytest.mark.parametrize("permission, allowed", [(2, True), (1, False)])
def test_docmdp_with_pdfsig_as_second_signer(permission, allowed, tmp_path, nss_db):
    """A certification signature by libsign, then pdfsig adds an approval: P=2 allows signing, P=1 does not."""
    at = _now_or_skip()
    dossier = _dossier(tmp_path, "--certify", str(permission), signing_time=None)
    second, at = add_with_pdfsig(tmp_path, dossier, nss_db)
    status, indication, sigs = _verify(second, at)
    first = sigs[0]
    assert first["kind"] == "certification" and first["docmdp_permission"] == permission
    assert first["modification_level"] == "FORM_FILLING"
    if allowed:
        assert first["indication"] == "TOTAL_PASSED", sh.summary(first)
        assert "DOCMDP_VIOLATION" not in codes(first)
    else:
        assert first["indication"] != "TOTAL_PASSED"
        assert "DOCMDP_VIOLATION" in codes(first)
