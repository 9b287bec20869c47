"""Two-phase signing: prepare, a remote signing service (test double over HTTP on 127.0.0.1) signs
the hash after an approval delay, finish — in Python, through the CLI, and as the example."""
import base64
import datetime as dt
import json
import os
import subprocess
import sys
import urllib.request

import pytest

import libsign
import pdfgen
from conftest import AT, BUILD_DIR, CLI, PKI_DIR, PROFILES_DIR, SIGNING_TIME, SOURCE_DIR, TEST_GOV, codes, python_env, verify_json
from servers import running_remote_signer

# Revocation optional, said explicitly: the default requires a status (docs/revocation.md).
VERIFY = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT, revocation={"required": False})
CERTS = [PKI_DIR / "gov-official.pem", PKI_DIR / "gov-chain.pem"]


def remote_sign(service, digest, credential="gov-official"):
    body = json.dumps({"credential": credential, "hash": base64.b64encode(digest).decode()}).encode()
    request = urllib.request.Request(f"{service}/sign", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return base64.b64decode(json.loads(response.read())["signature"])


def test_round_trip_through_a_remote_service():
    data = pdfgen.base_pdf()
    prepared = libsign.prepare_external(data, CERTS, reason="Ký từ xa", signing_time=SIGNING_TIME)
    assert len(prepared["digest"]) == 32 and "PRIVATE" not in prepared["state"]
    with running_remote_signer(delay=0.3) as service:
        signature = remote_sign(service, prepared["digest"])
    signed = libsign.finish_external(data, prepared["state"], signature)
    report = libsign.verify_pdf(signed, **VERIFY)
    assert report.indication == "TOTAL_PASSED"
    assert report.signatures[0].reason == "Ký từ xa"


def test_mismatched_stale_and_forged_are_refused():
    data = pdfgen.base_pdf()
    prepared = libsign.prepare_external(data, CERTS, signing_time=SIGNING_TIME)
    with running_remote_signer(delay=0) as service:
        signature = remote_sign(service, prepared["digest"])
        wrong_key = remote_sign(service, prepared["digest"], credential="gov-org")
    other = pdfgen.base_pdf(title="Hồ sơ khác")
    for args, code in [((other, prepared["state"], signature), "EXTERNAL_STATE_MISMATCH"),
                       ((data, prepared["state"], wrong_key), "EXTERNAL_SIGNATURE_INVALID"),
                       ((data, "{}", signature), "EXTERNAL_STATE_INVALID"),
                       # fields of the wrong type (found by fuzzing: the JSON library threw its own exception)
                       ((data, prepared["state"].replace('"schema":', '"schema":401,"x":', 1), signature), "EXTERNAL_STATE_INVALID"),
                       ((data, json.dumps({**json.loads(prepared["state"]), "separator": 7}), signature), "EXTERNAL_STATE_INVALID")]:
        with pytest.raises(libsign.UsageError) as info:
            libsign.finish_external(*args)
        assert info.value.code == code
    with pytest.raises(libsign.UsageError) as info:
        libsign.finish_external(data, prepared["state"], signature, max_age=-1)
    assert info.value.code == "EXTERNAL_STATE_STALE"
    tampered = json.loads(prepared["state"])
    tampered["contents_at"] += 1
    with pytest.raises(libsign.UsageError) as info:
        libsign.finish_external(data, json.dumps(tampered), signature)
    assert info.value.code == "EXTERNAL_STATE_MISMATCH"


def test_cli_prepare_and_finish_in_separate_processes(tmp_path):
    source = tmp_path / "hoso.pdf"
    source.write_bytes(pdfgen.base_pdf())
    state, sig, out = tmp_path / "state.json", tmp_path / "sig.bin", tmp_path / "signed.pdf"
    proc = subprocess.run([str(CLI), "sign", str(source), "--cert", str(CERTS[0]), "--chain", str(CERTS[1]),
                           "--external-prepare", str(state), "--signing-time", SIGNING_TIME], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    digest = bytes.fromhex(proc.stdout.strip())
    with running_remote_signer(delay=0.2) as service:
        sig.write_bytes(remote_sign(service, digest))
    proc = subprocess.run([str(CLI), "sign", str(source), "-o", str(out), "--external-finish", str(state),
                           "--signature", str(sig)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    status, report = verify_json(out, *TEST_GOV)
    assert status == 0 and report["document"]["signatures"][0]["signer"]["common_name"] == "Nguyễn Văn An"


def test_the_example_program(tmp_path):
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(pdfgen.base_pdf())
    with running_remote_signer(delay=0.2) as service:
        proc = subprocess.run([sys.executable, str(SOURCE_DIR / "examples/remote_signing.py"), str(source), str(target),
                               service, "gov-official"], capture_output=True, text=True, timeout=60,
                              env=python_env(PYTHONPATH=str(BUILD_DIR / "python")))
    assert proc.returncode == 0, proc.stderr
    # The example signs "now"; judged at that moment (skipped outside the test leaves' validity).
    now = dt.datetime.now(dt.timezone.utc)
    if not 2025 <= now.year <= 2029:
        pytest.skip("the certs-test leaves are valid 2025-2029")
    report = libsign.verify_pdf(target.read_bytes(), trust_profile="test-gov", profiles_dir=PROFILES_DIR, at=now,
                                revocation={"required": False})
    assert report.indication == "TOTAL_PASSED"


ATTACHMENT = "Bản vẽ thiết kế".encode() * 200


@pytest.mark.parametrize("enveloping", [False, True])
def test_cms_round_trip_through_a_remote_service(enveloping):
    prepared = libsign.prepare_external_cms(ATTACHMENT, CERTS, enveloping=enveloping, signing_time=SIGNING_TIME)
    assert len(prepared["digest"]) == 32
    with running_remote_signer(delay=0.2) as service:
        value = remote_sign(service, prepared["digest"])
        wrong_key = remote_sign(service, prepared["digest"], credential="gov-org")
    signature = libsign.finish_external_cms(ATTACHMENT, prepared["state"], value)
    report = libsign.verify_cms(signature, None if enveloping else ATTACHMENT, **VERIFY)
    assert report.indication == "TOTAL_PASSED"
    assert report.signatures[0].kind == ("enveloping" if enveloping else "detached")
    assert report.signatures[0].signing_time == SIGNING_TIME
    for args, code in [((ATTACHMENT + b"x", prepared["state"], value), "EXTERNAL_STATE_MISMATCH"),
                       ((ATTACHMENT, prepared["state"], wrong_key), "EXTERNAL_SIGNATURE_INVALID"),
                       ((ATTACHMENT, prepared["state"].replace("cms/1", "cms/9"), value), "EXTERNAL_STATE_INVALID")]:
        with pytest.raises(libsign.UsageError) as info:
            libsign.finish_external_cms(*args)
        assert info.value.code == code


def test_cli_two_phase_detached_cms(tmp_path):
    source = tmp_path / "ban-ve.dwg"
    source.write_bytes(ATTACHMENT)
    state, sig, out = tmp_path / "state.json", tmp_path / "sig.bin", tmp_path / "ban-ve.dwg.p7s"
    proc = subprocess.run([str(CLI), "sign", str(source), "--cert", str(CERTS[0]), "--chain", str(CERTS[1]),
                           "--external-prepare", str(state), "--signing-time", SIGNING_TIME], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    with running_remote_signer(delay=0.1) as service:
        sig.write_bytes(remote_sign(service, bytes.fromhex(proc.stdout.strip())))
    proc = subprocess.run([str(CLI), "sign", str(source), "-o", str(out), "--external-finish", str(state),
                           "--signature", str(sig)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    status, report = verify_json(out, *TEST_GOV)
    assert status == 0 and report["document"]["format"] == "cms"
