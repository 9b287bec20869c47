#!/usr/bin/python3
"""A test double of a remote signing service (in the manner of VNPT SmartCA / Viettel MySign): it
holds a certs-test key and signs SHA-256 hashes after a simulated approval delay.

    remote_signer.py --port 0 [--pki certs-test/pki] [--delay SECONDS]

Binds 127.0.0.1 only; prints `LISTENING <port>` when ready.
  POST /sign  {"credential": "gov-official", "hash": base64 SHA-256}  ->  {"signature": base64}
       (RSA PKCS#1 v1.5 over the DigestInfo of that hash: the raw value libsign's finish step wants)
  GET  /certificate/<credential>  ->  the PEM certificate and chain (what such services publish)
  GET  /stats  ->  {"signatures": n}
Test-only: keys are the certs-test keys, passed to `openssl pkeyutl` by path.
"""
import argparse
import base64
import http.server
import json
import pathlib
import subprocess
import sys
import tempfile
import threading
import time

SOURCE = pathlib.Path(__file__).resolve().parents[2]


def make_handler(pki, delay, counters, lock):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def reply(self, status, body, content_type="application/json"):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/stats":
                with lock:
                    return self.reply(200, dict(counters))
            if self.path.startswith("/certificate/"):
                name = self.path.rsplit("/", 1)[-1]
                cert, chain = pki / f"{name}.pem", pki / "gov-chain.pem"
                if not name.replace("-", "").isalnum() or not cert.exists():
                    return self.reply(404, {"error": "no such credential"})
                return self.reply(200, cert.read_bytes() + chain.read_bytes(), "application/x-pem-file")
            self.reply(404, {"error": "not found"})

        def do_POST(self):
            if self.path != "/sign":
                return self.reply(404, {"error": "not found"})
            length = int(self.headers.get("Content-Length", "0"))
            if length > 16 * 1024:
                return self.reply(413, {"error": "too large"})
            try:
                request = json.loads(self.rfile.read(length))
                name = request["credential"]
                digest = base64.b64decode(request["hash"])
            except (ValueError, KeyError):
                return self.reply(400, {"error": "bad request"})
            key = pki / f"{name}.key.pem"
            if not name.replace("-", "").isalnum() or not key.exists() or len(digest) != 32:
                return self.reply(400, {"error": "unknown credential or not a SHA-256 hash"})
            time.sleep(delay)  # the user approving on their phone
            with tempfile.NamedTemporaryFile() as hash_file:
                hash_file.write(digest)
                hash_file.flush()
                signed = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", str(key), "-pkeyopt", "digest:sha256",
                                         "-in", hash_file.name], capture_output=True)
            if signed.returncode != 0:
                return self.reply(500, {"error": "signing failed"})
            with lock:
                counters["signatures"] += 1
            self.reply(200, {"signature": base64.b64encode(signed.stdout).decode()})

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--pki", default=str(SOURCE / "certs-test" / "pki"))
    parser.add_argument("--delay", type=float, default=0.5)
    args = parser.parse_args()
    counters, lock = {"signatures": 0}, threading.Lock()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port),
                                             make_handler(pathlib.Path(args.pki), args.delay, counters, lock))
    print(f"LISTENING {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sys.exit(main())
