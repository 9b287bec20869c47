"""Minimal DER encoding/decoding for the test-fixture generator.

Standard library only. Deliberately small: just what building CMS SignedData,
RFC 3161 tokens and reading a few X.509 fields needs.
"""

import base64
import datetime as _dt
import re

# Universal tags (single-byte identifiers)
BOOLEAN = 0x01
INTEGER_TAG = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
NULL_TAG = 0x05
OID_TAG = 0x06
UTF8STRING = 0x0C
SEQUENCE_TAG = 0x30
SET_TAG = 0x31
UTCTIME_TAG = 0x17
GENTIME_TAG = 0x18


# --------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------

def encode_length(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag, content):
    """One TLV with a single-byte identifier octet."""
    return bytes([tag]) + encode_length(len(content)) + content


def integer(n):
    # Two's complement, minimal length (a leading 0x00 keeps positives positive).
    magnitude = n if n >= 0 else ~n
    length = (magnitude.bit_length() + 8) // 8
    return tlv(INTEGER_TAG, n.to_bytes(length, "big", signed=True))


def boolean(value):
    return tlv(BOOLEAN, b"\xff" if value else b"\x00")


def null():
    return b"\x05\x00"


def octet_string(data):
    return tlv(OCTET_STRING, bytes(data))


def bit_string(data, unused_bits=0):
    return tlv(BIT_STRING, bytes([unused_bits]) + bytes(data))


def utf8_string(text):
    return tlv(UTF8STRING, text.encode("utf-8"))


def _base128(value):
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def oid(dotted):
    arcs = [int(a) for a in dotted.split(".")]
    body = _base128(arcs[0] * 40 + arcs[1])
    for arc in arcs[2:]:
        body += _base128(arc)
    return tlv(OID_TAG, body)


def sequence(*items):
    return tlv(SEQUENCE_TAG, b"".join(items))


def der_sorted(items):
    """DER order for SET OF: by encoding, shorter values padded with zeros."""
    width = max((len(i) for i in items), default=0)
    return sorted(items, key=lambda i: i.ljust(width, b"\x00"))


def set_of(*items, sort=True):
    items = der_sorted(items) if sort else list(items)
    return tlv(SET_TAG, b"".join(items))


def _as_utc(when):
    if when.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    return when.astimezone(_dt.timezone.utc)


def utc_time(when):
    # UTCTime covers 1950-2049 only (RFC 5280 rule, reused by CMS signingTime).
    when = _as_utc(when)
    if not 1950 <= when.year <= 2049:
        raise ValueError("UTCTime year out of range: %d" % when.year)
    return tlv(UTCTIME_TAG, when.strftime("%y%m%d%H%M%SZ").encode("ascii"))


def generalized_time(when):
    when = _as_utc(when)
    text = when.strftime("%Y%m%d%H%M%S")
    if when.microsecond:
        # DER: fraction without trailing zeros
        text += ("." + "%06d" % when.microsecond).rstrip("0")
    return tlv(GENTIME_TAG, (text + "Z").encode("ascii"))


def explicit(number, content):
    """[number] EXPLICIT: a constructed context tag wrapping a full TLV."""
    return tlv(0xA0 | number, content)


def implicit(number, content, constructed=False):
    """[number] IMPLICIT: content octets (no inner header) under a context tag."""
    return tlv((0xA0 if constructed else 0x80) | number, content)


def retag(encoded, new_tag):
    """Replace the identifier octet of an encoded TLV (for IMPLICIT re-tagging)."""
    return bytes([new_tag]) + encoded[1:]


def algorithm_identifier(dotted, params=None):
    if params is None:
        return sequence(oid(dotted))
    return sequence(oid(dotted), params)


# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------

class Node:
    """One parsed TLV. `raw` is the full encoding, `value` the content octets."""

    def __init__(self, data, offset):
        pos = offset
        first = data[pos]
        pos += 1
        number = first & 0x1F
        if number == 0x1F:  # high tag number form
            number = 0
            while True:
                b = data[pos]
                pos += 1
                number = (number << 7) | (b & 0x7F)
                if not b & 0x80:
                    break
        length = data[pos]
        pos += 1
        if length & 0x80:
            count = length & 0x7F
            if count == 0:
                raise ValueError("indefinite length is not DER")
            length = int.from_bytes(data[pos:pos + count], "big")
            pos += count
        if pos + length > len(data):
            raise ValueError("TLV at %d runs past the end" % offset)
        self.tag = first                      # identifier octet (first byte)
        self.cls = first >> 6                 # 0 universal, 2 context, ...
        self.constructed = bool(first & 0x20)
        self.number = number
        self.offset = offset
        self.header_len = pos - offset
        self.length = length
        self.end = pos + length
        self.raw = bytes(data[offset:self.end])
        self.value = bytes(data[pos:self.end])
        self.children = parse_all(self.value) if self.constructed else []

    def __getitem__(self, index):
        return self.children[index]

    def __len__(self):
        return len(self.children)

    def __repr__(self):
        return "<Node tag=0x%02x len=%d children=%d>" % (
            self.tag, self.length, len(self.children))


def parse(data):
    """Parse exactly one TLV spanning all of `data`."""
    node = Node(data, 0)
    if node.end != len(data):
        raise ValueError("%d trailing bytes after TLV" % (len(data) - node.end))
    return node


def parse_all(data):
    nodes, pos = [], 0
    while pos < len(data):
        node = Node(data, pos)
        nodes.append(node)
        pos = node.end
    return nodes


def decode_integer(node):
    return int.from_bytes(node.value, "big", signed=True)


def decode_oid(node):
    arcs, value = [], 0
    for b in node.value:
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(a) for a in [first, arcs[0] - 40 * first] + arcs[1:])


def decode_time(node):
    text = node.value.decode("ascii")
    if node.tag == UTCTIME_TAG:
        when = _dt.datetime.strptime(text, "%y%m%d%H%M%SZ")
    else:
        fmt = "%Y%m%d%H%M%S.%fZ" if "." in text else "%Y%m%d%H%M%SZ"
        when = _dt.datetime.strptime(text, fmt)
    return when.replace(tzinfo=_dt.timezone.utc)


# --------------------------------------------------------------------------
# PEM and X.509 helpers
# --------------------------------------------------------------------------

_PEM_RE = re.compile(
    rb"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.S)


def pem_blocks(text, label="CERTIFICATE"):
    """All DER blocks with the given PEM label, in file order."""
    if isinstance(text, str):
        text = text.encode("ascii")
    return [base64.b64decode(body) for name, body in _PEM_RE.findall(text)
            if name.decode() == label]


def read_certs(path):
    """Certificates (DER) from a PEM file (or a single DER certificate)."""
    with open(path, "rb") as f:
        data = f.read()
    if b"-----BEGIN" in data:
        return pem_blocks(data)
    return [data]


def to_pem(der, label="CERTIFICATE"):
    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (
        label, "\n".join(lines), label)


def _tbs(cert_der):
    tbs = parse(cert_der)[0]
    # Skip the optional [0] EXPLICIT version so index 0 is the serial.
    return tbs.children[1:] if tbs[0].tag == 0xA0 else tbs.children


def cert_serial(cert_der):
    return decode_integer(_tbs(cert_der)[0])


def cert_serial_der(cert_der):
    """The serial number as encoded (INTEGER TLV) in the certificate."""
    return _tbs(cert_der)[0].raw


def cert_issuer_der(cert_der):
    return _tbs(cert_der)[2].raw


def cert_subject_der(cert_der):
    return _tbs(cert_der)[4].raw


def cert_spki(cert_der):
    return _tbs(cert_der)[5]


def cert_public_key_algorithm(cert_der):
    """OID of SubjectPublicKeyInfo.algorithm (rsaEncryption, id-ecPublicKey...)."""
    return decode_oid(cert_spki(cert_der)[0][0])


def cert_extensions(cert_der):
    """{oid: (critical, extnValue bytes)} for the certificate's extensions."""
    result = {}
    for field in _tbs(cert_der)[6:]:
        if field.tag != 0xA3:
            continue
        for ext in field[0].children:
            critical = len(ext) == 3 and ext[1].value != b"\x00"
            result[decode_oid(ext[0])] = (critical, ext[-1].value)
    return result


def cert_ski(cert_der):
    """SubjectKeyIdentifier bytes, or None when the extension is absent."""
    ext = cert_extensions(cert_der).get("2.5.29.14")
    return parse(ext[1]).value if ext else None


def crl_issuer_der(crl_der):
    tbs = parse(crl_der)[0]
    # TBSCertList: version INTEGER OPTIONAL, signature AlgorithmIdentifier, issuer Name
    fields = tbs.children[1:] if tbs[0].tag == INTEGER_TAG else tbs.children
    return fields[1].raw
