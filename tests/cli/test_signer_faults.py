"""Faults of signing software that leave the content as signed but break the encoding rules: libsign
names them (instead of "the signature value does not verify") and keeps them failures
(TOTAL_FAILED / FORMAT_FAILURE). Detached .p7s files built with tests/tools/cms_build.py, checked
through `libsign verify --format json`."""
import pytest

import cms_build
import der
from conftest import PKI_DIR, TEST_GOV, codes, verify_json

CERT = der.read_certs(PKI_DIR / "gov-official.pem")[0]
CA = der.read_certs(PKI_DIR / "gov-ca.pem")[0]
KEY = PKI_DIR / "gov-official.key.pem"
TIME = cms_build.parse_time("2026-06-20T03:00:00Z")


def _signature(content, **faults):
    return cms_build.build_signed_data(content, KEY, CERT, [CERT, CA], signing_time=TIME, **faults)


def _leading_zero_content():
    """A content whose RSA signature value (deterministic, PKCS#1 v1.5) starts with a zero byte."""
    for i in range(5000):
        content = f"Hồ sơ số {i}\n".encode()
        seen = []
        _signature(content, value_fault=lambda v: seen.append(v) or v)
        if seen[0][0] == 0:
            return content
    pytest.skip("no signature value with a leading zero among 5000 contents")


def _verify(tmp_path, content, signature):
    (tmp_path / "don.txt").write_bytes(content)
    (tmp_path / "don.txt.p7s").write_bytes(signature)
    return verify_json(tmp_path / "don.txt.p7s", *TEST_GOV)


def test_signed_attributes_in_ber_are_named(tmp_path):
    content = b"Don de nghi\n"
    status, report = _verify(tmp_path, content, _signature(content, attrs_long_length=True))
    sig = report["document"]["signatures"][0]
    assert "SIGNED_ATTRIBUTES_NOT_DER" in codes(sig) and "SIGNATURE_INVALID" not in codes(sig)
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert status == 1


def test_a_dropped_leading_zero_is_named(tmp_path):
    content = _leading_zero_content()
    status, report = _verify(tmp_path, content, _signature(content, value_fault=lambda v: v.lstrip(b"\0")))
    sig = report["document"]["signatures"][0]
    fault = next(f for f in sig["findings"] if f["code"] == "SIGNATURE_VALUE_LENGTH_WRONG")
    assert int(fault["evidence"]["value_bytes"]) < int(fault["evidence"]["key_bytes"]) == 256
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert status == 1


def test_an_added_leading_zero_is_named(tmp_path):
    content = b"Don de nghi\n"
    status, report = _verify(tmp_path, content, _signature(content, value_fault=lambda v: b"\0" + v))
    sig = report["document"]["signatures"][0]
    assert "SIGNATURE_VALUE_LENGTH_WRONG" in codes(sig)
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "FORMAT_FAILURE")


@pytest.mark.parametrize("fault", [
    {"attrs_long_length": True},
    {"value_fault": lambda v: b"\0" + v},
])
def test_a_fault_does_not_hide_a_changed_content(tmp_path, fault):
    content = b"Don de nghi\n"
    signature = _signature(content, **fault)
    status, report = _verify(tmp_path, b"Don de nghi!\n", signature)
    sig = report["document"]["signatures"][0]
    # The content check decides; the encoding fault is still named beside it.
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "HASH_FAILURE")
    assert "DIGEST_MISMATCH" in codes(sig) and {"SIGNED_ATTRIBUTES_NOT_DER", "SIGNATURE_VALUE_LENGTH_WRONG"} & codes(sig)


def _ecdsa_padded(value):
    """The ECDSA-Sig-Value with a superfluous zero byte in front of r (a non-minimal INTEGER)."""
    r, s = der.parse(value).children
    return der.sequence(der.tlv(0x02, b"\0" + r.value), der.tlv(0x02, s.value))


def test_an_ecdsa_value_with_a_non_minimal_integer_is_named(tmp_path):
    content = b"Don de nghi\n"
    cert = der.read_certs(PKI_DIR / "gov-ecdsa.pem")[0]
    signature = cms_build.build_signed_data(content, PKI_DIR / "gov-ecdsa.key.pem", cert, [cert, CA], signing_time=TIME,
                                            value_fault=_ecdsa_padded)
    status, report = _verify(tmp_path, content, signature)
    sig = report["document"]["signatures"][0]
    assert "SIGNATURE_VALUE_NOT_DER" in codes(sig) and "SIGNATURE_INVALID" not in codes(sig)
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert status == 1


@pytest.mark.parametrize("content_type, code", [
    (False, "CONTENT_TYPE_ATTR_MISSING"),
    (cms_build.ID_CT_TSTINFO, "CONTENT_TYPE_MISMATCH"),  # a timestamp token's type on a document signature
])
def test_content_type_attribute_rules(tmp_path, content_type, code):
    content = b"Don de nghi\n"
    status, report = _verify(tmp_path, content, _signature(content, content_type_attr=content_type))
    sig = report["document"]["signatures"][0]
    assert code in codes(sig) and "SIGNATURE_INVALID" not in codes(sig)
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert status == 1


def test_a_wrong_value_stays_signature_invalid(tmp_path):
    content = b"Don de nghi\n"
    status, report = _verify(tmp_path, content, _signature(content, value_fault=lambda v: b"\0" + v[:-1] + bytes([v[-1] ^ 1])))
    sig = report["document"]["signatures"][0]
    assert "SIGNATURE_INVALID" in codes(sig) and "SIGNATURE_VALUE_LENGTH_WRONG" not in codes(sig)
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "SIG_CRYPTO_FAILURE")


def test_xml_rsa_value_with_an_added_leading_zero_is_named(tmp_path):
    import base64
    import re

    import libsign
    import xml_forms
    from conftest import P12_PASSWORD_FILE

    key = libsign.load_pkcs12(str(PKI_DIR / "gov-official.p12"), password_file=str(P12_PASSWORD_FILE))
    signed = libsign.sign_xml(xml_forms.einvoice(items=2), key, target="Id-0001", signing_time="2026-06-20T03:00:00Z")
    value = re.search(rb"<SignatureValue>([^<]+)</SignatureValue>", signed).group(1)
    path = tmp_path / "einvoice.xml"
    path.write_bytes(signed.replace(value, base64.b64encode(b"\0" + base64.b64decode(value))))
    status, report = verify_json(path, *TEST_GOV)
    sig = report["document"]["signatures"][0]
    fault = next(f for f in sig["findings"] if f["code"] == "SIGNATURE_VALUE_LENGTH_WRONG")
    assert (fault["evidence"]["value_bytes"], fault["evidence"]["key_bytes"]) == ("257", "256")
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert status == 1
