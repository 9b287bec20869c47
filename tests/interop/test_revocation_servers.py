"""The OCSP / CRL / CA-certificate test server (tests/servers/pki_server.py) works, with OpenSSL as
the client: `openssl ocsp` for the responder, byte comparisons for the downloads.

Skips when the openssl command is missing. Every server runs on 127.0.0.1 on a free port, except
the tests of the fixed port 18881, which skip when that port is busy.
"""
import base64
import datetime
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[2]
if str(SOURCE_DIR / "tests" / "servers") not in sys.path:
    sys.path.insert(0, str(SOURCE_DIR / "tests" / "servers"))

from servers import (FIXED_PKI_PORT, PKI_DIR, PortInUse, ca_url, crl_url, fetch, get_ocsp,  # noqa: E402
                     ocsp_url, pki_control, pki_server_factory, pki_stats, post_ocsp,  # noqa: F401 (fixture)
                     running_fixed_pki_server, start_pki_server)

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="the openssl command is needed")

GOV_VERIFY = ["-CAfile", PKI_DIR / "gov-root.pem", "-verify_other", PKI_DIR / "gov-chain.pem"]
PUBLIC_VERIFY = ["-CAfile", PKI_DIR / "national-root.pem", "-verify_other", PKI_DIR / "public-chain.pem"]


def run(*args, timeout=60):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def ocsp(url, *certs, issuer="gov-ca", verify=GOV_VERIFY, extra=(), timeout=60):
    """`openssl ocsp -url` for certs (names in certs-test/pki); returns (CompletedProcess, output)."""
    args = ["openssl", "ocsp", "-issuer", PKI_DIR / f"{issuer}.pem"]
    for name in certs:
        args += ["-cert", PKI_DIR / f"{name}.pem"]
    args += ["-url", url, *verify, *extra]
    proc = run(*args, timeout=timeout)
    return proc, proc.stdout + proc.stderr


def status_of(output, name):
    # a response outside its validity period prints "WARNING: Status times invalid." and the
    # OpenSSL error lines before the status
    match = re.search(re.escape(f"{name}.pem")
                      + r": (?:WARNING: Status times invalid\.\n(?:[0-9A-F]+:error:[^\n]*\n)*)?(\w+)", output)
    return match.group(1) if match else None


def der_of(name):
    proc = subprocess.run(["openssl", "x509", "-in", str(PKI_DIR / f"{name}.pem"), "-outform", "DER"],
                          capture_output=True, check=True)
    return proc.stdout


def make_request(tmp_path, *certs, issuer="gov-ca"):
    """A DER OCSPRequest without nonce, written by `openssl ocsp -reqout`."""
    out = tmp_path / "request.der"
    args = ["openssl", "ocsp", "-issuer", PKI_DIR / f"{issuer}.pem", "-no_nonce", "-reqout", out]
    for name in certs:
        args += ["-cert", PKI_DIR / f"{name}.pem"]
    proc = run(*args)
    assert proc.returncode == 0, proc.stderr
    return out.read_bytes()


def check_response(tmp_path, response, *certs, issuer="gov-ca", verify=GOV_VERIFY):
    """`openssl ocsp -respin` on a response fetched by the test itself."""
    path = tmp_path / "response.der"
    path.write_bytes(response)
    args = ["openssl", "ocsp", "-respin", path, "-issuer", PKI_DIR / f"{issuer}.pem", "-no_nonce", *verify]
    for name in certs:
        args += ["-cert", PKI_DIR / f"{name}.pem"]
    proc = run(*args)
    return proc, proc.stdout + proc.stderr


def subject_of(name):
    proc = run("openssl", "x509", "-in", PKI_DIR / f"{name}.pem", "-noout", "-subject", "-nameopt", "oneline")
    return proc.stdout.strip().split("=", 1)[1].strip()


def response_date(output, label):
    match = re.search(label + r": (\w{3} +\d+ \d\d:\d\d:\d\d \d{4}) GMT", output)
    assert match, output
    return datetime.datetime.strptime(match.group(1), "%b %d %H:%M:%S %Y").replace(tzinfo=datetime.timezone.utc)


# ---------------------------------------------------------------------------------------------
# OCSP answers
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("verify", ["chain", "vafile"])
def test_good_and_revoked_from_the_delegated_responder(pki_server_factory, verify):
    base = pki_server_factory()
    options = GOV_VERIFY if verify == "chain" else [*GOV_VERIFY, "-VAfile", PKI_DIR / "gov-ocsp.pem"]
    proc, output = ocsp(ocsp_url(base, "gov-ca"), "gov-official", "gov-revoked", verify=options,
                        extra=["-resp_text"])
    assert proc.returncode == 0, output
    assert "Response verify OK" in output
    assert status_of(output, "gov-official") == "good"
    assert status_of(output, "gov-revoked") == "revoked"
    assert "Reason: keyCompromise" in output
    assert "Revocation Time: Jan 15 00:00:00 2026 GMT" in output
    assert "OCSP Nonce" in output  # openssl's client sends one and the responder echoes it
    # signed by gov-ocsp (responderID byName), which the response carries
    assert "OCSP CA ph" in output.split("Responder Id:", 1)[1].split("\n", 1)[0]
    this_update = response_date(output, "This Update")
    next_update = response_date(output, "Next Update")
    assert next_update - this_update == datetime.timedelta(days=1)


def test_public_ca_responder(pki_server_factory):
    base = pki_server_factory()
    proc, output = ocsp(ocsp_url(base, "public-ca"), "public-remote", issuer="public-ca", verify=PUBLIC_VERIFY)
    assert proc.returncode == 0, output
    assert "Response verify OK" in output
    assert status_of(output, "public-remote") == "good"


def test_certificate_of_another_ca_is_unknown(pki_server_factory):
    base = pki_server_factory()
    # a CertID naming gov-ca sent to the public-ca responder: openssl ocsp answers unknown
    proc, output = ocsp(ocsp_url(base, "public-ca"), "gov-official", verify=GOV_VERIFY[:2] + PUBLIC_VERIFY)
    assert status_of(output, "gov-official") == "unknown", output


@pytest.mark.parametrize("how", ["flag", "prefix", "control"])
def test_unknown_mode(pki_server_factory, how):
    base = pki_server_factory(mode="unknown" if how == "flag" else None)
    url = ocsp_url(base, "gov-ca", mode="unknown") if how == "prefix" else ocsp_url(base, "gov-ca")
    if how == "control":
        assert pki_control(base, mode="unknown")["mode"] == "unknown"
    proc, output = ocsp(url, "gov-official", "gov-revoked")
    assert proc.returncode == 0, output
    assert "Response verify OK" in output
    assert status_of(output, "gov-official") == "unknown"
    assert status_of(output, "gov-revoked") == "unknown"
    if how == "control":  # reset restores the command line's mode
        assert pki_control(base, reset=True)["mode"] == "good"
        proc, output = ocsp(url, "gov-official")
        assert status_of(output, "gov-official") == "good", output


def test_ca_signed_response_verifies(pki_server_factory):
    base = pki_server_factory(ocsp_signer="ca")
    proc, output = ocsp(ocsp_url(base, "gov-ca"), "gov-official", "gov-revoked", extra=["-resp_text"])
    assert proc.returncode == 0, output
    assert "Response verify OK" in output
    assert status_of(output, "gov-official") == "good"
    assert status_of(output, "gov-revoked") == "revoked"
    responder = output.split("Responder Id:", 1)[1].split("\n", 1)[0]
    assert "CA ph" in responder and "OCSP" not in responder  # gov-ca itself
    # the same per request, on a server whose default is the delegated responder
    base2 = pki_server_factory()
    proc, output = ocsp(ocsp_url(base2, "gov-ca", signer="ca"), "gov-official", extra=["-resp_text"])
    assert "Response verify OK" in output and "OCSP" not in output.split("Responder Id:", 1)[1].split("\n", 1)[0]


@pytest.mark.parametrize("verify", ["chain", "vafile"])
def test_wrong_signer_is_rejected(pki_server_factory, verify):
    base = pki_server_factory(ocsp_signer="wrong")
    options = GOV_VERIFY if verify == "chain" else [*GOV_VERIFY, "-VAfile", PKI_DIR / "gov-ocsp.pem"]
    proc, output = ocsp(ocsp_url(base, "gov-ca"), "gov-official", verify=options)
    assert proc.returncode != 0, output
    assert "Response Verify Failure" in output
    assert "missing ocspsigning usage" in output
    assert "Response verify OK" not in output


def test_key_id_and_no_certs(pki_server_factory):
    base = pki_server_factory(resp_no_certs=True, resp_key_id=True)
    url = ocsp_url(base, "gov-ca")
    # the response has no certificates: the client cannot find the signer without -VAfile
    proc, output = ocsp(url, "gov-official", extra=["-resp_text"])
    assert proc.returncode != 0 and "Response Verify Failure" in output, output
    proc, output = ocsp(url, "gov-official", verify=[*GOV_VERIFY, "-VAfile", PKI_DIR / "gov-ocsp.pem"],
                        extra=["-resp_text"])
    assert proc.returncode == 0 and "Response verify OK" in output, output
    ski = run("openssl", "x509", "-in", PKI_DIR / "gov-ocsp.pem", "-noout", "-ext", "subjectKeyIdentifier").stdout
    key_id = ski.strip().splitlines()[-1].strip().replace(":", "")
    assert output.split("Responder Id:", 1)[1].split("\n", 1)[0].strip() == key_id
    # the prefix turns both back for one request
    proc, output = ocsp(ocsp_url(base, "gov-ca", certs="yes", rid="name"), "gov-official")
    assert proc.returncode == 0 and "Response verify OK" in output, output


@pytest.mark.parametrize("signer", ["delegated", "ca"])
def test_stale_response_is_old_but_correctly_signed(pki_server_factory, signer):
    base = pki_server_factory(stale_days=30)
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    proc, output = ocsp(ocsp_url(base, "gov-ca", mode="stale", signer=signer), "gov-official", "gov-revoked",
                        extra=["-resp_text"])
    assert "Response verify OK" in output, output  # the re-signed tbsResponseData verifies
    assert status_of(output, "gov-official") == "good"
    assert status_of(output, "gov-revoked") == "revoked"
    assert "Revocation Time: Jan 15 00:00:00 2026 GMT" in output
    produced = response_date(output, "Produced At")
    this_update = response_date(output, "This Update")
    next_update = response_date(output, "Next Update")
    assert produced == this_update
    assert before - datetime.timedelta(days=30, seconds=5) <= this_update <= before - datetime.timedelta(days=29)
    assert next_update - this_update == datetime.timedelta(days=1)
    assert "status expired" in output  # OCSP_check_validity: nextUpdate is in the past
    assert "WARNING: Status times invalid." in proc.stdout
    assert "no nonce in response" in output  # a replayed old response carries no nonce


def test_try_later(pki_server_factory):
    base = pki_server_factory(mode="tryLater")
    proc, output = ocsp(ocsp_url(base, "gov-ca"), "gov-official")
    assert proc.returncode != 0
    assert "Responder Error: trylater (3)" in output
    status, content_type, body = post_ocsp(ocsp_url(base, "gov-ca"), bytes.fromhex("3000"))
    assert (status, content_type, body) == (200, "application/ocsp-response", bytes.fromhex("30030a0103"))


def test_malformed(pki_server_factory, tmp_path):
    base = pki_server_factory()
    url = ocsp_url(base, "gov-ca", mode="malformed")
    proc, output = ocsp(url, "gov-official")
    assert proc.returncode != 0
    assert "Response verify OK" not in output and status_of(output, "gov-official") is None, output
    status, content_type, body = post_ocsp(url, make_request(tmp_path, "gov-official"))
    assert status == 200 and content_type == "application/ocsp-response"
    proc, output = check_response(tmp_path, body, "gov-official")
    assert proc.returncode != 0 and "Error reading OCSP response" in output, output


def test_http500(pki_server_factory):
    base = pki_server_factory(mode="http500")
    proc, output = ocsp(ocsp_url(base, "gov-ca"), "gov-official")
    assert proc.returncode != 0
    assert "code=500" in output


def test_malformed_request_gets_malformed_request_status(pki_server_factory):
    base = pki_server_factory()
    status, content_type, body = post_ocsp(ocsp_url(base, "gov-ca"), b"\x30\x03\x02\x01\x00not ocsp")
    assert (status, body) == (200, bytes.fromhex("30030a0101")), body  # malformedRequest(1)


@pytest.mark.parametrize("how", ["delay", "slow"])
def test_slow_takes_at_least_the_delay(pki_server_factory, how):
    base = pki_server_factory(delay=2) if how == "delay" else pki_server_factory(mode="slow", delay=2)
    start = time.monotonic()
    proc, output = ocsp(ocsp_url(base, "gov-ca"), "gov-official")
    elapsed = time.monotonic() - start
    assert proc.returncode == 0 and status_of(output, "gov-official") == "good", output
    assert elapsed >= 2.0
    start = time.monotonic()
    status, _, body = fetch(crl_url(base, "gov-ca", delay=1))  # the prefix replaces the delay
    assert status == 200 and 1.0 <= time.monotonic() - start < 2.0


def test_hang_never_answers_and_the_server_still_stops():
    base, stop = start_pki_server(mode="hang")
    try:
        start = time.monotonic()
        proc, output = ocsp(ocsp_url(base, "gov-ca"), "gov-official", extra=["-timeout", "2"], timeout=30)
        assert proc.returncode != 0
        assert status_of(output, "gov-official") is None, output
        assert time.monotonic() - start < 20
        with pytest.raises((socket.timeout, TimeoutError, urllib.error.URLError)):
            urllib.request.urlopen(crl_url(base, "gov-ca"), timeout=1).read()
    finally:
        start = time.monotonic()
        assert stop() == 0
        assert time.monotonic() - start < 5


def test_get_requests(pki_server_factory, tmp_path):
    base = pki_server_factory()
    url = ocsp_url(base, "gov-ca")
    request = make_request(tmp_path, "gov-official", "gov-revoked")
    raw = base64.b64encode(request).decode()
    answers = [get_ocsp(url, request), get_ocsp(url, request, urlsafe=True),
               fetch(f"{url}/{raw}")]  # not percent-encoded: '/' of base64 in the path
    for status, content_type, body in answers:
        assert status == 200 and content_type == "application/ocsp-response"
        proc, output = check_response(tmp_path, body, "gov-official", "gov-revoked")
        assert proc.returncode == 0 and "Response verify OK" in output, output
        assert status_of(output, "gov-official") == "good" and status_of(output, "gov-revoked") == "revoked"
    assert fetch(f"{url}/!!!not-base64")[0] == 400


# ---------------------------------------------------------------------------------------------
# CRLs and CA certificates
# ---------------------------------------------------------------------------------------------

def test_crl_and_ca_downloads_are_byte_identical(pki_server_factory):
    base = pki_server_factory()
    for name in ("gov-ca", "public-ca"):
        status, content_type, body = fetch(crl_url(base, name))
        assert (status, content_type) == (200, "application/pkix-crl")
        assert body == (PKI_DIR / f"{name}.crl.der").read_bytes()
    for name in ("gov-root", "gov-ca", "national-root", "public-ca"):
        status, content_type, body = fetch(ca_url(base, name))
        assert (status, content_type) == (200, "application/pkix-cert")
        assert body == der_of(name)
    # the roots have no CRL in certs-test unless --make-crl is given
    assert fetch(crl_url(base, "other-root"))[0] == 404  # certs-test has CRLs for gov/public CAs and roots only


def test_generated_root_crls(pki_server_factory, tmp_path):
    base = pki_server_factory(make_crl=["gov-root", "national-root"])
    for name in ("gov-root", "national-root"):
        status, _, body = fetch(crl_url(base, name))
        assert status == 200
        (tmp_path / f"{name}.crl").write_bytes(body)
        proc = run("openssl", "crl", "-inform", "DER", "-in", tmp_path / f"{name}.crl", "-CAfile",
                   PKI_DIR / f"{name}.pem", "-noout", "-text")
        output = proc.stdout + proc.stderr
        assert proc.returncode == 0 and "verify OK" in output, output
        assert "No Revoked Certificates" in output
        assert "Last Update: Jun  1 00:00:00 2026 GMT" in output
        assert "Next Update: Jun  1 00:00:00 2036 GMT" in output


def test_crl_dir_comes_first(pki_server_factory, tmp_path):
    (tmp_path / "gov-ca.crl").write_bytes(b"a test's own CRL")
    (tmp_path / "extra.crl.der").write_bytes(b"another")
    base = pki_server_factory(crl_dir=tmp_path)
    assert fetch(crl_url(base, "gov-ca"))[2] == b"a test's own CRL"
    assert fetch(crl_url(base, "extra"))[2] == b"another"
    assert fetch(crl_url(base, "public-ca"))[2] == (PKI_DIR / "public-ca.crl.der").read_bytes()


def test_failure_modes_apply_to_downloads(pki_server_factory):
    base = pki_server_factory()
    assert fetch(crl_url(base, "gov-ca", mode="http500"))[0] == 500
    status, _, body = fetch(ca_url(base, "gov-ca", mode="malformed"))
    assert status == 200 and body != der_of("gov-ca")
    # OCSP-only modes leave the downloads alone
    assert fetch(crl_url(base, "gov-ca", mode="unknown"))[2] == (PKI_DIR / "gov-ca.crl.der").read_bytes()


# ---------------------------------------------------------------------------------------------
# HTTP rules, stats, control, ports
# ---------------------------------------------------------------------------------------------

def test_unknown_paths_methods_and_limits(pki_server_factory, tmp_path):
    base = pki_server_factory()
    for path in ("/", "/ocsp/nope-ca", "/ocsp/gov-root", "/crl/nope.crl", "/crl/gov-ca.der",
                 "/ca/gov-chain.cer", "/ca/gov-ca.key.cer", "/ca/..%2Fgov-ca.cer", "/ca/gov-ca.pem",
                 "/mode/good/stats", "/x/gov-ca.crl"):
        assert fetch(base + path)[0] == 404, path
    assert fetch(base + "/mode/bogus/ocsp/gov-ca")[0] == 400
    assert fetch(ocsp_url(base, "gov-ca"))[0] == 405  # GET without a request
    request = make_request(tmp_path, "gov-official")
    assert post_ocsp(ocsp_url(base, "gov-ca"), request, content_type="application/octet-stream")[0] == 415
    assert post_ocsp(ocsp_url(base, "gov-ca"), b"\x30" * (64 * 1024 + 1))[0] == 413
    status, _, body = post_ocsp(ocsp_url(base, "gov-ca"), request)
    assert status == 200
    assert post_ocsp(crl_url(base, "gov-ca"), request)[0] == 404


def test_stats_count_one_fetch_per_path_and_serial(pki_server_factory, tmp_path):
    base = pki_server_factory()
    ocsp(ocsp_url(base, "gov-ca"), "gov-official")
    ocsp(ocsp_url(base, "gov-ca"), "gov-revoked")
    get_ocsp(ocsp_url(base, "gov-ca", mode="unknown"), make_request(tmp_path, "gov-official"))
    ocsp(ocsp_url(base, "public-ca"), "public-remote", issuer="public-ca", verify=PUBLIC_VERIFY)
    fetch(crl_url(base, "gov-ca"))
    fetch(crl_url(base, "gov-ca"))
    fetch(ca_url(base, "gov-root"))
    fetch(base + "/nothing")
    stats = pki_stats(base)
    assert stats["by_path"] == {"/ocsp/gov-ca": 3, "/ocsp/public-ca": 1, "/crl/gov-ca.crl": 2,
                                "/ca/gov-root.cer": 1, "(not found)": 1}
    assert stats["ocsp_serials"] == {"gov-ca": {"1003": 2, "1007": 1}, "public-ca": {"2003": 1}}
    assert (stats["ocsp_requests"], stats["crl_fetches"], stats["ca_fetches"]) == (4, 2, 1)
    assert stats["by_mode"] == {"good": 6, "unknown": 1}
    assert stats["by_status"] == {"200": 7, "404": 1}
    assert stats["requests"] == 9  # every request, this GET /stats included
    again = pki_stats(base, reset=True)
    assert again["requests"] == 10
    after = pki_stats(base)
    assert after["by_path"] == {} and after["ocsp_serials"] == {} and after["requests"] == 1


def test_control_rejects_bad_values(pki_server_factory):
    base = pki_server_factory()
    for query in ("mode=nope", "signer=root", "delay=-1", "colour=red"):
        assert fetch(f"{base}/control?{query}")[0] == 400, query
    assert pki_control(base) == {"certs": "yes", "delay": 0.0, "mode": "good", "rid": "name",
                                 "signer": "delegated"}
    assert pki_control(base, signer="ca", delay=0.5)["signer"] == "ca"


def test_listens_on_loopback_only(pki_server_factory):
    base = pki_server_factory()
    port = int(base.rsplit(":", 1)[1])
    table = pathlib.Path("/proc/net/tcp")
    if not table.exists():
        pytest.skip("no /proc/net/tcp")
    listening = [line.split()[1] for line in table.read_text().splitlines()[1:]
                 if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16) == port]
    assert listening == [f"0100007F:{port:04X}"]
    v6 = pathlib.Path("/proc/net/tcp6")
    if v6.exists():
        assert not [line for line in v6.read_text().splitlines()[1:]
                    if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16) == port]


def test_sigterm_stops_cleanly_with_open_connections():
    base, stop = start_pki_server(delay=30)
    sock = socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])))
    try:
        sock.sendall(b"GET /crl/gov-ca.crl HTTP/1.0\r\n\r\n")
        time.sleep(0.3)
        start = time.monotonic()
        assert stop() == 0
        assert time.monotonic() - start < 5
    finally:
        sock.close()


def test_fixed_port_serves_the_urls_in_the_certificates():
    with running_fixed_pki_server() as base:
        assert base == f"http://127.0.0.1:{FIXED_PKI_PORT}"
        with pytest.raises(PortInUse):  # a second server cannot take the same port
            start_pki_server(port=FIXED_PKI_PORT)
        aia = run("openssl", "x509", "-in", PKI_DIR / "gov-official.pem", "-noout", "-ocsp_uri").stdout.strip()
        assert aia == f"{base}/ocsp/gov-ca"
        proc, output = ocsp(aia, "gov-official", "gov-revoked")
        assert proc.returncode == 0 and "Response verify OK" in output, output
        assert status_of(output, "gov-official") == "good" and status_of(output, "gov-revoked") == "revoked"
        text = run("openssl", "x509", "-in", PKI_DIR / "gov-official.pem", "-noout", "-text").stdout
        crl = re.search(r"URI:(http://\S+\.crl)", text).group(1)
        issuer = re.search(r"CA Issuers - URI:(http://\S+\.cer)", text).group(1)
        assert fetch(crl)[2] == (PKI_DIR / "gov-ca.crl.der").read_bytes()
        assert fetch(issuer)[2] == der_of("gov-ca")
    # the port is free again at once (SO_REUSEADDR despite the TIME_WAIT connections)
    with running_fixed_pki_server() as base:
        assert fetch(crl_url(base, "gov-ca"))[0] == 200
