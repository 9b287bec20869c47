"""Crash safety of writes: `libsign sign`, `extend` and `diagnose --state` killed with SIGKILL at
random points (many runs, a fixed seed so a failure can be replayed). After every kill the input is
untouched, the output is absent or complete and valid, and a state file still resumes to the same
result as an uninterrupted run."""
import hashlib
import json
import random
import signal
import subprocess
import time

import pytest

import make_diagnose_corpus
from conftest import AT, CLI, ONLINE_LOCAL, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SIGNING_TIME, verify_json
from servers import running_fixed_pki_server

TRUST = ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov", "--at", AT]
SEED = 20261207


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def timed_run(args):
    """Runs the CLI to the end; returns (process, seconds)."""
    start = time.monotonic()
    proc = subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True, timeout=120)
    return proc, time.monotonic() - start


def killed_run(args, delay):
    """Starts the CLI and sends SIGKILL after `delay` seconds (if it is still running); True if killed."""
    proc = subprocess.Popen([str(CLI), *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True


def delays(seconds, runs, rng):
    """Kill points spread over the whole run, from the start to a little after its usual end."""
    return [rng.uniform(0, seconds * 1.1) for _ in range(runs)]


def assert_output_absent_or_valid(out, indication_of):
    if out.exists():
        indication_of(out)  # asserts a complete, valid output
    # A temporary file may be left behind by a kill; it never has the final name.
    for leftover in out.parent.glob(out.name + ".*"):
        assert leftover.name != out.name


def sign_args(source, out):
    return ["sign", source, "-o", out, "--p12", PKI_DIR / "gov-official.p12", "--password-file", P12_PASSWORD_FILE,
            "--signing-time", SIGNING_TIME]


def test_sign_killed_anywhere_leaves_input_intact_and_no_broken_output(fixtures, tmp_path):
    source = fixtures / "empty-field.pdf"
    before = sha256(source)
    out = tmp_path / "signed.pdf"

    def valid(path):
        status, report = verify_json(path, *TRUST, "--offline", "--revocation", "optional")
        assert report["document"]["signatures"][0]["indication"] == "TOTAL_PASSED", report

    proc, seconds = timed_run(sign_args(source, out))
    assert proc.returncode == 0, proc.stderr
    valid(out)
    rng = random.Random(SEED)
    killed = 0
    for delay in delays(seconds, 30, rng):
        out.unlink(missing_ok=True)
        killed += killed_run(sign_args(source, out), delay)
        assert sha256(source) == before
        assert_output_absent_or_valid(out, valid)
    assert killed > 0, "no run was killed: the kill points missed the whole run"


def test_sign_killed_keeps_an_older_output_whole(fixtures, tmp_path):
    """Signing over an existing output (--force): a kill leaves the old file or the new one, never a mix."""
    source = fixtures / "empty-field.pdf"
    out = tmp_path / "signed.pdf"
    out.write_bytes(b"old content")
    rng = random.Random(SEED + 1)
    proc, seconds = timed_run([*sign_args(source, tmp_path / "probe.pdf")])
    assert proc.returncode == 0, proc.stderr
    for delay in delays(seconds, 20, rng):
        killed_run([*sign_args(source, out), "--force"], delay)
        data = out.read_bytes()
        if data != b"old content":
            status, report = verify_json(out, *TRUST, "--offline", "--revocation", "optional")
            assert report["document"]["signatures"][0]["indication"] == "TOTAL_PASSED"
            out.write_bytes(b"old content")


def test_extend_killed_anywhere_leaves_input_intact_and_no_broken_output(fixtures, tmp_path):
    source = fixtures / "official.pdf"
    before = sha256(source)
    out = tmp_path / "lt.pdf"
    args = ["extend", source, "-o", out, "--to", "B-LT", "--profiles-dir", PROFILES_DIR, "--trust-profile", "test-gov",
            *ONLINE_LOCAL]

    def valid(path):
        status, report = verify_json(path, *TRUST, "--offline")  # revocation required: the DSS must be whole
        assert report["document"]["signatures"][0]["indication"] == "TOTAL_PASSED", report

    with running_fixed_pki_server():
        proc, seconds = timed_run(args)
        assert proc.returncode == 0, proc.stderr
        valid(out)
        rng = random.Random(SEED + 2)
        killed = 0
        for delay in delays(seconds, 15, rng):
            out.unlink(missing_ok=True)
            killed += killed_run(args, delay)
            assert sha256(source) == before
            assert_output_absent_or_valid(out, valid)
    assert killed > 0


def summary_counts(path):
    summary = json.loads(path.read_text())
    return summary["totals"], summary["by_code"], summary["by_indication"]


def test_diagnose_state_survives_kills_and_resumes_to_the_same_result(tmp_path):
    manifest = make_diagnose_corpus.write(str(tmp_path), 4)
    archive = tmp_path / "archive"
    clean = tmp_path / "clean.json"
    proc, seconds = timed_run(["diagnose", archive, *manifest["args"], "--json", clean, "-q", "--jobs", "1"])
    assert proc.returncode == 0, proc.stderr
    state = tmp_path / "state.jsonl"
    rng = random.Random(SEED + 3)
    for delay in delays(seconds, 10, rng):
        killed_run(["diagnose", archive, *manifest["args"], "--state", state, "-q", "--jobs", "1"], delay)
        if state.exists():
            lines = state.read_bytes().split(b"\n")
            # Each record is written by one write(2): a kill leaves whole lines only.
            assert lines[-1] == b""
            for line in lines[:-1]:
                if line:
                    json.loads(line)
    resumed = tmp_path / "resumed.json"
    proc = subprocess.run([str(CLI), "diagnose", str(archive), *manifest["args"], "--state", str(state), "--json",
                           str(resumed), "-q"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert summary_counts(resumed) == summary_counts(clean)
