"""No silent skips: a repeatable option takes one value per occurrence, so the words after it stay
input files, and every command refuses what it does not know with exit status 3.

The repeatable options are read from each command's --help (the CLI marks every one of them), so an
option added later is covered or this test fails until it is given a value here."""
import json
import re
import shutil

import pytest

from conftest import AT, CLI, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, run_cli

COMMANDS = ["verify", "inspect", "explain", "sign", "extend", "tokens", "diagnose"]

# A valid value for each repeatable option (any command).
VALUES = {
    "--trust": PKI_DIR / "gov-chain.pem",
    "--profiles-dir": PROFILES_DIR,
    "--allow-host": "127.0.0.1",
    "--chain": PKI_DIR / "gov-chain.pem",
    "--tsa-trust": PKI_DIR / "gov-chain.pem",
    "--tsa-profiles-dir": PROFILES_DIR,
}


def repeatable_options(command):
    proc = run_cli(command, "--help")
    assert proc.returncode == 0, proc.stderr
    return sorted({m.group(1) for line in proc.stdout.splitlines() if "repeatable" in line
                   for m in [re.match(r"\s*(--[a-z0-9-]+)", line)] if m})


def test_every_repeatable_option_has_a_test_value():
    found = {opt for c in COMMANDS for opt in repeatable_options(c)}
    assert found, "no repeatable option found in --help"
    assert found <= set(VALUES), f"give these options a value in VALUES: {sorted(found - set(VALUES))}"


@pytest.mark.parametrize("option", repeatable_options("verify"))
def test_verify_processes_every_file_after_a_repeatable_option(fixtures, option):
    files = [fixtures / "official.pdf", fixtures / "tampered.pdf", fixtures / "expired.pdf"]
    value = VALUES[option]
    # The option before, between and after the files, twice: every file must be in the report.
    proc = run_cli("verify", option, value, files[0], files[1], option, value, files[2],
                   "--format", "json", "--at", AT, "--offline", "--revocation", "optional")
    assert proc.returncode in (0, 1, 2), proc.stderr
    reports = json.loads(proc.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    assert [r["document"]["path"] for r in reports] == [str(f) for f in files]


@pytest.mark.parametrize("option", repeatable_options("diagnose"))
def test_diagnose_processes_every_path_after_a_repeatable_option(fixtures, tmp_path, option):
    paths = [fixtures / "official.pdf", fixtures / "tampered.pdf", fixtures / "expired.pdf"]
    value = VALUES[option]
    out = tmp_path / "summary.json"
    proc = run_cli("diagnose", option, value, paths[0], paths[1], option, value, paths[2],
                   "--json", out, "--quiet", "--jobs", "1", "--at", AT, "--offline", "--revocation", "optional")
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert json.loads(out.read_text())["totals"]["files"] == len(paths)


@pytest.mark.parametrize("option", repeatable_options("sign"))
def test_sign_keeps_its_input_after_a_repeatable_option(fixtures, tmp_path, option):
    out = tmp_path / "signed.pdf"
    proc = run_cli("sign", option, VALUES[option], fixtures / "empty-field.pdf", "-o", out,
                   "--p12", PKI_DIR / "gov-official.p12", "--password-file", P12_PASSWORD_FILE,
                   "--signing-time", "2026-06-20T03:00:00Z")
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("option", repeatable_options("extend"))
def test_extend_keeps_its_input_after_a_repeatable_option(fixtures, tmp_path, option):
    # Offline, extending cannot find revocation data: the error is about the document (LTV_EVIDENCE_MISSING,
    # exit 4), which shows the input was taken as the input and not as the option's value.
    proc = run_cli("extend", option, VALUES[option], fixtures / "official.pdf", "-o", tmp_path / "out.pdf",
                   "--offline", "--profiles-dir", PROFILES_DIR, "--trust-profile", "test-gov")
    assert proc.returncode == 4, proc.stderr
    assert "LTV_EVIDENCE_MISSING" in proc.stderr
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_unknown_option_is_refused(command):
    proc = run_cli(command, "--no-such-option", "x")
    assert proc.returncode == 3, (proc.stdout, proc.stderr)


@pytest.mark.parametrize("args", [
    ["inspect", "{pdf}", "{pdf}"],
    ["extend", "{pdf}", "{pdf}", "-o", "{out}"],
    ["sign", "{pdf}", "{pdf}", "-o", "{out}"],
    ["explain", "CHAIN_INCOMPLETE", "CERT_REVOKED"],
])
def test_a_second_input_is_refused_not_ignored(fixtures, tmp_path, args):
    values = {"pdf": fixtures / "official.pdf", "out": tmp_path / "out.pdf"}
    proc = run_cli(*[str(a).format(**values) for a in args])
    assert proc.returncode == 3, (proc.stdout, proc.stderr)
    assert not (tmp_path / "out.pdf").exists()


def test_an_unknown_command_is_refused():
    assert run_cli("verfy", "a.pdf").returncode == 3


@pytest.mark.parametrize("value", ["nan", "1e300", "-5", "0", "ten"])
def test_seconds_options_take_only_a_sane_number(fixtures, value):
    # A NaN or 1e300 reached a conversion to milliseconds (undefined behaviour); now a usage error.
    for option in ("--revocation-timeout", "--revocation-deadline"):
        proc = run_cli("verify", fixtures / "official.pdf", "--offline", option, value)
        assert proc.returncode == 3 and "[USAGE_INVALID]" in proc.stderr, (option, value, proc.stderr)
