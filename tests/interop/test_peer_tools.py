"""The test peers work on their own: the RFC 3161 TSA server (tests/servers), the PDFBox + Bouncy
Castle signature checker (tests/interop/pdfbox) and the @signpdf signer (tests/interop/signpdf).

Each group skips with the reason when its tools are missing: openssl for the TSA, java/javac and
Debian's PDFBox 2 / Bouncy Castle jars for the checker, node/npm (and the npm registry on first
use) for @signpdf.
"""
import datetime
import json
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import OFFLINE, CLI, PKI_DIR, PROFILES_DIR, SOURCE_DIR, codes, verify_json

import pdfgen

for _folder in ("tests/servers", "tests/interop/pdfbox", "tests/interop/signpdf"):
    if str(SOURCE_DIR / _folder) not in sys.path:
        sys.path.insert(0, str(SOURCE_DIR / _folder))

import servers  # noqa: E402
from servers import post_query, running_tsa, start_tsa, tsa_factory, tsa_stats  # noqa: E402,F401 (fixture)
from run_checker import checker_unavailable, run_checker  # noqa: E402
from run_signpdf import sign_with_signpdf  # noqa: E402

LEAVES_VALID = (datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc),
                datetime.datetime(2029, 12, 31, tzinfo=datetime.timezone.utc))

needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="the openssl command is needed")
needs_checker = pytest.mark.skipif(checker_unavailable() is not None,
                                   reason=f"PDFBox checker unavailable: {checker_unavailable()}")
needs_cli = pytest.mark.skipif(not CLI.exists(), reason=f"libsign CLI not built at {CLI}")


def run(*args, timeout=60):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def make_query(tmp_path, digest="sha256", data=b"ho so thu nghiem\n"):
    data_file = tmp_path / "data.bin"
    data_file.write_bytes(data)
    query_file = tmp_path / f"query-{digest}.tsq"
    proc = run("openssl", "ts", "-query", "-data", data_file, f"-{digest}", "-cert", "-out", query_file)
    assert proc.returncode == 0, proc.stderr
    return data_file, query_file.read_bytes()


def reply_text(tmp_path, reply):
    reply_file = tmp_path / "reply.tsr"
    reply_file.write_bytes(reply)
    return run("openssl", "ts", "-reply", "-in", reply_file, "-text")


def now_utc():
    """Now rounded up to the next second (never before a peer's signing time); skips outside the
    validity of the certs-test leaves."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(seconds=1)
    if not LEAVES_VALID[0] <= now <= LEAVES_VALID[1]:
        pytest.skip(f"today ({now:%Y-%m-%d}) is outside the validity of the certs-test leaves")
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# TSA server
# ---------------------------------------------------------------------------------------------

@needs_openssl
def test_tsa_reply_verifies_with_openssl(tsa_factory, tmp_path):
    url = tsa_factory()
    data_file, query = make_query(tmp_path)
    status, content_type, reply = post_query(url, query)
    assert (status, content_type) == (200, "application/timestamp-reply")
    reply_file = tmp_path / "reply.tsr"
    reply_file.write_bytes(reply)
    proc = run("openssl", "ts", "-verify", "-data", data_file, "-in", reply_file,
               "-CAfile", PKI_DIR / "gov-root.pem", "-untrusted", PKI_DIR / "gov-chain.pem")
    assert proc.returncode == 0 and "Verification: OK" in proc.stdout, proc.stdout + proc.stderr
    text = reply_text(tmp_path, reply).stdout
    assert "Status: Granted." in text
    assert "Hash Algorithm: sha256" in text
    assert "Serial number: 0x01" in text  # the generated serial file starts afresh
    assert tsa_stats(url)["replies"] == 1


@needs_openssl
def test_tsa_token_has_ess_cert_id_v2_and_certificates(tsa_factory, tmp_path):
    _, query = make_query(tmp_path)
    status, _, reply = post_query(tsa_factory(), query)
    assert status == 200
    reply_file, token_file = tmp_path / "reply.tsr", tmp_path / "token.der"
    reply_file.write_bytes(reply)
    assert run("openssl", "ts", "-reply", "-in", reply_file, "-token_out", "-out", token_file).returncode == 0
    printed = run("openssl", "cms", "-cmsout", "-inform", "DER", "-in", token_file, "-print").stdout
    assert "id-smime-aa-signingCertificateV2" in printed  # ess_cert_id_alg = sha256
    certs = run("openssl", "pkcs7", "-inform", "DER", "-in", token_file, "-print_certs").stdout
    assert certs.count("-----BEGIN CERTIFICATE-----") == 3  # TSA + gov-ca + gov-root


@needs_openssl
@pytest.mark.parametrize("digest, granted", [("sha384", True), ("sha512", True), ("sha1", False)])
def test_tsa_digest_policy(tsa_factory, tmp_path, digest, granted):
    _, query = make_query(tmp_path, digest)
    status, _, reply = post_query(tsa_factory(), query)
    assert status == 200  # a refusal is a TimeStampResp too (RFC 3161 section 2.4.2)
    text = reply_text(tmp_path, reply).stdout
    assert ("Status: Granted." in text) == granted, text
    if not granted:
        assert "Status: Rejected." in text and "unsupported algorithm" in text, text


@needs_openssl
def test_tsa_stops_cleanly_and_listens_on_loopback_only(tmp_path):
    url, stop = start_tsa()
    port = int(url.split(":")[2].split("/")[0])
    tcp = pathlib.Path("/proc/net/tcp")
    if tcp.exists():  # local address of the listening socket (state 0A): 127.0.0.1 only
        listening = [line.split()[1] for line in tcp.read_text().splitlines()[1:]
                     if line.split()[3] == "0A" and line.split()[1].endswith(f":{port:04X}")]
        assert listening == [f"0100007F:{port:04X}"], listening
    _, query = make_query(tmp_path)
    assert post_query(url, query)[0] == 200
    started = time.monotonic()
    assert stop() == 0
    assert time.monotonic() - started < 5
    assert stop.process.poll() == 0
    assert stop() == 0  # idempotent
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


@needs_openssl
def test_tsa_delay(tsa_factory, tmp_path):
    _, query = make_query(tmp_path)
    fast = tsa_factory()
    started = time.monotonic()
    assert post_query(fast, query)[0] == 200
    undelayed = time.monotonic() - started
    slow = tsa_factory(delay=1.5)
    started = time.monotonic()
    assert post_query(slow, query)[0] == 200
    assert time.monotonic() - started >= 1.4
    assert undelayed < 1.4


@needs_openssl
def test_tsa_fail_mode_http500(tsa_factory, tmp_path):
    _, query = make_query(tmp_path)
    url = tsa_factory(fail_mode="http500")
    assert post_query(url, query)[0] == 500
    stats = tsa_stats(url)
    assert stats["errors"] == 1 and stats["replies"] == 0 and stats["by_status"] == {"500": 1}


@needs_openssl
def test_tsa_fail_mode_garbage(tsa_factory, tmp_path):
    _, query = make_query(tmp_path)
    status, content_type, body = post_query(tsa_factory(fail_mode="garbage"), query)
    assert (status, content_type) == (200, "application/timestamp-reply")
    assert reply_text(tmp_path, body).returncode != 0  # not a TimeStampResp


@needs_openssl
def test_tsa_fail_mode_hang_times_out_and_still_stops(tmp_path):
    _, query = make_query(tmp_path)
    url, stop = start_tsa(fail_mode="hang")
    try:
        with pytest.raises(OSError):  # socket.timeout / URLError(timeout)
            post_query(url, query, timeout=1)
    finally:
        started = time.monotonic()
        assert stop() == 0
        assert time.monotonic() - started < 5


@needs_openssl
def test_tsa_require_auth(tsa_factory, tmp_path):
    passfile = tmp_path / "tsa-pass.txt"
    passfile.write_text("mat-khau-thu\n")
    url = tsa_factory(require_auth=f"tsa-user:{passfile}")
    _, query = make_query(tmp_path)
    assert post_query(url, query)[0] == 401
    assert post_query(url, query, auth=("tsa-user", "sai"))[0] == 401
    assert post_query(url, query, auth=("tsa-user", "mat-khau-thu"))[0] == 200
    assert tsa_stats(url)["unauthorized"] == 2


@needs_openssl
def test_tsa_rejects_bad_requests(tsa_factory, tmp_path):
    url = tsa_factory()
    base = url.rsplit("/", 1)[0]
    _, query = make_query(tmp_path)
    assert post_query(base + "/other", query)[0] == 404
    assert post_query(url, query, content_type="application/octet-stream")[0] == 415
    assert post_query(url, b"\x30" * (64 * 1024 + 1))[0] == 413
    assert post_query(base + "/", query)[0] == 200  # "/" is the TSA too
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(base + "/nothing", timeout=10)
    assert error.value.code == 404
    with urllib.request.urlopen(base + "/stats", timeout=10) as response:
        assert response.headers["Content-Type"] == "application/json"
        stats = json.loads(response.read())
    assert stats["timestamp_queries"] == 1 and stats["replies"] == 1


@needs_openssl
def test_running_tsa_context_manager(tmp_path):
    _, query = make_query(tmp_path)
    with running_tsa() as url:
        assert post_query(url, query)[0] == 200
        assert len(servers._running) >= 1
    with pytest.raises(OSError):
        post_query(url, query, timeout=2)


# ---------------------------------------------------------------------------------------------
# PDFBox + Bouncy Castle checker
# ---------------------------------------------------------------------------------------------

@needs_checker
@pytest.mark.parametrize("name, fields", [("official", ["Signature1"]),
                                          ("two-signatures", ["Signature1", "Signature2"])])
def test_pdfbox_accepts_our_fixtures(fixtures, name, fields):
    status, lines = run_checker(fixtures / f"{name}.pdf")
    assert lines == [f"SIG {n} {field} OK" for n, field in enumerate(fields, 1)]
    assert status == 0


@needs_checker
def test_pdfbox_rejects_tampered(fixtures):
    status, lines = run_checker(fixtures / "tampered.pdf")
    assert status == 1
    assert len(lines) == 1 and lines[0].startswith("SIG 1 Signature1 FAIL "), lines


@needs_checker
def test_pdfbox_checks_byte_range_reaches_end_of_file(fixtures):
    """An incremental update after the last signature: FAIL by default, OK when allowed."""
    status, lines = run_checker(fixtures / "then-annotation.pdf")
    assert status == 1 and "does not cover the whole file" in lines[0], lines
    status, lines = run_checker(fixtures / "then-annotation.pdf", "--allow-later-updates")
    assert (status, lines) == (0, ["SIG 1 Signature1 OK"])


@needs_checker
def test_pdfbox_unsigned_is_not_ok(fixtures):
    assert run_checker(fixtures / "unsigned.pdf") == (1, ["NONE no signatures"])


# ---------------------------------------------------------------------------------------------
# @signpdf signer
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def base_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("signpdf") / "base.pdf"
    path.write_bytes(pdfgen.base_pdf())
    return path


def options(profile, at):
    return ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", profile, "--at", at, *OFFLINE]


@needs_cli
def test_signpdf_gov_official_passes(base_pdf, tmp_path):
    """gov-official.p12 (issuer with Vietnamese text), with the node-forge issuer work-around."""
    signed = tmp_path / "signpdf-gov.pdf"
    assert sign_with_signpdf(base_pdf, signed, fix_utf8_issuer=True)
    at = now_utc()
    status, report = verify_json(signed, *options("test-gov", at))
    sigs = report["document"]["signatures"]
    assert len(sigs) == 1
    assert sigs[0]["indication"] == "TOTAL_PASSED", codes(sigs[0])
    assert sigs[0]["coverage"] == "ENTIRE_FILE"
    assert report["document"]["indication"] == "TOTAL_PASSED"
    assert status == 0
    if checker_unavailable() is None:
        assert run_checker(signed) == (0, ["SIG 1 Signature1 OK"])


@needs_cli
def test_signpdf_public_remote_cades_passes(base_pdf, tmp_path):
    """An ASCII issuer (public-ca) needs no work-around; ETSI.CAdES.detached sub-filter."""
    signed = tmp_path / "signpdf-public.pdf"
    assert sign_with_signpdf(base_pdf, signed, signer="public-remote", subfilter="cades")
    status, report = verify_json(signed, *options("test-public", now_utc()))
    sig = report["document"]["signatures"][0]
    assert sig["indication"] == "TOTAL_PASSED", codes(sig)
    assert status == 0
    if checker_unavailable() is None:
        assert run_checker(signed) == (0, ["SIG 1 Signature1 OK"])


@needs_cli
def test_signpdf_as_is_mangles_utf8_issuer(base_pdf, tmp_path):
    """Plain @signpdf 3.3.0 / node-forge 1.4.3 writes a double-UTF-8-encoded issuer into the
    SignerInfo (forge issue #847): the SID matches no embedded certificate byte for byte. libsign
    matches the certificate by serial number, says so, and still checks the signature with its key.
    Pins the peer's known defect; when a pinned upgrade fixes it this test fails and the work-around can go."""
    signed = tmp_path / "signpdf-as-is.pdf"
    assert sign_with_signpdf(base_pdf, signed)
    status, report = verify_json(signed, *options("test-gov", now_utc()))
    sig = report["document"]["signatures"][0]
    assert "SIGNER_IDENTIFIER_ISSUER_MISMATCH" in codes(sig)
    assert "SIGNER_CERT_NOT_FOUND" not in codes(sig)
    assert sig["indication"] == "TOTAL_PASSED"
    if checker_unavailable() is None:
        check_status, lines = run_checker(signed)
        assert check_status == 1 and "certificate is not in the CMS" in lines[0], lines
