"""Checks of visible signature appearances for the CLI and Python tests: rendering with pdftoppm and
comparison with committed reference renderings (8-bit gray PNGs), the appearance stream read with qpdf,
word boxes from pdftotext. Only the standard library and poppler-utils / qpdf."""
import base64
import json
import math
import os
import pathlib
import re
import struct
import subprocess
import zlib

DPI = 144  # 2 px per point: small references, 6 pt text still legible
# Allowed between a rendering and its reference (made with poppler 22.12, Debian 12): a mean absolute
# difference (0-255) that absorbs anti-aliasing noise, and a share of pixels changed by more than 100
# levels, which catches a moved, missing or resized element and even one word added to a line (~0.14 %).
TOLERANCE = 3.0
STRONG_CHANGE_SHARE = 0.001
UPDATE_ENV = "LIBSIGN_UPDATE_APPEARANCE_REFS"


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def rgba_png(width, height, pixel):
    """A PNG from pixel(x, y) -> (r, g, b, a)."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)) +
            _chunk(b"IDAT", zlib.compress(rows, 9)) + _chunk(b"IEND", b""))


def signature_png():
    """A 120x48 handwritten-looking blue stroke on a transparent background."""
    def pixel(x, y):
        centre = 24 + 12 * math.sin(x / 9.0)
        return (20, 40, 170, 255 if abs(y - centre) < 2.2 and 8 <= x <= 112 else 0)
    return rgba_png(120, 48, pixel)


def write_gray_png(path, width, height, pixels):
    rows = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))
    pathlib.Path(path).write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) +
                                   _chunk(b"IDAT", zlib.compress(rows, 9)) + _chunk(b"IEND", b""))


def read_gray_png(path):
    """(width, height, pixels) of an 8-bit gray, non-interlaced PNG (what write_gray_png writes)."""
    data = pathlib.Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat = 8, b""
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert (depth, colour, interlace) == (8, 0, 0)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw = zlib.decompress(idat)
    out, previous = bytearray(), bytearray(width)
    for y in range(height):
        kind, row = raw[y * (width + 1)], bytearray(raw[y * (width + 1) + 1:(y + 1) * (width + 1)])
        for x in range(width):
            a = row[x - 1] if x else 0
            b, c = previous[x], previous[x - 1] if x else 0
            if kind == 1:
                row[x] = (row[x] + a) & 255
            elif kind == 2:
                row[x] = (row[x] + b) & 255
            elif kind == 3:
                row[x] = (row[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += row
        previous = row
    return width, height, bytes(out)


def render_rect(pdf, rect, folder, page_height=842.0):
    """Renders `rect` (x1, y1, x2, y2 in points) of page 1 in gray at DPI: (width, height, pixels)."""
    scale = DPI / 72.0
    x, y = round(rect[0] * scale), round((page_height - rect[3]) * scale)
    w, h = round((rect[2] - rect[0]) * scale), round((rect[3] - rect[1]) * scale)
    stem = pathlib.Path(folder) / "render"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-f", "1", "-l", "1", "-x", str(x), "-y", str(y), "-W", str(w),
                    "-H", str(h), str(pdf), str(stem)], check=True)
    data = next(pathlib.Path(folder).glob("render*.pgm")).read_bytes()
    magic, size, maxval, pixels = data.split(b"\n", 3)
    assert magic == b"P5" and maxval == b"255"
    width, height = map(int, size.split())
    for f in pathlib.Path(folder).glob("render*.pgm"):
        f.unlink()
    return width, height, pixels[:width * height]


def mean_abs_diff(a, b):
    assert len(a) == len(b)
    return sum(abs(x - y) for x, y in zip(a, b)) / len(a)


def ink(pixels, threshold=128):
    return sum(1 for p in pixels if p < threshold)


def compare_to_reference(rendering, reference):
    """(mean absolute difference, share of pixels changed by more than 100 levels) to the committed
    reference (rewritten when UPDATE_ENV is set)."""
    width, height, pixels = rendering
    if os.environ.get(UPDATE_ENV):
        write_gray_png(reference, width, height, pixels)
    ref_width, ref_height, ref_pixels = read_gray_png(reference)
    assert (width, height) == (ref_width, ref_height), f"{reference}: size {width}x{height}, reference {ref_width}x{ref_height}"
    strong = sum(1 for x, y in zip(pixels, ref_pixels) if abs(x - y) > 100) / len(pixels)
    return mean_abs_diff(pixels, ref_pixels), strong


def _objects(pdf):
    out = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline", "--decode-level=generalized",
                          str(pdf), "-"], capture_output=True, check=True).stdout
    return json.loads(out)["qpdf"][1]


def signature_appearance(pdf, field=None):
    """(rect, content stream text) of the signature widget named `field` (the only one if None)."""
    objects = _objects(pdf)
    widgets = [v["value"] for v in objects.values() if isinstance(v.get("value"), dict) and v["value"].get("/FT") == "/Sig"
               and (field is None or v["value"].get("/T") == "u:" + field)]
    assert len(widgets) == 1, widgets
    widget = widgets[0]
    stream = objects["obj:" + widget["/AP"]["/N"]]["stream"]
    return widget["/Rect"], base64.b64decode(stream["data"]).decode("latin-1")


def font_sizes(content):
    return [float(m) for m in re.findall(r"([-\d.]+) Tf", content)]


def image_boxes(content):
    """name -> (x, y, width, height) of each image drawn as `q w 0 0 h x y cm /Name Do Q`."""
    return {name: (float(x), float(y), float(w), float(h))
            for w, h, x, y, name in re.findall(r"q ([-\d.]+) 0 0 ([-\d.]+) ([-\d.]+) ([-\d.]+) cm /(\w+) Do Q", content)}


def horizontal_overlap(seal, signature):
    """Part of the signature image's width the seal covers (boxes as image_boxes gives them)."""
    sx, sy, sw, sh = seal
    gx, gy, gw, gh = signature
    if min(sy + sh, gy + gh) <= max(sy, gy):
        return 0.0
    return max(0.0, min(sx + sw, gx + gw) - max(sx, gx)) / gw


def word_boxes(pdf, page_height=842.0):
    """(word, x1, y1, x2, y2) in PDF points (origin lower-left) from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    out = []
    for x1, y1, x2, y2, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html):
        out.append((word, float(x1), page_height - float(y2), float(x2), page_height - float(y1)))
    return out
