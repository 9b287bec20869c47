"""Interop with poppler's pdfsig (NSS): PDFs signed by pdfsig verify with libsign, and pdfsig
accepts the signatures of our own fixtures.

pdfsig writes the current time as the signing time and cannot be told otherwise, so these tests
validate at "now" (taken after signing). They skip when today is outside the validity of the
certs-test leaves (2025-01-01 -> 2030-01-01).
"""
import datetime
import shutil
import subprocess

import pytest

from conftest import OFFLINE, PKI_DIR, PROFILES_DIR, codes, verify_json

import pdfgen

TOOLS = ("pdfsig", "certutil", "pk12util")
SIGNERS = ("gov-official", "gov-org")  # NSS nicknames = the friendlyName in the .p12 files
LEAVES_VALID = (datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc),
                datetime.datetime(2029, 12, 31, tzinfo=datetime.timezone.utc))

pytestmark = pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS),
                                reason="pdfsig, certutil and pk12util (poppler-utils, libnss3-tools) are needed")


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def now_utc():
    """The current time rounded up to the next whole second (never before pdfsig's signing time)."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(seconds=1)
    if not LEAVES_VALID[0] <= now <= LEAVES_VALID[1]:
        pytest.skip(f"today ({now:%Y-%m-%d}) is outside the validity of the certs-test leaves")
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def gov_options(at):
    return ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov", "--at", at, *OFFLINE]


@pytest.fixture(scope="module")
def nss_db(tmp_path_factory):
    """An NSS db that trusts gov-root and holds the keys of gov-official and gov-org."""
    folder = tmp_path_factory.mktemp("nss")
    db = f"sql:{folder}"
    steps = [
        ("certutil", "-N", "-d", db, "--empty-password"),
        ("certutil", "-A", "-d", db, "-n", "gov-root", "-t", "CT,C,C", "-i", str(PKI_DIR / "gov-root.pem")),
    ]
    for signer in SIGNERS:
        steps.append(("pk12util", "-i", str(PKI_DIR / f"{signer}.p12"), "-d", db,
                      "-w", str(PKI_DIR / "p12-password.txt")))
    for step in steps:
        proc = run(*step)
        assert proc.returncode == 0, f"{step[0]} failed: {proc.stderr}"
    nicks = run("pdfsig", "-nssdir", db, "-list-nicks").stdout.split()
    assert set(SIGNERS) <= set(nicks), nicks
    return db


def pdfsig_sign(db, src, dst, nick, field):
    proc = run("pdfsig", "-nssdir", db, "-add-signature", "-nick", nick,
               "-new-signature-field-name", field, str(src), str(dst))
    assert proc.returncode == 0 and dst.exists(), proc.stderr


@pytest.fixture(scope="module")
def pdfsig_signed(nss_db, tmp_path_factory):
    """(one signature, two signatures): base PDF signed by gov-official, then by gov-org on top."""
    folder = tmp_path_factory.mktemp("pdfsig")
    base = folder / "base.pdf"
    base.write_bytes(pdfgen.base_pdf())
    one, two = folder / "one.pdf", folder / "two.pdf"
    pdfsig_sign(nss_db, base, one, "gov-official", "Official")
    pdfsig_sign(nss_db, one, two, "gov-org", "Organisation")
    return one, two


def pdfsig_valid_count(db, path):
    proc = run("pdfsig", "-nssdir", db, str(path))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.count("Signature is Valid")


def test_pdfsig_single_signature_passes(pdfsig_signed):
    at = now_utc()
    status, report = verify_json(pdfsig_signed[0], *gov_options(at))
    sigs = report["document"]["signatures"]
    assert [s["field_name"] for s in sigs] == ["Official"]
    assert sigs[0]["indication"] == "TOTAL_PASSED", codes(sigs[0])
    assert sigs[0]["coverage"] == "ENTIRE_FILE"
    assert report["document"]["indication"] == "TOTAL_PASSED"
    assert status == 0


def test_pdfsig_two_signatures_pass(pdfsig_signed):
    at = now_utc()
    status, report = verify_json(pdfsig_signed[1], *gov_options(at))
    sigs = sorted(report["document"]["signatures"], key=lambda s: s["revision"])
    assert [s["field_name"] for s in sigs] == ["Official", "Organisation"]
    for sig in sigs:
        assert sig["indication"] == "TOTAL_PASSED", (sig["field_name"], codes(sig))
        assert sig["kind"] == "approval"
    # The first signature sees the second one added: allowed, and not a modification.
    assert sigs[0]["modification_level"] == "FORM_FILLING"
    assert "MODIFIED_AFTER_SIGNING" not in codes(sigs[0])
    assert sigs[1]["coverage"] == "ENTIRE_FILE"
    assert status == 0


def test_pdfsig_accepts_its_own_files(nss_db, pdfsig_signed):
    assert pdfsig_valid_count(nss_db, pdfsig_signed[0]) == 1
    assert pdfsig_valid_count(nss_db, pdfsig_signed[1]) == 2


@pytest.mark.parametrize("name, signatures", [("official", 1), ("two-signatures", 2)])
def test_pdfsig_accepts_our_fixtures(nss_db, fixtures, name, signatures):
    """Cross-check of tests/tools: a third-party verifier finds every fixture signature valid."""
    assert pdfsig_valid_count(nss_db, fixtures / f"{name}.pdf") == signatures


def test_flipped_byte_in_pdfsig_file_fails(pdfsig_signed, tmp_path):
    data = pdfsig_signed[0].read_bytes()
    offset = data.index(b"(Ho so)") + 1  # page text of the base PDF, inside the first signed range
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(pdfgen.flip_byte(data, offset))
    status, report = verify_json(tampered, *gov_options(now_utc()))
    sig = report["document"]["signatures"][0]
    assert sig["indication"] == "TOTAL_FAILED"
    assert sig["sub_indication"] == "HASH_FAILURE"
    assert "DIGEST_MISMATCH" in codes(sig)
    assert status == 1
