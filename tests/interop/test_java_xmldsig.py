"""XML e-forms against the JDK's own XML-DSig implementation (java.xml.crypto, what Java portal and
e-invoice software signs with): libsign verifies what Java signs (RSA SHA-256/SHA-512, ECDSA, exclusive
and inclusive canonicalisation, with and without comments, the whole document or the element with an Id,
the signature in the e-invoice's DSCKS/NBan slot or inside the signed element), a changed amount fails in
both; and Java accepts what libsign signs (plain XML-DSig in each canonicalisation, XAdES B-B).
Through the real front ends: the `libsign` command for verification, the Python module for signing."""
import sys

import pytest

import libsign
import xml_forms
from conftest import P12_PASSWORD_FILE, PKI_DIR, SIGNING_TIME, SOURCE_DIR, TEST_GOV, codes, verify_json

sys.path.insert(0, str(SOURCE_DIR / "tests" / "interop" / "javaxml"))
from run_java_xmldsig import peer_unavailable, sign_with_java, verify_with_java  # noqa: E402

pytestmark = pytest.mark.skipif(peer_unavailable() is not None, reason=str(peer_unavailable()))

JAVA_SIGNED = {
    # name: (signer, algorithm, canonicalisation, reference, parent of ds:Signature)
    "rsa-exc-id-in-slot": ("gov-official", "rsa-sha256", "exc", "id", "DSCKS/NBan"),
    "rsa512-inc-whole": ("gov-official", "rsa-sha512", "inc", "whole", None),
    "ecdsa-comments-id": ("gov-ecdsa", "ecdsa-sha256", "inc-comments", "id", "DSCKS/NBan"),
    "rsa-enveloped-inside-signed": ("gov-org", "rsa-sha256", "exc", "whole", "DLHDon/NBan"),
}


def _java_signed(tmp_path, name):
    signer, alg, c14n, ref, parent = JAVA_SIGNED[name]
    form = tmp_path / "form.xml"
    form.write_bytes(xml_forms.einvoice())
    out = tmp_path / f"{name}.xml"
    sign_with_java(form, out, p12=PKI_DIR / f"{signer}.p12", password_file=P12_PASSWORD_FILE,
                   alg=alg, c14n=c14n, ref=ref, parent=parent)
    return out


@pytest.mark.parametrize("name", sorted(JAVA_SIGNED))
def test_libsign_verifies_what_java_signs(tmp_path, name):
    path = _java_signed(tmp_path, name)
    assert verify_with_java(path)[0] == 0  # the peer accepts its own file
    status, report = verify_json(path, *TEST_GOV)
    sigs = report["document"]["signatures"]
    assert len(sigs) == 1
    assert sigs[0]["indication"] == "TOTAL_PASSED", codes(sigs[0])
    assert status == 0


@pytest.mark.parametrize("name", ["rsa-exc-id-in-slot", "ecdsa-comments-id"])
def test_a_changed_amount_fails_in_both(tmp_path, name):
    path = _java_signed(tmp_path, name)
    data = path.read_bytes()
    assert b"<SLuong>1</SLuong>" in data
    path.write_bytes(data.replace(b"<SLuong>1</SLuong>", b"<SLuong>9</SLuong>", 1))
    assert verify_with_java(path)[0] == 1
    status, report = verify_json(path, *TEST_GOV)
    sig = report["document"]["signatures"][0]
    assert sig["indication"] == "TOTAL_FAILED"
    assert "XML_DIGEST_MISMATCH" in codes(sig)
    assert status == 1


@pytest.fixture(scope="module")
def official():
    return libsign.load_pkcs12(str(PKI_DIR / "gov-official.p12"), password_file=str(P12_PASSWORD_FILE))


@pytest.mark.parametrize("c14n, xades", [("exc", "none"), ("c14n", "none"), ("c14n11", "none"), ("exc", "B-B")])
def test_java_accepts_what_libsign_signs(official, tmp_path, c14n, xades):
    signed = libsign.sign_xml(xml_forms.einvoice(), official, target="Id-0001", parent="/HDon/DSCKS/NBan",
                              c14n=c14n, xades=xades, signing_time=SIGNING_TIME)
    path = tmp_path / "signed.xml"
    path.write_bytes(signed)
    status, lines = verify_with_java(path)
    assert (status, lines) == (0, ["SIG 1 VALID"])
    path.write_bytes(signed.replace(b"<SLuong>2</SLuong>", b"<SLuong>8</SLuong>", 1))
    assert verify_with_java(path) == (1, ["SIG 1 INVALID"])
