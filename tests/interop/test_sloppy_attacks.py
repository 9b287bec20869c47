"""Attacks on signed PDFs whose post-signature update is written sloppily, as attack tools and real
viewers' repair logic allow (incremental saving attacks, shadow hide/replace; PDF-Insecurity research):
an update with no xref at all, offsets shifted by junk, a broken /Prev, an xref-only update that points a
number at a shadow object. The lenient reader must read them and the verdict must say the document was
modified after signing: never TOTAL_PASSED, never a refusal as "malformed" (exit 3).

The dossier is signed by libsign (CLI); the attacks are written with tests/tools/pdfgen.py.
"""
import re
import sys

import pytest

from conftest import AT, CLI, SOURCE_DIR, codes

import pdfgen

if str(SOURCE_DIR / "tests/interop") not in sys.path:
    sys.path.insert(0, str(SOURCE_DIR / "tests/interop"))

import sign_helpers as sh  # noqa: E402

pytestmark = pytest.mark.skipif(not CLI.exists(), reason=f"libsign CLI not built at {CLI}")

EVIL = b"BT /F1 24 Tf 72 700 Td (So tien: 999.000.000 VND) Tj ET"


def _signed(tmp_path, with_shadow=False):
    """A one-page dossier signed by libsign; optionally with an unused "shadow" content stream that the
    signature covers (the preparation step of a shadow attack). Returns (bytes, shadow ref or None)."""
    base = pdfgen.base_pdf()
    shadow = None
    if with_shadow:
        upd = pdfgen.Update(base)
        shadow = upd.add(pdfgen.Stream({}, EVIL))
        base, _ = upd.write()
    src = tmp_path / "base.pdf"
    src.write_bytes(base)
    signed = sh.sign_ok(src, tmp_path / "signed.pdf")
    return signed.read_bytes(), shadow


def _content_ref(upd):
    page = upd.get(pdfgen._pages(upd)[0])
    return page["Contents"]


def _page_update(data, contents=None):
    """An update that rewrites the first page: its content stream's bytes, or its /Contents reference."""
    upd = pdfgen.Update(data)
    if contents is None:
        upd.put(_content_ref(upd), pdfgen.Stream({}, EVIL))
    else:
        page_ref = pdfgen._pages(upd)[0]
        page = dict(upd.get(page_ref))
        page["Contents"] = contents
        upd.put(page_ref, page)
    out, _ = upd.write()
    return out


def _without_xref(update):
    """The update's objects only: its xref table, trailer, startxref and %%EOF are cut off."""
    return update[: update.rindex(b"endobj") + len(b"endobj\n")]


def _shifted(original, update, junk=b"% 23 bytes of junk ...\n"):
    """Junk inserted where the update starts: every offset it records is now off; and an iText-style
    comment before startxref."""
    tail = update[len(original):]
    tail = tail.replace(b"startxref", b"%iText-5.5.13\nstartxref", 1)
    return original + junk + tail


def _broken_prev(original, update):
    """The update's /Prev points at nothing (the signed bytes stay as they are)."""
    return original + re.sub(rb"/Prev \d+", b"/Prev 7", update[len(original):])


def _xref_only_redirect(data, num, shadow_offset):
    """An update without objects: its xref gives object `num` the offset of the shadow object."""
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    root = re.findall(rb"/Root (\d+ \d+ R)", data)[-1]
    size = max(int(x) for x in re.findall(rb"/Size (\d+)", data))
    xref_at = len(data)
    section = b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        num, shadow_offset, size, root, prev, xref_at)
    return data + section


def _verify(path):
    status, report = sh.verify_json(path, *sh.gov_options(AT))
    assert status != 3, report  # read, not refused as malformed
    return status, report["document"]


def _assert_modified(status, doc):
    [sig] = doc["signatures"]
    assert sig["indication"] != "TOTAL_PASSED"
    assert status != 0
    assert sig["modification_level"] == "OTHER"
    assert "MODIFIED_AFTER_SIGNING" in codes(sig)


def test_the_untouched_dossier_passes(tmp_path):
    data, _ = _signed(tmp_path, with_shadow=True)
    path = tmp_path / "ok.pdf"
    path.write_bytes(data)
    status, doc = _verify(path)
    assert status == 0
    assert doc["signatures"][0]["indication"] == "TOTAL_PASSED"


@pytest.mark.parametrize("variant", ["no-xref", "shifted-offsets", "broken-prev"])
def test_incremental_saving_attack_with_a_sloppy_update(tmp_path, variant):
    data, _ = _signed(tmp_path)
    update = _page_update(data)
    attacked = {"no-xref": lambda: _without_xref(update),
                "shifted-offsets": lambda: _shifted(data, update),
                "broken-prev": lambda: _broken_prev(data, update)}[variant]()
    path = tmp_path / f"isa-{variant}.pdf"
    path.write_bytes(attacked)
    status, doc = _verify(path)
    _assert_modified(status, doc)
    assert "PDF_REPAIRED" in codes(doc)


def test_shadow_hide_with_a_sloppy_update(tmp_path):
    data, shadow = _signed(tmp_path, with_shadow=True)
    attacked = _shifted(data, _page_update(data, contents=shadow)) + b"\n(trailing bytes)\n"
    path = tmp_path / "shadow-hide.pdf"
    path.write_bytes(attacked)
    status, doc = _verify(path)
    _assert_modified(status, doc)


def test_shadow_replace_by_an_xref_only_update(tmp_path):
    data, shadow = _signed(tmp_path, with_shadow=True)
    content = _content_ref(pdfgen.Update(data))
    shadow_offset = data.index(b"\n%d 0 obj" % shadow.num) + 1
    path = tmp_path / "shadow-replace.pdf"
    path.write_bytes(_xref_only_redirect(data, content.num, shadow_offset))
    status, doc = _verify(path)
    _assert_modified(status, doc)
