"""`libsign diagnose` end to end through the real CLI: an archive with a known mix of faults
(tests/tools/make_diagnose_corpus.py) gives exactly the counts of how its files were made."""
import calendar
import collections
import csv
import json
import os
import pathlib
import re
import signal
import subprocess
import time
import zipfile

import pytest

from conftest import AT, CLI, FIXTURES_DIR, ONLINE_LOCAL, PROFILES_DIR, run_cli
from servers import pki_stats, running_fixed_pki_server

import make_diagnose_corpus

COPIES = 3


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("diagnose")
    manifest = make_diagnose_corpus.write(str(out), COPIES)
    manifest["dir"] = out
    return manifest


def expected_counts(manifest):
    """The counts the corpus was made to have: per indication, per code, unreadable, unsigned."""
    kinds = manifest["kinds"]
    by_indication = collections.Counter()
    for k in kinds.values():
        by_indication[k["indication"]] += k["files"]
    by_code = {k["code"]: k["files"] for k in kinds.values() if k["code"]}
    return {
        "files": sum(k["files"] for k in kinds.values()),
        "by_indication": dict(by_indication),
        "by_code": by_code,
        "unreadable": sum(k["files"] for k in kinds.values() if k["indication"] == "ERROR"),
        "unsigned": kinds["unsigned"]["files"],
    }


def diagnose(corpus, *inputs, extra=(), stdin=None):
    out = corpus["dir"]
    report = out / ("report-%d.json" % time.monotonic_ns())
    proc = run_cli("diagnose", *inputs, *corpus["args"], "--json", report, *extra, stdin=stdin, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(report.read_text(encoding="utf-8"))


def without_run(report):
    return {k: v for k, v in report.items() if k != "run"}


def check_counts(report, expected):
    assert report["schema"] == "libsign-diagnose/1"
    assert report["complete"] is True
    assert report["totals"]["files"] == expected["files"]
    # One row per file: every made file has one signature or is a file-level row.
    assert report["totals"]["rows"] == expected["files"]
    assert report["totals"]["files_unreadable"] == expected["unreadable"]
    assert report["totals"]["files_without_signature"] == expected["unsigned"]
    assert report["by_indication"] == expected["by_indication"]
    for code, files in expected["by_code"].items():
        assert report["by_code"][code]["files"] == files, code
        assert report["by_code"][code]["rows"] == files, code


def test_folder_counts_breakdowns_and_ranking(corpus):
    report = diagnose(corpus, corpus["dir"] / "archive")
    expected = expected_counts(corpus)
    check_counts(report, expected)

    # Folders: the generator spreads files round-robin over portal/commune folders.
    on_disk = collections.Counter()
    for root, _, files in os.walk(corpus["dir"] / "archive"):
        on_disk[os.path.relpath(root, corpus["dir"] / "archive")] += len(files)
    folders = report["breakdowns"]["folder"]
    assert {f: b["rows"] for f, b in folders.items()} == dict(c for c in on_disk.items() if c[1])
    portals = report["breakdowns"]["portal"]
    assert set(portals) == set(make_diagnose_corpus.PORTALS)
    assert sum(b["rows"] for b in portals.values()) == expected["files"]
    # PKI of the chain: the wrong-PKI signatures are attributed to the public PKI profile.
    assert report["breakdowns"]["pki"]["test-public"]["codes"]["TRUST_ANCHOR_WRONG_PKI"] == corpus["kinds"]["wrong-pki"]["files"]
    assert report["breakdowns"]["month"]["2026-06"]["rows"] == expected["files"] - expected["unreadable"] - expected["unsigned"]

    # Recurring causes: severity first (errors, warnings, warnings caused by the settings), then
    # rows, ties by code; each with a title, cause and fix in both languages.
    def group(r):
        return 2 if r["caused_by_settings"] else 0 if r["severity"] == "error" else 1
    ranked = [(group(r), -r["rows"], -r["files"], r["code"]) for r in report["recurring"]]
    assert ranked == sorted(ranked)
    for r in report["recurring"]:
        assert r["cause_vi"] and r["cause_en"] and r["message_vi"] and r["title_vi"] and r["title_en"], r["code"]
    assert report["recurring"][0]["severity"] == "error"
    # --offline: every signature lacks a revocation status; that warning comes from the settings, last.
    assert report["recurring"][-1]["code"] == "REVOCATION_NOT_CHECKED" and report["recurring"][-1]["caused_by_settings"]
    assert report["settings"] == {"trust_profile": "diag-gov", "trust_files": "", "revocation": "offline",
                                  "revocation_policy": "optional", "validation_time": make_diagnose_corpus.AT,
                                  "libsign_version": run_cli("--version").stdout.split()[-1]}
    codes = {r["code"] for r in report["recurring"]}
    assert set(expected["by_code"]) <= codes
    assert "TIMESTAMP_VALID" not in codes  # info, not a cause
    # Worst examples: bounded, with evidence.
    for code, examples in report["examples"].items():
        assert 1 <= len(examples) <= 5
    assert report["examples"]["CERT_EXPIRED_AT_SIGNING_TIME"][0]["evidence"]["not_after"]


def test_csv_has_one_row_per_signature_or_file(corpus):
    csv_path = corpus["dir"] / "rows.csv"
    diagnose(corpus, corpus["dir"] / "archive", extra=["--csv", csv_path])
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbfpath,")  # a BOM: Excel on Windows reads UTF-8
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8-sig")))
    expected = expected_counts(corpus)
    assert len(rows) == expected["files"]
    assert dict(collections.Counter(r["indication"] for r in rows)) == expected["by_indication"]
    for code, files in expected["by_code"].items():
        assert sum(code in r["codes"].split(";") for r in rows) == files, code
    errors = collections.Counter(r["error"] for r in rows if r["error"])
    assert errors == {k["code"]: k["files"] for k in corpus["kinds"].values() if k["indication"] == "ERROR"}
    # message_vi: the Vietnamese messages of the row's problem codes (errors first), the same for
    # the same codes; empty for a clean row.
    messages = collections.defaultdict(set)
    for r in rows:
        messages[r["codes"]].add(r["message_vi"])
    assert all(len(m) == 1 for m in messages.values())
    # A file that is not a PDF: the reader's message first (a DAMAGE_ code naming what it is may follow).
    not_pdf = [r["message_vi"] for r in rows if r["codes"].split(";")[0] == "INPUT_NOT_PDF"]
    assert all(m.startswith("Tệp không phải là tài liệu PDF.") for m in not_pdf)
    assert all(r["message_vi"] and not r["message_vi"].isascii() for r in rows if r["indication"] != "TOTAL_PASSED")
    assert all(not r["message_vi"] for r in rows if r["codes"] in ("", "TIMESTAMP_VALID"))
    assert all(r["arrival_month"] for r in rows)
    # The damage column names the classes of the row's DAMAGE_* findings (none here unless the build
    # has damage forensics: then the file cut in half is one).
    assert all(bool(r["damage"]) == any(c.startswith("DAMAGE_") for c in r["codes"].split(";")) for r in rows)


def test_zip_archive_glob_and_stdin_give_the_same_counts(corpus, tmp_path):
    expected = expected_counts(corpus)
    archive = tmp_path / "hoso.zip"
    base = corpus["dir"] / "archive"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for root, _, files in os.walk(base):
            for name in files:
                z.write(os.path.join(root, name), os.path.relpath(os.path.join(root, name), base))
    zipped = diagnose(corpus, archive)
    check_counts(zipped, expected)
    assert all(f.startswith("hoso.zip/") for f in zipped["breakdowns"]["folder"])

    globbed = diagnose(corpus, str(base) + "/*/*/*.pdf")
    check_counts(globbed, expected)
    listing = "".join(os.path.join(r, f) + "\n" for r, _, fs in os.walk(base) for f in fs)
    from_stdin = diagnose(corpus, "-", stdin=listing)
    check_counts(from_stdin, expected)
    assert without_run(from_stdin)["by_code"] == globbed["by_code"]


def test_bad_archives_become_rows_never_a_crash(corpus, tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 this is not a zip archive")
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.pdf", b"\0" * (50 << 20))  # 50 MB of zeros: ratio ~1000:1
    with zipfile.ZipFile(tmp_path / "locked.zip", "w", zipfile.ZIP_STORED) as z:
        z.writestr("x.pdf", b"%PDF")
    data = bytearray((tmp_path / "locked.zip").read_bytes())
    # Mark the member encrypted in its central header (general purpose flag bit 0).
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 1
    (tmp_path / "locked.zip").write_bytes(bytes(data))
    (tmp_path / "missing").mkdir()
    report = diagnose(corpus, tmp_path / "broken.zip", tmp_path / "bomb.zip", tmp_path / "locked.zip", tmp_path / "nope.pdf")
    assert report["totals"]["files_unreadable"] == 4
    assert {c: report["by_code"][c]["files"] for c in report["by_code"]} == {
        "ARCHIVE_INVALID": 1, "ARCHIVE_LIMIT_EXCEEDED": 1, "ARCHIVE_MEMBER_UNSUPPORTED": 1, "INPUT_UNREADABLE": 1}


def test_state_file_resumes_to_the_same_aggregate(corpus, tmp_path):
    state = tmp_path / "state.jsonl"
    first = diagnose(corpus, corpus["dir"] / "archive", extra=["--state", state])
    lines = state.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + first["totals"]["files"]  # a header, then one line per file
    # Drop a third of the lines, as if the run had stopped there: the rerun verifies only those.
    kept = lines[: 1 + (len(lines) - 1) * 2 // 3]
    state.write_text("\n".join(kept) + "\n", encoding="utf-8")
    second = diagnose(corpus, corpus["dir"] / "archive", extra=["--state", state])
    assert second["run"]["resumed_files"] == len(kept) - 1
    assert without_run(second) == without_run(first)
    third = diagnose(corpus, corpus["dir"] / "archive", extra=["--state", state])
    assert third["run"]["resumed_files"] == first["totals"]["files"]
    assert without_run(third) == without_run(first)
    # Other validation options: the state is not reused.
    other = run_cli("diagnose", corpus["dir"] / "archive", *corpus["args"][:4], "--at", "2026-07-02T00:00:00Z",
                    "--offline", "--revocation", "optional", "--state", state, "--json", tmp_path / "o.json", "-q")
    assert other.returncode == 0
    assert json.loads((tmp_path / "o.json").read_text())["run"]["resumed_files"] == 0


def test_sigint_leaves_an_incomplete_report_and_a_usable_state(corpus, tmp_path):
    big = tmp_path / "big"
    manifest = make_diagnose_corpus.write(str(big), 150)  # 1650 files
    state, report = tmp_path / "state.jsonl", tmp_path / "partial.json"
    proc = subprocess.Popen([str(CLI), "diagnose", str(big / "archive"), *manifest["args"], "--jobs", "1", "--state", str(state),
                             "--json", str(report), "--html", str(tmp_path / "partial.html"), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not state.exists() or len(state.read_bytes().splitlines()) < 20):
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run finished before the signal arrived")
    assert proc.returncode == 130
    partial = json.loads(report.read_text())
    assert partial["complete"] is False
    done = len(state.read_text().splitlines()) - 1
    assert 0 < partial["totals"]["files"] == done < 1650
    assert "CHƯA ĐẦY ĐỦ" in (tmp_path / "partial.html").read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.tmp.*"))  # outputs were renamed into place, no leftovers
    resumed = run_cli("diagnose", big / "archive", *manifest["args"], "--state", state, "--json", report, "-q", timeout=120)
    assert resumed.returncode == 0
    final = json.loads(report.read_text())
    assert final["complete"] is True and final["run"]["resumed_files"] == done
    expected = {k["indication"]: 0 for k in manifest["kinds"].values()}
    for k in manifest["kinds"].values():
        expected[k["indication"]] += k["files"]
    assert final["by_indication"] == expected


def test_html_report_is_self_contained_and_in_vietnamese(corpus, tmp_path):
    html = tmp_path / "r.html"
    diagnose(corpus, corpus["dir"] / "archive", extra=["--html", html])
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and 'lang="vi"' in text
    assert "<svg" in text and "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in text and "<link" not in text and "src=" not in text
    expected = expected_counts(corpus)
    assert 'data-key="files">%d<' % expected["files"] in text
    english = tmp_path / "en.html"
    diagnose(corpus, corpus["dir"] / "archive", extra=["--html", english, "--lang", "en"])
    assert 'lang="en"' in english.read_text(encoding="utf-8")


def test_usage_errors(corpus):
    assert run_cli("diagnose").returncode == 3
    assert run_cli("diagnose", corpus["dir"], "--lang", "fr").returncode == 3


def test_progress_bar_only_on_a_terminal(corpus):
    import pty
    master, slave = pty.openpty()
    proc = subprocess.run([str(CLI), "diagnose", str(corpus["dir"] / "archive"), *corpus["args"]],
                          stdout=subprocess.PIPE, stderr=slave, timeout=60)
    os.close(slave)
    shown = b""
    try:
        while True:
            chunk = os.read(master, 65536)
            if not chunk:
                break
            shown += chunk
    except OSError:
        pass
    os.close(master)
    assert proc.returncode == 0
    assert b"files/s" in shown and b"ETA" in shown
    piped = run_cli("diagnose", corpus["dir"] / "archive", *corpus["args"])
    assert piped.returncode == 0 and piped.stderr == ""
    assert "Đã kiểm tra" in piped.stdout  # the summary, in Vietnamese by default


def test_reports_in_the_diagnosed_folder_are_not_dossiers_and_bad_outputs_fail_first(corpus, tmp_path):
    folder = tmp_path / "hoso"
    folder.mkdir()
    (folder / "a.pdf").write_bytes((corpus["dir"] / "archive").rglob("*-valid.pdf").__next__().read_bytes())
    for _ in range(2):  # the second run finds the first run's outputs in the folder
        proc = run_cli("diagnose", folder, *corpus["args"], "--json", folder / "r.json", "--csv", folder / "r.csv",
                       "--html", folder / "r.html", "--state", folder / "s.jsonl", "-q")
        assert proc.returncode == 0, proc.stderr
        assert json.loads((folder / "r.json").read_text())["totals"]["files"] == 1
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.pdf").write_bytes((folder / "a.pdf").read_bytes())
    os.mkfifo(other / "pipe.pdf")
    report = diagnose(corpus, other / "pipe.pdf", other)
    # The FIFO given by name is an unreadable row (never opened: it would block); the walk skips it.
    assert report["totals"]["files"] == 2 and report["totals"]["files_unreadable"] == 1
    start = time.monotonic()
    proc = run_cli("diagnose", corpus["dir"] / "archive", *corpus["args"], "--json", tmp_path / "no/such/dir/r.json")
    assert proc.returncode == 3 and "OUTPUT_UNWRITABLE" in proc.stderr
    assert time.monotonic() - start < 10


def test_pdf_xml_and_cms_alike(tmp_path):
    """One archive holding a PDF, an XML e-form and an attachment with its .p7s: each is verified in
    its own format; the attachment itself is content, not an input."""
    import pdfgen
    from conftest import P12_PASSWORD_FILE, PKI_DIR, SIGNING_TIME, TEST_GOV
    key = ["--p12", PKI_DIR / "gov-official.p12", "--password-file", P12_PASSWORD_FILE, "--signing-time", SIGNING_TIME]
    folder = tmp_path / "dvc" / "xa-an-binh"
    folder.mkdir(parents=True)
    (tmp_path / "hoso.pdf").write_bytes(pdfgen.base_pdf())
    assert run_cli("sign", tmp_path / "hoso.pdf", "-o", folder / "hoso.pdf", *key).returncode == 0
    (tmp_path / "to-khai.xml").write_text('<?xml version="1.0"?><TKhai><DLTKhai Id="dl"><MST>0100686209</MST></DLTKhai></TKhai>')
    assert run_cli("sign", tmp_path / "to-khai.xml", "-o", folder / "to-khai.xml", "--xml-target", "dl", *key).returncode == 0
    (folder / "ban-ve.dwg").write_bytes(b"drawing" * 100)
    assert run_cli("sign", folder / "ban-ve.dwg", *key).returncode == 0
    report_path, csv_path = tmp_path / "r.json", tmp_path / "r.csv"
    proc = run_cli("diagnose", tmp_path / "dvc", *TEST_GOV, "--json", report_path, "--csv", csv_path, "-q")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(report_path.read_text())
    assert report["totals"]["files"] == 3 and report["by_indication"] == {"TOTAL_PASSED": 3}
    assert {k: v["rows"] for k, v in report["breakdowns"]["format"].items()} == {"pdf": 1, "xml": 1, "cms": 1}
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8-sig")))
    assert sorted((pathlib.Path(r["path"]).name, r["format"]) for r in rows) == [
        ("ban-ve.dwg.p7s", "cms"), ("hoso.pdf", "pdf"), ("to-khai.xml", "xml")]
    # The same inside a ZIP archive: the .p7s meets its content among the archive's members.
    archive = tmp_path / "dvc.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in sorted(folder.iterdir()):
            z.write(f, f"xa-an-binh/{f.name}")
    proc = run_cli("diagnose", archive, *TEST_GOV, "--json", report_path, "-q")
    assert proc.returncode == 0, proc.stderr
    zipped = json.loads(report_path.read_text())
    assert zipped["totals"]["files"] == 3 and zipped["by_indication"] == {"TOTAL_PASSED": 3}
    assert {k: v["rows"] for k, v in zipped["breakdowns"]["format"].items()} == {"pdf": 1, "xml": 1, "cms": 1}


def test_damage_is_counted_by_the_month_files_arrived(corpus, tmp_path):
    """Folders whose files arrived in different months (os.utime): the damage section counts the
    arrivals per folder and month of arrival (not of signing), the CSV gives each file's month."""
    base = tmp_path / "hoso"
    valid = next((corpus["dir"] / "archive").rglob("*-valid.pdf")).read_bytes()
    arrived = {"kenh-a": (2026, 2), "kenh-b": (2026, 3)}
    for folder, (year, month) in arrived.items():
        (base / folder).mkdir(parents=True)
        for i in range(3):
            path = base / folder / ("%d.pdf" % i)
            path.write_bytes(valid)
            stamp = calendar.timegm((year, month, 10 + i, 3, 0, 0))
            os.utime(path, (stamp, stamp))
    report = diagnose(corpus, base, extra=["--csv", tmp_path / "r.csv"])
    damage = report["damage"]
    assert damage["files"] == 6 and damage["damaged"] == 0
    assert damage["arrivals"] == {"kenh-a": {"2026-02": {"files": 3, "damaged": 0, "classes": {}}},
                                  "kenh-b": {"2026-03": {"files": 3, "damaged": 0, "classes": {}}}}
    assert damage["by_class"] == {} and damage["onsets"] == []
    assert report["breakdowns"]["month"] == {"2026-06": report["breakdowns"]["month"]["2026-06"]}  # signed in 06/2026
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8-sig")))
    assert {(r["folder"], r["arrival_month"]) for r in rows} == {("kenh-a", "2026-02"), ("kenh-b", "2026-03")}
    # An export archive made later: each member keeps the month it arrived (its date in the ZIP).
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for folder, (year, month) in arrived.items():
            for i in range(3):
                z.writestr(zipfile.ZipInfo("%s/%d.pdf" % (folder, i), date_time=(year, month, 10 + i, 3, 0, 0)), valid)
    os.utime(archive, (calendar.timegm((2026, 9, 1, 0, 0, 0)),) * 2)
    zipped = diagnose(corpus, archive)["damage"]["arrivals"]
    assert {f: list(months) for f, months in zipped.items()} == {"export.zip/kenh-a": ["2026-02"], "export.zip/kenh-b": ["2026-03"]}


def unix2dos(data):
    """A text-mode transfer's conversion: every LF not already after a CR becomes CRLF."""
    return re.sub(rb"(?<!\r)\n", b"\r\n", data)


def test_damage_from_line_end_conversion_by_folder_and_month_of_arrival(corpus, tmp_path):
    """Signed files passed through a text-mode channel (kenh-ftp, from March) next to a binary one
    (kenh-api): the damage section says since when and through which folder, in JSON, CSV and HTML."""
    if run_cli("explain", "DAMAGE_LINE_ENDINGS").returncode != 0:
        pytest.skip("this build has no damage forensics (DAMAGE_* codes) yet")
    valid = next((corpus["dir"] / "archive").rglob("*-valid.pdf")).read_bytes()
    base = tmp_path / "hoso"
    plan = {"kenh-api": [(2026, 2, False), (2026, 3, False), (2026, 4, False)],
            "kenh-ftp": [(2026, 2, False), (2026, 3, True), (2026, 3, True), (2026, 4, True)]}
    for folder, files in plan.items():
        (base / folder).mkdir(parents=True)
        for i, (year, month, damaged) in enumerate(files):
            path = base / folder / ("%d.pdf" % i)
            path.write_bytes(unix2dos(valid) if damaged else valid)
            stamp = calendar.timegm((year, month, 5 + i, 3, 0, 0))
            os.utime(path, (stamp, stamp))
    csv_path, html = tmp_path / "r.csv", tmp_path / "r.html"
    report = diagnose(corpus, base, extra=["--csv", csv_path, "--html", html])
    damage = report["damage"]
    assert damage["files"] == 7 and damage["damaged"] == 3
    assert damage["by_class"]["line_endings"]["files"] == 3
    assert damage["by_class"]["line_endings"]["first_month"] == "2026-03"  # arrival, not signing (06/2026)
    assert damage["arrivals"]["kenh-ftp"]["2026-03"]["classes"] == {"line_endings": 2}
    assert damage["arrivals"]["kenh-ftp"]["2026-02"]["damaged"] == 0
    assert all(c["damaged"] == 0 for c in damage["arrivals"]["kenh-api"].values())
    assert damage["onsets"][0] == {"folder": "kenh-ftp", "class": "line_endings", "since": "2026-03", "files": 3, "arrived_since": 3}
    assert "DAMAGE_LINE_ENDINGS" in report["by_code"]
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8-sig")))
    assert sorted((r["folder"], r["arrival_month"]) for r in rows if r["damage"] == "line_endings") == [
        ("kenh-ftp", "2026-03"), ("kenh-ftp", "2026-03"), ("kenh-ftp", "2026-04")]
    text = html.read_text(encoding="utf-8")
    assert 'data-folder="kenh-ftp" data-class="line_endings" data-since="2026-03">Từ 03/2026, 3 trên 3' in text
    assert 'id="chart-damage-1" data-folder="kenh-ftp"' in text


def test_run_counts_the_fetches_the_server_saw(tmp_path, fixtures):
    """run.verifier_stats: every OCSP request of the run reached the local server, and the copies of
    one dossier were answered from the cache."""

    for i in range(3):
        (tmp_path / f"copy{i}.pdf").write_bytes((FIXTURES_DIR / "official.pdf").read_bytes())
    with running_fixed_pki_server() as base:
        pki_stats(base, reset=True)
        proc = run_cli("diagnose", tmp_path, "--profiles-dir", PROFILES_DIR, "--trust-profile", "test-gov", "--at", AT,
                       *ONLINE_LOCAL, "--jobs", "1", "--json", tmp_path / "r.json", "-q", timeout=120)
        seen = pki_stats(base)
    assert proc.returncode == 0, proc.stderr
    stats = json.loads((tmp_path / "r.json").read_text())["run"]["verifier_stats"]
    assert stats["revocation_fetches"]["ocsp"] == seen["ocsp_requests"] >= 1
    assert stats["revocation_fetch_failures"] == {"ocsp": 0, "crl": 0, "ca_issuers": 0}
    assert stats["revocation_cache_hits"]["ocsp"] >= 2
    assert stats["chain_cache_hits"] >= 2
