"""Helpers for tests/interop/test_sign_interop.py: drive `libsign sign` and ask the peers
(qpdf, poppler's pdfsig with an NSS db, the PDFBox checker, `libsign verify`) about the result.

The key password travels only through an environment variable (LIBSIGN_TEST_P12), never argv.
"""
import datetime
import os
import re
import shutil
import subprocess

import pytest

from conftest import OFFLINE, AT, CLI, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SIGNING_TIME, codes, verify_json

PASSWORD_ENV = "LIBSIGN_TEST_P12"
NSS_TOOLS = ("pdfsig", "certutil", "pk12util")
NSS_SIGNERS = ("gov-official", "gov-org")  # NSS nicknames = the friendlyName in the .p12 files
LEAVES_VALID = (datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc),
                datetime.datetime(2029, 12, 31, tzinfo=datetime.timezone.utc))


def run(*args, timeout=120, env=None):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, env=env)


def sign(src, dst, *options, signer="gov-official", signing_time=SIGNING_TIME, timeout=60):
    """`libsign sign src -o dst --p12 <signer>.p12 --password-env ... [--signing-time] options`.

    signing_time=None leaves the default (now). Returns the CompletedProcess; asserts nothing.
    """
    env = {**os.environ, PASSWORD_ENV: P12_PASSWORD_FILE.read_text().strip()}
    args = [CLI, "sign", src, "-o", dst, "--p12", PKI_DIR / f"{signer}.p12", "--password-env", PASSWORD_ENV,
            *options]
    if signing_time is not None:
        args += ["--signing-time", signing_time]
    return run(*args, timeout=timeout, env=env)


def sign_ok(src, dst, *options, **kwargs):
    proc = sign(src, dst, *options, **kwargs)
    assert proc.returncode == 0, f"libsign sign exit {proc.returncode}: {proc.stderr}"
    assert dst.is_file()
    return dst


def gov_options(at=AT):
    return ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov", "--at", at, *OFFLINE]


def skip_unless_test_pki_valid_now():
    """Peers that stamp the current time (jarsigner, iText with a TSA, the local responders' answers) are
    validated just after signing: skip when today is outside the test PKI's validity (2025 .. 2030)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    if not datetime.datetime(2025, 1, 2, tzinfo=datetime.timezone.utc) < now < datetime.datetime(2029, 12, 31, tzinfo=datetime.timezone.utc):
        pytest.skip("today is outside the validity of the test PKI")


def just_after_now(seconds=5):
    """A validation time a few seconds after now, as --at takes it."""
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def verify_signatures(path, at=AT):
    """(exit status, document indication, signatures sorted by revision)."""
    status, report = verify_json(path, *gov_options(at))
    sigs = sorted(report["document"]["signatures"], key=lambda s: s["revision"])
    return status, report["document"]["indication"], sigs


def summary(sig):
    return (sig["field_name"], sig["indication"], sig["sub_indication"], sorted(codes(sig)))


def qpdf_check(path):
    """qpdf --check exit status (0: no errors; 3: warnings; 2: errors)."""
    proc = run("qpdf", "--check", path)
    return proc.returncode, proc.stdout + proc.stderr


# --- pdfsig / NSS ---------------------------------------------------------------------------------

def nss_unavailable():
    missing = [tool for tool in NSS_TOOLS if shutil.which(tool) is None]
    return f"{', '.join(missing)} missing (poppler-utils, libnss3-tools)" if missing else None


def make_nss_db(folder):
    """An NSS db in folder that trusts gov-root and holds the keys of gov-official and gov-org
    (for pdfsig -add-signature). Returns "sql:<folder>"."""
    db = f"sql:{folder}"
    steps = [("certutil", "-N", "-d", db, "--empty-password"),
             ("certutil", "-A", "-d", db, "-n", "gov-root", "-t", "CT,C,C", "-i", PKI_DIR / "gov-root.pem")]
    for signer in NSS_SIGNERS:
        steps.append(("pk12util", "-i", PKI_DIR / f"{signer}.p12", "-d", db, "-w", P12_PASSWORD_FILE))
    for step in steps:
        proc = run(*step)
        assert proc.returncode == 0, f"{step[0]} failed: {proc.stderr}"
    return db


def pdfsig_add_signature(db, src, dst, nick, field):
    proc = run("pdfsig", "-nssdir", db, "-add-signature", "-nick", nick, "-new-signature-field-name", field, src, dst)
    assert proc.returncode == 0 and dst.exists(), proc.stderr


_SIG_HEADER = re.compile(r"^Signature #(\d+):\s*$")


def pdfsig_report(db, path):
    """pdfsig -no-ocsp on path: (exit status, [{"field": ..., "validation": ..., "total": bool}, ...], stdout)."""
    proc = run("pdfsig", "-no-ocsp", "-nssdir", db, path)
    sigs = []
    for line in proc.stdout.splitlines():
        if _SIG_HEADER.match(line):
            sigs.append({"field": None, "validation": None, "total": False})
        elif sigs:
            text = line.strip().lstrip("- ").strip()
            if text.startswith("Signature Field Name:"):
                sigs[-1]["field"] = text.split(":", 1)[1].strip()
            elif text.startswith("Signature Validation:"):
                sigs[-1]["validation"] = text.split(":", 1)[1].strip().rstrip(".")
            elif text == "Total document signed":
                sigs[-1]["total"] = True
    return proc.returncode, sigs, proc.stdout + proc.stderr


def now_utc():
    """The current time rounded up to the next whole second, or None outside the leaves' validity."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(seconds=1)
    if not LEAVES_VALID[0] <= now <= LEAVES_VALID[1]:
        return None
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def xref_stream_count(data):
    """How many cross-reference streams (/Type /XRef) a PDF holds."""
    return len(re.findall(rb"/Type\s*/XRef\b", data))


def xref_kinds(data):
    """For every startxref of the file, in order: "table" (xref keyword) or "stream" (an object)."""
    kinds = []
    for match in re.finditer(rb"startxref\s+(\d+)", data):
        target = data[int(match.group(1)):]
        kinds.append("table" if target.startswith(b"xref") else
                     "stream" if re.match(rb"\d+\s+\d+\s+obj", target) else "bad")
    return kinds
