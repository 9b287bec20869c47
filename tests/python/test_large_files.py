"""Files whose signed ranges are hashed with pread() in chunks (see core/byte_source.hpp) must give
the same verdicts as the in-memory path."""
import importlib.util

import pytest

import libsign
from conftest import AT, PROFILES_DIR, SOURCE_DIR

# Revocation optional, said explicitly: the default requires a status (docs/revocation.md).
OPTIONS = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT, revocation={"required": False})


@pytest.fixture(scope="module")
def big_signed(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("make_inputs", SOURCE_DIR / "bench/make_inputs.py")
    make_inputs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_inputs)
    path = tmp_path_factory.mktemp("big") / "big.pdf"
    path.write_bytes(make_inputs.signed(make_inputs.big_base(5)))
    return path


def test_large_file_passes_by_path_and_by_bytes(big_signed):
    by_path = libsign.verify_pdf(big_signed, **OPTIONS)
    by_bytes = libsign.verify_pdf(big_signed.read_bytes(), **OPTIONS)
    assert by_path.indication == by_bytes.indication == "TOTAL_PASSED"
    assert by_path.sha256 == by_bytes.sha256
    assert by_path.size > 5_000_000


def test_large_file_change_deep_inside_is_caught(big_signed, tmp_path):
    data = bytearray(big_signed.read_bytes())
    data[len(data) // 2] ^= 0x01  # inside the image stream, far from the signature
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    sig = libsign.verify_pdf(tampered, **OPTIONS).signatures[0]
    assert (sig.indication, sig.sub_indication) == ("TOTAL_FAILED", "HASH_FAILURE")
