"""The diagnose HTML report in a real headless Chromium: it renders (a screenshot of the expected
size, with the charts' colours in it) and the DOM shows the numbers the corpus was made with."""
import html.parser
import re
import shutil
import struct
import subprocess
import zlib

import pytest

from conftest import run_cli

import make_diagnose_corpus

CHROMIUM = shutil.which("chromium")
WIDTH, HEIGHT = 1280, 1600


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    if not CHROMIUM:
        pytest.skip("chromium is not installed (scripts/setup-deps.sh installs it)")
    out = tmp_path_factory.mktemp("diaghtml")
    manifest = make_diagnose_corpus.write(str(out), 2)
    page = out / "report.html"
    proc = run_cli("diagnose", out / "archive", *manifest["args"], "--html", page, "-q", timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out, manifest, page


def chromium(out, *args):
    """Headless Chromium with a private profile, no sandbox (root), no GPU, no network."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=%s" % (out / "chromium-profile"),
           "--no-first-run", "--disable-extensions", "--disable-sync", "--disable-background-networking",
           "--disable-component-update", "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", *args]
    return subprocess.run(cmd, capture_output=True, timeout=120)


class Numbers(html.parser.HTMLParser):
    """Collects the text of elements carrying data-key (summary cards) and data-rows (per code)."""

    def __init__(self):
        super().__init__()
        self.keys, self.rows, self._current = {}, {}, None
        self.svgs = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.svgs += 1
        if "data-key" in attrs:
            self._current = ("keys", attrs["data-key"])
        elif "data-rows" in attrs:
            self._current = ("rows", attrs["data-rows"])

    def handle_data(self, data):
        if self._current and data.strip():
            getattr(self, self._current[0])[self._current[1]] = int(data.strip())
            self._current = None


def read_png(path):
    """(width, height, rows of RGB(A) bytes): a small PNG decoder for 8-bit truecolour images."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def test_dom_shows_the_counts_the_corpus_was_made_with(report):
    out, manifest, page = report
    proc = chromium(out, "--dump-dom", page.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout.decode("utf-8")
    parser = Numbers()
    parser.feed(dom)
    kinds = manifest["kinds"]
    total = sum(k["files"] for k in kinds.values())
    by_indication = {}
    for k in kinds.values():
        by_indication[k["indication"]] = by_indication.get(k["indication"], 0) + k["files"]
    assert parser.keys["files"] == total
    assert parser.keys["TOTAL_PASSED"] == by_indication["TOTAL_PASSED"]
    assert parser.keys["TOTAL_FAILED"] == by_indication["TOTAL_FAILED"]
    assert parser.keys["INDETERMINATE"] == by_indication["INDETERMINATE"]
    assert parser.keys["files_unreadable"] == by_indication["ERROR"]
    assert parser.keys["files_without_signature"] == kinds["unsigned"]["files"]
    for k in kinds.values():
        if k["code"]:
            assert parser.rows[k["code"]] == k["files"], k["code"]
    assert parser.svgs >= 3  # indications, codes, months
    assert "Lỗi lặp lại và cách xử lý" in dom  # Vietnamese by default


def test_dom_ranks_errors_first_with_titles_settings_and_vietnamese_values(report):
    out, manifest, page = report
    proc = chromium(out, "--dump-dom", page.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout.decode("utf-8")
    rows = re.findall(r'<tr data-code="([A-Z0-9_]+)" class="(sev-[a-z]+)">', dom)
    assert rows[0][1] == "sev-error"
    severities = [sev for _, sev in rows]
    assert severities == sorted(severities, key=["sev-error", "sev-warning", "sev-settings"].index)
    # --offline: the missing revocation status is the settings' doing: last, grey, said so.
    assert rows[-1] == ("REVOCATION_NOT_CHECKED", "sev-settings")
    chart = dom[dom.index('id="chart-codes"'):]
    chart = chart[:chart.index("</svg>")]
    labels = re.findall(r'text-anchor="end"[^>]*>([^<]+)<', chart)
    assert len(labels) == min(10, len(rows)) and not any(re.fullmatch(r"[A-Z0-9_]+", label) for label in labels)
    # Each bar has its row's colour: errors red, warnings muted, the settings' warnings grey.
    fills = re.findall(r'<rect [^>]*fill="(#[0-9a-f]+)"', chart)
    colour = {"sev-error": "#c62828", "sev-warning": "#e0b47a", "sev-settings": "#b0bec5"}
    assert fills == [colour[sev] for sev in severities[:len(fills)]]
    if "Chưa kiểm tra thu hồi" in labels:  # when shown (ten bars at most): last
        assert labels[-1] == "Chưa kiểm tra thu hồi"
    settings = dict(re.findall(r'<tr data-setting="([a-z_]+)"><th>[^<]*</th><td>([^<]*)</td>', dom))
    assert settings["trust_profile"] == "diag-gov" and settings["revocation"].startswith("ngoại tuyến")
    assert settings["validation_time"].startswith("01/07/2026 07:00:00")  # 2026-07-01T00:00Z in Vietnam time
    assert ">06/2026<" in dom and ">26-06<" not in dom and "(none)" not in dom
    # The damage section: a sentence when nothing was damaged on the way, else charts (with damage
    # forensics in the build, the signed file cut in half is truncated on the way).
    assert 'id="damage"' in dom and ('id="no-damage"' in dom) != ('id="chart-damage"' in dom)


def test_screenshot_renders_the_page_with_its_charts(report):
    out, _, page = report
    shot = out / "report.png"
    proc = chromium(out, "--window-size=%d,%d" % (WIDTH, HEIGHT), "--screenshot=%s" % shot, page.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    width, height, bpp, rows = read_png(shot)
    assert (width, height) == (WIDTH, HEIGHT)
    pixels = set()
    non_white = 0
    for row in rows[::4]:
        for x in range(0, width * bpp, bpp * 4):
            px = row[x:x + 3]
            pixels.add(px)
            non_white += px != b"\xff\xff\xff"
    assert non_white > 2000  # not a blank page
    # The indication chart's bars: green (valid), red (invalid), orange (indeterminate).
    for colour in (b"\x2e\x7d\x32", b"\xc6\x28\x28", b"\xef\x6c\x00"):
        assert colour in pixels, colour.hex()
