"""The Python module: libsign.verify_pdf and libsign.Verifier, typed reports, exceptions."""
import datetime as dt
import json
import threading

import pytest

import libsign
from conftest import AT, PKI_DIR, PROFILES_DIR

# Revocation optional, said explicitly: the default requires a status (docs/revocation.md).
OPTIONS = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT, revocation={"required": False})


def test_verify_path_gives_typed_report(fixtures):
    report = libsign.verify_pdf(fixtures / "official.pdf", **OPTIONS)
    assert isinstance(report, libsign.DocumentReport)
    assert report.indication == "TOTAL_PASSED"
    assert report.sub_indication is None
    sig = report.signatures[0]
    assert sig.kind == "approval"
    assert sig.signer.common_name == "Nguyễn Văn An"
    assert sig.signer.identifiers == {"CCCD": "001085012345"}
    assert sig.chain[-1].trust_profile == "test-gov"
    assert sig.coverage == "ENTIRE_FILE"
    assert "REVOCATION_NOT_CHECKED" in sig.finding_codes
    assert {c.step: c.status for c in sig.checks}["signature_value"] == "passed"
    assert report.validation_time == AT


def test_verify_bytes_equals_verify_path(fixtures):
    data = (fixtures / "tampered.pdf").read_bytes()
    from_bytes = libsign.verify_pdf(data, **OPTIONS)
    from_path = libsign.verify_pdf(str(fixtures / "tampered.pdf"), **OPTIONS)
    assert from_bytes.indication == from_path.indication == "TOTAL_FAILED"
    assert from_bytes.sub_indication == "HASH_FAILURE"
    assert from_bytes.has_finding("DIGEST_MISMATCH")
    assert from_bytes.sha256 == from_path.sha256


def test_to_json_is_the_versioned_schema(fixtures):
    report = libsign.verify_pdf(fixtures / "wrong-pki.pdf", **OPTIONS)
    doc = json.loads(report.to_json())
    assert doc["schema"] == "libsign-report/1"
    sig = doc["document"]["signatures"][0]
    assert sig["sub_indication"] == "NO_CERTIFICATE_CHAIN_FOUND"
    assert "TRUST_ANCHOR_WRONG_PKI" in {f["code"] for f in sig["findings"]}
    assert "CẦN" not in report.to_text("en") and "Kết luận" in report.to_text("vi")


def test_aware_datetime_is_accepted_and_naive_refused(fixtures):
    at = dt.datetime(2026, 7, 1, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    report = libsign.verify_pdf(fixtures / "official.pdf", trust_profile="test-gov", profiles_dir=PROFILES_DIR, at=at)
    assert report.validation_time == "2026-07-01T00:00:00Z"
    with pytest.raises(libsign.UsageError):
        libsign.verify_pdf(fixtures / "official.pdf", at=dt.datetime(2026, 7, 1))


def test_user_anchor_file(fixtures):
    report = libsign.verify_pdf(fixtures / "official.pdf", trust_profile="none", trust=[PKI_DIR / "gov-chain.pem"], at=AT,
                                revocation={"required": False})
    assert report.indication == "TOTAL_PASSED"
    assert report.signatures[0].chain[-1].trust_profile == "user"


@pytest.mark.parametrize("data, error, code", [
    (b"", libsign.FormatError, "INPUT_EMPTY"),
    (b"hello world" * 100, libsign.FormatError, "INPUT_NOT_PDF"),
    (b"%PDF-1.7\n1 0 obj\n<<", libsign.FormatError, "INPUT_TRUNCATED"),
])
def test_errors_map_to_exception_classes(data, error, code):
    with pytest.raises(error) as info:
        libsign.verify_pdf(data, **OPTIONS)
    assert info.value.code == code
    assert info.value.category == "format"
    assert isinstance(info.value, libsign.Error)


def test_missing_file_and_unknown_profile():
    with pytest.raises(libsign.InputOutputError) as info:
        libsign.verify_pdf("/nonexistent.pdf", **OPTIONS)
    assert info.value.native_code != 0
    with pytest.raises(libsign.UsageError) as info:
        libsign.verify_pdf(b"%PDF", trust_profile="no-such")
    assert info.value.code == "TRUST_PROFILE_UNKNOWN"


def test_one_verifier_from_many_threads(fixtures):
    verifier = libsign.make_verifier(**OPTIONS)
    names = ["official.pdf", "tampered.pdf", "expired.pdf", "two-signatures.pdf"] * 10
    results = {}

    def work(i, name):
        results[i] = verifier.verify_pdf(fixtures / name).indication

    threads = [threading.Thread(target=work, args=(i, n)) for i, n in enumerate(names)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = {"official.pdf": "TOTAL_PASSED", "tampered.pdf": "TOTAL_FAILED", "expired.pdf": "INDETERMINATE",
                "two-signatures.pdf": "TOTAL_PASSED"}
    assert all(results[i] == expected[n] for i, n in enumerate(names))


def test_explain_and_catalog():
    entry = libsign.explain("CHAIN_INCOMPLETE")
    assert entry["code"] == "CHAIN_INCOMPLETE" and entry["hint_vi"]
    assert libsign.explain("NOPE") is None
    codes = libsign.finding_codes()
    assert len(codes) == len(set(codes)) and "DIGEST_MISMATCH" in codes


def _with_an_update_without_xref(data):
    """A signed dossier with an object appended and no xref for it, as a sloppy tool (or a cut transfer that
    still ends on a complete object) leaves it: the reader rebuilds the revisions by scanning."""
    return data + b"\n99 0 obj\n(appended without an xref)\nendobj\n"


def test_repairs_are_findings_in_python_as_in_the_cli(fixtures, tmp_path):
    damaged = _with_an_update_without_xref((fixtures / "official.pdf").read_bytes())
    report = libsign.verify_pdf(damaged, **OPTIONS)
    assert report.has_finding("PDF_REPAIRED")
    [repaired] = [f for f in report.findings if f.code == "PDF_REPAIRED"]
    assert repaired.severity == "warning"
    assert repaired.evidence["reconstructed"] == "yes"
    assert int(repaired.evidence["count"]) >= 1
    # A rebuild concerns every revision: the signature says so too. The appended object is a later revision
    # that changes nothing the signed revision shows.
    sig = report.signatures[0]
    assert "PDF_REPAIRED" in sig.finding_codes
    assert sig.coverage == "ENTIRE_REVISION"
    assert sig.modification_level == "NONE"
    # The same file through the command gives the same codes.
    path = tmp_path / "damaged.pdf"
    path.write_bytes(damaged)
    from conftest import verify_json
    status, cli = verify_json(path, "--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov", "--at", AT,
                              "--offline", "--revocation", "optional")
    assert status == (0 if report.indication == "TOTAL_PASSED" else 2)
    assert {f["code"] for f in cli["document"]["findings"]} == {f.code for f in report.findings}
    assert set(cli["document"]["signatures"][0]["findings"][i]["code"]
               for i in range(len(cli["document"]["signatures"][0]["findings"]))) == set(sig.finding_codes)


def test_a_revision_changing_many_objects_lists_the_worst_and_counts_the_rest(fixtures):
    """300 new objects, a changed page and the trailer's /Size after signing: 200 listed (the page first), 102 counted."""
    import hostile
    signed = (fixtures / "official.pdf").read_bytes()
    n = hostile.trailer_size(signed)
    page = hostile.first_page(signed)
    body = hostile.page_body(signed, page).replace(b"/MediaBox", b"/Rotate 90 /MediaBox", 1)
    updated = hostile.append_update(signed, {page: body, **{n + i: b"null" for i in range(300)}})
    report = libsign.verify_pdf(updated, **OPTIONS)
    (revision,) = report.signatures[0].modifications
    assert len(revision.objects) == 200 and revision.objects_omitted == 102
    assert revision.objects[0].level == "OTHER" and revision.objects[0].object == f"{page} 0 R"
    assert json.loads(report.to_json())["document"]["signatures"][0]["modifications"][0]["objects_omitted"] == 102
