"""Write small PDFs, signatures and incremental updates for libsign tests.

A tiny object model, enough for the files this module writes itself: classic
cross-reference tables only (no xref streams, no object streams, no
compression). Every operation appends a proper incremental update.
"""

import datetime as _dt
import hashlib
import re

import cms_build
import der

DEFAULT_SIGNING_TIME = "2026-06-15T02:00:00Z"


# --------------------------------------------------------------------------
# Object model
# --------------------------------------------------------------------------

class Name(str):
    """A PDF name (stored without the slash)."""


class HexStr(bytes):
    """A string written as <hex>."""


class Raw(bytes):
    """Bytes written verbatim (placeholders)."""


class Ref(tuple):
    def __new__(cls, num, gen=0):
        return super().__new__(cls, (num, gen))

    num = property(lambda self: self[0])
    gen = property(lambda self: self[1])


class Stream:
    def __init__(self, attrs, data):
        self.attrs = attrs
        self.data = data


def text_string(text):
    """A PDF text string: ASCII as is, anything else as UTF-16BE with BOM."""
    if text.isascii():
        return text.encode("ascii")
    return b"\xfe\xff" + text.encode("utf-16-be")


# PDFDocEncoding where it differs from Latin-1 (ISO 32000-2 table D.2), written out
# here so the fixtures do not depend on the reader under test.
_PDFDOC_SPECIAL = {
    0x18: "\u02d8", 0x19: "\u02c7", 0x1A: "\u02c6", 0x1B: "\u02d9",
    0x1C: "\u02dd", 0x1D: "\u02db", 0x1E: "\u02da", 0x1F: "\u02dc",
    0x80: "\u2022", 0x81: "\u2020", 0x82: "\u2021", 0x83: "\u2026",
    0x84: "\u2014", 0x85: "\u2013", 0x86: "\u0192", 0x87: "\u2044",
    0x88: "\u2039", 0x89: "\u203a", 0x8A: "\u2212", 0x8B: "\u2030",
    0x8C: "\u201e", 0x8D: "\u201c", 0x8E: "\u201d", 0x8F: "\u2018",
    0x90: "\u2019", 0x91: "\u201a", 0x92: "\u2122", 0x93: "\ufb01",
    0x94: "\ufb02", 0x95: "\u0141", 0x96: "\u0152", 0x97: "\u0160",
    0x98: "\u0178", 0x99: "\u017d", 0x9A: "\u0131", 0x9B: "\u0142",
    0x9C: "\u0153", 0x9D: "\u0161", 0x9E: "\u017e", 0xA0: "\u20ac",
}
_PDFDOC_ENCODE = {ch: code for code, ch in _PDFDOC_SPECIAL.items()}


def encode_text(text, encoding="auto"):
    """A PDF text string in a chosen encoding: "auto" (text_string), "utf16be"
    and "utf16le" (with their BOMs; little-endian is not in the standard but
    written by some tools), "utf8bom" (PDF 2.0), "pdfdoc" (PDFDocEncoding)."""
    if encoding == "auto":
        return text_string(text)
    if encoding == "utf16be":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if encoding == "utf16le":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf8bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if encoding == "pdfdoc":
        out = bytearray()
        for ch in text:
            if ch in _PDFDOC_ENCODE:
                out.append(_PDFDOC_ENCODE[ch])
            elif ord(ch) < 0x80 or (0xA1 <= ord(ch) <= 0xFF and ord(ch) != 0xAD):
                out.append(ord(ch))
            else:
                raise ValueError("%r has no PDFDocEncoding code" % ch)
        return bytes(out)
    raise ValueError("unknown text encoding %r" % encoding)


def decode_text(data):
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be")
    return data.decode("latin-1")


def pdf_date(when):
    when = when.astimezone(_dt.timezone.utc)
    return when.strftime("D:%Y%m%d%H%M%S+00'00'").encode("ascii")


# --- serialisation --------------------------------------------------------

_NAME_PLAIN = re.compile(r"[!-~]")
_NAME_SPECIAL = set("()<>[]{}/%#")


def _name_bytes(name):
    out = "/"
    for ch in name:
        if _NAME_PLAIN.fullmatch(ch) and ch not in _NAME_SPECIAL:
            out += ch
        else:
            out += "".join("#%02X" % b for b in ch.encode("utf-8"))
    return out.encode("ascii")


def _literal_bytes(data):
    out = bytearray(b"(")
    for b in data:
        if b in b"()\\":
            out += b"\\" + bytes([b])
        elif 0x20 <= b < 0x7F:
            out.append(b)
        else:
            out += b"\\%03o" % b  # keeps the file ASCII and EOL-safe
    return bytes(out + b")")


def serialize(value):
    if isinstance(value, Raw):
        return bytes(value)
    if isinstance(value, Name):
        return _name_bytes(value)
    if isinstance(value, Ref):
        return b"%d %d R" % value
    if isinstance(value, HexStr):
        return b"<" + value.hex().upper().encode() + b">"
    if isinstance(value, (bytes, bytearray)):
        return _literal_bytes(value)
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if value is None:
        return b"null"
    if isinstance(value, int):
        return str(value).encode()
    if isinstance(value, float):
        return ("%.4f" % value).rstrip("0").rstrip(".").encode()
    if isinstance(value, list):
        return b"[" + b" ".join(serialize(v) for v in value) + b"]"
    if isinstance(value, dict):
        items = b"".join(_name_bytes(k) + b" " + serialize(v) + b"\n"
                         for k, v in value.items())
        return b"<<\n" + items + b">>"
    if isinstance(value, Stream):
        attrs = dict(value.attrs, Length=len(value.data))
        return serialize(attrs) + b"\nstream\n" + value.data + b"\nendstream"
    raise TypeError("cannot serialise %r" % (value,))


def serialize_object(num, value, gen=0):
    return b"%d %d obj\n" % (num, gen) + serialize(value) + b"\nendobj\n"


# --- parsing --------------------------------------------------------------

_WS = b"\x00\t\n\x0c\r "
_DELIM = b"()<>[]{}/%"
_NUMBER = re.compile(rb"[+-]?(\d+\.?\d*|\.\d+)")
_REF_TAIL = re.compile(rb"\s+(\d+)\s+R(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])")


def _skip_ws(data, pos):
    while pos < len(data):
        if data[pos] in _WS:
            pos += 1
        elif data[pos] == 0x25:  # % comment to end of line
            while pos < len(data) and data[pos] not in b"\r\n":
                pos += 1
        else:
            break
    return pos


def _parse_literal(data, pos):
    out, depth, pos = bytearray(), 1, pos + 1
    escapes = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t",
               ord("b"): b"\b", ord("f"): b"\f"}
    while True:
        b = data[pos]
        if b == 0x5C:  # backslash
            nxt = data[pos + 1]
            if nxt in escapes:
                out += escapes[nxt]
                pos += 2
            elif 0x30 <= nxt <= 0x37:
                m = re.match(rb"[0-7]{1,3}", data[pos + 1:pos + 4])
                out.append(int(m.group(), 8) & 0xFF)
                pos += 1 + len(m.group())
            elif nxt in b"\r\n":  # line continuation
                pos += 2 + (data[pos + 1:pos + 3] == b"\r\n")
            else:
                out.append(nxt)
                pos += 2
            continue
        if b == 0x28:
            depth += 1
        elif b == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), pos + 1
        out.append(b)
        pos += 1


def parse_value(data, pos):
    """Parse one PDF object at data[pos:]; returns (value, end position)."""
    pos = _skip_ws(data, pos)
    head = data[pos:pos + 2]
    if head == b"<<":
        result, pos = {}, pos + 2
        while True:
            pos = _skip_ws(data, pos)
            if data[pos:pos + 2] == b">>":
                return result, pos + 2
            key, pos = parse_value(data, pos)
            result[str(key)], pos = parse_value(data, pos)
    if head[:1] == b"<":
        end = data.index(b">", pos)
        hexdigits = re.sub(rb"\s", b"", data[pos + 1:end])
        if len(hexdigits) % 2:
            hexdigits += b"0"
        return HexStr(bytes.fromhex(hexdigits.decode())), end + 1
    if head[:1] == b"[":
        result, pos = [], pos + 1
        while True:
            pos = _skip_ws(data, pos)
            if data[pos:pos + 1] == b"]":
                return result, pos + 1
            item, pos = parse_value(data, pos)
            result.append(item)
    if head[:1] == b"(":
        return _parse_literal(data, pos)
    if head[:1] == b"/":
        end = pos + 1
        while end < len(data) and data[end] not in _WS + _DELIM:
            end += 1
        raw = re.sub(rb"#([0-9A-Fa-f]{2})",
                     lambda m: bytes([int(m.group(1), 16)]), data[pos + 1:end])
        return Name(raw.decode("utf-8")), end
    m = _NUMBER.match(data, pos)
    if m:
        text = m.group()
        if b"." in text:
            return float(text), m.end()
        ref = _REF_TAIL.match(data, m.end())
        if ref:
            return Ref(int(text), int(ref.group(1))), ref.end()
        return int(text), m.end()
    for word, value in ((b"true", True), (b"false", False), (b"null", None)):
        if data.startswith(word, pos):
            return value, pos + len(word)
    raise ValueError("cannot parse PDF object at offset %d: %r"
                     % (pos, data[pos:pos + 20]))


class Pdf:
    """Read access to a PDF with classic xref tables (all sections, via /Prev)."""

    def __init__(self, data):
        self.data = data
        pos = data.rfind(b"startxref")
        if pos < 0:
            raise ValueError("no startxref")
        self.startxref = int(data[pos + 9:pos + 40].split()[0])
        self.offsets = {}
        self.trailer = None
        xref = self.startxref
        while xref is not None:
            trailer = self._read_xref(xref)
            if self.trailer is None:
                self.trailer = trailer
            xref = trailer.get("Prev")

    def _read_xref(self, pos):
        if not self.data.startswith(b"xref", pos):
            raise ValueError("no classic xref table at %d (xref streams unsupported)" % pos)
        end = self.data.index(b"trailer", pos)
        tokens = self.data[pos + 4:end].split()
        i = 0
        while i < len(tokens):
            start, count = int(tokens[i]), int(tokens[i + 1])
            i += 2
            for k in range(count):
                offset, _gen, kind = tokens[i:i + 3]
                i += 3
                # Newer sections are read first: keep the first entry seen.
                if kind == b"n" and start + k not in self.offsets:
                    self.offsets[start + k] = int(offset)
        trailer, _ = parse_value(self.data, end + 7)
        return trailer

    @property
    def size(self):
        return self.trailer["Size"]

    def get(self, ref):
        """Parse object `ref` afresh (callers may modify the result)."""
        pos = self.offsets[ref.num]
        m = re.compile(rb"(\d+)\s+(\d+)\s+obj").match(self.data, pos)
        if not m or int(m.group(1)) != ref.num:
            raise ValueError("object %d not found at offset %d" % (ref.num, pos))
        value, pos = parse_value(self.data, m.end())
        pos = _skip_ws(self.data, pos)
        if self.data.startswith(b"stream", pos):
            pos += 6
            pos += 2 if self.data[pos:pos + 2] == b"\r\n" else 1
            length = self.resolve(value["Length"])
            value = Stream(value, self.data[pos:pos + length])
            value.attrs.pop("Length")
        return value

    def resolve(self, value):
        return self.get(value) if isinstance(value, Ref) else value


# --------------------------------------------------------------------------
# Writing: full files and incremental updates
# --------------------------------------------------------------------------

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def _xref_section(offsets, with_free_head):
    """Classic xref text for {num: offset}, grouped in contiguous subsections."""
    entries = dict(offsets)
    lines = [b"xref\n"]
    if with_free_head:
        entries[0] = None
    nums = sorted(entries)
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        lines.append(b"%d %d\n" % (nums[i], j - i + 1))
        for num in nums[i:j + 1]:
            if entries[num] is None:
                lines.append(b"0000000000 65535 f\r\n")
            else:
                lines.append(b"%010d 00000 n\r\n" % entries[num])
        i = j + 1
    return b"".join(lines)


def _tail(xref_pos, trailer):
    return (b"trailer\n" + serialize(trailer) + b"\nstartxref\n%d\n%%%%EOF\n"
            % xref_pos)


def write_full(objects, root, info, file_id):
    """A complete PDF from {num: value}; objects numbered 1..n."""
    out = bytearray(HEADER)
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += serialize_object(num, objects[num])
    xref_pos = len(out)
    out += _xref_section(offsets, with_free_head=True)
    trailer = {"Size": max(objects) + 1, "Root": root, "Info": info,
               "ID": [HexStr(file_id), HexStr(file_id)]}
    out += _tail(xref_pos, trailer)
    return bytes(out)


class Update:
    """Collects new and rewritten objects, then appends them as one update."""

    def __init__(self, data):
        self.data = data
        self.pdf = Pdf(data)
        self.changed = {}
        self.next_num = self.pdf.size

    def get(self, ref):
        if ref.num in self.changed:
            return self.changed[ref.num]
        return self.pdf.get(ref)

    def resolve(self, value):
        return self.get(value) if isinstance(value, Ref) else value

    def put(self, ref, value):
        self.changed[ref.num] = value

    def add(self, value):
        ref = Ref(self.next_num)
        self.next_num += 1
        self.changed[ref.num] = value
        return ref

    @property
    def root_ref(self):
        return self.pdf.trailer["Root"]

    def write(self):
        """Return (new file bytes, {num: offset of the object})."""
        out = bytearray(self.data)
        if not out.endswith(b"\n"):
            out += b"\n"
        offsets = {}
        for num in sorted(self.changed):
            offsets[num] = len(out)
            out += serialize_object(num, self.changed[num])
        xref_pos = len(out)
        out += _xref_section(offsets, with_free_head=False)
        trailer = {"Size": self.next_num, "Root": self.root_ref}
        for key in ("Info", "ID"):
            if key in self.pdf.trailer:
                trailer[key] = self.pdf.trailer[key]
        if "ID" in trailer:
            # Second identifier changes with each update (ISO 32000-1 14.4).
            second = hashlib.md5(bytes(out[-64:]) + b"%d" % xref_pos).digest()
            trailer["ID"] = [trailer["ID"][0], HexStr(second)]
        trailer["Prev"] = self.pdf.startxref
        out += _tail(xref_pos, trailer)
        return bytes(out), offsets


# --------------------------------------------------------------------------
# Document navigation helpers (for the documents this module writes)
# --------------------------------------------------------------------------

def _pages(upd):
    """Refs of the leaf pages in order."""
    result = []

    def walk(ref):
        node = upd.get(ref)
        if node.get("Type") == "Page":
            result.append(ref)
        for kid in node.get("Kids", []):
            walk(kid)

    walk(upd.get(upd.root_ref)["Pages"])
    return result


def _iter_fields(upd, fields, prefix=""):
    for ref in fields:
        field = upd.get(ref)
        name = prefix + decode_text(field.get("T", b""))
        yield name, ref, field
        if "Kids" in field:
            yield from _iter_fields(upd, field["Kids"], name + ".")


def _find_field(upd, name):
    form = _acroform(upd)
    for full, ref, field in _iter_fields(upd, form.get("Fields", [])):
        if full == name:
            return ref, field
    return None, None


def _acroform(upd):
    catalog = upd.get(upd.root_ref)
    return upd.resolve(catalog.get("AcroForm", {}))


def _update_acroform(upd, change):
    """Apply change(dict) to the AcroForm, wherever it lives (indirect or in
    the Catalog), rewriting the owning object."""
    catalog = upd.get(upd.root_ref)
    form_ref = catalog.get("AcroForm")
    if isinstance(form_ref, Ref):
        form = upd.get(form_ref)
        change(form)
        upd.put(form_ref, form)
    else:
        form = form_ref or {"Fields": []}
        change(form)
        catalog["AcroForm"] = form
        upd.put(upd.root_ref, catalog)


def _append_annot(upd, page_ref, annot_ref):
    page = upd.get(page_ref)
    annots = page.get("Annots", [])
    if isinstance(annots, Ref):
        arr = upd.get(annots)
        arr.append(annot_ref)
        upd.put(annots, arr)
    else:
        page["Annots"] = annots + [annot_ref]
        upd.put(page_ref, page)


def _form_font(upd):
    """(resource name, font ref) usable in appearance streams."""
    fonts = upd.resolve(upd.resolve(_acroform(upd).get("DR", {})).get("Font", {}))
    if fonts:
        name = next(iter(fonts))
        return name, fonts[name]
    page = upd.get(_pages(upd)[0])
    fonts = upd.resolve(upd.resolve(page["Resources"])["Font"])
    name = next(iter(fonts))
    return name, fonts[name]


# --------------------------------------------------------------------------
# Base document
# --------------------------------------------------------------------------

PAGE_TEXT = b"BT /F1 12 Tf 72 720 Td (Ho so) Tj ET\n"


def base_pdf(pages=1, title="Hồ sơ thử nghiệm", text_field=None,
             empty_sig_field=None):
    """A valid PDF with `pages` A4 pages, optional text field and unsigned
    signature field (both on page 1). Deterministic."""
    objects = {1: {"Type": Name("Catalog"), "Pages": Ref(2)}}
    font = Ref(3)
    objects[3] = {"Type": Name("Font"), "Subtype": Name("Type1"),
                  "BaseFont": Name("Helvetica"), "Encoding": Name("WinAnsiEncoding")}
    num = 4
    page_refs = []
    for _ in range(pages):
        objects[num] = Stream({}, PAGE_TEXT)
        objects[num + 1] = {"Type": Name("Page"), "Parent": Ref(2),
                            "MediaBox": [0, 0, 595, 842], "Contents": Ref(num),
                            "Resources": {"Font": {"F1": font}}}
        page_refs.append(Ref(num + 1))
        num += 2
    objects[2] = {"Type": Name("Pages"), "Kids": page_refs, "Count": pages}
    info = Ref(num)
    objects[num] = {"Title": text_string(title), "Producer": b"libsign test fixtures",
                    "CreationDate": b"D:20260601000000+00'00'"}
    num += 1

    fields = []
    if text_field:
        fields.append(Ref(num))
        objects[num] = {"Type": Name("Annot"), "Subtype": Name("Widget"),
                        "FT": Name("Tx"), "T": text_string(text_field),
                        "Rect": [72, 640, 300, 660], "F": 4, "P": page_refs[0],
                        "DA": b"/Helv 10 Tf 0 g"}
        num += 1
    if empty_sig_field:
        fields.append(Ref(num))
        objects[num] = _sig_widget(empty_sig_field, page_refs[0], None)
        num += 1
    if fields:
        objects[1]["AcroForm"] = Ref(num)
        objects[num] = {"Fields": fields, "DA": b"/Helv 0 Tf 0 g",
                        "DR": {"Font": {"Helv": font}}}
        objects[page_refs[0].num]["Annots"] = list(fields)
    file_id = hashlib.md5(("libsign-fixture:%s:%d:%s:%s" % (
        title, pages, text_field, empty_sig_field)).encode()).digest()
    return write_full(objects, Ref(1), info, file_id)


def _sig_widget(name, page_ref, sig_ref, name_encoding="auto"):
    widget = {"Type": Name("Annot"), "Subtype": Name("Widget"), "FT": Name("Sig"),
              "T": encode_text(name, name_encoding), "Rect": [0, 0, 0, 0], "F": 132,
              "P": page_ref}
    if sig_ref is not None:
        widget["V"] = sig_ref
    return widget


# --------------------------------------------------------------------------
# Signing
# --------------------------------------------------------------------------

BYTERANGE_WIDTH = 44  # room for "0 a b c" with 10-digit numbers


def parse_options(text):
    """'chain=full,pss,tst=...' -> {'chain': 'full', 'pss': True, 'tst': '...'}."""
    result = {}
    for item in filter(None, (t.strip() for t in (text or "").split(","))):
        if item == "-":
            continue
        key, sep, value = item.partition("=")
        result[key] = value if sep else True
    return result


def _add_signature(pdf_bytes, sig_dict, field_name, certify=False,
                   in_acroform=True, shared_with=(), name_encoding="auto"):
    """Append an update with the signature dictionary and its field; returns
    (bytes, offset of the signature object). With in_acroform=False the new
    field is only put in the page's /Annots (as some tools do); each name in
    `shared_with` gets one more field whose /V is the same signature value."""
    upd = Update(pdf_bytes)
    sig_ref = upd.add(sig_dict)
    page_ref = _pages(upd)[0]
    field_ref, field = _find_field(upd, field_name)
    new_fields = []
    if field is not None:
        if field.get("FT") != "Sig" or "V" in field:
            raise ValueError("field %r is not an empty signature field" % field_name)
        field["V"] = sig_ref
        upd.put(field_ref, field)
    else:
        field_ref = upd.add(_sig_widget(field_name, page_ref, sig_ref, name_encoding))
        _append_annot(upd, page_ref, field_ref)
        new_fields.append(field_ref)
    for other in shared_with:
        other_ref = upd.add(_sig_widget(other, page_ref, sig_ref, name_encoding))
        _append_annot(upd, page_ref, other_ref)
        new_fields.append(other_ref)

    def change(form):
        form["Fields"] = list(upd.resolve(form.get("Fields", []))) + new_fields
        form["SigFlags"] = 3

    if in_acroform:
        _update_acroform(upd, change)
    if certify:
        catalog = upd.get(upd.root_ref)
        catalog["Perms"] = {"DocMDP": sig_ref}
        upd.put(upd.root_ref, catalog)
    data, offsets = upd.write()
    return data, offsets[sig_ref.num]


def _fill_signature(data, sig_offset, contents_size, make_contents):
    """Fix /ByteRange, then put make_contents(signed bytes) into /Contents."""
    br_pos = data.index(b"/ByteRange [", sig_offset) + len(b"/ByteRange [")
    start = data.index(b"/Contents <", sig_offset) + len(b"/Contents ")
    end = start + 2 * contents_size + 2  # just after '>'
    assert data[end - 1:end] == b">"
    ranges = b"0 %d %d %d" % (start, end, len(data) - end)
    data = data[:br_pos] + ranges.ljust(BYTERANGE_WIDTH) + data[br_pos + BYTERANGE_WIDTH:]
    blob = make_contents(data[:start] + data[end:])
    if len(blob) > contents_size:
        raise ValueError("CMS is %d bytes, /Contents holds %d" % (len(blob), contents_size))
    hexed = blob.hex().upper().encode().ljust(2 * contents_size, b"0")
    return data[:start + 1] + hexed + data[end - 1:]


def _placeholders(contents_size):
    return (Raw(b"[" + b" " * BYTERANGE_WIDTH + b"]"),
            Raw(b"<" + b"0" * (2 * contents_size) + b">"))


def cms_kwargs(options, cert_der, chain_der, tsa=None, crls_der=None):
    """Map the CASES.tsv option vocabulary to cms_build.build_signed_data kwargs."""
    known = {"chain", "md", "pss", "sid", "noattrs", "ess", "sigvalue", "time",
             "tst", "tst_imprint", "crl"}
    unknown = set(options) - known
    if unknown:
        raise ValueError("unknown options: %s" % ", ".join(sorted(unknown)))
    chain = options.get("chain", "full")
    if chain not in ("full", "leaf"):
        raise ValueError("chain must be full or leaf")
    kwargs = {
        "certs_der": [cert_der] + (list(chain_der) if chain == "full" else []),
        "md": options.get("md", "sha256"),
        "pss": bool(options.get("pss")),
        "sid": options.get("sid", "issuer"),
        "signed_attrs": not options.get("noattrs"),
        "ess": options.get("ess", "v2"),
        "ess_other_cert_der": chain_der[0] if chain_der else None,
        "signing_time": cms_build.parse_time(options.get("time", DEFAULT_SIGNING_TIME)),
        "sigvalue_corrupt": options.get("sigvalue") == "corrupt",
        "tst_imprint_bad": options.get("tst_imprint") == "bad",
    }
    if options.get("tst"):
        if tsa is None:
            raise ValueError("option tst needs a TSA")
        kwargs["tsa"] = tsa
        kwargs["tst_time"] = cms_build.parse_time(options["tst"])
    if options.get("crl") == "embed":
        if not crls_der:
            raise ValueError("option crl=embed needs CRLs")
        kwargs["crls_der"] = list(crls_der)
    return kwargs


def sign(pdf_bytes, key_path, cert_path, chain_paths, field_name="Signature1",
         subfilter="ETSI.CAdES.detached", options=None, contents_size=16384,
         certify_p=None, tsa=None, crls_der=None, in_acroform=True,
         shared_with=(), name_encoding="auto", reason=None, location=None):
    """Sign as an incremental update. `options` is a dict (or CASES.tsv option
    string); `tsa` is a cms_build.Tsa for tst=..., `crls_der` for crl=embed.
    in_acroform, shared_with: see _add_signature; name_encoding (encode_text)
    applies to the new fields' /T and to /Reason and /Location."""
    if isinstance(options, str) or options is None:
        options = parse_options(options)
    cert_der = der.read_certs(cert_path)[0]
    chain_der = [c for path in chain_paths for c in der.read_certs(path)]
    kwargs = cms_kwargs(options, cert_der, chain_der, tsa, crls_der)
    byte_range, contents = _placeholders(contents_size)
    sig = {"Type": Name("Sig"), "Filter": Name("Adobe.PPKLite"),
           "SubFilter": Name(subfilter), "ByteRange": byte_range,
           "Contents": contents, "M": pdf_date(kwargs["signing_time"])}
    if reason is not None:
        sig["Reason"] = encode_text(reason, name_encoding)
    if location is not None:
        sig["Location"] = encode_text(location, name_encoding)
    if certify_p is not None:
        sig["Reference"] = [{
            "Type": Name("SigRef"), "TransformMethod": Name("DocMDP"),
            "TransformParams": {"Type": Name("TransformParams"), "P": certify_p,
                                "V": Name("1.2")}}]
    data, sig_offset = _add_signature(pdf_bytes, sig, field_name,
                                      certify=certify_p is not None,
                                      in_acroform=in_acroform,
                                      shared_with=shared_with,
                                      name_encoding=name_encoding)
    return _fill_signature(
        data, sig_offset, contents_size,
        lambda signed: cms_build.build_signed_data(
            signed, key_path, cert_der, **kwargs))


def add_doc_timestamp(pdf_bytes, tsa_key, tsa_cert, chain, gen_time,
                      field_name="DocTimeStamp1", contents_size=16384):
    """Append a PAdES document timestamp (/SubFilter /ETSI.RFC3161)."""
    if isinstance(gen_time, str):
        gen_time = cms_build.parse_time(gen_time)
    if isinstance(chain, str):
        chain = [chain]
    tsa = cms_build.Tsa(tsa_key, der.read_certs(tsa_cert)[0],
                        [c for path in chain for c in der.read_certs(path)])
    byte_range, contents = _placeholders(contents_size)
    sig = {"Type": Name("DocTimeStamp"), "Filter": Name("Adobe.PPKLite"),
           "SubFilter": Name("ETSI.RFC3161"), "ByteRange": byte_range,
           "Contents": contents}
    data, sig_offset = _add_signature(pdf_bytes, sig, field_name)
    return _fill_signature(
        data, sig_offset, contents_size,
        lambda signed: cms_build.timestamp_token(
            hashlib.sha256(signed).digest(), tsa, gen_time))


# --------------------------------------------------------------------------
# Modifications after signing
# --------------------------------------------------------------------------

def _escape_text(text):
    return _literal_bytes(text.encode("cp1252", errors="replace"))


def fill_text_field(pdf, name, value):
    """Set /V of text field `name` and give its widget a new appearance."""
    upd = Update(pdf)
    ref, field = _find_field(upd, name)
    if field is None or field.get("FT") != "Tx":
        raise ValueError("no text field %r" % name)
    x1, y1, x2, y2 = field["Rect"]
    font_name, font_ref = _form_font(upd)
    content = (b"/Tx BMC\nq BT /" + font_name.encode() + b" 10 Tf 2 5 Td "
               + _escape_text(value) + b" Tj ET Q\nEMC\n")
    appearance = upd.add(Stream({
        "Type": Name("XObject"), "Subtype": Name("Form"),
        "BBox": [0, 0, x2 - x1, y2 - y1],
        "Resources": {"Font": {font_name: font_ref}}}, content))
    field["V"] = text_string(value)
    field["AP"] = {"N": appearance}
    upd.put(ref, field)
    return upd.write()[0]


def add_annotation(pdf, page_index=0, subtype="Text"):
    """Append a /Text (default) or /Square annotation to a page."""
    upd = Update(pdf)
    page_ref = _pages(upd)[page_index]
    annot = {"Type": Name("Annot"), "Subtype": Name(subtype),
             "Rect": [72, 560, 96, 584], "F": 4, "P": page_ref,
             "Contents": b"Reviewer note", "M": b"D:20260616000000+00'00'"}
    if subtype == "Square":
        annot["Rect"] = [72, 500, 172, 550]
        annot["C"] = [1, 0, 0]
    _append_annot(upd, page_ref, upd.add(annot))
    return upd.write()[0]


def change_page_content(pdf, page_index=0,
                        text=b"BT /F1 12 Tf 72 720 Td (Ho so da bi sua) Tj ET\n"):
    """Replace a page's content stream (a change no DocMDP level permits)."""
    upd = Update(pdf)
    page_ref = _pages(upd)[page_index]
    page = upd.get(page_ref)
    page["Contents"] = upd.add(Stream({}, text))
    upd.put(page_ref, page)
    return upd.write()[0]


def add_dss(pdf, certs_der=(), crls_der=(), ocsps_der=()):
    """Add (or replace) the Catalog's /DSS with /Certs, /CRLs, /OCSPs streams."""
    upd = Update(pdf)
    dss = {"Type": Name("DSS")}
    for key, items in (("Certs", certs_der), ("CRLs", crls_der), ("OCSPs", ocsps_der)):
        if items:
            dss[key] = [upd.add(Stream({}, bytes(item))) for item in items]
    catalog = upd.get(upd.root_ref)
    catalog["DSS"] = upd.add(dss)
    upd.put(upd.root_ref, catalog)
    return upd.write()[0]


def add_unreferenced_signature_value(pdf, subfilter="ETSI.CAdES.detached"):
    """Append an update with a signature dictionary that no field uses (and
    nothing else references); returns (bytes, its object number)."""
    upd = Update(pdf)
    ref = upd.add({"Type": Name("Sig"), "Filter": Name("Adobe.PPKLite"),
                   "SubFilter": Name(subfilter), "ByteRange": [0, 0, 0, 0],
                   "Contents": HexStr(b"\x30\x00")})
    data, _offsets = upd.write()
    return data, ref.num


def append_garbage(pdf, data=b"\n% junk after the end of file, not an update\n"):
    return pdf + data


def flip_byte(pdf, offset):
    out = bytearray(pdf)
    out[offset] ^= 0x01
    return bytes(out)


# --------------------------------------------------------------------------
# Inspection (used by the self-check)
# --------------------------------------------------------------------------

def signatures(pdf):
    """[(field name, sig dict with ByteRange list and Contents bytes)]."""
    upd = Update(pdf)
    found = []
    for name, _ref, field in _iter_fields(upd, _acroform(upd).get("Fields", [])):
        if field.get("FT") == "Sig" and "V" in field:
            found.append((name, upd.resolve(field["V"])))
    return found


def seal_png():
    """A 64x64 RGBA PNG: a red disc on a transparent background."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"".join(bytes([200, 20, 20, 255 if (x - 32) ** 2 + (y - 32) ** 2 < 900 else 0])
                                       for x in range(64)) for y in range(64))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
