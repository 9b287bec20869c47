"""Hostile inputs, one generator per class (tests/interop/test_hostile_inputs.py runs them).

Each PDF case is an incremental update appended to a signed dossier, so the verifier meets the
hostile part while it has a real signature to report on. Standard library only.
"""
import zlib

import cms_build
import der

# --------------------------------------------------------------------------
# PDF updates written byte by byte (pdfgen cannot write broken things on purpose)
# --------------------------------------------------------------------------


def startxref_of(pdf):
    tail = pdf[pdf.rindex(b"startxref"):]
    return int(tail.split()[1])


def trailer_size(pdf):
    at = pdf.rindex(b"/Size")
    return int(pdf[at + 5:at + 40].split()[0].rstrip(b"/>"))


def root_ref(pdf):
    at = pdf.rindex(b"/Root")
    num, gen = pdf[at + 5:at + 40].split()[:2]
    return int(num), int(gen)


def append_update(pdf, objects, trailer_extra=b"", size=None, prev=None):
    """Appends {num: body bytes} with a classic xref section; `prev`/`size` override the trailer."""
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for num in sorted(offsets):
        out += b"%d 1\n%010d 00000 n\r\n" % (num, offsets[num])
    size = size if size is not None else max(trailer_size(pdf), max(objects) + 1)
    prev = startxref_of(pdf) if prev is None else prev(xref)
    rnum, rgen = root_ref(pdf)
    out += b"trailer\n<< /Size %d /Root %d %d R /Prev %d %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        size, rnum, rgen, prev, trailer_extra, xref)
    return bytes(out)


def append_xref_stream_update(pdf, objects, entries):
    """Appends objects and an xref stream with explicit `entries` [(num, type, field2, field3)];
    the xref stream's own entry is added. Fields: W [1 4 2]."""
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref_num = max([trailer_size(pdf)] + [n + 1 for n in objects] + [e[0] + 1 for e in entries])
    xref = len(out)
    rows = {num: (1, offset, 0) for num, offset in offsets.items()}
    rows.update({num: (kind, a, b) for num, kind, a, b in entries})
    rows[xref_num] = (1, xref, 0)
    data = b"".join(bytes([rows[n][0]]) + rows[n][1].to_bytes(4, "big") + rows[n][2].to_bytes(2, "big")
                    for n in sorted(rows))
    index = b" ".join(b"%d 1" % n for n in sorted(rows))
    rnum, rgen = root_ref(pdf)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Index [%s] /Root %d %d R /Prev %d /Length %d >>\n"
            b"stream\n" % (xref_num, xref_num + 1, index, rnum, rgen, startxref_of(pdf), len(data)))
    out += data + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def flate_bomb(decoded_size):
    """Zeros that inflate to `decoded_size` bytes (about 1000:1)."""
    z = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    parts = [z.compress(chunk) for _ in range(decoded_size >> 20)]
    parts.append(z.flush())
    return b"".join(parts)


def stream_object(attrs, data):
    return b"<< %s /Length %d >>\nstream\n" % (attrs, len(data)) + data + b"\nendstream"


def pdf_flate_bomb_object_stream(signed):
    """An object stream inflating to 512 MiB holds a new object the update refers to."""
    n = trailer_size(signed)
    bomb = flate_bomb(512 << 20)
    objects = {n: stream_object(b"/Type /ObjStm /N 1 /First 8 /Filter /FlateDecode", bomb)}
    return append_xref_stream_update(signed, objects, [(n + 1, 2, n, 0)])


def pdf_flate_bomb_content(signed):
    """A new page content stream inflating to 512 MiB, put on the first page by the update."""
    n = trailer_size(signed)
    page = first_page(signed)
    body = page_body(signed, page).replace(b"/Contents", b"/Contents %d 0 R /OldContents" % n, 1)
    return append_update(signed, {n: stream_object(b"/Filter /FlateDecode", flate_bomb(512 << 20)), page: body})


def pdf_deep_nesting(signed):
    n = trailer_size(signed)
    return append_update(signed, {n: b"[" * 200_000 + b"]" * 200_000, n + 1: b"<<" * 100_000 + b">>" * 100_000})


def pdf_reference_cycles(signed):
    """The catalog's /Pages becomes a node that is its own kid; two objects refer to each other;
    an object refers to itself."""
    n = trailer_size(signed)
    rnum, _ = root_ref(signed)
    catalog = object_body(signed, rnum)
    at = catalog.index(b"/Pages")
    end = catalog.index(b"R", at) + 1
    catalog = catalog[:at] + b"/Pages %d 0 R /Loop %d 0 R /Self %d 0 R" % (n, n + 1, n + 3) + catalog[end:]
    return append_update(signed, {
        rnum: catalog,
        n: b"<< /Type /Pages /Kids [%d 0 R] /Count 1 /Parent %d 0 R >>" % (n, n),
        n + 1: b"%d 0 R" % (n + 2), n + 2: b"%d 0 R" % (n + 1), n + 3: b"%d 0 R" % (n + 3)})


def pdf_xref_prev_loop(signed):
    """The update's trailer /Prev points at its own xref section."""
    n = trailer_size(signed)
    return append_update(signed, {n: b"(loop)"}, prev=lambda own_xref: own_xref)


def pdf_huge_length(signed):
    n = trailer_size(signed)
    return append_update(signed, {n: b"<< /Length 99999999999999999 >>\nstream\nabc\nendstream"})


def pdf_huge_size(signed):
    n = trailer_size(signed)
    return append_update(signed, {n: b"(size)"}, size=2 ** 31)


def pdf_object_stream_containing_itself(signed):
    """The xref stream says object N lives inside object stream N."""
    n = trailer_size(signed)
    objects = {n + 1: b"<< /Ref %d 0 R >>" % n}
    return append_xref_stream_update(signed, objects, [(n, 2, n, 0)])


def pdf_million_objects(signed, count=1_000_000):
    n = trailer_size(signed)
    return append_update(signed, {n + i: b"null" for i in range(count)})


# --------------------------------------------------------------------------
# Reading the few objects the PDF cases rewrite
# --------------------------------------------------------------------------

def object_body(pdf, num):
    at = pdf.rindex(b"\n%d 0 obj" % num) + 1
    start = pdf.index(b"obj", at) + 3
    return pdf[start:pdf.index(b"endobj", start)].strip()


def first_page(pdf):
    at = pdf.index(b"/Type /Page\n") if b"/Type /Page\n" in pdf else pdf.index(b"/Type /Page ")
    head = pdf.rindex(b" 0 obj", 0, at)
    return int(pdf[pdf.rindex(b"\n", 0, head) + 1:head])


def page_body(pdf, num):
    return object_body(pdf, num)


# --------------------------------------------------------------------------
# CMS
# --------------------------------------------------------------------------

def cms_with_many_certificates(content, key_path, cert_der, chain_der, copies=10_000):
    """A detached CMS whose certificates field holds the chain and `copies` more certificates."""
    return cms_build.build_signed_data(content, key_path, cert_der, [cert_der, *chain_der] + [chain_der[0]] * copies,
                                       signing_time=None)


def _with_unsigned_timestamp(content_info, token):
    """`content_info` (a one-signer SignedData, no unsigned attributes) with `token` added as the
    SignerInfo's signature-timestamp unsigned attribute."""
    ci = der.parse(content_info)
    sd = ci[1][0]
    signer_infos = sd.children[-1]
    si = signer_infos[0]
    attr = der.implicit(1, cms_build.attribute(cms_build.ATTR_SIG_TIMESTAMP, token), constructed=True)
    new_si = der.sequence(*[c.raw for c in si.children], attr)
    new_sd = der.sequence(*[c.raw for c in sd.children[:-1]], der.set_of(new_si))
    return der.sequence(ci[0].raw, der.explicit(0, new_sd))


def _signature_value(content_info):
    si = der.parse(content_info)[1][0].children[-1][0]
    return [c for c in si.children if c.tag == der.OCTET_STRING][-1].value


def cms_with_nested_timestamps(content, key_path, cert_der, chain_der, tsa, when, depth=200):
    """A detached CMS whose signature timestamp carries a timestamp in its own unsigned attributes,
    which carries another, `depth` levels deep. Every token is validly signed by the TSA."""
    import hashlib

    cms = cms_build.build_signed_data(content, key_path, cert_der, [cert_der, *chain_der])
    token = None
    for _ in range(depth):
        fresh = cms_build.timestamp_token(hashlib.sha256(b"level").digest(), tsa, when)
        token = fresh if token is None else _with_unsigned_timestamp(fresh, token)
    outer = cms_build.timestamp_token(hashlib.sha256(_signature_value(cms)).digest(), tsa, when)
    return _with_unsigned_timestamp(cms, _with_unsigned_timestamp(outer, token))


# --------------------------------------------------------------------------
# Revocation data
# --------------------------------------------------------------------------

def big_crl(ca_key_path, ca_cert_der, entries, this_update, next_update, revoked_serial_base=10**12):
    """A CRL signed by the CA with `entries` revoked serial numbers (none of the test signers')."""
    when = der.utc_time(this_update)
    revoked = b"".join(der.sequence(der.integer(revoked_serial_base + i), when) for i in range(entries))
    sig_alg = cms_build.signature_algorithm(ca_cert_der, "sha256")
    tbs = der.sequence(der.integer(1), sig_alg, der.cert_subject_der(ca_cert_der), when,
                       der.utc_time(next_update), der.tlv(der.SEQUENCE_TAG, revoked))
    signature = cms_build.openssl_sign(ca_key_path, tbs, "sha256")
    return der.sequence(tbs, sig_alg, der.bit_string(signature))
