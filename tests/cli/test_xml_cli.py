"""`libsign sign` / `libsign verify` on XML e-forms, end to end through the real binary: detection
from the content, the --xml-* options, exit statuses, and errors that write nothing."""
import base64
import json
import os

import pytest

from conftest import AT, OFFLINE, P12_PASSWORD_FILE, PKI_DIR, SIGNING_TIME, TEST_GOV, run_cli, verify_json

import xml_forms

P12 = ["--p12", str(PKI_DIR / "gov-official.p12"), "--password-file", str(P12_PASSWORD_FILE)]


def sign(tmp_path, *options, form=None, name="signed.xml"):
    source = tmp_path / "form.xml"
    source.write_bytes(form or xml_forms.einvoice())
    out = tmp_path / name
    proc = run_cli("sign", source, "-o", out, *P12, "--signing-time", SIGNING_TIME, *options)
    assert proc.returncode == 0, proc.stderr
    return out


def test_sign_and_verify_an_einvoice(tmp_path):
    out = sign(tmp_path, "--xml-target", "Id-0001", "--xml-parent", "/HDon/DSCKS/NBan", "--xml-signature-id", "seller")
    status, report = verify_json(out, *TEST_GOV, "--xml-target", "Id-0001")
    doc = report["document"]
    assert status == 0 and doc["format"] == "xml" and doc["indication"] == "TOTAL_PASSED"
    sig = doc["signatures"][0]
    assert sig["field_name"] == "seller" and sig["signing_time"] == SIGNING_TIME
    text = run_cli("verify", out, *TEST_GOV, "--lang", "vi")
    assert text.returncode == 0 and "Nguyễn Văn An" in text.stdout


def test_xades_levels_and_c14n_options(tmp_path):
    out = sign(tmp_path, "--xml-xades", "B-B", "--xml-c14n", "c14n11")
    status, report = verify_json(out, *TEST_GOV)
    assert status == 0 and report["document"]["signatures"][0]["subfilter"] == "XAdES-B-B"
    assert b"http://www.w3.org/2006/12/xml-c14n11" in out.read_bytes()


def test_tampered_einvoice_exit_status_and_canonical_bytes(tmp_path):
    out = sign(tmp_path, "--xml-target", "Id-0001")
    out.write_bytes(out.read_bytes().replace(b"<SLuong>2</SLuong>", b"<SLuong>20</SLuong>"))
    status, report = verify_json(out, *TEST_GOV, "--canonical")
    sig = report["document"]["signatures"][0]
    assert status == 1 and sig["sub_indication"] == "HASH_FAILURE"
    mismatch = [f for f in sig["findings"] if f["code"] == "XML_DIGEST_MISMATCH"][0]
    assert b"<SLuong>20</SLuong>" in base64.b64decode(mismatch["evidence"]["canonical_b64"])


def test_signature_selection_and_target(tmp_path):
    out = sign(tmp_path, "--xml-parent", "/HDon/DSCKS/NBan", "--xml-signature-id", "seller")
    status, report = verify_json(out, *TEST_GOV, "--xml-signature", "/HDon/DSCKS/NMua/ds:Signature")
    assert status == 2 and "XML_SIGNATURE_NOT_FOUND" in {f["code"] for f in report["document"]["findings"]}
    status, report = verify_json(out, *TEST_GOV, "--xml-signature", "seller", "--xml-target", "/HDon/DLHDon")
    assert status == 0 and len(report["document"]["signatures"]) == 1


def test_hostile_xml_is_an_input_error(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><a>&b;</a>')
    proc = run_cli("verify", bomb, *TEST_GOV)
    assert proc.returncode == 3 and "[XML_DTD_FORBIDDEN]" in proc.stderr
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<HDon><DLHDon Id='x'></HDon>")
    proc = run_cli("verify", broken, *TEST_GOV, "--format", "json")
    assert proc.returncode == 3 and json.loads(proc.stdout)["error"]["code"] == "XML_MALFORMED"
    proc = run_cli("sign", broken, "-o", tmp_path / "out.xml", *P12)
    assert proc.returncode == 3 and "[XML_MALFORMED]" in proc.stderr
    assert not (tmp_path / "out.xml").exists()


def test_sign_errors_leave_nothing(tmp_path):
    source = tmp_path / "form.xml"
    source.write_bytes(xml_forms.einvoice(items=1))
    proc = run_cli("sign", source, "-o", tmp_path / "out.xml", *P12, "--xml-target", "missing")
    assert proc.returncode == 3 and "[XML_TARGET_NOT_FOUND]" in proc.stderr
    proc = run_cli("sign", source, "-o", tmp_path / "out.xml", *P12, "--xml-parent", "/HDon/DSCKS/*")
    assert proc.returncode == 3 and "[XML_PARENT_NOT_FOUND]" in proc.stderr
    assert sorted(os.listdir(tmp_path)) == ["form.xml"]


def test_help_documents_the_xml_options():
    sign_help = run_cli("sign", "--help").stdout
    verify_help = run_cli("verify", "--help").stdout
    for option in ("--xml-target", "--xml-parent", "--xml-c14n", "--xml-xades", "--xml-signature-id"):
        assert option in sign_help
    for option in ("--xml-signature", "--xml-target", "--canonical", "--xml-enveloped-only"):
        assert option in verify_help


def test_pdf_only_levels_are_refused_for_xml(tmp_path):
    source = tmp_path / "form.xml"
    source.write_bytes(xml_forms.einvoice(items=1))
    proc = run_cli("sign", source, "-o", tmp_path / "out.xml", *P12, "--level", "B-LT")
    assert proc.returncode == 3 and "[LEVEL_UNSUPPORTED]" in proc.stderr
    assert not (tmp_path / "out.xml").exists()


def test_two_phase_signing_through_the_cli(tmp_path):
    import subprocess
    source = tmp_path / "form.xml"
    source.write_bytes(xml_forms.einvoice(items=2))
    state, data, value, out = (tmp_path / n for n in ("state.json", "data.bin", "value.bin", "signed.xml"))
    proc = run_cli("sign", source, "--external-prepare", state, "--external-data", data, "--cert", PKI_DIR / "gov-ecdsa.pem",
                   "--chain", PKI_DIR / "gov-chain.pem", "--xml-target", "Id-0001", "--xml-xades", "B-B",
                   "--signing-time", SIGNING_TIME)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.strip()) == 64  # the SHA-256 to sign, hex
    value.write_bytes(subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(PKI_DIR / "gov-ecdsa.key.pem"), str(data)],
                                     check=True, capture_output=True).stdout)
    proc = run_cli("sign", source, "-o", out, "--external-finish", state, "--signature", value)
    assert proc.returncode == 0, proc.stderr
    status, report = verify_json(out, *TEST_GOV, "--xml-target", "Id-0001")
    assert status == 0 and report["document"]["signatures"][0]["subfilter"] == "XAdES-B-B"


def test_xpath_filter2_signature_and_the_enveloped_only_flag(shared_corpus):
    """An XPath Filter 2.0 reference (xmlsec's interop set) holds; --xml-enveloped-only refuses to apply it."""
    base = shared_corpus / "xmldsig-interop"
    path = base / "aleksey-xmldsig-01" / "x509data-test.xml"
    trust = ["--trust-profile", "none", "--trust", str(base / "keys" / "cacert.pem"), "--at", AT, *OFFLINE]
    _, report = verify_json(path, *trust)
    sig = report["document"]["signatures"][0]
    assert [f["code"] for f in sig["findings"] if f["code"].startswith("XML_REFERENCE")] == ["XML_REFERENCE_VALID"]
    assert {c["step"]: c["status"] for c in sig["checks"]}["signature_value"] == "passed"
    _, strict = verify_json(path, *trust, "--xml-enveloped-only")
    sig = strict["document"]["signatures"][0]
    assert "XML_UNSUPPORTED_TRANSFORM" in {f["code"] for f in sig["findings"]}
    assert strict["document"]["indication"] == "INDETERMINATE"


def test_wrapped_einvoice_is_flagged_and_whole_document_root_is_named(tmp_path):
    """The seller's signed DLHDon moved into a wrapper, a forged DLHDon in its place: exit 2
    (INDETERMINATE) with XML_SIGNED_ROOT_NOT_TARGET, without any --xml-target."""
    out = sign(tmp_path, "--xml-target", "Id-0001", "--xml-parent", "/HDon/DSCKS/NBan")
    data = out.read_bytes()
    start, end = data.index(b"<DLHDon"), data.index(b"</DLHDon>") + len(b"</DLHDon>")
    original = data[start:end]
    forged = original.replace(b' Id="Id-0001"', b"").replace(b"<SLuong>1</SLuong>", b"<SLuong>9</SLuong>")
    wrapped = (data[:start] + forged + data[end:]).replace(b"<NMua/>", b"<NMua><Wrapper>" + original + b"</Wrapper></NMua>")
    out.write_bytes(wrapped)
    status, report = verify_json(out, *TEST_GOV)
    sig = report["document"]["signatures"][0]
    assert status == 2 and sig["indication"] == "INDETERMINATE" and sig["sub_indication"] == "SIGNED_DATA_NOT_FOUND"
    flagged = [f for f in sig["findings"] if f["code"] == "XML_SIGNED_ROOT_NOT_TARGET"]
    assert flagged and flagged[0]["evidence"]["consumer_element"] == "/HDon/DLHDon"
    assert flagged[0]["evidence"]["signed_root"] == "/HDon/DSCKS/NMua/Wrapper/DLHDon"

    whole = sign(tmp_path, name="whole.xml")  # no --xml-target: URI=""
    status, report = verify_json(whole, *TEST_GOV)
    sig = report["document"]["signatures"][0]
    assert status == 0 and sig["manifest_references"] == []
    valid = [f for f in sig["findings"] if f["code"] == "XML_REFERENCE_VALID" and f["evidence"]["uri"] == ""]
    assert valid[0]["evidence"]["signed_root"] == "/HDon"
    assert valid[0]["evidence"]["signed_root_name"] == "HDon"


def test_interop_manifest_references_are_reported_separately(shared_corpus, tmp_path):
    """phaos' manifest signatures: SignedInfo references one ds:Manifest whose own references point
    outside the document; the core verdict is SignedInfo's, each manifest reference is listed."""
    base = shared_corpus / "xmldsig-interop"
    path = base / "phaos-xmldsig-three" / "signature-rsa-manifest-x509-data-cert.xml"
    if not path.exists():
        pytest.skip("phaos manifest case absent")
    trust = ["--trust-profile", "none", "--at", AT, *OFFLINE]
    _, report = verify_json(path, *trust)
    sig = report["document"]["signatures"][0]
    checks = {c["step"]: c["status"] for c in sig["checks"]}
    assert checks["integrity"] == "passed" and checks["signature_value"] == "passed"
    assert [(m["manifest"], m["uri"], m["status"], m["manifest_signed"]) for m in sig["manifest_references"]] == [
        ("manifest", "document.xml", "unresolvable", True), ("manifest", "http://www.ietf.org/rfc/rfc3161.txt", "unresolvable", True)]
    assert "XML_MANIFEST_REFERENCE_FAILED" not in {f["code"] for f in sig["findings"]}
    text = run_cli("verify", path, *trust)
    assert "document.xml unresolvable" in text.stdout
    # The manifest edited: its SignedInfo reference fails, whatever the manifest references say.
    tampered = path.read_bytes().replace(b'URI="document.xml"', b'URI="document2.xml"')
    copy = tmp_path / "tampered.xml"
    copy.write_bytes(tampered)
    status, report = verify_json(copy, *trust)
    assert status == 1 and report["document"]["indication"] == "TOTAL_FAILED"


def test_extend_refuses_plain_xmldsig_and_writes_nothing(tmp_path):
    out = sign(tmp_path, "--xml-target", "Id-0001")
    proc = run_cli("extend", out, "-o", tmp_path / "lt.xml", "--to", "B-LT", "--offline")
    assert proc.returncode == 3 and "[XML_NOT_XADES]" in proc.stderr
    assert not (tmp_path / "lt.xml").exists()
    assert "XAdES" in run_cli("extend", "--help").stdout
