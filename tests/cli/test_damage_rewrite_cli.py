"""Damage forensics through `libsign verify` (issue 15 parts 1 and 4): the wrong thing stored under a
dossier's name, and XML e-forms signed by libsign and by xmlsec1 then damaged on the way
(pretty-printed, re-encoded, prefixes rewritten, BOMs, Base64). Each gives its DAMAGE_* code; healthy
files give none."""
import base64
import json
import re
import shutil
import subprocess
import unicodedata

import pytest

from conftest import P12_PASSWORD_FILE, PKI_DIR, SIGNING_TIME, TEST_GOV, run_cli, verify_json

import xml_forms

P12 = ["--p12", str(PKI_DIR / "gov-official.p12"), "--password-file", str(P12_PASSWORD_FILE)]
DSIG = "http://www.w3.org/2000/09/xmldsig#"


def damage_codes(report):
    doc = report.get("document") or {}
    return [f["code"] for f in doc.get("findings", []) if f["code"].startswith("DAMAGE_")]


def damage(report, code):
    return next(f for f in report["document"]["findings"] if f["code"] == code)


# ---- the wrong thing stored ------------------------------------------------------------------------

WRONG = {
    "login.pdf": (b"<!DOCTYPE html><html><head><title>\xc4\x90\xc4\x83ng nh\xe1\xba\xadp</title></head><body>"
                  b"<form><input type=\"password\" name=\"mk\"></form></body></html>", "DAMAGE_HTML_PAGE"),
    "error.pdf": (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html\r\n\r\n<html><body>busy</body></html>",
                  "DAMAGE_HTML_PAGE"),
    "api.pdf": (b'{"status": 404, "message": "File not found"}', "DAMAGE_JSON_BODY"),
    "photo.pdf": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200), "DAMAGE_IMAGE_FILE"),
    "zeros.pdf": (bytes(8192), "DAMAGE_EMPTY_FILE"),
    "empty.pdf": (b"", "DAMAGE_EMPTY_FILE"),
}


def verify_error(path, *options):
    """`libsign verify --format json` on unreadable input: (exit status, the "error" object, stderr)."""
    proc = run_cli("verify", path, "--format", "json", *options)
    report = json.loads(proc.stdout)
    assert report["document"] is None, report
    return proc.returncode, report["error"], proc.stderr


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_content_keeps_the_typed_error_and_carries_the_diagnosis(tmp_path, name):
    data, code = WRONG[name]
    path = tmp_path / name
    path.write_bytes(data)
    status, error, stderr = verify_error(path, *TEST_GOV)
    assert status == 3  # unreadable input, as before
    assert error["code"] in ("INPUT_NOT_PDF", "INPUT_EMPTY", "XML_MALFORMED")
    assert [d["code"] for d in error["diagnosis"]] == [code]
    evidence = error["diagnosis"][0]["evidence"]
    assert evidence["class"] == "wrong_content" and evidence["reversible"] == "false"
    assert evidence["error"] == error["code"]
    assert code in stderr
    if name == "login.pdf":
        assert evidence["page"] == "login"
    if name == "error.pdf":
        assert evidence["http_status"] == "503"


def test_wrong_content_diagnosis_in_vietnamese(tmp_path):
    path = tmp_path / "login.pdf"
    path.write_bytes(WRONG["login.pdf"][0])
    proc = run_cli("verify", path, *TEST_GOV, "--lang", "vi")
    assert proc.returncode == 3
    assert "DAMAGE_HTML_PAGE" in proc.stderr and "trang web" in proc.stderr


def test_docx_named_pdf(tmp_path):
    import zipfile
    path = tmp_path / "to-khai.pdf"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    status, error, stderr = verify_error(path, *TEST_GOV)
    assert status == 3
    assert error["diagnosis"][0]["code"] == "DAMAGE_OFFICE_FILE"
    assert error["diagnosis"][0]["evidence"]["content"] == "docx"


def test_diagnose_counts_the_diagnosis_beside_the_error(tmp_path):
    folder = tmp_path / "portal"
    folder.mkdir()
    (folder / "login.pdf").write_bytes(WRONG["login.pdf"][0])
    (folder / "photo.pdf").write_bytes(WRONG["photo.pdf"][0])
    out = tmp_path / "summary.json"
    proc = run_cli("diagnose", folder, "--json", out, "--quiet", *TEST_GOV)
    assert out.exists(), proc.stderr
    by_code = json.loads(out.read_text(encoding="utf-8"))["by_code"]
    assert {"DAMAGE_HTML_PAGE", "DAMAGE_IMAGE_FILE"} <= set(by_code), by_code


def test_plain_junk_keeps_its_typed_error(tmp_path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"\x01\x02 nothing recognisable here \x03" * 10)
    proc = run_cli("verify", path, *TEST_GOV)
    assert proc.returncode == 3
    assert "INPUT_NOT_PDF" in proc.stderr


# ---- XML e-forms -----------------------------------------------------------------------------------

def libsign_signed(tmp_path):
    source = tmp_path / "form.xml"
    source.write_bytes(xml_forms.einvoice(items=3))
    out = tmp_path / "libsign-signed.xml"
    proc = run_cli("sign", source, "-o", out, *P12, "--signing-time", SIGNING_TIME, "--xml-target", "Id-0001",
                   "--xml-parent", "/HDon/DSCKS/NBan")
    assert proc.returncode == 0, proc.stderr
    return out.read_bytes()


XMLSEC_TEMPLATE = (
    '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
    '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
    '<ds:Reference URI="#Id-0001"><ds:Transforms>'
    '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
    '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
    '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>'
    '</ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data>'
    '</ds:KeyInfo></ds:Signature>')


def xmlsec_signed(tmp_path):
    if shutil.which("xmlsec1") is None:
        pytest.skip("xmlsec1 not installed")
    form = xml_forms.einvoice(items=3).decode("utf-8").replace("<NBan/><NMua/>", "<NBan>" + XMLSEC_TEMPLATE + "</NBan><NMua/>")
    template = tmp_path / "template.xml"
    template.write_text(form, encoding="utf-8")
    out = tmp_path / "xmlsec-signed.xml"
    key = f"{PKI_DIR / 'gov-official.key.pem'},{PKI_DIR / 'gov-official.pem'}"
    proc = subprocess.run(["xmlsec1", "--sign", "--privkey-pem", key, "--id-attr:Id", "DLHDon", "--output", str(out),
                           str(template)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return out.read_bytes()


SIGNERS = {"libsign": libsign_signed, "xmlsec1": xmlsec_signed}


def pretty_printed(data):
    """Indentation added between the elements of the invoice data (what an XML library's
    pretty-printer does), outside the signature."""
    text = data.decode("utf-8")
    head, sep, tail = text.partition("<DSCKS>")
    return (re.sub(r"><(?!/)", ">\n    <", head) + sep + tail).encode("utf-8")


def mojibake(data):
    """UTF-8 read as Windows-1252 (undefined bytes as C1 controls) and written back as UTF-8."""
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out).encode("utf-8")


def as_cp1258(data):
    """The file converted to Windows-1258 (tone marks decomposed where the code page needs it) while
    its declaration still says UTF-8."""
    out = bytearray()
    for ch in data.decode("utf-8"):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in "\u0300\u0301\u0303\u0309\u0323"))
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        out += (base + tones).encode("cp1258")
    return bytes(out)


def without_ds_prefix(data):
    text = data.decode("utf-8")
    text = text.replace("<ds:", "<").replace("</ds:", "</").replace(f'xmlns:ds="{DSIG}"', f'xmlns="{DSIG}"')
    return text.encode("utf-8")


def with_ds_prefix(data):
    """The dsig elements of a default-namespace signature given the ds: prefix."""
    text = data.decode("utf-8")
    start = text.index("<Signature ")
    end = text.index("</Signature>") + len("</Signature>")
    sig = re.sub(r"<(/?)([A-Za-z][A-Za-z0-9]*[ >/])", r"<\1ds:\2", text[start:end]).replace(f'xmlns="{DSIG}"', f'xmlns:ds="{DSIG}"')
    return (text[:start] + sig + text[end:]).encode("utf-8")


DAMAGES = {
    "pretty-printed": (pretty_printed, "DAMAGE_XML_REFORMATTED"),
    "mojibake": (mojibake, "DAMAGE_XML_REENCODED"),
    "cp1258-bytes": (as_cp1258, "DAMAGE_XML_REENCODED"),
    "double-bom": (lambda d: b"\xef\xbb\xbf\xef\xbb\xbf" + d, "DAMAGE_XML_BOM"),
    "prefix": (None, "DAMAGE_XML_PREFIXES"),
}


@pytest.mark.parametrize("signer", sorted(SIGNERS))
@pytest.mark.parametrize("kind", sorted(DAMAGES))
def test_xml_damage_is_named(tmp_path, signer, kind):
    signed = SIGNERS[signer](tmp_path)
    path = tmp_path / "received.xml"
    path.write_bytes(signed)
    status, report = verify_json(path, *TEST_GOV)
    assert report["document"]["indication"] == "TOTAL_PASSED", report["document"]
    assert damage_codes(report) == []

    damage_fn, code = DAMAGES[kind]
    if kind == "prefix":
        damage_fn = without_ds_prefix if b"<ds:Signature" in signed else with_ds_prefix
    path.write_bytes(damage_fn(signed))
    status, report = verify_json(path, *TEST_GOV)
    assert code in damage_codes(report), report.get("document", report)
    assert report["document"]["indication"] != "TOTAL_PASSED"  # the file as received keeps its own verdict
    finding = damage(report, code)
    assert finding["evidence"]["reversible"] == "true"
    if kind in ("pretty-printed", "mojibake"):
        assert finding["evidence"]["element"].startswith("/HDon/DLHDon")
        assert int(finding["evidence"]["canonical_first_difference"]) >= 0
    if kind == "cp1258-bytes":
        assert finding["evidence"]["encoding"] == "windows-1258"
    # Reversible: the repaired document verifies, reported beside the verdict on the file as received.
    assert report["document"]["recovered"]["indication"] == "TOTAL_PASSED"
    assert report["document"]["recovery_method"].startswith("xml-")


@pytest.mark.parametrize("kind", ["pretty-printed", "mojibake", "prefix"])
def test_recovered_xmlsec1_form_verifies_with_xmlsec1(tmp_path, kind):
    signed = xmlsec_signed(tmp_path)
    damage_fn = DAMAGES[kind][0] or without_ds_prefix
    damaged = tmp_path / "received.xml"
    damaged.write_bytes(damage_fn(signed))
    assert xmlsec_verify(damaged).returncode != 0
    out = tmp_path / "recovered.xml"
    proc = run_cli("recover", damaged, "-o", out, *TEST_GOV)
    assert proc.returncode == 0, proc.stderr
    check = xmlsec_verify(out)
    assert check.returncode == 0, check.stderr


def xmlsec_verify(path):
    return subprocess.run(["xmlsec1", "--verify", "--trusted-pem", str(PKI_DIR / "gov-root.pem"), "--untrusted-pem",
                           str(PKI_DIR / "gov-ca.pem"), "--verification-gmt-time", "2026-07-01+00:00:00",
                           "--id-attr:Id", "DLHDon", str(path)], capture_output=True, text=True, timeout=60)


def test_base64_of_an_einvoice(tmp_path):
    signed = libsign_signed(tmp_path)
    path = tmp_path / "received.xml"
    path.write_bytes(base64.encodebytes(signed))
    status, report = verify_json(path, *TEST_GOV)
    assert any(c in damage_codes(report) for c in ("DAMAGE_XML_BASE64", "DAMAGE_BASE64")), report
    assert report["document"]["indication"] != "TOTAL_PASSED"


def test_edited_einvoice_is_not_called_damage(tmp_path):
    signed = libsign_signed(tmp_path)
    path = tmp_path / "edited.xml"
    path.write_bytes(signed.replace(b"<SLuong>1</SLuong>", b"<SLuong>9</SLuong>"))
    status, report = verify_json(path, *TEST_GOV)
    assert report["document"]["indication"] == "TOTAL_FAILED"
    assert damage_codes(report) == []


MY_CLASSES = {"wrong_content", "rewritten", "xml_reformatted", "xml_reencoded", "xml_prefixes"}


def test_fixtures_show_no_wrong_content_rewrite_or_xml_damage(fixtures):
    """Every signed test PDF (valid, tampered, changed incrementally, broken on purpose) is read as what
    it is: none of them is wrong content or a rewrite."""
    for path in sorted(fixtures.glob("*.pdf")):
        status, report = verify_json(path, *TEST_GOV)
        doc = report.get("document") or {}
        found = [f["code"] for f in doc.get("findings", []) if f.get("evidence", {}).get("class") in MY_CLASSES]
        assert found == [], (path.name, found)


def test_python_error_carries_the_diagnosis(tmp_path):
    libsign = pytest.importorskip("libsign")
    path = tmp_path / "login.pdf"
    path.write_bytes(WRONG["login.pdf"][0])
    with pytest.raises(libsign.FormatError) as raised:
        libsign.verify(str(path), trust_profile="test-gov", profiles_dir=str(PKI_DIR.parent / "profiles"),
                       at="2026-07-01T00:00:00Z")
    assert raised.value.code == "XML_MALFORMED"
    assert [d.code for d in raised.value.diagnosis] == ["DAMAGE_HTML_PAGE"]
    assert raised.value.diagnosis[0].evidence["page"] == "login"
