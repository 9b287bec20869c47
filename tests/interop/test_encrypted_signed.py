"""Signed PDFs that are encrypted with an empty user password (permissions only), as office suites and
scanners export them: qpdf encrypts the dossier (RC4-128, AES-128, AES-256), PDFBox 2 + Bouncy Castle
signs it with an incremental update (it encrypts what it adds), and libsign must verify the signature —
the signature's /Contents is not encrypted, strings and streams are.
A byte flipped in the signed part must still fail; a file that needs a password stays a typed error.
"""
import subprocess
import sys

import pytest

from conftest import AT, CLI, SIGNING_TIME, SOURCE_DIR, codes

import pdfgen

for _folder in ("tests/interop", "tests/interop/pdfbox"):
    if str(SOURCE_DIR / _folder) not in sys.path:
        sys.path.insert(0, str(SOURCE_DIR / _folder))

import sign_helpers as sh  # noqa: E402
from run_signer import sign_with_pdfbox, signer_unavailable  # noqa: E402

pytestmark = [
    pytest.mark.skipif(not CLI.exists(), reason=f"libsign CLI not built at {CLI}"),
    pytest.mark.skipif(signer_unavailable() is not None, reason=f"PDFBox signer: {signer_unavailable()}"),
]

METHODS = {"rc4-128": ["128", "--use-aes=n"], "aes-128": ["128", "--use-aes=y"], "aes-256": ["256"]}


def _encrypted_signed(tmp_path, method, user_password=""):
    base = tmp_path / "base.pdf"
    base.write_bytes(pdfgen.base_pdf())
    encrypted = tmp_path / "encrypted.pdf"
    subprocess.run(["qpdf", "--allow-weak-crypto", "--encrypt", user_password, "owner-pw", *METHODS[method], "--",
                    str(base), str(encrypted)], check=True)
    signed = tmp_path / "signed.pdf"
    sign_with_pdfbox(encrypted, signed, signer="gov-org", signing_time=SIGNING_TIME)
    return signed


@pytest.mark.parametrize("method", sorted(METHODS))
def test_pdfbox_signature_on_an_encrypted_dossier_verifies(tmp_path, method):
    signed = _encrypted_signed(tmp_path, method)
    status, report = sh.verify_json(signed, *sh.gov_options(AT))
    assert status == 0, report
    doc = report["document"]
    assert "PDF_DECRYPTED" in codes(doc)
    assert "PDF_REPAIRED" not in codes(doc)
    [sig] = doc["signatures"]
    assert sig["indication"] == "TOTAL_PASSED"
    assert sig["coverage"] == "ENTIRE_FILE"


def test_flipped_byte_in_an_encrypted_dossier_fails(tmp_path):
    signed = _encrypted_signed(tmp_path, "aes-256")
    data = bytearray(signed.read_bytes())
    at = bytes(data).index(b"stream", bytes(data).index(b"/Length")) + 10  # inside the first (encrypted) stream
    data[at] ^= 0x01
    signed.write_bytes(bytes(data))
    status, report = sh.verify_json(signed, *sh.gov_options(AT))
    assert status == 1, report
    [sig] = report["document"]["signatures"]
    assert sig["indication"] == "TOTAL_FAILED"
    assert sig["sub_indication"] == "HASH_FAILURE"


def test_a_password_protected_dossier_is_a_typed_error(tmp_path):
    base = tmp_path / "base.pdf"
    base.write_bytes(pdfgen.base_pdf())
    locked = tmp_path / "locked.pdf"
    subprocess.run(["qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--", str(base), str(locked)], check=True)
    status, report = sh.verify_json(locked, *sh.gov_options(AT))
    assert status == 3
    assert report["error"]["code"] == "PDF_ENCRYPTED"
