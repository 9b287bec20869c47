"""Whole-document situations through the CLI: modifications after signing, several signatures,
document timestamps, unsigned files, and bad input (exit 3, never a crash)."""
import json
import os
import subprocess

import pytest

from conftest import OFFLINE, TEST_GOV, codes, run_cli, verify_json


def first_sig(report):
    return report["document"]["signatures"][0]


@pytest.mark.parametrize("name, level", [
    ("approval-then-fill.pdf", "FORM_FILLING"),
    ("certified-p2-then-fill.pdf", "FORM_FILLING"),
    ("then-annotation.pdf", "ANNOTATIONS"),
    ("then-dss.pdf", "LTV_UPDATES"),
])
def test_allowed_changes_after_signing_are_classified(fixtures, name, level):
    status, report = verify_json(fixtures / name, *TEST_GOV)
    sig = first_sig(report)
    assert sig["coverage"] == "ENTIRE_REVISION"
    assert sig["modification_level"] == level
    assert sig["indication"] == "TOTAL_PASSED"
    assert "MODIFIED_AFTER_SIGNING" not in codes(sig)
    assert "BYTERANGE_NOT_WHOLE_FILE" in codes(sig)
    assert status == 0


def test_content_change_after_signing_is_never_passed(fixtures):
    status, report = verify_json(fixtures / "then-content-change.pdf", *TEST_GOV)
    sig = first_sig(report)
    assert sig["modification_level"] == "OTHER"
    assert sig["indication"] == "TOTAL_FAILED"
    assert sig["sub_indication"] == "FORMAT_FAILURE"
    assert "MODIFIED_AFTER_SIGNING" in codes(sig)
    other = [o for m in sig["modifications"] for o in m["objects"] if o["level"] == "OTHER"]
    assert other, "the changed objects must be named"
    assert status == 1


def test_form_filling_violates_certification_p1(fixtures):
    status, report = verify_json(fixtures / "certified-p1-then-fill.pdf", *TEST_GOV)
    sig = first_sig(report)
    assert sig["kind"] == "certification"
    assert sig["docmdp_permission"] == 1
    assert "DOCMDP_VIOLATION" in codes(sig)
    assert sig["indication"] == "TOTAL_FAILED"
    assert sig["sub_indication"] == "FORMAT_FAILURE"
    assert status == 1


def test_two_signatures_both_pass(fixtures):
    status, report = verify_json(fixtures / "two-signatures.pdf", *TEST_GOV)
    sigs = report["document"]["signatures"]
    assert [s["indication"] for s in sigs] == ["TOTAL_PASSED", "TOTAL_PASSED"]
    assert sigs[0]["modification_level"] == "FORM_FILLING"
    assert sigs[1]["coverage"] == "ENTIRE_FILE"
    assert sigs[0]["signer"]["identifiers"]["CCCD"] == "001085012345"
    assert sigs[1]["signer"]["identifiers"]["MST"] == "0100686209-199"
    assert report["document"]["revisions"] == 3
    assert status == 0


def test_document_timestamp_is_verified(fixtures):
    status, report = verify_json(fixtures / "doc-timestamp.pdf", *TEST_GOV)
    sigs = report["document"]["signatures"]
    assert [s["kind"] for s in sigs] == ["approval", "document-timestamp"]
    assert sigs[1]["indication"] == "TOTAL_PASSED"
    assert sigs[1]["timestamp"]["valid"] is True
    assert sigs[0]["modification_level"] == "LTV_UPDATES"
    assert status == 0


def test_flipped_byte_is_hash_failure(fixtures):
    status, report = verify_json(fixtures / "tampered.pdf", *TEST_GOV)
    sig = first_sig(report)
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "HASH_FAILURE")
    assert "DIGEST_MISMATCH" in codes(sig)
    assert status == 1


def test_bytes_appended_after_signing_are_not_a_revision(fixtures):
    status, report = verify_json(fixtures / "garbage-after.pdf", *TEST_GOV)
    sig = first_sig(report)
    assert sig["coverage"] == "ENTIRE_REVISION"
    assert "UNSIGNED_DATA_AFTER_LAST_REVISION" in codes(sig)
    assert sig["indication"] == "INDETERMINATE"
    assert status == 2


def test_unsigned_pdf_is_reported_never_passed(fixtures):
    status, report = verify_json(fixtures / "unsigned.pdf", *TEST_GOV)
    doc = report["document"]
    assert doc["signatures"] == []
    assert doc["indication"] == "INDETERMINATE"
    assert "NO_SIGNATURE_FOUND" in {f["code"] for f in doc["findings"]}
    assert status == 2


def test_empty_signature_field_is_reported(fixtures):
    status, report = verify_json(fixtures / "empty-field.pdf", *TEST_GOV)
    found = {f["code"] for f in report["document"]["findings"]}
    assert {"SIGNATURE_FIELD_EMPTY", "NO_SIGNATURE_FOUND"} <= found
    assert status == 2


def bad_inputs(fixtures, tmp_path):
    official = (fixtures / "official.pdf").read_bytes()
    cases = {
        "empty.pdf": b"",
        "not-a-pdf.pdf": "Đây không phải PDF\n".encode() * 50,
        "truncated.pdf": official[: len(official) // 2],
        "garbage.pdf": os.urandom(4096),
        "header-only.pdf": b"%PDF-1.7\n",
    }
    paths = {}
    for name, data in cases.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    # A really encrypted PDF that needs a password to open (qpdf is a dependency of the test suite).
    subprocess.run(["qpdf", "--encrypt", "user-test", "owner-test", "256", "--", str(fixtures / "unsigned.pdf"),
                    str(tmp_path / "encrypted.pdf")], check=True)
    paths["encrypted.pdf"] = tmp_path / "encrypted.pdf"
    return paths


def test_signed_pdf_cut_in_half_is_reported_as_transport_damage(fixtures, tmp_path):
    """Not an error any more (docs/damage.md): a report that says the end is missing, signatures not intact."""
    path = bad_inputs(fixtures, tmp_path)["truncated.pdf"]
    proc = run_cli("verify", path, "--format", "json", *TEST_GOV, timeout=20)
    doc = json.loads(proc.stdout)["document"]
    assert proc.returncode == 2 and doc["sub_indication"] == "FORMAT_FAILURE"
    damage = next(f for f in doc["findings"] if f["code"] == "DAMAGE_TRUNCATED")
    assert damage["evidence"]["signed_part_intact"] == "false"


@pytest.mark.parametrize("name, code", [
    ("empty.pdf", "INPUT_EMPTY"),
    ("not-a-pdf.pdf", "INPUT_NOT_PDF"),
    ("garbage.pdf", "INPUT_NOT_PDF"),
    ("header-only.pdf", "INPUT_TRUNCATED"),
    ("encrypted.pdf", "PDF_ENCRYPTED"),
])
def test_bad_input_exits_3_with_a_clear_message(fixtures, tmp_path, name, code):
    path = bad_inputs(fixtures, tmp_path)[name]
    before = path.read_bytes()
    proc = run_cli("verify", path, *TEST_GOV, timeout=20)
    assert proc.returncode == 3, proc.stderr
    assert "error [" in proc.stderr
    if code:
        assert f"[{code}]" in proc.stderr
    assert path.read_bytes() == before  # the input is never changed
    # JSON mode says the same in a machine-readable way.
    proc = run_cli("verify", path, *TEST_GOV, "--format", "json", timeout=20)
    assert proc.returncode == 3
    error = json.loads(proc.stdout)["error"]
    assert error["category"] == "format" or error["category"] == "io"
    if code:
        assert error["code"] == code


def test_several_files_exit_with_the_worst_status(fixtures):
    proc = run_cli("verify", fixtures / "official.pdf", fixtures / "tampered.pdf", *TEST_GOV)
    assert proc.returncode == 1
    proc = run_cli("verify", fixtures / "official.pdf", fixtures / "expired.pdf", *TEST_GOV)
    assert proc.returncode == 2


def test_missing_file_and_bad_options_are_usage_errors(fixtures):
    assert run_cli("verify", "/nonexistent/x.pdf").returncode == 3
    assert run_cli("verify", fixtures / "official.pdf", "--trust-profile", "no-such-profile").returncode == 3
    assert run_cli("verify", fixtures / "official.pdf", "--at", "yesterday").returncode == 3
    assert run_cli("verify", fixtures / "official.pdf", "--format", "xml").returncode == 3
    assert run_cli("frobnicate").returncode == 3


def test_builtin_profiles_do_not_trust_the_test_pki(fixtures):
    for profile in ["vn-gov", "vn-public", "vn-all"]:
        status, report = verify_json(fixtures / "official.pdf", "--trust-profile", profile, "--at", "2026-07-01T00:00:00Z", *OFFLINE)
        sig = first_sig(report)
        assert sig["sub_indication"] == "NO_CERTIFICATE_CHAIN_FOUND"
        assert status == 2


def test_text_output_in_vietnamese(fixtures):
    proc = run_cli("verify", fixtures / "tampered.pdf", *TEST_GOV, "--lang", "vi")
    assert proc.returncode == 1
    assert "KHÔNG HỢP LỆ" in proc.stdout and "DIGEST_MISMATCH" in proc.stdout


def test_inspect_shows_structure(fixtures):
    proc = run_cli("inspect", fixtures / "two-signatures.pdf", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert len(info["revisions"]) == 3
    assert [s["subfilter"] for s in info["signatures"]] == ["ETSI.CAdES.detached"] * 2
    first = info["signatures"][0]
    assert first["byte_range"][0] == 0 and len(first["byte_range"]) == 4
    assert first["cms"]["signed_attributes"]["signing_certificate"] == "v2"
    assert run_cli("inspect", fixtures / "official.pdf").returncode == 0


def test_inspect_summarises_the_last_revision(fixtures):
    proc = run_cli("inspect", fixtures / "two-signatures.pdf", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    last = json.loads(proc.stdout)["last_revision"]
    assert last["index"] == 2 and last["pages"] == 1 and last["pages_error"] is None
    assert last["producer"] == "libsign test fixtures"
    numbers = last["objects"]["numbers"]
    assert numbers == sorted(set(numbers)) and last["objects"]["count"] == len(numbers) > 0
    assert last["objects"]["unreadable"] == []
    # The text output gives the count, not thousands of numbers.
    text = run_cli("inspect", fixtures / "two-signatures.pdf").stdout
    assert "count: %d" % len(numbers) in text and "numbers" not in text
    assert json.loads(proc.stdout)["repairs"] == []


def test_inspect_lists_what_the_reader_repaired(fixtures, tmp_path):
    data = (fixtures / "unsigned.pdf").read_bytes()
    at = data.rindex(b"startxref")
    value = data[at:].split()[1]
    broken = tmp_path / "startxref-past-the-end.pdf"
    broken.write_bytes(data[:at] + data[at:].replace(value, str(len(data) * 10).encode(), 1))
    proc = run_cli("inspect", broken, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["reconstructed"] is True
    assert {r["kind"] for r in info["repairs"]} >= {"startxref", "reconstructed"}
    assert all(r["revision"] == 0 for r in info["repairs"])
    assert info["last_revision"]["pages"] == 1


def test_explain_prints_both_languages():
    proc = run_cli("explain", "CHAIN_INCOMPLETE")
    assert proc.returncode == 0
    assert "CHAIN_INCOMPLETE" in proc.stdout and "Cần làm" in proc.stdout
    assert run_cli("explain", "NOT_A_CODE").returncode == 3


def test_help_documents_every_verify_option():
    text = run_cli("verify", "--help").stdout
    for option in ["--trust-profile", "--profiles-dir", "--trust", "--at", "--format", "--lang", "Exit status"]:
        assert option in text
