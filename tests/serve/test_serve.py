"""`libsign serve` through real HTTP clients (http.client, curl): every route, auth, limits, errors,
signing (PKCS#12, two-phase), diagnose, TLS, and every answer checked against /v1/openapi.json."""
import io
import json
import os
import shutil
import signal
import subprocess
import threading
import zipfile

import pytest

from conftest import CLI, FIXTURES_DIR, P12_PASSWORD_FILE, PKI_DIR, SIGNING_TIME
from serve_util import (AT_QUERY, TOKENS, check_against_openapi, multipart, running_server)

P12_KEYS = {
    "official": {"p12": str(PKI_DIR / "gov-official.p12"), "password-file": str(P12_PASSWORD_FILE)},
    "remote": {"cert": str(PKI_DIR / "gov-org.pem"), "chain": [str(PKI_DIR / "gov-chain.pem")]},
    "org": {"p12": str(PKI_DIR / "gov-org.p12"), "password-file": str(P12_PASSWORD_FILE)},
}
SEEN = []  # (method, path, status, content type, body) of every answer, checked against the OpenAPI document


@pytest.fixture(scope="module")
def server(tmp_path_factory, fixtures):
    tmp = tmp_path_factory.mktemp("serve")
    with running_server(tmp, "--max-body", 2_000_000, config={"keys": P12_KEYS}) as s:
        yield s


def call(server, method, path, body=None, **kw):
    status, headers, data = server.request(method, path, body, **kw)
    SEEN.append((method, path.split("?")[0], status, headers.get("content-type"), data))
    return status, headers, data


def verify(server, path, token="portal", query=AT_QUERY):
    status, headers, data = call(server, "POST", "/v1/verify?" + query, (FIXTURES_DIR / path).read_bytes(), token=token)
    return status, json.loads(data)


def error_code(data):
    return json.loads(data)["error"]["code"]


def test_health_ready_openapi_are_public(server):
    assert call(server, "GET", "/healthz", token=None)[0] == 200
    status, _, data = call(server, "GET", "/readyz", token=None)
    assert status == 200 and json.loads(data)["status"] == "ready"
    status, headers, data = call(server, "GET", "/v1/openapi.json", token=None)
    assert status == 200 and json.loads(data)["openapi"].startswith("3.")


def test_verify_passes_and_fails_with_http_200(server):
    status, report = verify(server, "official.pdf")
    assert status == 200 and report["schema"] == "libsign-report/1"
    assert report["document"]["indication"] == "TOTAL_PASSED"
    status, report = verify(server, "tampered.pdf")
    assert status == 200 and report["document"]["indication"] == "TOTAL_FAILED"
    # A request may narrow the trust: without the test profile the chain is unknown.
    status, report = verify(server, "official.pdf", query=AT_QUERY + "&trust_profile=vn-gov")
    assert status == 200 and report["document"]["indication"] == "INDETERMINATE"


def test_verify_text_format(server):
    status, headers, data = call(server, "POST", "/v1/verify?format=text&lang=vi&" + AT_QUERY,
                                 (FIXTURES_DIR / "official.pdf").read_bytes())
    assert status == 200 and headers["content-type"].startswith("text/plain") and b"TOTAL_PASSED" in data


@pytest.mark.parametrize("name,body,query,status,code", [
    ("unknown format", b"just some text, no document", AT_QUERY, 415, "INPUT_FORMAT_UNKNOWN"),
    ("unknown parameter", b"%PDF-1.7", "trust-profile=vn-gov", 400, "SERVICE_PARAMETER_INVALID"),
    ("unknown profile", None, AT_QUERY + "&trust_profile=no-such-profile", 400, None),
    ("bad time", None, "at=15/06/2026", 400, "TIME_INVALID"),
    ("bad revocation", None, "revocation=maybe", 400, "SERVICE_PARAMETER_INVALID"),
])
def test_verify_bad_requests(server, name, body, query, status, code):
    body = body if body is not None else (FIXTURES_DIR / "official.pdf").read_bytes()
    got, _, data = call(server, "POST", "/v1/verify?" + query, body)
    assert got == status, data
    if code:
        assert error_code(data) == code


def test_unreadable_pdf_is_422_with_the_cli_error_object(server):
    pdf = (FIXTURES_DIR / "official.pdf").read_bytes()
    status, _, data = call(server, "POST", "/v1/verify?" + AT_QUERY, pdf[: len(pdf) // 3])
    body = json.loads(data)
    assert status in (200, 422)  # a truncated PDF is either still read (report) or refused as a format error
    if status == 422:
        assert body["document"] is None and body["error"]["category"] == "format"
    # An empty body is refused: never a 500.
    status, _, data = call(server, "POST", "/v1/verify?" + AT_QUERY, b"")
    assert 400 <= status < 500 and json.loads(data)["error"]["code"]


def test_auth_failures(server):
    pdf = (FIXTURES_DIR / "official.pdf").read_bytes()
    status, headers, data = call(server, "POST", "/v1/verify", pdf, token=None)
    assert status == 401 and error_code(data) == "SERVICE_AUTH_REQUIRED" and headers["www-authenticate"].startswith("Bearer")
    status, _, data = call(server, "POST", "/v1/verify", pdf, token="not-a-token")
    assert status == 401 and error_code(data) == "SERVICE_AUTH_INVALID"
    status, _, data = call(server, "POST", "/v1/verify", pdf, headers={"Authorization": "Basic dXNlcjpwYXNz"}, token=None)
    assert status == 401
    # A verify-only token may not sign nor read the metrics; a signer may not use another key.
    status, _, data = call(server, "POST", "/v1/sign?key=official", pdf, token="portal")
    assert status == 403 and error_code(data) == "SERVICE_ROUTE_FORBIDDEN"
    status, _, data = call(server, "GET", "/metrics", token="portal")
    assert status == 403 and error_code(data) == "SERVICE_ROUTE_FORBIDDEN"
    status, _, data = call(server, "POST", "/v1/sign?key=org", pdf, token="signer")
    assert status == 403 and error_code(data) == "SERVICE_KEY_FORBIDDEN"
    status, _, data = call(server, "POST", "/v1/sign?key=nope", pdf, token="admin")
    assert status == 400 and error_code(data) == "SERVICE_KEY_UNKNOWN"


def test_refused_request_does_not_leak_its_body_into_the_next_request(server):
    # The body of a refused request is consumed: the connection carries the next request correctly.
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    pdf = (FIXTURES_DIR / "official.pdf").read_bytes()
    conn.request("POST", "/v1/verify", body=pdf, headers={"Authorization": "Bearer wrong"})
    r = conn.getresponse()
    assert r.status == 401
    r.read()
    if r.getheader("Connection", "").lower() != "close":
        conn.request("POST", "/v1/verify?" + AT_QUERY, body=pdf, headers={"Authorization": "Bearer " + TOKENS["portal"]})
        r = conn.getresponse()
        assert r.status == 200 and json.loads(r.read())["document"]["indication"] == "TOTAL_PASSED"
    conn.close()


def test_limits(server):
    status, _, data = call(server, "POST", "/v1/verify", b"%PDF-1.7\n" + b"0" * 2_100_000)
    assert status == 413 and error_code(data) == "SERVICE_REQUEST_TOO_LARGE"
    # Transport limits (the library's, any route): not part of a route's contract in the OpenAPI document.
    status, _, data = server.request("GET", "/healthz", token=None, headers={"X-Big": "a" * 20000})
    assert 400 <= status < 500 and error_code(data) == "SERVICE_BAD_REQUEST"
    status, _, data = call(server, "GET", "/v1/nothing-here", token=None)
    assert status == 404 and error_code(data) == "SERVICE_NOT_FOUND"


def test_curl_with_form_content_type_sends_the_raw_file(server, tmp_path):
    # curl --data-binary says application/x-www-form-urlencoded: the body must still be the file.
    out = subprocess.run(["curl", "-sS", "-H", "Authorization: Bearer " + TOKENS["portal"], "--data-binary",
                          "@" + str(FIXTURES_DIR / "official.pdf"), f"http://127.0.0.1:{server.port}/v1/verify?{AT_QUERY}"],
                         capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["document"]["indication"] == "TOTAL_PASSED"


def test_sign_pdf_with_pkcs12_then_verify(server):
    pdf = (FIXTURES_DIR / "unsigned.pdf").read_bytes()
    status, headers, signed = call(server, "POST", f"/v1/sign?key=official&reason=Duyet&signing_time={SIGNING_TIME}", pdf,
                                   token="signer")
    assert status == 200 and headers["content-type"] == "application/pdf" and signed.startswith(b"%PDF")
    status, _, data = call(server, "POST", "/v1/verify?" + AT_QUERY, signed)
    report = json.loads(data)
    assert report["document"]["indication"] == "TOTAL_PASSED"
    assert report["document"]["signatures"][0]["reason"] == "Duyet"


def test_sign_detached_cms_then_verify_multipart(server):
    content = b"bien ban hop, any file at all\n" * 50
    status, headers, p7s = call(server, "POST", f"/v1/sign?key=official&mode=detached&signing_time={SIGNING_TIME}", content,
                                token="signer")
    assert status == 200 and headers["content-type"] == "application/pkcs7-signature"
    body, ctype = multipart({"signature": p7s, "content": content})
    status, _, data = call(server, "POST", "/v1/verify?" + AT_QUERY, body, headers={"Content-Type": ctype})
    assert status == 200 and json.loads(data)["document"]["indication"] == "TOTAL_PASSED"
    body, ctype = multipart({"signature": p7s, "content": content + b"changed"})
    status, _, data = call(server, "POST", "/v1/verify?" + AT_QUERY, body, headers={"Content-Type": ctype})
    assert status == 200 and json.loads(data)["document"]["indication"] == "TOTAL_FAILED"


def test_two_phase_signing(server, tmp_path):
    pdf = (FIXTURES_DIR / "unsigned.pdf").read_bytes()
    status, _, data = call(server, "POST", f"/v1/sign/prepare?key=remote&signing_time={SIGNING_TIME}", pdf, token="signer")
    assert status == 200, data
    prepared = json.loads(data)
    # The "remote signing service": RSA PKCS#1 v1.5 with SHA-256 over the data to sign.
    import base64
    (tmp_path / "tbs").write_bytes(base64.b64decode(prepared["data_to_sign_base64"]))
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(PKI_DIR / "gov-org.key.pem"), str(tmp_path / "tbs")],
                               capture_output=True, check=True).stdout
    body, ctype = multipart({"document": pdf, "state": prepared["state"].encode(), "signature": signature})
    status, headers, signed = call(server, "POST", "/v1/sign/finish", body, token="signer", headers={"Content-Type": ctype})
    assert status == 200 and headers["content-type"] == "application/pdf"
    status, _, data = call(server, "POST", "/v1/verify?" + AT_QUERY, signed)
    assert json.loads(data)["document"]["indication"] == "TOTAL_PASSED"
    # A wrong signature value is refused (usage: 400), never a 500.
    body, ctype = multipart({"document": pdf, "state": prepared["state"].encode(), "signature": signature[::-1]})
    status, _, data = call(server, "POST", "/v1/sign/finish", body, token="signer", headers={"Content-Type": ctype})
    assert status == 400 and error_code(data) == "EXTERNAL_SIGNATURE_INVALID"


def test_diagnose_zip(server):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in ("official.pdf", "tampered.pdf", "unsigned.pdf"):
            z.write(FIXTURES_DIR / name, "xa/" + name)
    status, _, data = call(server, "POST", "/v1/diagnose?lang=en&" + AT_QUERY, buffer.getvalue())
    assert status == 200, data
    summary = json.loads(data)
    assert summary["schema"] == "libsign-diagnose/1" and summary["totals"]["files"] == 3
    assert summary["by_indication"]["TOTAL_FAILED"] >= 1
    # Files are named inside the upload, never by the server's temporary file.
    assert b"libsign-serve-" not in data and b"/tmp" not in data
    examples = [e["path"] for found in summary["examples"].values() for e in found]
    assert "upload.zip!xa/tampered.pdf" in examples, examples
    status, headers, data = call(server, "POST", "/v1/diagnose?format=html&" + AT_QUERY, buffer.getvalue())
    assert status == 200 and headers["content-type"].startswith("text/html") and b"<html" in data.lower()
    assert b"libsign-serve-" not in data and b"upload.zip" in data
    status, _, data = call(server, "POST", "/v1/diagnose", b"%PDF-1.7 not a zip")
    assert status == 415


def test_metrics_and_access_log(server):
    verify(server, "official.pdf")
    status, headers, data = call(server, "GET", "/metrics", token="metrics")
    text = data.decode()
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert 'libsign_http_requests_total{route="verify",status="200"}' in text
    assert 'libsign_verdicts_total{indication="TOTAL_PASSED"}' in text
    assert 'libsign_http_request_duration_seconds_bucket{route="verify",le="+Inf"}' in text
    assert "libsign_http_requests_in_flight " in text
    log = server.log_path.read_text()
    for secret in TOKENS.values():
        assert secret not in log
    entries = [e for e in server.log_lines() if e.get("route") == "verify" and e.get("status") == 200]
    assert entries and entries[-1]["token"] == "portal" and entries[-1]["indication"] == "TOTAL_PASSED"
    assert any(e.get("status") == 401 and e.get("token") is None for e in server.log_lines())


def test_concurrent_verify(server):
    pdf = (FIXTURES_DIR / "official.pdf").read_bytes()
    results = []

    def worker():
        for _ in range(8):
            status, _, data = server.request("POST", "/v1/verify?" + AT_QUERY, pdf)
            results.append((status, json.loads(data)["document"]["indication"]))

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [(200, "TOTAL_PASSED")] * 96


def test_every_answer_matches_the_openapi_document(server):
    status, _, data = server.request("GET", "/v1/openapi.json", token=None)
    doc = json.loads(data)
    documented = {(p, m) for p, ops in doc["paths"].items() for m in ops}
    seen_routes = {(path, method.lower()) for method, path, *_ in SEEN if path in doc["paths"]}
    assert seen_routes == documented, documented - seen_routes
    for method, path, status, ctype, body in SEEN:
        if path in doc["paths"]:
            check_against_openapi(doc, method, path, status, ctype, body)


# ---- start-up checks and TLS: servers of their own ----

@pytest.mark.parametrize("listen, tokens", [
    ("0.0.0.0:0", ""),                            # plain HTTP off loopback without --insecure-listen
    ("127.0.0.1:0", "portal not-a-digest\n"),     # a token line whose hash is not SHA-256 hex
])
def test_unsafe_start_up_is_refused(tmp_path, listen, tokens):
    from serve_util import SERVE
    token_file = tmp_path / "t.txt"
    token_file.write_text(tokens)
    proc = subprocess.run([str(SERVE), "--listen", listen, "--token-file", str(token_file)], capture_output=True, text=True,
                          timeout=30)
    assert proc.returncode == 3 and "[USAGE_INVALID]" in proc.stderr


def test_libsign_serve_runs_the_service(tmp_path):
    # `libsign serve` (the static command) hands over to libsign-serve beside it.
    with running_server(tmp_path, program=CLI) as s:
        assert s.request("GET", "/healthz", token=None)[0] == 200


def test_tls(tmp_path):
    key, cert = tmp_path / "tls.key", tmp_path / "tls.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    with running_server(tmp_path, "--tls-cert", cert, "--tls-key", key) as s:
        out = subprocess.run(["curl", "-sS", "--cacert", str(cert), "-H", "Authorization: Bearer " + TOKENS["portal"],
                              "--data-binary", "@" + str(FIXTURES_DIR / "official.pdf"),
                              f"https://127.0.0.1:{s.port}/v1/verify?{AT_QUERY}"], capture_output=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["document"]["indication"] == "TOTAL_PASSED"
        # Plain HTTP to the TLS port gets no answer.
        plain = subprocess.run(["curl", "-sS", "-m", "10", f"http://127.0.0.1:{s.port}/healthz"], capture_output=True, timeout=30)
        assert plain.returncode != 0 or b"ok" not in plain.stdout


SOFTHSM = next((p for p in ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
                if os.path.exists(p)), None)


@pytest.mark.skipif(not (SOFTHSM and shutil.which("softhsm2-util") and shutil.which("pkcs11-tool")),
                    reason="SoftHSM2 / OpenSC not installed")
def test_sign_with_a_softhsm_key_pdf_and_xml(tmp_path, fixtures):
    import sys
    import xml_forms
    from conftest import SOURCE_DIR
    folder = tmp_path / "token"
    folder.mkdir()
    subprocess.run([sys.executable, str(SOURCE_DIR / "tests/tools/softhsm_token.py"), str(folder)], check=True, capture_output=True)
    keys = {"hsm": {"pkcs11-module": SOFTHSM, "token-label": "libsign-test", "key-label": "gov-official",
                    "chain": [str(PKI_DIR / "gov-chain.pem")], "pin-file": str(folder / "user-pin.txt")}}
    with running_server(tmp_path, config={"keys": keys}, env={"SOFTHSM2_CONF": str(folder / "softhsm2.conf")}) as s:
        status, headers, signed = s.request("POST", f"/v1/sign?key=hsm&signing_time={SIGNING_TIME}",
                                            (FIXTURES_DIR / "unsigned.pdf").read_bytes(), token="admin")
        assert status == 200, signed
        status, _, data = s.request("POST", "/v1/verify?" + AT_QUERY, signed)
        assert json.loads(data)["document"]["indication"] == "TOTAL_PASSED"
        form = xml_forms.einvoice()
        form = form.encode() if isinstance(form, str) else form
        status, headers, signed = s.request(
            "POST", f"/v1/sign?key=hsm&xml_target=Id-0001&xml_parent=/HDon/DSCKS/NBan&xml_xades=B-B&signing_time={SIGNING_TIME}",
            form, token="admin")
        assert status == 200 and headers["content-type"] == "application/xml", signed
        status, _, data = s.request("POST", "/v1/verify?xml_target=Id-0001&" + AT_QUERY, signed, headers={"Content-Type": "application/xml"})
        assert json.loads(data)["document"]["indication"] == "TOTAL_PASSED"


def test_a_stalled_client_is_dropped_after_the_read_timeout(tmp_path):
    import socket
    import time
    with running_server(tmp_path, "--read-timeout", 1) as s:
        client = socket.create_connection(("127.0.0.1", s.port), timeout=30)
        client.sendall(b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKENS["portal"].encode() +
                       b"\r\nContent-Length: 100000\r\n\r\n%PDF-1.7\n")
        started = time.time()
        answer = b""
        while True:  # the service answers (an error) or closes; either way it does not wait for the rest
            chunk = client.recv(65536)
            if not chunk:
                break
            answer += chunk
        client.close()
        assert time.time() - started < 15
        assert not answer.startswith(b"HTTP/1.1 200")
        # The service still answers others.
        assert s.request("GET", "/healthz", token=None)[0] == 200


def test_config_file_values_and_flags_that_override_them(tmp_path):
    pdf = (FIXTURES_DIR / "official.pdf").read_bytes()  # 34 KB
    with running_server(tmp_path, config={"max-body": 1000, "keys": {}}) as s:
        assert s.request("POST", "/v1/verify?" + AT_QUERY, pdf)[0] == 413
    with running_server(tmp_path, "--max-body", 100000, config={"max-body": 1000}) as s:
        assert s.request("POST", "/v1/verify?" + AT_QUERY, pdf)[0] == 200
    from serve_util import SERVE
    # An unknown key, a count written as a float (the JSON library would convert 1e30 without a range
    # check) or as a negative number: refused with a usage error before anything starts.
    for bad in ({"max_body": 1000}, {"max-body": 1e30}, {"threads": -1}, {"max-body": 2.5}):
        (tmp_path / "bad.json").write_text(json.dumps(bad))
        proc = subprocess.run([str(SERVE), "--config", str(tmp_path / "bad.json"), "--token-file", str(tmp_path / "tokens.txt")],
                              capture_output=True, text=True, timeout=30)
        assert proc.returncode == 3 and "[USAGE_INVALID]" in proc.stderr, (bad, proc.stderr)
