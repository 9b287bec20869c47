"""Transport damage from Python (docs/damage.md): report.recovered / recovery_method, libsign.recover and
libsign.recover_file, and their refusals as typed errors."""
import base64

import pytest

import libsign
from conftest import AT, PROFILES_DIR

OPTIONS = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT, revocation={"required": False})


def test_damaged_report_carries_the_recovered_original(fixtures):
    signed = (fixtures / "official.pdf").read_bytes()
    report = libsign.verify(base64.encodebytes(signed), **OPTIONS)
    assert report.has_finding("DAMAGE_BASE64")
    assert report.indication == "INDETERMINATE" and report.sub_indication == "FORMAT_FAILURE"
    assert report.recovered.indication == "TOTAL_PASSED"
    assert report.recovery_method == "base64-decode"
    assert libsign.verify(signed, **OPTIONS).recovered is None


def test_recover_gives_the_original_bytes(fixtures):
    signed = (fixtures / "official.pdf").read_bytes()
    assert libsign.recover(b"\xef\xbb\xbf" + signed, **OPTIONS) == signed


def test_recover_file_writes_only_a_verifying_original(fixtures, tmp_path):
    signed = (fixtures / "official.pdf").read_bytes()
    damaged, out = tmp_path / "hs.pdf", tmp_path / "hs-goc.pdf"
    damaged.write_bytes(b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n" + signed)
    report = libsign.recover_file(damaged, out, **OPTIONS)
    assert report.has_finding("DAMAGE_LEADING_BYTES")
    assert out.read_bytes() == signed
    with pytest.raises(libsign.FormatError) as refused:
        libsign.recover_file(fixtures / "official.pdf", tmp_path / "nothing.pdf", **OPTIONS)
    assert refused.value.code == "RECOVER_NOT_DAMAGED"
    assert not (tmp_path / "nothing.pdf").exists()
    tampered = base64.b64encode((fixtures / "tampered.pdf").read_bytes())
    with pytest.raises(libsign.FormatError) as refused:
        libsign.recover(tampered, **OPTIONS)
    assert refused.value.code == "RECOVER_REFUSED"
