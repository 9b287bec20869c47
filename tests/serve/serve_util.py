"""Starts libsign-serve on 127.0.0.1 with a free port (port 0) and talks to it over real HTTP.

Every server is stopped by the context manager (SIGTERM, then SIGKILL after a timeout)."""
import contextlib
import hashlib
import http.client
import json
import os
import pathlib
import signal
import subprocess
import time

from conftest import BUILD_DIR, PROFILES_DIR

SERVE = pathlib.Path(os.environ.get("LIBSIGN_SERVE_BIN", BUILD_DIR / "libsign-serve"))
TOKENS = {"portal": "tok-portal-verify", "signer": "tok-signer-official", "admin": "tok-admin-all", "metrics": "tok-metrics"}
# The trust and time every test pins (conftest.TEST_GOV as service defaults).
TRUST_FLAGS = ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov"]
TEST_GOV_FLAGS = TRUST_FLAGS + ["--offline", "--revocation", "optional"]
# Fetching from the local OCSP/CRL server (tests/servers/pki_server.py) only.
ONLINE_FLAGS = TRUST_FLAGS + ["--allow-host", "127.0.0.1", "--revocation", "required"]
AT_QUERY = "at=2026-07-01T00:00:00Z"


def token_file(path):
    def digest(t):
        return hashlib.sha256(t.encode()).hexdigest()
    path.write_text(
        "# test tokens\n"
        f"portal {digest(TOKENS['portal'])}\n"
        f"signer {digest(TOKENS['signer'])} verify,sign,key:official,key:remote\n"
        f"admin {digest(TOKENS['admin'])} *,key:*\n"
        f"metrics {digest(TOKENS['metrics'])} metrics\n")
    return path


class Server:
    def __init__(self, proc, port, log_path, scheme="http"):
        self.proc, self.port, self.log_path, self.scheme = proc, port, log_path, scheme

    def log_lines(self):
        return [json.loads(line) for line in self.log_path.read_text().splitlines() if line.strip()]

    def request(self, method, path, body=None, token="portal", headers=None, timeout=60):
        """Returns (status, headers dict (lower-case names), body bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + TOKENS.get(token, token)
        if body is not None and "Content-Type" not in h:
            h["Content-Type"] = "application/octet-stream"
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def json(self, method, path, body=None, **kw):
        status, headers, data = self.request(method, path, body, **kw)
        return status, json.loads(data) if data[:1] in (b"{", b"[") else data


def multipart(parts):
    """parts: {name: bytes} -> (body, content type)."""
    boundary = "libsign-test-boundary-7f3a"
    out = b""
    for name, data in parts.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


@contextlib.contextmanager
def running_server(tmp_path, *extra, config=None, env=None, program=None, trust_flags=TEST_GOV_FLAGS):
    tokens = token_file(tmp_path / "tokens.txt")
    log_path = tmp_path / "access.log"
    if log_path.exists():
        log_path.unlink()  # the log is appended to: an earlier server's "listening" line would mislead
    args = [str(program or SERVE)] + (["serve"] if program else []) + [
        "--listen", "127.0.0.1:0", "--token-file", str(tokens), "--access-log", str(log_path), *trust_flags, *map(str, extra)]
    if config is not None:
        cfg = tmp_path / "serve.json"
        cfg.write_text(json.dumps(config))
        args += ["--config", str(cfg)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    port = None
    scheme = "https" if "--tls-cert" in args else "http"
    try:
        deadline = time.time() + 30
        while time.time() < deadline and port is None:
            if proc.poll() is not None:
                raise AssertionError("libsign-serve did not start: " + proc.stderr.read().decode())
            if log_path.exists():
                for line in log_path.read_text().splitlines():
                    entry = json.loads(line)
                    if entry.get("event") == "listening":
                        port = int(entry["detail"].split()[0].rsplit(":", 1)[1])
            time.sleep(0.05)
        assert port, "libsign-serve did not report its port"
        yield Server(proc, port, log_path, scheme)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def metric_values(text):
    """Prometheus text -> {'name{labels}': value} for every sample line."""
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def rss_kib(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# ---- a small OpenAPI checker: status codes and top-level keys of JSON answers ----
def resolve(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        target = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def check_against_openapi(doc, method, path, status, content_type, body):
    """Raises AssertionError when the answer is not what the OpenAPI document says."""
    operation = doc["paths"][path][method.lower()]
    responses = operation["responses"]
    assert str(status) in responses, f"{method} {path}: status {status} not documented"
    response = resolve(doc, responses[str(status)])
    media = (content_type or "").split(";")[0].strip()
    content = response.get("content", {})
    assert media in content, f"{method} {path} {status}: content type {media} not documented ({list(content)})"
    schema = resolve(doc, content[media].get("schema", {}))
    if media == "application/json":
        value = json.loads(body)
        if schema.get("type") == "object":
            assert isinstance(value, dict)
            for key in schema.get("required", []):
                assert key in value, f"{method} {path} {status}: key {key} missing"
            if "error" in schema.get("properties", {}):
                err_schema = resolve(doc, schema["properties"]["error"])
                for key in err_schema.get("required", []):
                    assert key in value["error"], f"{method} {path} {status}: error.{key} missing"
