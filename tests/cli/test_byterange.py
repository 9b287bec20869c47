"""Hostile /ByteRange values written over a valid signature (same width, so offsets stay valid)."""
import re

import pytest

from conftest import TEST_GOV, codes, verify_json


def with_byte_range(fixtures, tmp_path, make_values):
    data = (fixtures / "official.pdf").read_bytes()
    match = re.search(rb"/ByteRange \[([^\]]*)\]", data)
    old = match.group(1)
    a, b, c, d = map(int, old.split())
    new = " ".join(str(v) for v in make_values(a, b, c, d)).encode().ljust(len(old))
    assert len(new) == len(old)
    path = tmp_path / "patched.pdf"
    path.write_bytes(data[: match.start(1)] + new + data[match.end(1):])
    return path


@pytest.mark.parametrize("name, make_values, code", [
    ("not-at-start", lambda a, b, c, d: (1, b - 1, c, d), "BYTERANGE_NOT_AT_START"),
    ("gap-too-small", lambda a, b, c, d: (a, b + 2, c, d), "BYTERANGE_HOLE_NOT_CONTENTS"),
    ("gap-too-big", lambda a, b, c, d: (a, b - 2, c, d), "BYTERANGE_HOLE_NOT_CONTENTS"),
    ("short-tail", lambda a, b, c, d: (a, b, c, d - 10), "BYTERANGE_NOT_REVISION_END"),
    ("past-end", lambda a, b, c, d: (a, b, c, d + 10), "BYTERANGE_INVALID"),
    ("overlap", lambda a, b, c, d: (a, c + 5, c, d), "BYTERANGE_INVALID"),
    ("huge", lambda a, b, c, d: (0, 9223372036854775807, 9223372036854775807, 1), "BYTERANGE_INVALID"),
    ("negative", lambda a, b, c, d: (0, -5, c, d), "BYTERANGE_INVALID"),
    ("three-numbers", lambda a, b, c, d: (a, b, c), "BYTERANGE_INVALID"),
])
def test_bad_byte_range_is_format_failure(fixtures, tmp_path, name, make_values, code):
    status, report = verify_json(with_byte_range(fixtures, tmp_path, make_values), *TEST_GOV)
    sig = report["document"]["signatures"][0]
    assert code in codes(sig)
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert status == 1


@pytest.mark.parametrize("name, replacement, code", [
    # Universal-signature-forgery shapes: the value dictionary keeps its /ByteRange but /Contents is
    # gone, null, or points elsewhere; the dictionary itself is not compressed.
    ("removed", b"/Dummy <>", "CONTENTS_NOT_LOCATED"),
    ("null", b"/Contents null", "CONTENTS_NOT_LOCATED"),
    ("indirect", b"/Contents 1 0 R", "CONTENTS_NOT_LOCATED"),
    ("empty", b"/Contents <>", "BYTERANGE_HOLE_NOT_CONTENTS"),
])
def test_contents_that_is_not_the_signed_gap_fails(fixtures, tmp_path, name, replacement, code):
    data = (fixtures / "official.pdf").read_bytes()
    match = re.search(rb"/Contents\s*<[0-9a-fA-F]*>", data)
    new = replacement.ljust(match.end() - match.start())
    path = tmp_path / f"contents-{name}.pdf"
    path.write_bytes(data[: match.start()] + new + data[match.end():])
    status, report = verify_json(path, *TEST_GOV)
    sig = report["document"]["signatures"][0]
    assert code in codes(sig)
    assert "SIGNATURE_IN_OBJECT_STREAM" not in codes(sig)
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert status == 1
