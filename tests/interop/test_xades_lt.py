"""Long-term XAdES end to end: an e-form signed XAdES B-T (or B-B) by libsign with the test TSA, extended
with `libsign extend` to B-LT / B-LTA against the OCSP/CRL server on 127.0.0.1:18881, then verified
OFFLINE at a pinned time later; xmlsec1 still verifies the core signature of every extended file.
No peer on Debian writes XAdES B-LT/B-LTA (xmlsec1 does no XAdES), so libsign's own files are used."""
import base64
import datetime
import re
import shutil
import subprocess

import pytest

import libsign
import xml_forms
from conftest import ONLINE_LOCAL, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SIGNING_TIME, codes, run_cli, verify_json
from servers import running_fixed_pki_server, running_tsa

LATER = "2029-06-01T00:00:00Z"  # years after signing, before gov-official expires (2030)
TRUST = ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov"]
TSA_TRUST = {"profiles_dir": str(PROFILES_DIR), "trust_profile": "test-gov"}
needs_xmlsec = pytest.mark.skipif(shutil.which("xmlsec1") is None, reason="xmlsec1 not installed (apt install xmlsec1)")


@pytest.fixture(scope="module")
def pki_server():
    with running_fixed_pki_server() as base:
        yield base


@pytest.fixture(scope="module")
def tsa():
    with running_tsa() as url:
        yield url


def signed_form(tmp_path, tsa=None, name="signed.xml"):
    signer = libsign.load_pkcs12(str(PKI_DIR / "gov-official.p12"), password_file=str(P12_PASSWORD_FILE))
    options = {"tsa": {"url": tsa, **TSA_TRUST}} if tsa else {"xades": "B-B"}
    path = tmp_path / name
    path.write_bytes(libsign.sign_xml(xml_forms.einvoice(), signer, target="Id-0001", parent="/HDon/DSCKS/NBan",
                                      signing_time=SIGNING_TIME, signature_id="seller", **options))
    return path


def extend(path, out, level, *extra):
    proc = run_cli("extend", path, "-o", out, "--to", level, *TRUST, *ONLINE_LOCAL, *extra)
    assert proc.returncode == 0, proc.stderr
    return out


def verify_offline(path, at=LATER):
    status, report = verify_json(path, *TRUST, "--at", at, "--offline")  # revocation required, no network
    return status, report["document"]["signatures"][0]


def xmlsec_verify(path):
    return subprocess.run(["xmlsec1", "--verify", "--trusted-pem", str(PKI_DIR / "gov-root.pem"), "--untrusted-pem",
                           str(PKI_DIR / "gov-ca.pem"), "--verification-gmt-time", "2026-07-01+00:00:00",
                           "--id-attr:Id", "DLHDon", "--id-attr:Id", "SignedProperties", str(path)],
                          capture_output=True, text=True)


def check_core_signature_with_xmlsec(path):
    if shutil.which("xmlsec1"):
        proc = xmlsec_verify(path)
        assert proc.returncode == 0, proc.stderr


def test_b_t_extended_to_b_lt_verifies_offline_from_the_xades_values(pki_server, tsa, tmp_path):
    base = signed_form(tmp_path, tsa)
    status, sig = verify_offline(base)
    assert sig["sub_indication"] == "TRY_LATER" and status != 0  # B-T alone: nothing to decide offline
    lt = extend(base, tmp_path / "lt.xml", "B-LT")
    status, sig = verify_offline(lt)
    assert (sig["indication"], sig["subfilter"], status) == ("TOTAL_PASSED", "XAdES-B-LT", 0)
    assert sig["revocation"]["status"] == "good" and sig["revocation"]["source"] == "xades-values"
    assert "REVOCATION_NOT_CHECKED" not in codes(sig) and "TIMESTAMP_VALID" in codes(sig)
    text = lt.read_text(encoding="utf-8")
    assert "<xades:CertificateValues>" in text and "<xades:EncapsulatedOCSPValue>" in text
    check_core_signature_with_xmlsec(lt)


def test_b_lta_twice_then_tampered_validation_data_breaks_the_archive_timestamp(pki_server, tsa, tmp_path):
    base = signed_form(tmp_path, tsa)
    before = base.read_bytes()
    once = extend(base, tmp_path / "lta1.xml", "B-LTA", "--tsa", tsa)
    twice = extend(once, tmp_path / "lta2.xml", "B-LTA", "--tsa", tsa)
    assert base.read_bytes() == before  # the input is never changed
    for path, count in ((once, 1), (twice, 2)):
        status, sig = verify_offline(path)
        assert (sig["indication"], sig["subfilter"], status) == ("TOTAL_PASSED", "XAdES-B-LTA", 0)
        assert [a["valid"] for a in sig["archive_timestamps"]] == [True] * count
        assert all(a["gen_time"] for a in sig["archive_timestamps"])
        assert "ARCHIVE_TIMESTAMP_VALID" in codes(sig) and "ARCHIVE_TIMESTAMP_INVALID" not in codes(sig)
        check_core_signature_with_xmlsec(path)

    # One Base64 character of an embedded certificate changed after archiving.
    text = once.read_text(encoding="utf-8")
    match = re.search(r"<xades:EncapsulatedX509Certificate>(.{60})", text)
    position = match.start(1) + 50
    tampered = tmp_path / "tampered.xml"
    tampered.write_text(text[:position] + ("A" if text[position] != "A" else "B") + text[position + 1:], encoding="utf-8")
    status, sig = verify_offline(tampered)
    assert "ARCHIVE_TIMESTAMP_INVALID" in codes(sig)
    assert [a["valid"] for a in sig["archive_timestamps"]] == [False]
    check_core_signature_with_xmlsec(tampered)  # the core signature does not cover unsigned properties


def crl_revoking_gov_official(tmp_path, revoked_at):
    """gov-ca's CRL listing gov-official (serial 1003) revoked at `revoked_at` (keyCompromise), issued just after."""
    folder = tmp_path / "ca"
    folder.mkdir()
    stamp = revoked_at.strftime("%y%m%d%H%M%SZ")
    (folder / "index.txt").write_text(f"R\t300101000000Z\t{stamp},keyCompromise\t1003\tunknown\t/CN=gov-official\n")
    (folder / "crlnumber").write_text("2000\n")
    (folder / "ca.cnf").write_text(f"[ca]\ndefault_ca = CA\n[CA]\ndatabase = {folder}/index.txt\ncrlnumber = {folder}/crlnumber\n"
                                   "default_md = sha256\ndefault_crl_days = 3650\n")
    issued = (revoked_at + datetime.timedelta(minutes=1)).strftime("%Y%m%d%H%M%SZ")
    out = folder / "crl.der"
    subprocess.run(["openssl", "ca", "-gencrl", "-config", str(folder / "ca.cnf"), "-keyfile", str(PKI_DIR / "gov-ca.key.pem"),
                    "-cert", str(PKI_DIR / "gov-ca.pem"), "-crl_lastupdate", issued, "-out", str(folder / "crl.pem")],
                   check=True, capture_output=True)
    subprocess.run(["openssl", "crl", "-in", str(folder / "crl.pem"), "-outform", "DER", "-out", str(out)], check=True,
                   capture_output=True)
    return out.read_bytes()


def with_later_crl(path, crl, out):
    """The CRL added after everything else, in a TimeStampValidationData no archive timestamp covers."""
    text = path.read_text(encoding="utf-8")
    added = ('<xades141:TimeStampValidationData xmlns:xades141="http://uri.etsi.org/01903/v1.4.1#"><xades:RevocationValues>'
             "<xades:CRLValues><xades:EncapsulatedCRLValue>" + base64.b64encode(crl).decode() +
             "</xades:EncapsulatedCRLValue></xades:CRLValues></xades:RevocationValues></xades141:TimeStampValidationData>")
    out.write_text(text.replace("</xades:UnsignedSignatureProperties>", added + "</xades:UnsignedSignatureProperties>"),
                   encoding="utf-8")
    return out


def test_revoked_or_expired_after_the_archive_timestamp_still_passes(pki_server, tsa, tmp_path):
    # B-B, then B-LT without a TSA, then B-LTA: the archive timestamp is the only proof of existence.
    base = signed_form(tmp_path)
    lt = extend(base, tmp_path / "lt.xml", "B-LT")
    lta = extend(lt, tmp_path / "lta.xml", "B-LTA", "--tsa", tsa)
    status, sig = verify_offline(lta)
    assert (sig["indication"], sig["subfilter"]) == ("TOTAL_PASSED", "XAdES-B-LTA") and not sig["timestamp"]["present"]
    archived = datetime.datetime.strptime(sig["archive_timestamps"][0]["gen_time"], "%Y-%m-%dT%H:%M:%SZ")

    # After gov-official expired (2030): the archive timestamp proves the signature was made in time.
    status, sig = verify_offline(lta, at="2031-01-01T00:00:00Z")
    assert (sig["indication"], status) == ("TOTAL_PASSED", 0) and "CERT_EXPIRED_SIGNED_IN_TIME" in codes(sig)
    status, sig = verify_offline(lt, at="2031-01-01T00:00:00Z")
    assert sig["indication"] == "INDETERMINATE" and "CERT_EXPIRED_AT_VALIDATION_TIME" in codes(sig)

    crl = crl_revoking_gov_official(tmp_path, archived + datetime.timedelta(hours=1))
    status, sig = verify_offline(with_later_crl(lta, crl, tmp_path / "lta-revoked.xml"))
    assert (sig["indication"], status) == ("TOTAL_PASSED", 0)
    assert sig["revocation"]["status"] == "revoked" and "CERT_REVOKED_AFTER_SIGNING" in codes(sig)
    # Without the archive timestamp nothing proves the signature came before the revocation.
    status, sig = verify_offline(with_later_crl(lt, crl, tmp_path / "lt-revoked.xml"))
    assert sig["indication"] != "TOTAL_PASSED" and "CERT_REVOKED" in codes(sig)


def test_python_extend_xml_matches_the_cli(pki_server, tsa, tmp_path):
    base = signed_form(tmp_path, tsa)
    validation = {"trust_profile": "test-gov", "profiles_dir": str(PROFILES_DIR),
                  "revocation": {"online": True, "allow_hosts": ["127.0.0.1"], "required": True}}
    extended = libsign.extend_xml(base, to="B-LTA", tsa={"url": tsa, **TSA_TRUST}, validation=validation)
    report = libsign.verify_xml(extended, trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=LATER,
                                revocation={"required": True})
    sig = report.signatures[0]
    assert (report.indication, sig.subfilter) == ("TOTAL_PASSED", "XAdES-B-LTA")
    assert [a.valid for a in sig.archive_timestamps] == [True]
