"""The verdict for a change after signing through the Python module: the same as the command
(TOTAL_FAILED / FORMAT_FAILURE), the changed objects named by page and kind in the JSON, findings
errors first, and the Vietnamese text with its headline and Vietnam time."""
import json

import libsign
from conftest import AT, PROFILES_DIR

OPTIONS = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT)


def test_content_change_fails_in_python_as_in_the_cli(fixtures):
    report = libsign.verify_pdf(fixtures / "then-content-change.pdf", **OPTIONS)
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert report.indication == "TOTAL_FAILED"
    assert sig.has_finding("MODIFIED_AFTER_SIGNING")
    as_json = json.loads(report.to_json())["document"]["signatures"][0]
    places = {(o["kind"], o["page"]) for m in as_json["modifications"] for o in m["objects"] if o["level"] == "OTHER"}
    assert ("page_content", 1) in places
    severities = [f["severity"] for f in as_json["findings"]]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)


def test_docmdp_violation_fails(fixtures):
    report = libsign.verify_pdf(fixtures / "certified-p1-then-fill.pdf", **OPTIONS)
    assert report.signatures[0].has_finding("DOCMDP_VIOLATION")
    assert report.signatures[0].indication == "TOTAL_FAILED"


def test_vietnamese_text_names_the_change(fixtures):
    text = libsign.verify_pdf(fixtures / "then-content-change.pdf", **OPTIONS).to_text("vi")
    assert "Tài liệu đã bị sửa sau khi ký" in text and "trang 1:" in text
    assert "(UTC+07:00)" in text
