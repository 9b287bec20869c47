#!/usr/bin/python3
"""An OCSP responder, CRL and CA-certificate server over HTTP for the libsign tests.

OCSP answers come from OpenSSL's own responder (`openssl ocsp -index … -reqin … -respout …`), run
once per request. The server binds 127.0.0.1 only and prints `LISTENING <port>` on stdout when it
accepts connections.

    python3 pki_server.py [--port 0|18881] [--pki certs-test/pki] [--crl-dir DIR]
                          [--mode good|unknown|stale|tryLater|malformed|http500|slow|hang]
                          [--ocsp-signer delegated|ca|wrong] [--delay SECONDS] [--nmin MINUTES]
                          [--no-next-update] [--resp-no-certs] [--resp-key-id] [--stale-days DAYS]
                          [--make-crl NAME]... [--verbose]

URL layout (see README.md): POST /ocsp/<ca>, GET /ocsp/<ca>/<base64 request>, GET /crl/<name>.crl,
GET /ca/<name>.cer, GET /stats, GET /control[?key=value&…]. Any resource path may be preceded by
`/<key>/<value>` pairs (mode, signer, delay, certs, rid) that override the settings for that one
request, e.g. /mode/unknown/ocsp/gov-ca or /signer/ca/mode/stale/ocsp/gov-ca.
Python standard library only; needs the `openssl` command.
"""
import argparse
import base64
import binascii
import datetime
import errno
import http.server
import json
import os
import pathlib
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import urllib.parse

from serving import read_typed_body, serve_until_stopped  # this folder is on sys.path when run as a script

HOST = "127.0.0.1"  # never any other address
MAX_BODY = 64 * 1024
MAX_URL = 8 * 1024  # a GET OCSP request is base64 in the path: bounded like a POST body
OCSP_REQUEST_TYPE = "application/ocsp-request"
OCSP_RESPONSE_TYPE = "application/ocsp-response"
CRL_TYPE = "application/pkix-crl"
CERT_TYPE = "application/pkix-cert"
OPENSSL_TIMEOUT = 30
EXIT_PORT_IN_USE = 3

MODES = ("good", "unknown", "stale", "tryLater", "malformed", "http500", "slow", "hang")
SIGNERS = ("delegated", "ca", "wrong")
DEFAULT_SLOW_DELAY = 3.0
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

# Who signs OCSP responses for a CA, by --ocsp-signer. A CA missing here uses <prefix>-ocsp for
# `delegated` (gov-ca -> gov-ocsp) and has no `wrong` signer.
DELEGATED = {"gov-ca": "gov-ocsp", "public-ca": "public-ocsp"}
WRONG = {"gov-ca": "gov-official", "public-ca": "public-remote"}  # valid certs, but no OCSPSigning EKU

# OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED tryLater(3) } — no responseBytes.
TRY_LATER = bytes.fromhex("3003 0a01 03".replace(" ", ""))

# `malformed`: a well-framed DER SEQUENCE (so HTTP clients that check the DER length against
# Content-Length accept it) holding an OCTET STRING, which is neither an OCSPResponse, a CRL nor a
# certificate.
MALFORMED = b"\x30\x16\x04\x14" + b"not an OCSP response"

# Signature algorithm OIDs (DER contents) -> the digest for `openssl dgst -sign`.
SIGNATURE_DIGESTS = {
    "2a864886f70d010105": "sha1", "2a864886f70d01010b": "sha256", "2a864886f70d01010c": "sha384",
    "2a864886f70d01010d": "sha512", "2a8648ce3d040302": "sha256", "2a8648ce3d040303": "sha384",
    "2a8648ce3d040304": "sha512",
}


# ---------------------------------------------------------------------------------------------
# Minimal DER, enough to read OCSP requests and to rewrite the times of an OCSP response
# ---------------------------------------------------------------------------------------------

def der_read(buf, pos):
    """One TLV at pos: (tag, value_start, end). Single-byte tags only (all OCSP needs)."""
    if pos + 2 > len(buf):
        raise ValueError("truncated DER")
    tag = buf[pos]
    first = buf[pos + 1]
    pos += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > len(buf):
            raise ValueError("bad DER length")
        length = int.from_bytes(buf[pos:pos + count], "big")
        pos += count
    if pos + length > len(buf):
        raise ValueError("truncated DER")
    return tag, pos, pos + length


def der_children(buf, start, end):
    """The TLVs inside [start, end): list of (tag, tlv_start, value_start, end)."""
    items = []
    pos = start
    while pos < end:
        tag, value_start, item_end = der_read(buf, pos)
        items.append((tag, pos, value_start, item_end))
        pos = item_end
    if pos != end:
        raise ValueError("DER overruns its container")
    return items


def der_encode(tag, value):
    length = len(value)
    if length < 0x80:
        header = bytes([tag, length])
    else:
        size = (length.bit_length() + 7) // 8
        header = bytes([tag, 0x80 | size]) + length.to_bytes(size, "big")
    return header + value


def request_serials(der):
    """The certificate serial numbers (upper-case hex) asked about in a DER OCSPRequest."""
    _, start, end = der_read(der, 0)
    tbs_tag, tbs_start, tbs_end = der_read(der, start)
    if tbs_tag != 0x30:
        raise ValueError("not an OCSPRequest")
    serials = []
    for tag, _, value_start, value_end in der_children(der, tbs_start, tbs_end):
        if tag != 0x30:  # [0] version, [1] requestorName, [2] extensions
            continue
        for _, _, request_start, request_end in der_children(der, value_start, value_end):
            cert_id = der_children(der, request_start, request_end)[0]
            fields = der_children(der, cert_id[2], cert_id[3])
            if len(fields) != 4 or fields[3][0] != 0x02:
                raise ValueError("bad CertID")
            serials.append(der[fields[3][2]:fields[3][3]].hex().upper().lstrip("0") or "0")
    return serials


def generalized_time(moment):
    return der_encode(0x18, moment.strftime("%Y%m%d%H%M%SZ").encode("ascii"))


def restamp_response(response, this_update, next_update, sign):
    """Rewrites producedAt/thisUpdate/nextUpdate of a successful DER OCSPResponse, drops the
    response extensions (the nonce: a stale response is a replayed one) and signs the new
    tbsResponseData with sign(tbs_der, digest_name) -> signature bytes."""
    _, start, end = der_read(response, 0)
    status, response_bytes = der_children(response, start, end)
    if response[status[2]:status[3]] != b"\x00" or response_bytes[0] != 0xA0:
        raise ValueError("not a successful OCSP response")
    inner = der_children(response, response_bytes[2], response_bytes[3])[0]
    oid, octets = der_children(response, inner[2], inner[3])
    basic = response[octets[2]:octets[3]]
    _, basic_start, basic_end = der_read(basic, 0)
    tbs, algorithm, _signature, *certs = der_children(basic, basic_start, basic_end)

    produced = generalized_time(this_update)
    new_tbs = b""
    seen_produced_at = False
    for tag, item_start, value_start, item_end in der_children(basic, tbs[2], tbs[3]):
        if tag == 0x18:  # producedAt
            new_tbs += produced
            seen_produced_at = True
        elif tag == 0x30 and seen_produced_at:  # responses
            singles = b""
            for _, _, single_start, single_end in der_children(basic, value_start, item_end):
                fields = b""
                for ftag, fstart, _, fend in der_children(basic, single_start, single_end):
                    if ftag == 0x18:  # thisUpdate, then the new [0] EXPLICIT nextUpdate
                        fields += generalized_time(this_update)
                        if next_update is not None:
                            fields += der_encode(0xA0, generalized_time(next_update))
                    elif ftag != 0xA0:  # the old nextUpdate goes
                        fields += basic[fstart:fend]
                singles += der_encode(0x30, fields)
            new_tbs += der_encode(0x30, singles)
        elif tag == 0xA1 and seen_produced_at:
            continue  # [1] responseExtensions (the nonce); before producedAt [1] is responderID byName
        else:
            new_tbs += basic[item_start:item_end]
    new_tbs = der_encode(0x30, new_tbs)

    algorithm_oid = der_children(basic, algorithm[2], algorithm[3])[0]
    digest = SIGNATURE_DIGESTS.get(basic[algorithm_oid[2]:algorithm_oid[3]].hex())
    if digest is None:
        raise ValueError("unsupported response signature algorithm")
    signature = der_encode(0x03, b"\x00" + sign(new_tbs, digest))
    new_basic = der_encode(0x30, new_tbs + basic[algorithm[1]:algorithm[3]] + signature
                           + b"".join(basic[c[1]:c[3]] for c in certs))
    new_bytes = der_encode(0x30, response[oid[1]:oid[3]] + der_encode(0x04, new_basic))
    return der_encode(0x30, response[status[1]:status[3]] + der_encode(0xA0, new_bytes))


# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------

class Stats:
    """Thread-safe request counters, served as JSON on GET /stats."""

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._counts = {"requests": 0, "by_path": {}, "by_status": {}, "by_mode": {},
                            "ocsp_requests": 0, "ocsp_serials": {}, "crl_fetches": 0,
                            "ca_fetches": 0, "errors": 0}

    def add(self, key, amount=1):
        with self._lock:
            self._counts[key] += amount

    def bump(self, table, name):
        with self._lock:
            counts = self._counts[table]
            counts[name] = counts.get(name, 0) + 1

    def serial(self, ca, serial):
        with self._lock:
            per_ca = self._counts["ocsp_serials"].setdefault(ca, {})
            per_ca[serial] = per_ca.get(serial, 0) + 1

    def snapshot(self):
        with self._lock:
            return json.loads(json.dumps(self._counts))


class Settings:
    """The per-server defaults; GET /control changes them, a path prefix overrides them once."""

    KEYS = ("mode", "signer", "delay", "certs", "rid")

    def __init__(self, options):
        self._lock = threading.Lock()
        self._initial = {"mode": options.mode, "signer": options.ocsp_signer, "delay": options.delay,
                         "certs": "no" if options.resp_no_certs else "yes",
                         "rid": "key" if options.resp_key_id else "name"}
        self._current = dict(self._initial)

    @staticmethod
    def check(key, value):
        """Returns the parsed value or raises ValueError."""
        if key == "mode":
            if value not in MODES:
                raise ValueError(f"mode must be one of {', '.join(MODES)}")
            return value
        if key == "signer":
            if value not in SIGNERS:
                raise ValueError(f"signer must be one of {', '.join(SIGNERS)}")
            return value
        if key == "delay":
            delay = float(value)
            if not 0 <= delay <= 3600:
                raise ValueError("delay must be 0..3600 seconds")
            return delay
        if key == "certs":
            if value not in ("yes", "no"):
                raise ValueError("certs must be yes or no")
            return value
        if key == "rid":
            if value not in ("name", "key"):
                raise ValueError("rid must be name or key")
            return value
        raise ValueError(f"unknown setting {key!r}")

    def get(self):
        with self._lock:
            return dict(self._current)

    def update(self, changes):
        with self._lock:
            self._current.update(changes)
            return dict(self._current)

    def reset(self):
        with self._lock:
            self._current = dict(self._initial)
            return dict(self._current)


class Responder:
    """Runs `openssl ocsp` as a responder on one request file at a time."""

    def __init__(self, pki, workdir, options):
        self.pki = pkistore(pki)
        self.workdir = pathlib.Path(workdir)
        self.options = options
        self.empty_index = self.workdir / "empty-index.txt"
        self.empty_index.write_text("")
        self._lock = threading.Lock()
        self._sequence = 0

    def known_ca(self, ca):
        return (NAME_RE.match(ca) is not None and (self.pki / f"ocsp-index-{ca}.txt").is_file()
                and (self.pki / f"{ca}.pem").is_file())

    def signer_name(self, ca, signer):
        if signer == "ca":
            return ca
        if signer == "wrong":
            return WRONG.get(ca)
        return DELEGATED.get(ca, ca.rsplit("-", 1)[0] + "-ocsp")

    def _next(self):
        with self._lock:
            self._sequence += 1
            return self._sequence

    def respond(self, ca, request, settings, stale_days):
        """The DER OCSPResponse for a DER OCSPRequest; raises RuntimeError/ValueError."""
        name = self.signer_name(ca, settings["signer"])
        if name is None:
            raise RuntimeError(f"no {settings['signer']} signer for {ca}")
        cert, key = self.pki / f"{name}.pem", self.pki / f"{name}.key.pem"
        if not cert.is_file() or not key.is_file():
            raise RuntimeError(f"missing {cert} or {key}")
        index = self.empty_index if settings["mode"] == "unknown" else self.pki / f"ocsp-index-{ca}.txt"
        number = self._next()
        request_file = self.workdir / f"request-{number}.der"
        response_file = self.workdir / f"response-{number}.der"
        request_file.write_bytes(request)
        command = ["openssl", "ocsp", "-index", str(index), "-CA", str(self.pki / f"{ca}.pem"),
                   "-rsigner", str(cert), "-rkey", str(key),
                   "-reqin", str(request_file), "-respout", str(response_file)]
        if not self.options.no_next_update:
            command += ["-nmin", str(self.options.nmin)]
        if settings["certs"] == "no":
            command.append("-resp_no_certs")
        if settings["rid"] == "key":
            command.append("-resp_key_id")
        try:
            proc = subprocess.run(command, capture_output=True, timeout=OPENSSL_TIMEOUT,
                                  stdin=subprocess.DEVNULL)
            if proc.returncode != 0 or not response_file.is_file():
                raise RuntimeError(proc.stderr.decode("utf-8", "replace").strip() or "openssl ocsp failed")
            response = response_file.read_bytes()
            if settings["mode"] == "stale":
                this_update = (datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
                               - datetime.timedelta(days=stale_days))
                next_update = None if self.options.no_next_update else \
                    this_update + datetime.timedelta(minutes=self.options.nmin)
                response = restamp_response(response, this_update, next_update,
                                            lambda tbs, digest: self._sign(key, tbs, digest, number))
            return response
        finally:
            for path in (request_file, response_file):
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass

    def _sign(self, key, data, digest, number):
        data_file = self.workdir / f"tbs-{number}.der"
        data_file.write_bytes(data)
        try:
            proc = subprocess.run(["openssl", "dgst", f"-{digest}", "-sign", str(key), str(data_file)],
                                  capture_output=True, timeout=OPENSSL_TIMEOUT, stdin=subprocess.DEVNULL)
            if proc.returncode != 0 or not proc.stdout:
                raise RuntimeError(proc.stderr.decode("utf-8", "replace").strip() or "openssl dgst -sign failed")
            return proc.stdout
        finally:
            data_file.unlink()


def pkistore(path):
    return pathlib.Path(path).resolve()


class Files:
    """CRLs (DER) and CA certificates (PEM files converted to DER), looked up by name."""

    def __init__(self, pki, crl_dirs):
        self.pki = pkistore(pki)
        self.crl_dirs = [pathlib.Path(d).resolve() for d in crl_dirs]

    def crl(self, name):
        if NAME_RE.match(name) is None:
            return None
        for folder in self.crl_dirs:
            for candidate in (folder / f"{name}.crl", folder / f"{name}.crl.der"):
                if candidate.is_file():
                    return candidate.read_bytes()
        return None

    def certificate(self, name):
        if NAME_RE.match(name) is None:
            return None
        path = self.pki / f"{name}.pem"
        if not path.is_file():
            return None
        text = path.read_text(encoding="ascii", errors="replace")
        if text.count("-----BEGIN CERTIFICATE-----") != 1:
            return None  # chains and keys are not served
        return ssl.PEM_cert_to_DER_cert(text)


def make_crls(names, pki, folder):
    """Empty CRLs (CRL number 1, 2026-06-01 -> 2036-06-01, like generate.sh's) signed by
    <pki>/NAME.pem / NAME.key.pem, written to folder/NAME.crl."""
    pki = pkistore(pki)
    for name in names:
        if NAME_RE.match(name) is None:
            raise SystemExit(f"pki_server: bad --make-crl name {name!r}")
        work = folder / f"ca-{name}"
        work.mkdir()
        (work / "index.txt").write_text("")
        (work / "crlnumber").write_text("01\n")
        (work / "ca.cnf").write_text(
            "[ ca ]\ndefault_ca = test\n[ test ]\n"
            f"database = {work}/index.txt\ncrlnumber = {work}/crlnumber\n"
            "default_md = sha256\ncrl_extensions = crl_ext\n"
            "[ crl_ext ]\nauthorityKeyIdentifier = keyid:always\n")
        pem = work / "crl.pem"
        proc = subprocess.run(
            ["openssl", "ca", "-gencrl", "-batch", "-config", str(work / "ca.cnf"),
             "-cert", str(pki / f"{name}.pem"), "-keyfile", str(pki / f"{name}.key.pem"),
             "-crl_lastupdate", "20260601000000Z", "-crl_nextupdate", "20360601000000Z",
             "-out", str(pem)], capture_output=True, timeout=OPENSSL_TIMEOUT, stdin=subprocess.DEVNULL)
        if proc.returncode != 0:
            raise SystemExit(f"pki_server: cannot make the CRL of {name}: "
                             f"{proc.stderr.decode('utf-8', 'replace').strip()}")
        proc = subprocess.run(["openssl", "crl", "-in", str(pem), "-outform", "DER",
                               "-out", str(folder / f"{name}.crl")],
                              capture_output=True, timeout=OPENSSL_TIMEOUT, stdin=subprocess.DEVNULL)
        if proc.returncode != 0:
            raise SystemExit(f"pki_server: openssl crl failed for {name}")


# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------

def split_prefix(path):
    """'/mode/unknown/signer/ca/ocsp/gov-ca' -> ({'mode': 'unknown', 'signer': 'ca'}, '/ocsp/gov-ca').
    Raises ValueError for a bad value."""
    overrides = {}
    parts = path.split("/")[1:]
    while len(parts) >= 3 and parts[0] in Settings.KEYS:
        key, value = parts[0], urllib.parse.unquote(parts[1])
        overrides[key] = Settings.check(key, value)
        parts = parts[2:]
    return overrides, "/" + "/".join(parts)


def decode_get_request(encoded):
    """RFC 6960 A.1: the URL-encoded base64 of the DER request (either alphabet, padding optional)."""
    text = urllib.parse.unquote(encoded).strip().replace("-", "+").replace("_", "/")
    text = text.replace(" ", "+")  # a '+' that a form decoder turned into a space
    text += "=" * (-len(text) % 4)
    return base64.b64decode(text, validate=True)


def make_handler(options, responder, files, stats, settings, stopping):
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "libsign-test-pki/1"
        protocol_version = "HTTP/1.0"

        def log_message(self, fmt, *args):
            if options.verbose:
                sys.stderr.write("pki_server: " + (fmt % args) + "\n")

        def _send(self, status, body=b"", content_type="text/plain; charset=utf-8", headers=()):
            stats.bump("by_status", str(status))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        # -- dispatch ------------------------------------------------------------------------

        def _route(self, method):
            stats.add("requests")
            if len(self.path) > MAX_URL:
                self._send(414, b"URI too long\n")
                return
            raw_path, _, query = self.path.partition("?")
            if raw_path == "/stats" and method == "GET":
                self._stats(query)
                return
            if raw_path == "/control" and method == "GET":
                self._control(query)
                return
            try:
                overrides, path = split_prefix(raw_path)
            except ValueError as error:
                self._send(400, f"{error}\n".encode())
                return
            current = settings.get()
            current.update(overrides)

            parts = path.split("/")
            if len(parts) >= 3 and parts[1] == "ocsp" and responder.known_ca(parts[2]):
                ca = parts[2]
                stats.bump("by_path", f"/ocsp/{ca}")
                if method == "POST" and len(parts) == 3:
                    self._ocsp_post(ca, current)
                elif method == "GET" and len(parts) >= 4:
                    self._ocsp_get(ca, "/".join(parts[3:]), current)
                else:
                    self._send(405, b"POST /ocsp/<ca> or GET /ocsp/<ca>/<base64 request>\n",
                               headers=[("Allow", "GET, POST")])
                return
            if len(parts) == 3 and parts[1] in ("crl", "ca") and method == "GET":
                kind, filename = parts[1], parts[2]
                suffix = ".crl" if kind == "crl" else ".cer"
                body = None
                if filename.endswith(suffix):
                    name = filename[:-len(suffix)]
                    body = files.crl(name) if kind == "crl" else files.certificate(name)
                if body is not None:
                    stats.bump("by_path", path)
                    stats.add("crl_fetches" if kind == "crl" else "ca_fetches")
                    self._answer(current, lambda: (200, body, CRL_TYPE if kind == "crl" else CERT_TYPE))
                    return
            stats.bump("by_path", "(not found)")
            self._send(404, b"not found\n")

        def do_GET(self):
            self._route("GET")

        def do_POST(self):
            self._route("POST")

        def do_HEAD(self):
            self._send(405, b"", headers=[("Allow", "GET, POST")])

        def do_PUT(self):
            stats.add("requests")
            self._send(405, b"", headers=[("Allow", "GET, POST")])

        do_DELETE = do_PUT

        # -- endpoints -----------------------------------------------------------------------

        def _stats(self, query):
            params = urllib.parse.parse_qs(query)
            snapshot = stats.snapshot()
            if params.get("reset") == ["1"]:
                stats.reset()
            self._send(200, json.dumps(snapshot, sort_keys=True).encode(), "application/json")

        def _control(self, query):
            params = urllib.parse.parse_qs(query, keep_blank_values=True)
            try:
                if params.pop("reset", None) == ["1"]:
                    settings.reset()
                changes = {}
                for key, values in params.items():
                    if len(values) != 1:
                        raise ValueError(f"{key} given more than once")
                    changes[key] = Settings.check(key, values[0])
            except ValueError as error:
                self._send(400, f"{error}\n".encode())
                return
            current = settings.update(changes)
            self._send(200, json.dumps(current, sort_keys=True).encode(), "application/json")

        def _ocsp_post(self, ca, current):
            body = read_typed_body(self, OCSP_REQUEST_TYPE, MAX_BODY, "request")
            if body is not None:
                self._ocsp(ca, body, current)

        def _ocsp_get(self, ca, encoded, current):
            try:
                request = decode_get_request(encoded)
            except (ValueError, binascii.Error):
                self._send(400, b"the path does not hold a base64 OCSP request\n")
                return
            self._ocsp(ca, request, current)

        def _ocsp(self, ca, request, current):
            stats.add("ocsp_requests")
            try:
                serials = request_serials(request)
            except (ValueError, IndexError):
                serials = None
            for serial in serials or ():
                stats.serial(ca, serial)

            def produce():
                mode = current["mode"]
                if mode == "tryLater":
                    return 200, TRY_LATER, OCSP_RESPONSE_TYPE
                if serials is None:
                    # malformedRequest(1), as a real responder would (openssl would reply the same)
                    stats.add("errors")
                    return 200, bytes.fromhex("30030a0101"), OCSP_RESPONSE_TYPE
                response = responder.respond(ca, request, current, options.stale_days)
                return 200, response, OCSP_RESPONSE_TYPE

            self._answer(current, produce, ocsp=True)

        def _answer(self, current, produce, ocsp=False):
            """Applies the mode's transport behaviour (delay, hang, http500, malformed), then
            sends produce() -> (status, body, content type)."""
            mode = current["mode"]
            stats.bump("by_mode", mode)
            delay = current["delay"]
            if mode == "slow" and delay <= 0:
                delay = DEFAULT_SLOW_DELAY
            if delay > 0:
                stopping.wait(delay)
            if mode == "hang":
                stopping.wait()  # never answers; the connection closes when the server stops
                return
            if stopping.is_set():
                return
            if mode == "http500":
                self._send(500, b"simulated failure\n")
                return
            if mode == "malformed":
                kind = OCSP_RESPONSE_TYPE if ocsp else "application/octet-stream"
                self._send(200, MALFORMED, kind)
                return
            try:
                status, body, content_type = produce()
            except (RuntimeError, ValueError, subprocess.TimeoutExpired) as error:
                stats.add("errors")
                sys.stderr.write(f"pki_server: {error}\n")
                self._send(500, b"responder failure\n")
                return
            self._send(status, body, content_type)

    return Handler


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # SO_REUSEADDR (Linux): a fixed port (18881) can be bound again while connections of a previous
    # server are in TIME_WAIT. It never lets two servers listen on one port (that is SO_REUSEPORT).
    allow_reuse_address = True


def parse_args(argv):
    default_pki = pathlib.Path(__file__).resolve().parents[2] / "certs-test" / "pki"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0,
                        help="TCP port on 127.0.0.1 (0: any free port; 18881: the URLs in the certs-test certificates)")
    parser.add_argument("--pki", default=str(default_pki),
                        help="folder with the certificates, keys and ocsp-index-<ca>.txt files")
    parser.add_argument("--crl-dir", action="append", default=[],
                        help="folder of CRLs (<name>.crl or <name>.crl.der, DER), searched before --pki; repeatable")
    parser.add_argument("--mode", choices=MODES, default="good")
    parser.add_argument("--ocsp-signer", choices=SIGNERS, default="delegated")
    parser.add_argument("--delay", type=float, default=0.0,
                        help=f"seconds to wait before answering (mode slow without --delay: {DEFAULT_SLOW_DELAY})")
    parser.add_argument("--nmin", type=int, default=24 * 60, help="nextUpdate = thisUpdate + MINUTES")
    parser.add_argument("--no-next-update", action="store_true", help="responses without nextUpdate")
    parser.add_argument("--resp-no-certs", action="store_true", help="no certificates in responses")
    parser.add_argument("--resp-key-id", action="store_true", help="responderID byKey instead of byName")
    parser.add_argument("--stale-days", type=float, default=30.0,
                        help="mode stale: thisUpdate/producedAt = now - DAYS")
    parser.add_argument("--make-crl", action="append", default=[], metavar="NAME",
                        help="serve an empty CRL signed by <pki>/NAME.pem (e.g. gov-root); repeatable")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    options = parser.parse_args(argv)
    if not 0 <= options.delay <= 3600:
        parser.error("--delay must be 0..3600")
    if not 0 <= options.port <= 65535:
        parser.error("--port must be 0..65535")
    if options.nmin < 1:
        parser.error("--nmin must be at least 1")
    if options.stale_days <= 0:
        parser.error("--stale-days must be positive")
    return options


def main(argv=None):
    options = parse_args(argv)
    if shutil.which("openssl") is None:
        raise SystemExit("pki_server: the openssl command is needed")
    if not pathlib.Path(options.pki).is_dir():
        raise SystemExit(f"pki_server: no folder {options.pki}")
    stopping = threading.Event()
    stats = Stats()
    settings = Settings(options)
    with tempfile.TemporaryDirectory(prefix="libsign-pki-") as workdir:
        os.chmod(workdir, 0o700)
        made = pathlib.Path(workdir) / "made-crls"
        made.mkdir()
        make_crls(options.make_crl, options.pki, made)
        responder = Responder(options.pki, workdir, options)
        files = Files(options.pki, [*options.crl_dir, made, options.pki])
        handler = make_handler(options, responder, files, stats, settings, stopping)
        try:
            server = Server((HOST, options.port), handler)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                sys.stderr.write(f"pki_server: PORT_IN_USE {options.port}\n")
                return EXIT_PORT_IN_USE
            raise

        serve_until_stopped(server, stopping)
    return 0


if __name__ == "__main__":
    sys.exit(main())
