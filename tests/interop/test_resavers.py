"""Re-processing after signing (issue 15): files signed by libsign and by pdfsig, rewritten by real
re-savers (qpdf, qpdf --linearize, qpdf --object-streams=generate, Ghostscript pdfwrite), are reported
as DAMAGE_REWRITTEN with the tool they name; an incremental change after signing is not.

pdfsig writes the current time as its signing time: its files are validated at "now" (skipped outside
the validity of the certs-test leaves)."""
import shutil
import subprocess

import pytest

from conftest import AT, codes, verify_json
from sign_helpers import gov_options, make_nss_db, nss_unavailable, now_utc, pdfsig_add_signature, sign_ok

import pdfgen

QPDF_REWRITES = {
    "qpdf": [],
    "qpdf-linearize": ["--linearize"],
    "qpdf-object-streams": ["--object-streams=generate"],
}


def run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def rewrite(tool, src, dst):
    if tool == "ghostscript":
        proc = run("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", f"-sOutputFile={dst}", src)
    else:
        proc = run("qpdf", *QPDF_REWRITES[tool], src, dst)
    assert proc.returncode in (0, 3), proc.stderr  # qpdf: 3 = warnings
    return dst


def document_codes(report):
    return {f["code"] for f in report["document"]["findings"]}


def damage(report, code):
    return next((f for f in report["document"]["findings"] if f["code"] == code), None)


@pytest.fixture(scope="module")
def libsign_signed(fixtures, tmp_path_factory):
    folder = tmp_path_factory.mktemp("resave-libsign")
    return sign_ok(fixtures / "unsigned.pdf", folder / "signed.pdf")


@pytest.fixture(scope="module")
def pdfsig_signed(tmp_path_factory):
    missing = nss_unavailable()
    if missing:
        pytest.skip(missing)
    folder = tmp_path_factory.mktemp("resave-pdfsig")
    db = make_nss_db(folder)
    base = folder / "base.pdf"
    base.write_bytes(pdfgen.base_pdf())
    signed = folder / "signed.pdf"
    pdfsig_add_signature(db, base, signed, "gov-official", "Official")
    return signed


needs_qpdf = pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is needed")


@needs_qpdf
@pytest.mark.parametrize("tool", sorted(QPDF_REWRITES))
@pytest.mark.parametrize("signer", ["libsign", "pdfsig"])
def test_qpdf_rewrite_is_reported_with_its_tool(request, tool, signer, tmp_path):
    signed = request.getfixturevalue(f"{signer}_signed")
    at = AT if signer == "libsign" else now_utc()
    if at is None:
        pytest.skip("today is outside the validity of the certs-test leaves")
    status, before = verify_json(signed, *gov_options(at))
    assert before["document"]["indication"] == "TOTAL_PASSED"
    assert not any(c.startswith("DAMAGE_") for c in document_codes(before))

    status, report = verify_json(rewrite(tool, signed, tmp_path / "rewritten.pdf"), *gov_options(at))
    doc = report["document"]
    assert doc["indication"] == "TOTAL_FAILED"  # the damage explains the failure, it does not excuse it
    assert status == 1
    found = damage(report, "DAMAGE_REWRITTEN")
    assert found is not None, document_codes(report)
    ev = found["evidence"]
    assert ev["class"] == "rewritten" and ev["reversible"] == "false"
    assert ev["tool"] == "qpdf"  # qpdf keeps /Producer; its header comment names it
    assert ev["revisions"] == "1"
    if tool == "qpdf-linearize":
        assert ev["linearized"] == "true"
    if tool == "qpdf-object-streams":
        assert ev["object_streams"] == "true"
    # Only one damage class: a rewrite is not also called transport damage.
    assert [c for c in document_codes(report) if c.startswith("DAMAGE_")] == ["DAMAGE_REWRITTEN"]


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript (gs) is needed")
def test_ghostscript_drops_the_signature(libsign_signed, tmp_path):
    """pdfwrite does not keep signature fields: the output has no signature at all, which verify
    reports as such (no DAMAGE_ claim without a signature to compare)."""
    status, report = verify_json(rewrite("ghostscript", libsign_signed, tmp_path / "gs.pdf"), *gov_options(AT))
    assert report["document"]["signatures"] == []
    assert "NO_SIGNATURE_FOUND" in document_codes(report)


@needs_qpdf
def test_incremental_changes_after_signing_are_not_rewrites(fixtures):
    for name in ("then-annotation.pdf", "approval-then-fill.pdf", "then-content-change.pdf", "two-signatures.pdf",
                 "tampered.pdf", "then-dss.pdf"):
        status, report = verify_json(fixtures / name, *gov_options(AT))
        assert "DAMAGE_REWRITTEN" not in document_codes(report), name


@needs_qpdf
def test_qpdf_rewrite_of_an_incrementally_changed_file_is_still_a_rewrite(fixtures, tmp_path):
    status, report = verify_json(rewrite("qpdf", fixtures / "then-annotation.pdf", tmp_path / "r.pdf"),
                                 *gov_options(AT))
    assert "DAMAGE_REWRITTEN" in document_codes(report)
    assert all(s["indication"] != "TOTAL_PASSED" for s in report["document"]["signatures"])
