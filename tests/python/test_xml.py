"""XML e-forms through the Python module: XML-DSig / XAdES signing via the Signer interface, and
verification with findings for tampering, signature wrapping, duplicated Ids and hostile XML."""
import base64
import re

import pytest

import libsign
import xml_forms
from conftest import AT, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SIGNING_TIME

# Revocation optional, said explicitly: the default requires a status (docs/revocation.md).
VERIFY = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT, revocation={"required": False})
INVOICE_ID = "Id-0001"


@pytest.fixture(scope="module")
def official():
    return libsign.load_pkcs12(str(PKI_DIR / "gov-official.p12"), password_file=str(P12_PASSWORD_FILE))


@pytest.fixture(scope="module")
def ecdsa():
    return libsign.load_pkcs12(str(PKI_DIR / "gov-ecdsa.p12"), password_file=str(P12_PASSWORD_FILE))


@pytest.fixture(scope="module")
def seller_signed(official):
    """The e-invoice signed by the seller: DLHDon by Id, ds:Signature in DSCKS/NBan."""
    return libsign.sign_xml(xml_forms.einvoice(), official, target=INVOICE_ID, parent="/HDon/DSCKS/NBan",
                            signing_time=SIGNING_TIME, signature_id="seller")


def codes(report):
    return {f.code for s in report.signatures for f in s.findings} | {f.code for f in report.findings}


def test_seller_signature_verifies_with_time_and_target(seller_signed):
    report = libsign.verify_xml(seller_signed, target=INVOICE_ID, **VERIFY)
    sig = report.signatures[0]
    assert (report.format, report.indication, sig.indication) == ("xml", "TOTAL_PASSED", "TOTAL_PASSED")
    assert sig.field_name == "seller" and sig.subfilter == "XML-DSig"
    assert sig.signing_time == SIGNING_TIME  # e-invoice SigningTime, written as local time (+07:00)
    assert sig.signer.common_name == "Nguyễn Văn An"
    assert {"XML_REFERENCE_VALID", "XML_TARGET_SIGNED"} <= codes(report)
    assert b"<SigningTime>2026-06-20T10:00:00</SigningTime>" in seller_signed


@pytest.mark.parametrize("c14n", ["exc", "c14n", "c14n11"])
@pytest.mark.parametrize("xades", ["none", "B-B"])
def test_every_c14n_and_level_round_trips(official, ecdsa, c14n, xades):
    for signer in (official, ecdsa):
        signed = libsign.sign_xml(xml_forms.einvoice(items=3), signer, c14n=c14n, xades=xades, signing_time=SIGNING_TIME)
        report = libsign.verify_xml(signed, **VERIFY)
        assert report.indication == "TOTAL_PASSED", (c14n, xades, signer.key_type, codes(report))
        sig = report.signatures[0]
        assert sig.signing_time == SIGNING_TIME
        assert sig.coverage == "ENTIRE_FILE"
        if xades == "B-B":
            assert sig.subfilter == "XAdES-B-B" and b"SigningCertificateV2" in signed


def test_subject_name_in_vietnamese_portal_order(seller_signed, official):
    name = libsign._core.xml_subject_name(official.certificates[0])
    assert name.startswith("C=VN, ST=") and ", CN=Nguyễn Văn An" in name and name.index("L=") < name.index("CN=")
    assert f"<X509SubjectName>{name}</X509SubjectName>".encode() in seller_signed


def test_changed_text_is_a_digest_mismatch_with_canonical_evidence(seller_signed):
    tampered = seller_signed.replace("CÔNG TY TNHH THỬ NGHIỆM KÝ SỐ".encode(), "CÔNG TY GIẢ MẠO".encode())
    report = libsign.verify_xml(tampered, canonical=True, **VERIFY)
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == ("TOTAL_FAILED", "HASH_FAILURE")
    mismatch = [f for f in sig.findings if f.code == "XML_DIGEST_MISMATCH"][0]
    assert mismatch.evidence["element"] == "/HDon/DLHDon"
    assert "CÔNG TY GIẢ MẠO".encode() in base64.b64decode(mismatch.evidence["canonical_b64"])
    assert not sig.has_finding("SIGNATURE_INVALID")  # SignedInfo itself is intact


def test_reserialised_whitespace_breaks_the_digest(seller_signed):
    pretty = seller_signed.replace(b"<TTChung>", b"\n  <TTChung>")
    report = libsign.verify_xml(pretty, **VERIFY)
    assert report.indication == "TOTAL_FAILED" and "XML_DIGEST_MISMATCH" in codes(report)


def test_rewrapped_signature_value_still_verifies_but_edited_signed_info_does_not(seller_signed):
    value = re.search(rb"<SignatureValue>([^<]+)</SignatureValue>", seller_signed).group(1)
    wrapped = b"\n".join(value[i:i + 64] for i in range(0, len(value), 64))
    report = libsign.verify_xml(seller_signed.replace(value, wrapped), **VERIFY)
    assert report.indication == "TOTAL_PASSED"  # Base64 line breaks in SignatureValue are not signed data
    edited = seller_signed.replace(b'URI="#Id-0001"', b'URI="#Id-0001" ')
    assert libsign.verify_xml(edited, **VERIFY).indication == "TOTAL_PASSED"  # attribute whitespace is not in C14N
    other_id = seller_signed.replace(b'<Reference URI="#Id-0001">', b'<Reference URI="#seller-signingtime">', 1)
    report = libsign.verify_xml(other_id, **VERIFY)
    assert report.indication == "TOTAL_FAILED" and "SIGNATURE_INVALID" in codes(report)


def test_duplicated_id_fails(seller_signed):
    start = seller_signed.index(b"<DLHDon")
    end = seller_signed.index(b"</DLHDon>") + len(b"</DLHDon>")
    twice = seller_signed[:end] + seller_signed[start:end] + seller_signed[end:]
    report = libsign.verify_xml(twice, **VERIFY)
    assert report.indication == "TOTAL_FAILED" and "XML_ID_DUPLICATE" in codes(report)


def test_signature_wrapping_is_caught_by_the_target_path(seller_signed):
    # The signed DLHDon is hidden in a wrapper; a forged one without Id takes its place.
    start = seller_signed.index(b"<DLHDon")
    end = seller_signed.index(b"</DLHDon>") + len(b"</DLHDon>")
    original = seller_signed[start:end]
    forged = original.replace(b' Id="Id-0001"', b"").replace(b"<SLuong>1</SLuong>", b"<SLuong>1000</SLuong>")
    wrapped = seller_signed[:start] + forged + seller_signed[end:]
    wrapped = wrapped.replace(b"<CCKSKhac/>", b"<CCKSKhac><Wrapper>" + original + b"</Wrapper></CCKSKhac>")
    naive = libsign.verify_xml(wrapped, **VERIFY)
    ref = [f for f in naive.signatures[0].findings if f.code == "XML_REFERENCE_VALID"][0]
    assert ref.evidence["element"] == "/HDon/DSCKS/CCKSKhac/Wrapper/DLHDon"  # the signature holds, over the hidden copy
    # Without a target, the e-invoice layout says what a portal reads: /HDon/DLHDon, unsigned here.
    assert naive.indication == "INDETERMINATE" and naive.signatures[0].sub_indication == "SIGNED_DATA_NOT_FOUND"
    wrapping = [f for f in naive.signatures[0].findings if f.code == "XML_SIGNED_ROOT_NOT_TARGET"][0]
    assert wrapping.evidence["consumer_element"] == "/HDon/DLHDon"
    report = libsign.verify_xml(wrapped, target="/HDon/DLHDon", **VERIFY)
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "SIGNED_DATA_NOT_FOUND")
    assert sig.has_finding("XML_TARGET_NOT_SIGNED")


def test_two_signatures_selected_by_id_and_xpath(seller_signed, ecdsa):
    both = libsign.sign_xml(seller_signed, ecdsa, parent="/HDon/DSCKS/CCKSKhac", signature_id="tax",
                            signing_time=SIGNING_TIME, xades="B-B")
    report = libsign.verify_xml(both, **VERIFY)
    assert [s.field_name for s in report.signatures] == ["seller", "tax"]
    assert report.indication == "TOTAL_PASSED"
    by_id = libsign.verify_xml(both, signature="tax", **VERIFY)
    assert [s.field_name for s in by_id.signatures] == ["tax"] and by_id.signatures[0].subfilter == "XAdES-B-B"
    by_path = libsign.verify_xml(both, signature="/HDon/DSCKS/NBan/ds:Signature", target=INVOICE_ID, **VERIFY)
    assert [s.field_name for s in by_path.signatures] == ["seller"] and by_path.indication == "TOTAL_PASSED"
    # The tax authority's signature covers the whole document, seller signature included.
    tax_changed = both.replace(b'Id="seller"', b'Id="seller2"')
    report = libsign.verify_xml(tax_changed, signature="tax", **VERIFY)
    assert report.indication == "TOTAL_FAILED" and "XML_DIGEST_MISMATCH" in codes(report)


def test_moved_signature_is_not_where_the_caller_looks(seller_signed):
    start = seller_signed.index(b"<Signature ")
    end = seller_signed.index(b"</Signature>") + len(b"</Signature>")
    moved = (seller_signed[:start] + seller_signed[end:]).replace(b"<NMua/>", b"<NMua>" + seller_signed[start:end] + b"</NMua>")
    report = libsign.verify_xml(moved, signature="/HDon/DSCKS/NBan/ds:Signature", **VERIFY)
    assert report.indication == "INDETERMINATE" and report.has_finding("XML_SIGNATURE_NOT_FOUND")
    assert not report.signatures


def test_signature_not_covering_the_target(official):
    form = xml_forms.einvoice(items=2).replace(b"<NMua>", b'<NMua Id="buyer">')
    signed = libsign.sign_xml(form, official, target="buyer", signing_time=SIGNING_TIME)
    report = libsign.verify_xml(signed, target=INVOICE_ID, **VERIFY)
    assert report.signatures[0].has_finding("XML_TARGET_NOT_SIGNED") and report.indication == "INDETERMINATE"


def test_external_and_unsupported_references_are_never_valid(seller_signed):
    external = seller_signed.replace(b'URI="#Id-0001"', b'URI="file:///etc/passwd"')
    report = libsign.verify_xml(external, **VERIFY)
    assert "XML_REFERENCE_EXTERNAL" in codes(report) and report.indication != "TOTAL_PASSED"
    xslt = seller_signed.replace(b'Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"',
                                 b'Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"', 1)
    report = libsign.verify_xml(xslt, **VERIFY)
    assert "XML_UNSUPPORTED_TRANSFORM" in codes(report) and report.indication != "TOTAL_PASSED"
    missing = seller_signed.replace(b'URI="#Id-0001"', b'URI="#Id-9999"')
    assert "XML_REFERENCE_NOT_FOUND" in codes(libsign.verify_xml(missing, **VERIFY))


@pytest.mark.parametrize("document, code", [
    (b"<HDon><DLHDon></HDon>", "XML_MALFORMED"),
    (b"", "INPUT_EMPTY"),
    (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx"><!ENTITY y "&x;&x;&x;&x;">]><a>&y;</a>', "XML_DTD_FORBIDDEN"),
    (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>', "XML_DTD_FORBIDDEN"),
    (b"<a>" * 300 + b"</a>" * 300, None),  # too deep: libxml2's or our limit, either way a format error
])
def test_hostile_or_broken_xml_is_a_format_error(document, code):
    with pytest.raises(libsign.FormatError) as info:
        libsign.verify_xml(document, **VERIFY)
    if code:
        assert info.value.code == code
    assert "root:" not in str(info.value)  # nothing was read from /etc/passwd


def test_no_signature_is_indeterminate():
    report = libsign.verify_xml(xml_forms.einvoice(items=1), **VERIFY)
    assert report.indication == "INDETERMINATE" and report.has_finding("NO_SIGNATURE_FOUND")


def test_signing_errors_are_typed(official, tmp_path):
    with pytest.raises(libsign.UsageError) as info:
        libsign.sign_xml(xml_forms.einvoice(items=1), official, target="nope")
    assert info.value.code == "XML_TARGET_NOT_FOUND"
    with pytest.raises(libsign.UsageError) as info:
        libsign.sign_xml(xml_forms.einvoice(items=1), official, parent="/HDon/Nothing")
    assert info.value.code == "XML_PARENT_NOT_FOUND"
    with pytest.raises(libsign.UsageError) as info:
        libsign.sign_xml(xml_forms.einvoice(items=1), official, xades="B-T")
    assert info.value.code == "TSA_URL_MISSING"
    source = tmp_path / "form.xml"
    source.write_bytes(xml_forms.einvoice(items=1))
    with pytest.raises(libsign.UsageError) as info:
        libsign.sign_xml_file(source, source, official)
    assert info.value.code == "OUTPUT_IS_INPUT"
    libsign.sign_xml_file(source, tmp_path / "signed.xml", official, signing_time=SIGNING_TIME)
    assert libsign.verify_xml(tmp_path / "signed.xml", **VERIFY).indication == "TOTAL_PASSED"
    assert source.read_bytes() == xml_forms.einvoice(items=1)


def test_too_many_references_are_refused_cheaply(seller_signed):
    start = seller_signed.index(b"<Reference ")
    end = seller_signed.index(b"</Reference>") + len(b"</Reference>")
    many = seller_signed[:end] + seller_signed[start:end] * 100 + seller_signed[end:]
    report = libsign.verify_xml(many, **VERIFY)
    assert report.indication == "TOTAL_FAILED" and "XML_SIGNATURE_MALFORMED" in codes(report)


def test_format_detection_routes_xml(seller_signed, tmp_path):
    assert libsign.detect_format(seller_signed) == "xml"
    assert libsign.verify(seller_signed, **VERIFY).format == "xml"
    path = tmp_path / "hoadon.xml"
    path.write_bytes(b"\xef\xbb\xbf\n  " + seller_signed)  # a BOM and blanks before the declaration
    with pytest.raises(libsign.FormatError):  # an XML declaration must come first: not well-formed
        libsign.verify(path, **VERIFY)
    path.write_bytes(seller_signed)
    assert libsign.verify(path, **VERIFY).indication == "TOTAL_PASSED"


def test_namespace_declarations_and_subject_name_edits(official):
    form = xml_forms.einvoice(items=2)
    for c14n, survives in (("exc", True), ("c14n", False)):
        signed = libsign.sign_xml(form, official, target=INVOICE_ID, c14n=c14n, signing_time=SIGNING_TIME)
        # An unused namespace declaration on the signed element: exclusive C14N drops it, inclusive keeps it.
        edited = signed.replace(b'<DLHDon Id="Id-0001">', b'<DLHDon xmlns:x="urn:x" Id="Id-0001">')
        report = libsign.verify_xml(edited, **VERIFY)
        assert (report.indication == "TOTAL_PASSED") == survives, (c14n, codes(report))
    # KeyInfo is not signed: an edited X509SubjectName is a warning, the signature stays valid.
    edited = re.sub(rb"<X509SubjectName>[^<]*</X509SubjectName>", b"<X509SubjectName>CN=Someone Else, C=VN</X509SubjectName>", signed)
    report = libsign.verify_xml(edited, **VERIFY)
    assert "XML_SUBJECT_NAME_MISMATCH" in codes(report)


def test_mutated_documents_never_crash(seller_signed):
    import random
    rng = random.Random(5)
    verifier = libsign.make_verifier(**VERIFY)
    both = libsign.sign_xml(seller_signed, libsign.load_pkcs12(str(PKI_DIR / "gov-ecdsa.p12"),
                                                               password_file=str(P12_PASSWORD_FILE)),
                            xades="B-B", signing_time=SIGNING_TIME)
    for _ in range(300):
        data = bytearray(both)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(data))
            choice = rng.randrange(3)
            if choice == 0:
                data[i] = rng.randrange(256)
            elif choice == 1:
                del data[i:i + rng.randint(1, 200)]
            else:
                j = rng.randrange(len(data))
                data[i:i] = data[j:j + rng.randint(1, 200)]
        try:
            report = libsign.verify_xml(bytes(data), verifier=verifier, canonical=True)
        except libsign.Error:
            continue
        if bytes(data) != both:
            assert report.indication in ("TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE")


def test_parallel_verification_from_threads(seller_signed):
    from concurrent.futures import ThreadPoolExecutor
    verifier = libsign.make_verifier(**VERIFY)
    bad = seller_signed.replace(b"<SLuong>3</SLuong>", b"<SLuong>4</SLuong>")
    inputs = [seller_signed, bad] * 20
    with ThreadPoolExecutor(max_workers=4) as pool:
        verdicts = list(pool.map(lambda data: libsign.verify_xml(data, verifier=verifier).indication, inputs))
    assert verdicts == ["TOTAL_PASSED", "TOTAL_FAILED"] * 20


def test_einvoice_example(tmp_path):
    import subprocess
    import sys as _sys
    from conftest import BUILD_DIR, SOURCE_DIR, python_env
    form, out = tmp_path / "form.xml", tmp_path / "signed.xml"
    form.write_bytes(xml_forms.einvoice(items=3))
    env = python_env(PYTHONPATH=str(BUILD_DIR / "python"))
    example = str(SOURCE_DIR / "examples" / "einvoice.py")
    proc = subprocess.run([_sys.executable, example, "sign", form, out, "--p12", PKI_DIR / "gov-official.p12",
                           "--password-file", P12_PASSWORD_FILE, "--signing-time", SIGNING_TIME],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    verify = [_sys.executable, example, "verify", out, "--profiles-dir", PROFILES_DIR, "--trust-profile", "test-gov", "--at", AT,
              "--offline", "--revocation", "optional"]
    proc = subprocess.run(verify, capture_output=True, text=True, env=env)
    assert proc.returncode == 0 and proc.stdout.startswith("TOTAL_PASSED"), proc.stdout + proc.stderr
    out.write_bytes(out.read_bytes().replace(b"<SLuong>2</SLuong>", b"<SLuong>5</SLuong>"))
    proc = subprocess.run(verify, capture_output=True, text=True, env=env)
    assert proc.returncode == 1 and "XML_DIGEST_MISMATCH" in proc.stdout


def _openssl_sign(key, data, tmp_path):
    import subprocess
    source = tmp_path / "to-sign.bin"
    source.write_bytes(data)
    return subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(key), str(source)], check=True,
                          capture_output=True).stdout


def test_two_phase_signing_for_remote_services(tmp_path):
    form = xml_forms.einvoice(items=3)
    for name in ("gov-official", "gov-ecdsa"):
        request = libsign.prepare_external_xml(form, [PKI_DIR / f"{name}.pem", PKI_DIR / "gov-chain.pem"], target=INVOICE_ID,
                                               parent="/HDon/DSCKS/NBan", xades="B-B", signing_time=SIGNING_TIME)
        assert "PRIVATE" not in request["state"] and len(request["digest"]) == 32
        # The "service" signs the data with the key (ECDSA comes back as DER; r||s is accepted too).
        value = _openssl_sign(PKI_DIR / f"{name}.key.pem", request["data_to_sign"], tmp_path)
        signed = libsign.finish_external_xml(form, request["state"], value)
        report = libsign.verify_xml(signed, target=INVOICE_ID, **VERIFY)
        assert report.indication == "TOTAL_PASSED", (name, codes(report))
        assert report.signatures[0].subfilter == "XAdES-B-B"
    with pytest.raises(libsign.UsageError) as info:
        libsign.finish_external_xml(form.replace(b"<SLuong>1</SLuong>", b"<SLuong>7</SLuong>"), request["state"], value)
    assert info.value.code == "EXTERNAL_STATE_MISMATCH"
    with pytest.raises(libsign.UsageError) as info:
        libsign.finish_external_xml(form, request["state"], b"\x01" * len(value))
    assert info.value.code == "EXTERNAL_SIGNATURE_INVALID"
    with pytest.raises(libsign.UsageError) as info:
        libsign.finish_external_xml(form, "{}", value)
    assert info.value.code == "EXTERNAL_STATE_INVALID"


XPATH_TRANSFORM = (b'<Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><XPath xmlns:dsig='
                   b'"http://www.w3.org/2000/09/xmldsig#">not(ancestor-or-self::dsig:Signature)</XPath></Transform>')


def test_xpath_transform_digests_what_enveloped_does_and_can_be_turned_off(seller_signed):
    """The seller's references with the enveloped transform swapped for the classic XPath form: the
    digests still hold (same bytes), the changed SignedInfo does not; enveloped_only refuses the XPath."""
    enveloped = b'<Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
    assert enveloped in seller_signed
    swapped = seller_signed.replace(enveloped, XPATH_TRANSFORM)
    report = libsign.verify_xml(swapped, **VERIFY)
    sig = report.signatures[0]
    refs = [f for f in sig.findings if "REC-xpath" in f.evidence.get("transforms", "")]
    assert refs and {f.code for f in refs} == {"XML_REFERENCE_VALID"}
    assert sig.has_finding("SIGNATURE_INVALID") and report.indication == "TOTAL_FAILED"
    strict = libsign.verify_xml(swapped, enveloped_only=True, **VERIFY)
    assert "XML_UNSUPPORTED_TRANSFORM" in codes(strict) and strict.indication != "TOTAL_PASSED"
    # A hostile expression is bounded: INDETERMINATE with its own code, quickly.
    hostile = swapped.replace(b"not(ancestor-or-self::dsig:Signature)",
                              b"count(//*[count(//*[count(//*[count(//node()) &gt; 0]) &gt; 0]) &gt; 0]) &gt; 0")
    report = libsign.verify_xml(hostile, **VERIFY)
    assert "XML_TRANSFORM_LIMIT_EXCEEDED" in codes(report) and report.indication != "TOTAL_PASSED"


def _cut(data, start_tag, end_tag):
    start = data.index(start_tag)
    end = data.index(end_tag) + len(end_tag)
    return start, end, data[start:end]


@pytest.mark.parametrize("shape", ["signed_copy_in_buyer_slot", "unsigned_copy_first", "signed_copy_inside_unsigned"])
def test_wrapped_einvoices_never_pass(seller_signed, shape):
    """XSW shapes made by moving or duplicating the signed DLHDon of a real libsign signature: the
    signature still holds over the copy it names, but what a portal reads is the forged one. (Into the
    signature's own ds:Object is impossible here: its reference has the enveloped transform, which
    would cut the copy out; xml_wrapping_test makes that shape with a reference without it.)"""
    start, end, original = _cut(seller_signed, b"<DLHDon", b"</DLHDon>")
    forged = original.replace(b' Id="Id-0001"', b"").replace(b"<SLuong>1</SLuong>", b"<SLuong>1000</SLuong>")
    if shape == "signed_copy_in_buyer_slot":
        wrapped = (seller_signed[:start] + forged + seller_signed[end:]).replace(b"<NMua/>", b"<NMua>" + original + b"</NMua>")
    elif shape == "unsigned_copy_first":
        wrapped = seller_signed[:start] + forged + original + seller_signed[end:]
    else:
        wrapped = seller_signed[:start] + forged.replace(b"</DLHDon>", original + b"</DLHDon>") + seller_signed[end:]
    report = libsign.verify_xml(wrapped, **VERIFY)
    sig = report.signatures[0]
    assert sig.has_finding("XML_REFERENCE_VALID") and not sig.has_finding("XML_DIGEST_MISMATCH")
    assert report.indication != "TOTAL_PASSED"
    assert sig.has_finding("XML_SIGNED_ROOT_NOT_TARGET") or sig.has_finding("XML_ID_DUPLICATE")
    targeted = libsign.verify_xml(wrapped, target="/HDon/DLHDon", **VERIFY)
    assert targeted.indication != "TOTAL_PASSED" and "XML_TARGET_SIGNED" not in codes(targeted)


def test_whole_document_signature_reports_its_signed_root(official):
    signed = libsign.sign_xml(xml_forms.einvoice(items=2), official, signing_time=SIGNING_TIME)  # URI=""
    report = libsign.verify_xml(signed, **VERIFY)
    assert report.indication == "TOTAL_PASSED" and report.signatures[0].coverage == "ENTIRE_FILE"
    whole = [f for f in report.signatures[0].findings if f.code == "XML_REFERENCE_VALID" and f.evidence["uri"] == ""][0]
    assert (whole.evidence["signed_root"], whole.evidence["signed_root_name"], whole.evidence["signed_root_namespace"]) == \
        ("/HDon", "HDon", "")
    assert report.signatures[0].manifest_references == []


MANIFEST_TEMPLATE = (
    '<Doc><Part Id="a">first</Part><Part Id="b">second</Part>'
    '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
    '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
    '{signed_info}</ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo>'
    '<ds:Object><ds:Manifest Id="m">{manifest}</ds:Manifest></ds:Object></ds:Signature></Doc>')


def _template_reference(uri, type_=""):
    type_attr = f' Type="{type_}"' if type_ else ""
    return (f'<ds:Reference URI="{uri}"{type_attr}><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
            '</ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>')


@pytest.fixture(scope="module")
def manifest_signed(tmp_path_factory):
    """A signature over a ds:Manifest of two Parts, made by xmlsec1 (which digests the manifest too)."""
    import shutil
    import subprocess
    if shutil.which("xmlsec1") is None:
        pytest.skip("xmlsec1 not installed (apt install xmlsec1)")
    folder = tmp_path_factory.mktemp("manifest")
    template = folder / "template.xml"
    template.write_text(MANIFEST_TEMPLATE.format(
        signed_info=_template_reference("#m", "http://www.w3.org/2000/09/xmldsig#Manifest"),
        manifest=_template_reference("#a") + _template_reference("#b")))
    out = folder / "signed.xml"
    subprocess.run(["xmlsec1", "--sign", "--privkey-pem", f"{PKI_DIR / 'gov-official.key.pem'},{PKI_DIR / 'gov-official.pem'}",
                    "--id-attr:Id", "Part", "--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:Manifest",
                    "--output", str(out), str(template)], check=True, capture_output=True)
    return out.read_bytes()


def _xmlsec1_verify(data, tmp_path):
    import subprocess
    path = tmp_path / "verify.xml"
    path.write_bytes(data)
    return subprocess.run(["xmlsec1", "--verify", "--trusted-pem", str(PKI_DIR / "gov-root.pem"),
                           "--untrusted-pem", str(PKI_DIR / "gov-chain.pem"), "--id-attr:Id", "Part",
                           "--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:Manifest", str(path)],
                          capture_output=True, text=True)


def test_manifest_references_are_shown_and_do_not_decide(manifest_signed, tmp_path):
    intact = libsign.verify_xml(manifest_signed, **VERIFY)
    sig = intact.signatures[0]
    assert intact.indication == "TOTAL_PASSED"
    assert [(m.manifest, m.uri, m.status, m.manifest_signed) for m in sig.manifest_references] == \
        [("m", "#a", "ok", True), ("m", "#b", "ok", True)]
    assert {c.step: c.status for c in sig.checks}["manifests"] == "passed"

    tampered = manifest_signed.replace(b"second", b"changed")
    report = libsign.verify_xml(tampered, **VERIFY)
    sig = report.signatures[0]
    assert report.indication == "TOTAL_PASSED"  # SignedInfo holds: manifest validation is the application's
    assert [(m.uri, m.status) for m in sig.manifest_references] == [("#a", "ok"), ("#b", "failed")]
    assert sig.manifest_references[1].element == "/Doc/Part[2]"
    assert sig.has_finding("XML_MANIFEST_REFERENCE_FAILED")
    assert {c.step: c.status for c in sig.checks}["manifests"] == "warning"
    # xmlsec1 agrees: the signature verifies ("OK"), one manifest reference of two fails.
    peer = _xmlsec1_verify(tampered, tmp_path)
    assert peer.returncode == 0 and "Manifests References (ok/all): 1/2" in peer.stdout + peer.stderr

    # Changing the manifest itself breaks a SignedInfo reference: the core verdict.
    edited = manifest_signed.replace(b'URI="#b"', b'URI="#a"')
    assert libsign.verify_xml(edited, **VERIFY).indication == "TOTAL_FAILED"


def test_extend_xml_refuses_plain_xmldsig(seller_signed):
    with pytest.raises(libsign.UsageError) as error:
        libsign.extend_xml(seller_signed, to="B-LT")
    assert error.value.code == "XML_NOT_XADES"


def test_xades_values_count_offline_and_are_reported(official):
    """A XAdES B-B form carrying gov-ca's and gov-root's CRLs in RevocationValues passes offline with
    revocation required; a broken ArchiveTimeStamp is reported and proves nothing."""
    signed = libsign.sign_xml(xml_forms.einvoice(), official, target=INVOICE_ID, parent="/HDon/DSCKS/NBan",
                              signing_time=SIGNING_TIME, xades="B-B")
    crls = "".join("<xades:EncapsulatedCRLValue>%s</xades:EncapsulatedCRLValue>"
                   % base64.b64encode((PKI_DIR / name).read_bytes()).decode() for name in ("gov-ca.crl.der", "gov-root.crl.der"))
    unsigned = ("<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:RevocationValues><xades:CRLValues>"
                + crls + "</xades:CRLValues></xades:RevocationValues>"
                '<xades141:ArchiveTimeStamp xmlns:xades141="http://uri.etsi.org/01903/v1.4.1#">'
                "<xades:EncapsulatedTimeStamp>AAAA</xades:EncapsulatedTimeStamp></xades141:ArchiveTimeStamp>"
                "</xades:UnsignedSignatureProperties></xades:UnsignedProperties>")
    long_term = signed.replace(b"</xades:QualifyingProperties>", unsigned.encode() + b"</xades:QualifyingProperties>")
    report = libsign.verify_xml(long_term, **dict(VERIFY, revocation={"required": True}))
    sig = report.signatures[0]
    assert (report.indication, sig.subfilter, sig.revocation.status) == ("TOTAL_PASSED", "XAdES-B-LTA", "good")
    assert [a.valid for a in sig.archive_timestamps] == [False] and sig.has_finding("ARCHIVE_TIMESTAMP_INVALID")
    bare = libsign.verify_xml(signed, **dict(VERIFY, revocation={"required": True}))
    assert bare.signatures[0].sub_indication == "TRY_LATER" and bare.signatures[0].archive_timestamps == []
