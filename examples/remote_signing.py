"""Signing a dossier through a remote signing service (hash-signing, in the manner of VNPT SmartCA or
Viettel MySign): libsign prepares, the service signs the SHA-256 after the user approves, libsign
finishes. The two steps may run in different processes, hours apart: only `state` is kept.

    python3 remote_signing.py IN.pdf OUT.pdf SERVICE_URL CREDENTIAL
"""
import base64
import json
import sys
import urllib.request

import libsign


def fetch_certificates(service, credential):
    with urllib.request.urlopen(f"{service}/certificate/{credential}", timeout=30) as response:
        pem = response.read()
    # Split the PEM bundle into DER certificates (signer first) without extra libraries.
    blocks = pem.split(b"-----END CERTIFICATE-----")
    return [base64.b64decode(b.split(b"-----BEGIN CERTIFICATE-----")[1]) for b in blocks if b"BEGIN" in b]


def remote_sign(service, credential, digest):
    body = json.dumps({"credential": credential, "hash": base64.b64encode(digest).decode()}).encode()
    request = urllib.request.Request(f"{service}/sign", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:  # waits for the user's approval
        return base64.b64decode(json.loads(response.read())["signature"])


def main(source, target, service, credential):
    data = open(source, "rb").read()
    prepared = libsign.prepare_external(data, fetch_certificates(service, credential), reason="Ký từ xa")
    signature = remote_sign(service, credential, prepared["digest"])
    signed = libsign.finish_external(data, prepared["state"], signature)
    with open(target, "wb") as f:
        f.write(signed)
    print(f"signed {source} -> {target}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
