#!/usr/bin/python3
"""Differential test of libsign's PDF reader against qpdf and pdfsig over the real-world corpus.

For every file of ../shared/corpus/realworld-pdf (MANIFEST.tsv) it runs `libsign verify` and
`libsign inspect`, `qpdf --json` and, on signed files, `pdfsig`, compares what they say and writes
docs/compatibility.md. `--check` writes into a temporary file instead and exits 1 when an acceptance
threshold fails (see THRESHOLDS in the generated document); `--json OUT` dumps the raw results.

Run with /usr/bin/python3; standard library only.
"""
import argparse
import collections
import concurrent.futures
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "realworld-pdf")
AT = "2026-01-01T00:00:00Z"
VERIFY_OPTIONS = ["--format", "json", "--offline", "--revocation", "optional", "--trust-profile", "none", "--at", AT]
# The objects come from a JSON run without the "pages" key: listing the pages makes qpdf turn direct
# page dictionaries and pages listed twice into new objects. The page count is a second run.
QPDF_OPTIONS = ["--json=2", "--json-key=qpdf", "--json-stream-data=none", "--decode-level=none"]
QPDF_PAGES_OPTIONS = ["--show-npages"]
PDFSIG_OPTIONS = ["-nocert", "-no-ocsp"]
# An error code that means "this file needs a password" (PDF_ENCRYPTED since the security handler
# reads empty-password files). It is accepted instead of a report only when qpdf cannot open the file
# with an empty password either.
PASSWORD_CODE = re.compile(r"^PDF_ENCRYPTED$|PASSWORD")
REPAIR_CODE = re.compile(r"REPAIR")


# ---------------------------------------------------------------- running the tools

def run(argv, timeout):
    """{"exit": int|None, "signal": int|None, "timeout": bool, "stdout", "stderr", "seconds"}."""
    start = time.monotonic()
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"exit": None, "signal": None, "timeout": True, "stdout": b"", "stderr": b"",
                "seconds": time.monotonic() - start}
    code = proc.returncode
    return {"exit": code if code >= 0 else None, "signal": -code if code < 0 else None, "timeout": False,
            "stdout": proc.stdout, "stderr": proc.stderr, "seconds": time.monotonic() - start}


def outcome(result):
    """The part of a run() result that goes into the record."""
    return {"exit": result["exit"], "signal": result["signal"], "timeout": result["timeout"],
            "seconds": round(result["seconds"], 3)}


def load_json(data):
    try:
        return json.loads(data.decode("utf-8", "replace"))
    except ValueError:
        return None


def first_line(data, limit=200):
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0][:limit] if text else ""


def libsign_verify(cli, path, timeout):
    result = run([cli, "verify", path] + VERIFY_OPTIONS, timeout)
    out = outcome(result)
    out.update({"error_code": None, "error_message": None, "indication": None, "signatures": [], "repairs": [],
                "repair_kinds": []})
    report = load_json(result["stdout"])
    if isinstance(report, list):
        report = report[0] if report else None
    if not isinstance(report, dict):
        if result["exit"] == 3:
            out["error_message"] = first_line(result["stderr"])
        return out
    if report.get("error"):
        out["error_code"] = report["error"].get("code")
        # The English detail of the reader (the catalog message, in en and vi, is the same for a code).
        error = report["error"]
        message = error.get("message")
        out["error_message"] = error.get("detail") or (message.get("en") if isinstance(message, dict) else message)
    doc = report.get("document") or {}
    out["indication"] = doc.get("indication")
    findings = list(doc.get("findings") or [])
    for sig in doc.get("signatures") or []:
        integrity = next((c.get("status") for c in sig.get("checks") or [] if c.get("step") == "integrity"), None)
        out["signatures"].append({"field": sig.get("field_name"), "kind": sig.get("kind"),
                                  "indication": sig.get("indication"), "integrity": integrity})
        findings += sig.get("findings") or []
    repairs = [f for f in findings if REPAIR_CODE.search(f.get("code") or "")]
    out["repairs"] = sorted({f["code"] for f in repairs})
    # PDF_REPAIRED's evidence names the kinds of repair ("startxref,xref-offset").
    out["repair_kinds"] = sorted({k for f in repairs for k in ((f.get("evidence") or {}).get("kinds") or "").split(",") if k})
    return out


def libsign_inspect(cli, path, timeout):
    result = run([cli, "inspect", path, "--format", "json"], timeout)
    out = outcome(result)
    out.update({"error": None, "pages": None, "pages_error": None, "objects": None, "unreadable": None,
                "producer": None, "signatures": None, "empty_fields": None})
    info = load_json(result["stdout"]) if result["exit"] == 0 else None
    if not isinstance(info, dict):
        out["error"] = first_line(result["stderr"]) or None
        return out
    last = info.get("last_revision") or {}
    objects = last.get("objects") or {}
    out.update({"pages": last.get("pages"), "pages_error": last.get("pages_error"),
                "objects": objects.get("numbers"), "unreadable": objects.get("unreadable"),
                "producer": last.get("producer"), "signatures": len(info.get("signatures") or []),
                "empty_fields": len(info.get("empty_signature_fields") or [])})
    return out


def qpdf_string(value):
    """qpdf JSON v2 strings: "u:text" or "b:hex"."""
    if not isinstance(value, str):
        return None
    if value.startswith("u:"):
        return value[2:]
    if value.startswith("b:"):
        try:
            raw = bytes.fromhex(value[2:])
        except ValueError:
            return None
        if raw.startswith(b"\xfe\xff"):
            return raw[2:].decode("utf-16-be", "replace")
        return raw.decode("latin-1")
    return None


def qpdf_read(path, timeout):
    """qpdf exits 3 when it had to warn (e.g. it repaired the file) but still answers."""
    pages = run(["qpdf"] + QPDF_PAGES_OPTIONS + [path], timeout)
    result = run(["qpdf"] + QPDF_OPTIONS + [path], timeout)
    out = outcome(result)
    out.update({"pages": None, "objects": None, "xref_streams": None, "producer": None, "error": None})
    count = pages["stdout"].decode("ascii", "replace").strip()
    if pages["exit"] in (0, 3) and count.isdigit():
        out["pages"] = int(count)
    data = load_json(result["stdout"])
    if not isinstance(data, dict) or "qpdf" not in data:
        out["error"] = first_line(result["stderr"]) or first_line(pages["stderr"]) or "no JSON"
        return out
    section = data.get("qpdf") or []
    objects = section[1] if len(section) > 1 and isinstance(section[1], dict) else {}
    numbers, xref_streams = set(), set()
    for key, value in objects.items():
        match = re.match(r"obj:(\d+) \d+ R$", key)
        if not match or not isinstance(value, dict):
            continue
        # A null object is what qpdf makes of a dangling or unreadable reference: not an object.
        if "value" in value and value["value"] is None:
            continue
        numbers.add(int(match.group(1)))
        if ((value.get("stream") or {}).get("dict") or {}).get("/Type") == "/XRef":
            xref_streams.add(int(match.group(1)))
    out["objects"] = sorted(numbers)
    out["xref_streams"] = sorted(xref_streams)
    trailer = (objects.get("trailer") or {}).get("value") or {}
    info_ref = trailer.get("/Info")
    info = trailer.get("/Info") if isinstance(info_ref, dict) else \
        (objects.get("obj:" + info_ref) or {}).get("value") if isinstance(info_ref, str) else None
    if isinstance(info, dict):
        out["producer"] = qpdf_string(info.get("/Producer"))
    return out


def pdfsig_read(path, timeout):
    """Each signature pdfsig lists: field name and integrity (ok, mismatch, unsigned, unknown)."""
    result = run(["pdfsig"] + PDFSIG_OPTIONS + [path], timeout)
    out = outcome(result)
    sigs = []
    for line in result["stdout"].decode("utf-8", "replace").splitlines():
        line = line.strip()
        if re.match(r"Signature #\d+:$", line):
            sigs.append({"field": None, "validation": None, "integrity": "unknown"})
        elif not sigs:
            continue
        elif line.startswith("- Signature Field Name:"):
            sigs[-1]["field"] = line.split(":", 1)[1].strip()
        elif line.startswith("- Signature Validation:"):
            text = line.split(":", 1)[1].strip()
            sigs[-1]["validation"] = text
            # "Signature is Invalid." is a bad signature value over a matching digest.
            if text in ("Signature is Valid.", "Signature is Invalid."):
                sigs[-1]["integrity"] = "ok"
            elif text == "Digest Mismatch.":
                sigs[-1]["integrity"] = "mismatch"
        elif "is not signed" in line:
            sigs[-1]["integrity"] = "unsigned"
    out["signatures"] = sigs
    return out


def examine(entry, cli, timeout):
    path = os.path.join(entry["corpus"], entry["path"])
    record = {"path": entry["path"], "origin": entry["origin"], "manifest": entry["manifest"]}
    record["verify"] = libsign_verify(cli, path, timeout)
    record["inspect"] = libsign_inspect(cli, path, timeout)
    record["qpdf"] = qpdf_read(path, timeout)
    signed = entry["manifest"]["pdfsig_signatures"] > 0 or record["verify"]["signatures"] or \
        (record["inspect"]["signatures"] or 0) > 0
    record["pdfsig"] = pdfsig_read(path, timeout) if signed else None
    return record


# ---------------------------------------------------------------- judging

def read_manifest(corpus):
    entries = []
    with open(os.path.join(corpus, "MANIFEST.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            if not line.strip():
                continue
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            entries.append({"corpus": corpus, "path": row["path"], "origin": row["origin"],
                            "manifest": {"pdfsig": row["pdfsig_22_12"],
                                         "pdfsig_signatures": int(row["pdfsig_signatures"] or 0),
                                         "qpdf_check": row["qpdf_11_check"]}})
    return sorted(entries, key=lambda e: e["path"])


def opened(record):
    return record["verify"]["exit"] in (0, 1, 2)


def crashed(record):
    return [name for name in ("verify", "inspect") if record[name]["signal"] is not None or record[name]["timeout"]]


def qpdf_opens(record):
    return record["manifest"]["qpdf_check"] in ("clean", "warnings")


def password_refusal(record):
    """libsign asks for a password and qpdf cannot open the file with an empty one either."""
    code = record["verify"]["error_code"] or ""
    return record["verify"]["exit"] == 3 and bool(PASSWORD_CODE.search(code)) and \
        record["qpdf"]["pages"] is None and "password" in (record["qpdf"]["error"] or "").lower()


def reason(record):
    """A refusal grouped by error code and message (numbers blanked, at most 90 characters)."""
    v = record["verify"]
    if v["signal"] is not None:
        return "signal %d" % v["signal"]
    if v["timeout"]:
        return "timeout"
    message = v["error_message"] or ""
    message = re.sub(r"\d+", "N", message)
    return "%s: %s" % (v["error_code"] or "?", message[:90])


def same_field(peer_name, our_name):
    """pdfsig may print the partial name where libsign has the fully qualified one."""
    if not peer_name or not our_name:
        return False
    return our_name == peer_name or our_name.endswith("." + peer_name)


def pair_signatures(peer, ours):
    """Pairs pdfsig's signed signatures with libsign's, by field name, then in order."""
    left = list(ours)
    pairs = []
    for sig in peer:
        match = next((s for s in left if same_field(sig["field"], s["field"])), None)
        if match is None and left:
            match = left[0]
        if match is not None:
            left.remove(match)
        pairs.append((sig, match))
    return pairs


def integrity_results(record):
    """[(field, pdfsig integrity, libsign integrity)] for the signatures pdfsig has checked."""
    if not record["pdfsig"]:
        return []
    checked = [s for s in record["pdfsig"]["signatures"] if s["integrity"] in ("ok", "mismatch")]
    mapping = {"passed": "ok", "failed": "mismatch"}
    out = []
    for sig, ours in pair_signatures(checked, record["verify"]["signatures"]):
        mine = mapping.get(ours["integrity"], ours["integrity"] or "no result") if ours else \
            ("refused" if not opened(record) else "not found")
        out.append((sig["field"] or "?", sig["integrity"], mine))
    return out


def page_result(record):
    """(libsign pages, qpdf pages) when both read the page count, else None."""
    ours, theirs = record["inspect"]["pages"], record["qpdf"]["pages"]
    return (ours, theirs) if ours is not None and theirs is not None else None


def object_result(record):
    """(missing in libsign, not in qpdf) when both listed the objects, else None. Xref streams are left
    out: qpdf lists every xref stream it read, also one its own section does not list."""
    ours, theirs = record["inspect"]["objects"], record["qpdf"]["objects"]
    if ours is None or theirs is None:
        return None
    skip = set(record["qpdf"]["xref_streams"] or [])
    ours, theirs = set(ours) - skip, set(theirs) - skip
    return sorted(theirs - ours), sorted(ours - theirs)


def producer(record):
    return record["inspect"]["producer"] or record["qpdf"]["producer"]


def producer_family(text):
    """ "iText® 5.5.13 ©2000-2018 …" -> "iText®"; versions and parentheses dropped."""
    if not text:
        return "(unknown)"
    text = " ".join(text.split())
    words = []
    for word in text.split(" "):
        if re.search(r"\d", word) or word.startswith("(") or word in ("-", "/", "—"):
            break
        words.append(word)
    family = " ".join(words).strip(" ;,:-") or re.split(r"[\s\-_/]*v?\d", text)[0].strip() or text
    return family[:40]


# ---------------------------------------------------------------- the report

def pct(part, whole):
    return "%.1f %%" % (100.0 * part / whole) if whole else "–"


def rate(part, whole):
    return part / whole if whole else 1.0


def cell(text, limit=120):
    text = str(text).replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def short_list(numbers, limit=8):
    head = ", ".join(str(n) for n in numbers[:limit])
    return head + (", … (%d)" % len(numbers) if len(numbers) > limit else "")


class Summary:
    def __init__(self, records, page_threshold, open_threshold):
        self.records = records
        self.page_threshold = page_threshold
        self.open_threshold = open_threshold
        pdfsig_opens = [r for r in records if r["manifest"]["pdfsig"] == "opens"]
        self.pdfsig_opens = len(pdfsig_opens)
        self.reported_of_pdfsig = sum(1 for r in pdfsig_opens if opened(r) or password_refusal(r))
        self.crashes = [(r["path"], c) for r in records for c in crashed(r)]
        self.integrity = [(r["path"],) + t for r in records for t in integrity_results(r)]
        self.integrity_agree = sum(1 for t in self.integrity if t[2] == t[3])
        pages = [(r["path"], page_result(r)) for r in records if page_result(r)]
        self.pages_compared = len(pages)
        self.pages_agree = sum(1 for _, (a, b) in pages if a == b)
        objects = [object_result(r) for r in records if object_result(r)]
        self.objects_compared = len(objects)
        self.objects_agree = sum(1 for missing, extra in objects if not missing and not extra)

    def thresholds(self):
        """[(name, passed, detail)]"""
        open_rate = rate(self.reported_of_pdfsig, self.pdfsig_opens)
        page_rate = rate(self.pages_agree, self.pages_compared)
        return [
            ("(a) report (or a password error qpdf shares) for files pdfsig opens", open_rate >= self.open_threshold,
             "%d / %d = %s (needs ≥ %.0f %%)" % (self.reported_of_pdfsig, self.pdfsig_opens,
                                                 pct(self.reported_of_pdfsig, self.pdfsig_opens),
                                                 100 * self.open_threshold)),
            ("(b) integrity agrees with pdfsig", self.integrity_agree == len(self.integrity),
             "%d / %d signatures" % (self.integrity_agree, len(self.integrity))),
            ("(c) no crash, no timeout", not self.crashes, "%d crashed or timed out" % len(self.crashes)),
            ("(d) page count agrees with qpdf", page_rate >= self.page_threshold,
             "%d / %d = %s (needs ≥ %.0f %%)" % (self.pages_agree, self.pages_compared,
                                                 pct(self.pages_agree, self.pages_compared),
                                                 100 * self.page_threshold)),
        ]


def group_rows(records, key):
    groups = collections.defaultdict(list)
    for r in records:
        groups[key(r)].append(r)
    return groups


def group_table(title, groups, order):
    lines = ["| %s | files | pdfsig opens | libsign report | refused | repaired | signatures (pdfsig) | "
             "integrity agrees | pages agree | objects agree |" % title,
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name in order:
        rs = groups[name]
        integ = [t for r in rs for t in integrity_results(r)]
        pages = [page_result(r) for r in rs if page_result(r)]
        objs = [object_result(r) for r in rs if object_result(r)]
        lines.append("| %s | %d | %d | %d | %d | %d | %d | %s | %s | %s |" % (
            cell(name, 60), len(rs), sum(1 for r in rs if r["manifest"]["pdfsig"] == "opens"),
            sum(1 for r in rs if opened(r)), sum(1 for r in rs if r["verify"]["exit"] == 3),
            sum(1 for r in rs if r["verify"]["repairs"]),
            sum(1 for r in rs if r["pdfsig"] for s in r["pdfsig"]["signatures"] if s["integrity"] != "unsigned"),
            "%d/%d" % (sum(1 for t in integ if t[1] == t[2]), len(integ)) if integ else "–",
            "%d/%d" % (sum(1 for a, b in pages if a == b), len(pages)) if pages else "–",
            "%d/%d" % (sum(1 for m, e in objs if not m and not e), len(objs)) if objs else "–"))
    return lines


def disagreements(records):
    """[(file, topic, libsign said, peer said)], sorted by topic then file."""
    rows = []
    for r in records:
        v, i, q = r["verify"], r["inspect"], r["qpdf"]
        for tool in crashed(r):
            what = "timeout" if r[tool]["timeout"] else "signal %d" % r[tool]["signal"]
            rows.append((r["path"], "crash/timeout", "%s: %s" % (tool, what), "–"))
        peers = [p for p, ok in (("pdfsig", r["manifest"]["pdfsig"] == "opens"), ("qpdf", qpdf_opens(r))) if ok]
        if peers and not opened(r) and not crashed(r) and not password_refusal(r):
            rows.append((r["path"], "refused", "%s %s" % (v["error_code"] or "exit %s" % v["exit"],
                                                          v["error_message"] or ""),
                         " and ".join(peers) + (" open it" if len(peers) > 1 else " opens it")))
        if opened(r) and r["pdfsig"] and r["pdfsig"]["exit"] == 0:
            peer_signed = sum(1 for s in r["pdfsig"]["signatures"] if s["integrity"] != "unsigned")
            if peer_signed != len(v["signatures"]):
                rows.append((r["path"], "signatures", "%d signatures" % len(v["signatures"]),
                             "pdfsig: %d signed fields" % peer_signed))
        for field, theirs, mine in integrity_results(r):
            if theirs != mine:
                rows.append((r["path"], "integrity", "%s: %s" % (field, mine), "pdfsig: %s" % theirs))
        if opened(r) and i["exit"] != 0 and not crashed(r):
            rows.append((r["path"], "inspect failed", i["error"] or "exit %s" % i["exit"], "verify opened it"))
        if i["pages"] is None and i["pages_error"] and q["pages"] is not None:
            rows.append((r["path"], "pages", i["pages_error"], "qpdf: %d" % q["pages"]))
        pages = page_result(r)
        if pages and pages[0] != pages[1]:
            rows.append((r["path"], "pages", str(pages[0]), "qpdf: %d" % pages[1]))
        objs = object_result(r)
        if objs and (objs[0] or objs[1]):
            said = "%d objects" % len(i["objects"])
            if objs[0]:
                said += "; missing %s" % short_list(objs[0])
            if objs[1]:
                said += "; not in qpdf %s" % short_list(objs[1])
            if i["unreadable"]:
                said += "; unreadable %s" % short_list(i["unreadable"])
            rows.append((r["path"], "objects", said, "qpdf: %d objects" % len(q["objects"])))
    return sorted(rows, key=lambda row: (row[1], row[0], row[2]))


def render(records, summary, versions, generated):
    total = len(records)
    out = ["# Compatibility with mainstream PDF readers", "",
           "Generated by `scripts/compat_report.py` (do not edit by hand) over the %d files of "
           "`../shared/corpus/realworld-pdf` (see its README.md and MANIFEST.tsv). libsign is run as "
           "`libsign verify FILE %s` and `libsign inspect FILE --format json`; the peers are "
           "`qpdf %s`, `qpdf %s` and `pdfsig %s` (on files with signatures). Objects are compared by number, "
           "leaving out xref streams (qpdf lists every xref stream it read) and objects qpdf reads as null." % (
               total, " ".join(VERIFY_OPTIONS), " ".join(QPDF_OPTIONS), " ".join(QPDF_PAGES_OPTIONS),
               " ".join(PDFSIG_OPTIONS)), "",
           "Tools: %s." % "; ".join("%s %s" % kv for kv in sorted(versions.items())),
           "Generated: %s" % generated, "",
           "## Acceptance thresholds (`scripts/compat_report.py --check`)", "",
           "| threshold | result | numbers |", "|---|---|---|"]
    for name, passed, detail in summary.thresholds():
        out.append("| %s | %s | %s |" % (name, "pass" if passed else "**FAIL**", detail))

    pdfsig_opens = [r for r in records if r["manifest"]["pdfsig"] == "opens"]
    qpdf_open = [r for r in records if qpdf_opens(r)]
    either = [r for r in records if r["manifest"]["pdfsig"] == "opens" or qpdf_opens(r)]
    sig_peer = sum(1 for r in records if r["pdfsig"] for s in r["pdfsig"]["signatures"] if s["integrity"] != "unsigned")
    sig_ours = sum(len(r["verify"]["signatures"]) for r in records)
    empty_peer = sum(1 for r in records if r["pdfsig"] for s in r["pdfsig"]["signatures"] if s["integrity"] == "unsigned")
    empty_ours = sum(r["inspect"]["empty_fields"] or 0 for r in records)
    out += ["", "## Summary", "",
            "| | files | libsign gives a report (exit 0–2) | % |", "|---|---:|---:|---:|",
            "| pdfsig opens | %d | %d | %s |" % (len(pdfsig_opens), sum(map(opened, pdfsig_opens)),
                                                 pct(sum(map(opened, pdfsig_opens)), len(pdfsig_opens))),
            "| qpdf --check opens (clean or warnings) | %d | %d | %s |" % (
                len(qpdf_open), sum(map(opened, qpdf_open)), pct(sum(map(opened, qpdf_open)), len(qpdf_open))),
            "| pdfsig or qpdf opens | %d | %d | %s |" % (len(either), sum(map(opened, either)),
                                                         pct(sum(map(opened, either)), len(either))),
            "| whole corpus | %d | %d | %s |" % (total, sum(map(opened, records)), pct(sum(map(opened, records)), total)),
            "",
            "- Refused (exit 3): %d files; a password refusal that qpdf shares: %d." % (
                sum(1 for r in records if r["verify"]["exit"] == 3), sum(map(password_refusal, records))),
            "- Reported as repaired (a `…REPAIR…` finding): %d files." % sum(1 for r in records if r["verify"]["repairs"]),
            "- Crashes or timeouts of libsign: %d." % len(summary.crashes),
            "- Signatures: pdfsig lists %d signed and %d empty signature fields on the files it was run on; "
            "libsign verify reports %d signatures and inspect %d empty signature fields (whole corpus)." % (
                sig_peer, empty_peer, sig_ours, empty_ours),
            "- Integrity (digest) agrees with pdfsig for %d of the %d signatures pdfsig checked." % (
                summary.integrity_agree, len(summary.integrity)),
            "- Page count agrees with qpdf on %d of %d files both read (%s); the set of objects the last "
            "revision resolves agrees on %d of %d (%s)." % (
                summary.pages_agree, summary.pages_compared, pct(summary.pages_agree, summary.pages_compared),
                summary.objects_agree, summary.objects_compared,
                pct(summary.objects_agree, summary.objects_compared))]

    refusals = collections.Counter(reason(r) for r in records if r["verify"]["exit"] != 0 and not opened(r))
    out += ["", "### Why libsign refuses a file", "", "| error (numbers blanked) | files |", "|---|---:|"]
    for text, count in sorted(refusals.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append("| %s | %d |" % (cell(text), count))

    origins = group_rows(records, lambda r: r["origin"])
    out += ["", "## By origin", ""] + group_table("origin", origins, sorted(origins))
    families = group_rows(records, lambda r: producer_family(producer(r)))
    big = sorted((f for f in families if len(families[f]) >= 5 and f != "(unknown)"),
                 key=lambda f: (-len(families[f]), f))
    small = [r for f in families if f not in big and f != "(unknown)" for r in families[f]]
    groups = {f: families[f] for f in big}
    order = list(big)
    if small:
        name = "(other producers, %d)" % len({producer_family(producer(r)) for r in small})
        groups[name] = small
        order.append(name)
    if "(unknown)" in families:
        groups["(unknown)"] = families["(unknown)"]
        order.append("(unknown)")
    out += ["", "## By producer", "",
            "The /Producer of the file's /Info (read by libsign inspect, else by qpdf), without its version; "
            "producers with fewer than 5 files are grouped.", ""] + group_table("producer", groups, order)

    repaired = [r for r in records if r["verify"]["repairs"]]
    out += ["", "## Repaired (%d)" % len(repaired), "",
            "Files whose report has a repair finding (a code containing `REPAIR`; the kinds come from "
            "`PDF_REPAIRED`'s evidence).", ""]
    if repaired:
        kinds = collections.Counter(k for r in repaired for k in r["verify"]["repair_kinds"])
        out += ["| kind of repair | files |", "|---|---:|"]
        out += ["| %s | %d |" % (k, n) for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))]
        out += ["", "| file | findings | kinds |", "|---|---|---|"]
        out += ["| %s | %s | %s |" % (cell(r["path"], 200), ", ".join(r["verify"]["repairs"]),
                                      ", ".join(r["verify"]["repair_kinds"])) for r in repaired]
    else:
        out.append("None.")

    rows = disagreements(records)
    out += ["", "## Disagreements (%d)" % len(rows), "",
            "One row per file and topic: `refused` (a peer opens the file, libsign gives no report), "
            "`integrity` (digest check differs from pdfsig), `signatures` (not as many as pdfsig's signed "
            "fields), `pages` and `objects` (differ from qpdf), "
            "`crash/timeout`, `inspect failed`.", "",
            "| file | topic | libsign | peer |", "|---|---|---|---|"]
    for path, topic, ours, theirs in rows:
        out.append("| %s | %s | %s | %s |" % (cell(path, 200), topic, cell(ours), cell(theirs)))
    return "\n".join(out) + "\n"


def tool_versions(cli):
    def version(argv, pattern):
        try:
            proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            return "absent"
        match = re.search(pattern, proc.stdout.decode("utf-8", "replace"))
        return match.group(1) if match else "unknown"
    return {"libsign": version([cli, "--version"], r"(\d+\.\d+[\w.\-]*)"),
            "qpdf": version(["qpdf", "--version"], r"qpdf version (\S+)"),
            "pdfsig": version(["pdfsig", "-v"], r"pdfsig version (\S+)")}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=os.environ.get("LIBSIGN_COMPAT_CORPUS", DEFAULT_CORPUS))
    parser.add_argument("--cli", default=os.environ.get("LIBSIGN_CLI", os.path.join(ROOT, "build", "libsign")))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "compatibility.md"))
    parser.add_argument("--json", metavar="OUT", help="also write the raw results (one record per file)")
    parser.add_argument("--check", action="store_true",
                        help="write into a temporary file and exit 1 when a threshold fails")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per tool call")
    parser.add_argument("--page-threshold", type=float, default=0.99)
    parser.add_argument("--open-threshold", type=float, default=0.99)
    parser.add_argument("--only", metavar="SUBSTRING", help="only the files whose path contains this")
    args = parser.parse_args(argv)

    manifest = os.path.join(args.corpus, "MANIFEST.tsv")
    if not os.path.isfile(manifest):
        print("compat_report: no corpus at %s" % args.corpus, file=sys.stderr)
        return 2
    entries = read_manifest(args.corpus)
    if args.only:
        entries = [e for e in entries if args.only in e["path"]]
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        records = list(pool.map(lambda e: examine(e, args.cli, args.timeout), entries))
    elapsed = time.monotonic() - start

    summary = Summary(records, args.page_threshold, args.open_threshold)
    generated = "%s UTC in %.0f s" % (datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"), elapsed)
    text = render(records, summary, tool_versions(args.cli), generated)
    if args.check:
        handle, out_path = tempfile.mkstemp(prefix="compatibility-", suffix=".md")
        os.close(handle)
    else:
        out_path = args.out
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            thresholds = [{"name": n, "passed": ok, "detail": d} for n, ok, d in summary.thresholds()]
            json.dump({"schema": "libsign-compat/1", "generated": generated, "thresholds": thresholds,
                       "records": records}, f, indent=1, sort_keys=True)
            f.write("\n")

    failed = False
    for name, passed, detail in summary.thresholds():
        print("%-40s %s  %s" % (name, "pass" if passed else "FAIL", detail))
        failed |= not passed
    for path, tool in summary.crashes:
        print("crash/timeout: %s (%s)" % (path, tool))
    print("report: %s (%d files, %.0f s)" % (out_path, len(records), elapsed))
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
