"""CAdES B-LT / B-LTA end to end: .p7s and .p7m signed by libsign with the test TSA, extended with
`libsign extend` against the OCSP/CRL server and the TSA on 127.0.0.1, then checked by OpenSSL
(`openssl cms -verify`, the peer) and by libsign offline, from the validation data in the CMS alone."""
import datetime
import hashlib
import subprocess

import pytest

import der

import libsign
from conftest import AT, ONLINE_LOCAL, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SIGNING_TIME, codes, run_cli, verify_json
from servers import running_fixed_pki_server, running_tsa

TRUST = ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov"]
OFFLINE_AT = [*TRUST, "--offline", "--at", AT]  # revocation required (the command's default), no network
LATER = "2031-01-01T00:00:00Z"  # gov-official expired on 2030-01-01
CONTENT = "Tờ trình số 12/TTr-UBND (đính kèm)\n".encode()
OCSP_INFO_OID = bytes.fromhex("06082b06010505071002")  # id-ri-ocsp-response, DER


@pytest.fixture(scope="module")
def servers():
    with running_fixed_pki_server(), running_tsa() as tsa:
        yield tsa


def extend(path, out, level, *extra):
    return run_cli("extend", path, "-o", out, "--to", level, *TRUST, *ONLINE_LOCAL, *extra)


@pytest.fixture(scope="module")
def files(servers, tmp_path_factory):
    """data.txt, its B-T .p7s and a B-B .p7m, and each extended to B-LT and B-LTA (the .p7m gets its
    signature timestamp on the way)."""
    tsa = servers
    d = tmp_path_factory.mktemp("cades")
    data = d / "data.txt"
    data.write_bytes(CONTENT)
    signer = libsign.load_pkcs12(str(PKI_DIR / "gov-official.p12"), password_file=str(P12_PASSWORD_FILE))
    tsa_options = {"url": tsa, "profiles_dir": str(PROFILES_DIR), "trust_profile": "test-gov"}
    (d / "bt.p7s").write_bytes(libsign.sign_cms(CONTENT, signer, level="B-T", tsa=tsa_options, signing_time=SIGNING_TIME))
    (d / "bb.p7m").write_bytes(libsign.sign_cms(CONTENT, signer, enveloping=True, pem=True, signing_time=SIGNING_TIME))
    out = {"data": data}
    for name, source, content in (("p7s", d / "bt.p7s", ["--content", data]), ("p7m", d / "bb.p7m", [])):
        for level in ("B-LT", "B-LTA"):
            target = d / f"{level.lower()}.{name}"
            proc = extend(source, target, level, "--tsa", tsa, *content)
            assert proc.returncode == 0, proc.stderr
            out[f"{level}.{name}"] = target
    twice = d / "lta2.p7s"
    assert extend(out["B-LTA.p7s"], twice, "B-LTA", "--tsa", tsa, "--content", data).returncode == 0
    out["B-LTA2.p7s"] = twice
    return out


def verify(files, key, *options):
    extra = ["--content", files["data"]] if key.endswith("p7s") else []
    status, report = verify_json(files[key], *extra, *options)
    return status, report["document"]["signatures"][0]


@pytest.mark.parametrize("key", ["B-LT.p7s", "B-LTA.p7s", "B-LTA2.p7s", "B-LT.p7m", "B-LTA.p7m"])
def test_openssl_still_verifies_every_extended_file(files, key, tmp_path):
    args = ["openssl", "cms", "-verify", "-binary", "-in", str(files[key]), "-CAfile", str(PKI_DIR / "gov-root.pem"),
            "-purpose", "any", "-out", str(tmp_path / "content")]
    if key.endswith("p7s"):
        args += ["-inform", "DER", "-content", str(files["data"])]
    else:
        args += ["-inform", "PEM"]
    proc = subprocess.run(args, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "content").read_bytes() == CONTENT


@pytest.mark.parametrize("key,level", [("B-LT.p7s", "CAdES-B-LT"), ("B-LTA.p7s", "CAdES-B-LTA"),
                                       ("B-LT.p7m", "CAdES-B-LT"), ("B-LTA.p7m", "CAdES-B-LTA")])
def test_offline_verification_passes_from_the_cms_alone(files, key, level):
    status, sig = verify(files, key, *OFFLINE_AT)
    assert (sig["indication"], status) == ("TOTAL_PASSED", 0), sig["findings"]
    assert sig["subfilter"] == level
    assert sig["revocation"]["status"] == "good"
    assert "TIMESTAMP_VALID" in codes(sig)
    assert ("ARCHIVE_TIMESTAMP_VALID" in codes(sig)) == level.endswith("LTA")


def test_chained_archive_timestamps_are_each_checked(files):
    status, sig = verify(files, "B-LTA2.p7s", *OFFLINE_AT)
    assert status == 0
    valid = [f for f in sig["findings"] if f["code"] == "ARCHIVE_TIMESTAMP_VALID"]
    assert len(valid) == 2 and "ARCHIVE_TIMESTAMP_INVALID" not in codes(sig)
    # The report lists both, oldest first, as for XAdES.
    times = [a["gen_time"] for a in sig["archive_timestamps"]]
    assert len(times) == 2 and times == sorted(times) and all(a["valid"] for a in sig["archive_timestamps"])


def test_archive_timestamp_is_proof_of_existence_after_the_signer_expired(files):
    status, sig = verify(files, "B-LTA.p7s", *TRUST, "--offline", "--at", LATER)
    assert (sig["indication"], status) == ("TOTAL_PASSED", 0), sig["findings"]
    archive = [c for c in sig["checks"] if c["step"] == "archive_timestamp"]
    assert archive and archive[0]["status"] == "passed"


def crl_revoking_gov_official(folder, revoked_at):
    """gov-ca's CRL (OpenSSL-made) saying gov-official (serial 1003) was revoked at `revoked_at`."""
    stamp = revoked_at.strftime("%y%m%d%H%M%SZ")
    (folder / "index.txt").write_text(f"R\t300101000000Z\t{stamp},keyCompromise\t1003\tunknown\t/CN=gov-official\n")
    (folder / "crlnumber").write_text("02\n")
    (folder / "ca.cnf").write_text("[ ca ]\ndefault_ca = test\n[ test ]\n"
                                   f"database = {folder}/index.txt\ncrlnumber = {folder}/crlnumber\n"
                                   "default_md = sha256\ncrl_extensions = crl_ext\n"
                                   "[ crl_ext ]\nauthorityKeyIdentifier = keyid:always\n")
    when = lambda t: t.strftime("%Y%m%d%H%M%SZ")  # noqa: E731
    subprocess.run(["openssl", "ca", "-gencrl", "-batch", "-config", str(folder / "ca.cnf"), "-cert",
                    str(PKI_DIR / "gov-ca.pem"), "-keyfile", str(PKI_DIR / "gov-ca.key.pem"),
                    "-crl_lastupdate", when(revoked_at + datetime.timedelta(hours=1)),
                    "-crl_nextupdate", when(revoked_at + datetime.timedelta(days=60)),
                    "-out", str(folder / "crl.pem")], check=True, capture_output=True)
    return subprocess.run(["openssl", "crl", "-in", str(folder / "crl.pem"), "-outform", "DER"], check=True,
                          capture_output=True).stdout


def with_crl_added(signed_data, crl):
    """The ContentInfo with `crl` appended to SignedData.crls (as a later extension would)."""
    info = der.parse(signed_data)
    fields = info[1][0].children
    items = [f.raw for f in fields]
    at = next(i for i, f in enumerate(fields) if f.tag == 0xA1)
    items[at] = der.tlv(0xA1, fields[at].value + crl)
    return der.sequence(info[0].raw, der.tlv(0xA0, der.sequence(*items)))


def test_signer_revoked_after_the_archive_timestamp_still_passes(files, tmp_path):
    _, sig = verify(files, "B-LTA.p7s", *OFFLINE_AT)
    gen_time = next(f["evidence"]["gen_time"] for f in sig["findings"] if f["code"] == "ARCHIVE_TIMESTAMP_VALID")
    archived = datetime.datetime.fromisoformat(gen_time.replace("Z", "+00:00"))
    revoked_at = archived + datetime.timedelta(days=1)
    crl = crl_revoking_gov_official(tmp_path, revoked_at)
    revoked = tmp_path / "revoked-later.p7s"
    revoked.write_bytes(with_crl_added(files["B-LTA.p7s"].read_bytes(), crl))
    later = (revoked_at + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, sig = verify({"r.p7s": revoked, "data": files["data"]}, "r.p7s", *TRUST, "--offline", "--at", later)
    assert (sig["indication"], status) == ("TOTAL_PASSED", 0), sig["findings"]
    assert {"ARCHIVE_TIMESTAMP_VALID", "CERT_REVOKED_AFTER_SIGNING"} <= codes(sig)


def test_archive_timestamp_imprint_recomputed_independently_and_checked_by_openssl_ts(files, tmp_path):
    """EN 319 122-1 §5.5.3 computed here from the DER (not by libsign), then `openssl ts -verify` checks
    that the archive timestamp token vouches for exactly that digest."""
    info = der.parse(files["B-LTA.p7s"].read_bytes())
    signed_data = info[1][0]
    content_type = signed_data[2][0].raw
    certificates = next(f for f in signed_data.children if f.tag == 0xA0).children
    crls = next(f for f in signed_data.children if f.tag == 0xA1).children
    signer_info = signed_data.children[-1][0]
    signed_fields = b"".join(f.raw for f in signer_info.children[:-1])
    unsigned = signer_info.children[-1].children
    ats_oid, index_oid = der.oid("0.4.0.1733.2.4"), der.oid("0.4.0.19122.1.5")
    ats = next(a for a in unsigned if a[0].raw == ats_oid)
    token = ats[1][0].raw
    token_unsigned = der.parse(token)[1][0].children[-1][0].children[-1].children
    index = next(a for a in token_unsigned if a[0].raw == index_oid)[1][0]
    sha = lambda b: hashlib.sha256(b).digest()  # noqa: E731
    assert len(index) == 3  # hashIndAlgorithm left out: SHA-256, its DEFAULT
    assert [h.value for h in index[0]] == [sha(c.raw) for c in certificates]
    assert [h.value for h in index[1]] == [sha(c.raw) for c in crls]
    before = [a for a in unsigned if a[0].raw != ats_oid]  # what existed when the timestamp was made
    assert [h.value for h in index[2]] == [sha(a[0].raw + v.raw) for a in before for v in a[1].children]
    imprint = sha(content_type + sha(CONTENT) + signed_fields + index.raw)
    (tmp_path / "ats.tst").write_bytes(token)
    proc = subprocess.run(["openssl", "ts", "-verify", "-digest", imprint.hex(), "-in", str(tmp_path / "ats.tst"),
                           "-token_in", "-CAfile", str(PKI_DIR / "gov-root.pem"), "-untrusted",
                           str(PKI_DIR / "gov-chain.pem")], capture_output=True, text=True)
    assert proc.returncode == 0 and "Verification: OK" in proc.stdout, proc.stdout + proc.stderr


def flip_inside_ocsp_response(data):
    """The last byte of the first RFC 5940 OCSP response in SignedData.crls, flipped."""
    at = data.index(OCSP_INFO_OID) + len(OCSP_INFO_OID)
    assert data[at] == 0x30 and data[at + 1] == 0x82  # OCSPResponse SEQUENCE, two length bytes
    end = at + 4 + int.from_bytes(data[at + 2:at + 4], "big")
    return data[:end - 1] + bytes([data[end - 1] ^ 0x01]) + data[end:]


def flip_inside_added_certificate(data):
    """The last byte (inside its signature) of the TSA certificate B-LT added to SignedData.certificates."""
    tsa_cert = der.read_certs(PKI_DIR / "gov-tsa.pem")[0]
    certificates = next(f for f in der.parse(data)[1][0].children if f.tag == 0xA0).raw
    start = data.index(certificates)
    end = start + certificates.index(tsa_cert) + len(tsa_cert)  # the copy in SignedData.certificates
    return data[:end - 1] + bytes([data[end - 1] ^ 0x01]) + data[end:]


@pytest.mark.parametrize("tamper", [flip_inside_ocsp_response, flip_inside_added_certificate])
def test_validation_data_changed_after_the_archive_timestamp_breaks_it(files, tmp_path, tamper):
    tampered = tmp_path / "tampered.p7s"
    tampered.write_bytes(tamper(files["B-LTA.p7s"].read_bytes()))
    _, sig = verify({"t.p7s": tampered, "data": files["data"]}, "t.p7s", *OFFLINE_AT)
    assert "ARCHIVE_TIMESTAMP_INVALID" in codes(sig)
    assert "ARCHIVE_TIMESTAMP_VALID" not in codes(sig)
    archive = [c for c in sig["checks"] if c["step"] == "archive_timestamp"]
    assert archive and archive[0]["status"] == "failed"


def test_detached_b_lta_needs_the_content(files, servers, tmp_path):
    out = tmp_path / "x.p7s"
    proc = run_cli("extend", files["B-LT.p7s"], "-o", out, "--to", "B-LTA", "--tsa", servers, *TRUST, *ONLINE_LOCAL)
    assert proc.returncode == 3 and "[CMS_CONTENT_MISSING]" in proc.stderr
    assert not out.exists()


def test_python_extend_cms_and_verify(servers, files):
    tsa = {"url": servers, "profiles_dir": str(PROFILES_DIR), "trust_profile": "test-gov"}
    validation = {"trust_profile": "test-gov", "profiles_dir": str(PROFILES_DIR),
                  "revocation": {"online": True, "allow_hosts": ["127.0.0.1"], "required": True}}
    lta = libsign.extend_cms(files["B-LT.p7s"], content=CONTENT, to="B-LTA", tsa=tsa, validation=validation)
    report = libsign.make_verifier("test-gov", AT, None, PROFILES_DIR, {"required": True}).verify_cms(lta, CONTENT)
    sig = report.signatures[0]
    assert sig.subfilter == "CAdES-B-LTA"
    assert sig.has_finding("ARCHIVE_TIMESTAMP_VALID")
    assert report.indication == "TOTAL_PASSED"
