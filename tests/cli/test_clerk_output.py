"""What a commune clerk reads (issue 16 parts 1 and 2): a change no signature allows fails the signature
with exit 1 and says where, in words; findings come errors first; `--lang vi` leaves nothing in English
(catalog messages, labels, enum values, input errors) and shows Vietnam time; hints follow the options."""
import csv
import json
import re

import pytest

from conftest import (AT, OFFLINE, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SIGNING_TIME, SOURCE_DIR, TEST_GOV, codes,
                      run_cli, verify_json)

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def first_sig(report):
    return report["document"]["signatures"][0]


def test_content_changed_after_signing_fails_and_says_where(fixtures):
    status, report = verify_json(fixtures / "then-content-change.pdf", *TEST_GOV)
    sig = first_sig(report)
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert report["document"]["indication"] == "TOTAL_FAILED"
    assert status == 1
    other = [o for m in sig["modifications"] for o in m["objects"] if o["level"] == "OTHER"]
    assert other and all(re.fullmatch(r"\d+ \d+ R", o["object"]) for o in other)
    assert {"kind": "page_content", "page": 1} in [{"kind": o["kind"], "page": o["page"]} for o in other]
    (finding,) = [f for f in sig["findings"] if f["code"] == "MODIFIED_AFTER_SIGNING"]
    assert re.search(r"\d+ \d+ R", finding["evidence"]["objects"])  # object numbers stay in the JSON evidence
    assert "page 1: page_content" in finding["evidence"]["changes"]


@pytest.mark.parametrize("lang, headline", [("en", "Document changed after signing"),
                                            ("vi", "Tài liệu đã bị sửa sau khi ký")])
def test_text_headline_and_words_instead_of_object_numbers(fixtures, lang, headline):
    proc = run_cli("verify", fixtures / "then-content-change.pdf", "--lang", lang, *TEST_GOV)
    assert proc.returncode == 1, proc.stderr
    verdict_line = proc.stdout.splitlines()[1]
    assert headline in verdict_line and "TOTAL_FAILED / FORMAT_FAILURE" in verdict_line
    assert not re.search(r"\b\d+ 0 R\b", proc.stdout), "object numbers belong to the JSON, not to the clerk's text"
    assert re.search(r"(page|trang) 1: ", proc.stdout)


def test_docmdp_violation_fails_with_exit_1(fixtures):
    status, report = verify_json(fixtures / "certified-p1-then-fill.pdf", *TEST_GOV)
    sig = first_sig(report)
    assert "DOCMDP_VIOLATION" in codes(sig)
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert status == 1


def test_allowed_changes_still_pass(fixtures):
    status, report = verify_json(fixtures / "then-annotation.pdf", *TEST_GOV)
    assert first_sig(report)["indication"] == "TOTAL_PASSED" and status == 0


def test_findings_come_errors_first_in_json_and_text(fixtures):
    # Offline with revocation optional: a warning (REVOCATION_NOT_CHECKED) is found before the change error.
    _, report = verify_json(fixtures / "then-content-change.pdf", *TEST_GOV)
    severities = [f["severity"] for f in first_sig(report)["findings"]]
    assert "error" in severities and "warning" in severities
    assert severities == sorted(severities, key=SEVERITY_RANK.get)
    text = run_cli("verify", fixtures / "then-content-change.pdf", *TEST_GOV).stdout
    labels = re.findall(r"^  \[(error|warning|info)\]", text, re.M)
    assert labels == sorted(labels, key=SEVERITY_RANK.get) and labels[0] == "error"


def load_cases():
    lines = [l for l in (SOURCE_DIR / "certs-test/CASES.tsv").read_text(encoding="utf-8").splitlines()
             if l and not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def trust_options(profile):
    if profile == "root-only":
        return ["--trust-profile", "none", "--trust", str(PKI_DIR / "gov-root.pem"), *OFFLINE]
    return ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", profile, *OFFLINE]


def damaged_inputs(tmp_path, fixtures):
    """Files that are input errors (exit 3), so their messages are checked too."""
    signed = (fixtures / "official.pdf").read_bytes()
    made = {"truncated.pdf": signed[: len(signed) // 2], "empty.pdf": b"", "note.pdf": b"just text\n"}
    for name, data in made.items():
        (tmp_path / name).write_bytes(data)
    return [tmp_path / name for name in made]


def other_formats(tmp_path):
    """A signed XML e-form and CMS signatures (.p7s, .p7m), intact and altered, so their codes are checked too."""
    import xml_forms
    p12 = ["--p12", str(PKI_DIR / "gov-official.p12"), "--password-file", str(P12_PASSWORD_FILE),
           "--signing-time", SIGNING_TIME]
    form = tmp_path / "form.xml"
    form.write_bytes(xml_forms.einvoice())
    attachment = tmp_path / "ban-ve.dwg"
    attachment.write_bytes(bytes(range(256)) * 8)
    made = [tmp_path / "signed.xml", attachment.with_name("ban-ve.dwg.p7s"), tmp_path / "ban-ve.p7m"]
    for args in ([form, "-o", made[0]], [attachment], [attachment, "--enveloping", "-o", made[2]]):
        proc = run_cli("sign", *args, *p12)
        assert proc.returncode == 0, proc.stderr
    altered_xml = tmp_path / "altered.xml"
    altered_xml.write_bytes(made[0].read_bytes().replace(b"</HDon>", b"<!-- x --></HDon>").replace(b"1", b"2", 1))
    altered = tmp_path / "altered.dwg"
    altered.write_bytes(attachment.read_bytes()[:-1] + b"\x01")
    altered_sig = tmp_path / "altered.dwg.p7s"
    altered_sig.write_bytes(made[1].read_bytes())
    return [*made, altered_xml, altered_sig]


def runs(fixtures, tmp_path):
    """(files, options) for every fixture and every certs-test case (its own trust and time)."""
    every = sorted(fixtures.glob("*.pdf")) + damaged_inputs(tmp_path, fixtures) + other_formats(tmp_path)
    out = [(every, TEST_GOV)]
    groups = {}
    for case in load_cases():
        groups.setdefault((case["profile"], case["at"]), []).append(fixtures / f"{case['case']}.pdf")
    for (profile, at), files in groups.items():
        out.append((files, [*trust_options(profile), "--at", at]))
    return out


def texts_of(items):
    """Every catalog text of the findings and errors in a libsign-report/1 output (one report or a list)."""
    out = []
    def walk(node):
        if isinstance(node, dict):
            if "message" in node and isinstance(node["message"], dict):
                out.append((node["message"]["en"], node["message"]["vi"]))
                if isinstance(node.get("hint"), dict):
                    out.append((node["hint"]["en"], node["hint"]["vi"]))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(items)
    return out


def test_vietnamese_output_has_no_untranslated_catalog_text(fixtures, tmp_path):
    """Every code the fixtures and cases produce (findings and input errors): its English message and hint
    never appear in the `--lang vi` text or error output; labels, enum values and severities are Vietnamese."""
    checked = set()
    for files, options in runs(fixtures, tmp_path):
        as_json = run_cli("verify", *files, "--format", "json", *options, timeout=600)
        reports = json.loads(as_json.stdout)
        vi = run_cli("verify", *files, "--lang", "vi", *options, timeout=600)
        output = vi.stdout + vi.stderr
        for en, vi_text in texts_of(reports):
            if en and en != vi_text:
                assert en not in output, en
                checked.add(en)
        assert not re.search(r"^\s*\[(error|warning|info)\]", output, re.M)
        assert not re.search(r"(Phạm vi|Thay đổi sau khi ký): [A-Z_]{3,}", output)
        assert "What to do" not in output and "error [" not in output
        assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", output), "times in Vietnam time, not UTC"
    assert len(checked) > 30, "the fixtures should produce many different codes"


def test_vietnamese_times_are_vietnam_time_and_json_stays_utc(fixtures):
    _, report = verify_json(fixtures / "official.pdf", *TEST_GOV)
    claimed = first_sig(report)["signing_time"]
    assert claimed.endswith("Z")
    hour = int(claimed[11:13])
    text = run_cli("verify", fixtures / "official.pdf", "--lang", "vi", *TEST_GOV).stdout
    shown = re.search(r"Thời điểm ký \(khai báo\): (\d\d)/(\d\d)/(\d{4}) (\d\d):(\d\d):(\d\d) \(UTC\+07:00\)", text)
    assert shown, text
    assert int(shown.group(4)) == (hour + 7) % 24
    assert claimed not in text
    assert claimed in run_cli("verify", fixtures / "official.pdf", "--lang", "en", *TEST_GOV).stdout


def test_json_error_object_has_message_and_hint_in_both_languages(tmp_path):
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj << >> endobj\n")
    proc = run_cli("verify", bad, "--format", "json", *TEST_GOV)
    assert proc.returncode == 3
    error = json.loads(proc.stdout)["error"]
    assert error["code"] and error["category"] and error["detail"]
    assert error["message"]["en"] and error["message"]["vi"] and error["message"]["en"] != error["message"]["vi"]
    assert error["hint"]["en"] and error["hint"]["vi"]
    vi = run_cli("verify", bad, "--lang", "vi", *TEST_GOV)
    assert vi.returncode == 3
    assert error["message"]["vi"] in vi.stderr and error["hint"]["vi"] in vi.stderr
    assert error["detail"] in vi.stderr  # the English detail is kept as evidence


def revocation_hint(report):
    hints = [f["hint"]["en"] for f in first_sig(report)["findings"] if f["code"] == "REVOCATION_NOT_CHECKED"]
    assert hints
    return hints[0]


def test_drop_offline_hint_only_when_offline_was_given(fixtures):
    _, offline = verify_json(fixtures / "official.pdf", *TEST_GOV)
    assert "--offline" in revocation_hint(offline)
    # Online, but the only allowed host is a documentation address no URL names: nothing is fetched (not
    # even from a test OCSP server another run may have on 127.0.0.1) and no status is found.
    online = ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov", "--at", AT,
              "--allow-host", "192.0.2.1", "--revocation", "optional", "--revocation-deadline", "5"]
    _, report = verify_json(fixtures / "official.pdf", *online)
    assert "--offline" not in revocation_hint(report)


def test_readme_first_screen_verifies_the_bundled_example_in_one_line():
    """README part 9: the first code block's third line verifies examples/dossier-signed.pdf as written."""
    block = (SOURCE_DIR / "README.md").read_text(encoding="utf-8").split("```sh\n", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    assert lines[0].startswith("./scripts/demo.sh") and lines[1].startswith("./scripts/test.sh")
    words = lines[2].split("#", 1)[0].split()
    assert words[:3] == ["build/libsign", "verify", "examples/dossier-signed.pdf"]
    proc = run_cli(*words[1:2], SOURCE_DIR / words[2], *[SOURCE_DIR / w if w.startswith("certs-test") else w
                                                          for w in words[3:]])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "HỢP LỆ (TOTAL_PASSED)" in proc.stdout
