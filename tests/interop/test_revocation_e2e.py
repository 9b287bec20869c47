"""Revocation end to end: libsign against a real OCSP/CRL/CA server (tests/servers/pki_server.py,
OpenSSL's responder) on the fixed port the certs-test certificates name (127.0.0.1:18881), then
PAdES B-LT/B-LTA and `libsign extend` checked offline from the DSS alone."""
import time

import pytest

import libsign
import pdfgen
from conftest import AT, ONLINE_LOCAL, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, codes, run_cli, signed_pdf, verify_json
from servers import pki_control, pki_stats, running_fixed_pki_server, running_tsa

TRUST = ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov", "--at", AT]
ONLINE_PY = {"online": True, "allow_hosts": ["127.0.0.1"], "required": True, "timeout": 2, "deadline": 6}


@pytest.fixture(scope="module")
def pki_server():
    with running_fixed_pki_server() as base:
        yield base


@pytest.fixture(autouse=True)
def normal_mode(request):
    if "pki_server" in request.fixturenames:
        pki_control(request.getfixturevalue("pki_server"), reset=True)
    yield


def sig_of(report):
    return report["document"]["signatures"][0]


def test_good_status_online_for_the_whole_chain(pki_server, fixtures):
    status, report = verify_json(fixtures / "official.pdf", *TRUST, *ONLINE_LOCAL)
    sig = sig_of(report)
    assert sig["indication"] == "TOTAL_PASSED" and status == 0
    assert sig["revocation"]["status"] == "good" and sig["revocation"]["source"] == "online"
    assert "REVOCATION_GOOD" in codes(sig) and "REVOCATION_NOT_CHECKED" not in codes(sig)
    assert {c["step"]: c["status"] for c in sig["checks"]}["revocation"] == "passed"


def test_revoked_signer_found_online(pki_server, tmp_path):
    path = tmp_path / "revoked.pdf"
    path.write_bytes(signed_pdf("gov-revoked"))
    status, report = verify_json(path, *TRUST, *ONLINE_LOCAL)
    sig = sig_of(report)
    # Dated (/M 2026-06-20) after the revocation (2026-01-15): failed even without a timestamp.
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "REVOKED")
    assert sig["revocation"]["status"] == "revoked" and sig["revocation"]["reason"] == "keyCompromise"
    assert sig["revocation"]["source"] == "online"
    assert "CERT_REVOKED" in codes(sig)


def test_revoked_before_the_proven_time_fails(pki_server, tmp_path):
    with running_tsa() as tsa:
        signed = signed_pdf("gov-revoked", tsa={"url": tsa, "profiles_dir": str(PROFILES_DIR), "trust_profile": "test-gov"})
    path = tmp_path / "revoked-bt.pdf"
    path.write_bytes(signed)
    status, report = verify_json(path, *TRUST, *ONLINE_LOCAL)
    sig = sig_of(report)
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "REVOKED")
    assert status == 1


@pytest.mark.parametrize("settings, code", [
    ({"mode": "unknown"}, "OCSP_STATUS_UNKNOWN"),
    ({"signer": "wrong"}, "OCSP_RESPONDER_UNAUTHORIZED"),
    ({"mode": "tryLater"}, "REVOCATION_TRY_LATER"),
])
def test_unusable_ocsp_is_reported_and_the_crl_decides(pki_server, fixtures, settings, code):
    # The server applies the mode to OCSP and CRL alike for some modes; only OCSP for these four
    # (CRLs are files): libsign reports the OCSP problem, then gets the status from the CRL.
    pki_control(pki_server, **settings)
    status, report = verify_json(fixtures / "official.pdf", *TRUST, *ONLINE_LOCAL)
    sig = sig_of(report)
    assert code in codes(sig)
    assert sig["revocation"]["status"] == "good"
    assert sig["indication"] == "TOTAL_PASSED"


def test_stale_response_is_not_used(pki_server, tmp_path):
    """The server's "stale" answers are 30 days old (nextUpdate 29 days ago). For a signature made
    now they predate the signature and are expired at the validation time: unusable. The CRL (valid
    2026-06 to 2036-06) then decides. Relative to the real clock, like the server."""
    import datetime as dt
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    if not (2025 <= now.year <= 2029):
        pytest.skip("the certs-test leaves are valid 2025-2029")
    signer = libsign.load_pkcs12(str(PKI_DIR / "gov-official.p12"), password_file=str(P12_PASSWORD_FILE))
    path = tmp_path / "now.pdf"
    path.write_bytes(libsign.sign_pdf(pdfgen.base_pdf(), signer))
    pki_control(pki_server, mode="stale")
    status, report = verify_json(path, "--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov",
                                 "--at", now.strftime("%Y-%m-%dT%H:%M:%SZ"), *ONLINE_LOCAL)
    sig = sig_of(report)
    assert "REVOCATION_STALE" in codes(sig)
    assert sig["revocation"]["status"] == "good" and sig["indication"] == "TOTAL_PASSED"


def test_http_errors_give_try_later(pki_server, fixtures):
    pki_control(pki_server, mode="http500")  # OCSP and CRL downloads alike
    status, report = verify_json(fixtures / "official.pdf", *TRUST, *ONLINE_LOCAL)
    sig = sig_of(report)
    assert (sig["indication"], sig["sub_indication"]) == ("INDETERMINATE", "TRY_LATER")
    assert "REVOCATION_UNREACHABLE" in codes(sig)


def test_hanging_responder_gives_try_later_within_the_deadline(pki_server, fixtures):
    pki_control(pki_server, mode="hang")
    start = time.monotonic()
    status, report = verify_json(fixtures / "official.pdf", *TRUST, *ONLINE_LOCAL, "--revocation-timeout", "1",
                                 "--revocation-deadline", "3")
    elapsed = time.monotonic() - start
    sig = sig_of(report)
    assert (sig["indication"], sig["sub_indication"]) == ("INDETERMINATE", "TRY_LATER")
    assert "REVOCATION_TIMEOUT" in codes(sig)
    assert elapsed < 8, elapsed  # never a hang: the per-document deadline holds
    assert status == 2


def test_loopback_is_refused_unless_allowed(pki_server, fixtures):
    pki_stats(pki_server, reset=True)
    status, report = verify_json(fixtures / "official.pdf", *TRUST)  # the default policy, online
    sig = sig_of(report)
    assert "REVOCATION_FETCH_NOT_ALLOWED" in codes(sig)
    assert sig["sub_indication"] == "TRY_LATER"
    stats = pki_stats(pki_server)
    assert stats["ocsp_requests"] == 0 and stats["crl_fetches"] == 0  # nothing reached the internal address


def test_offline_without_evidence_is_not_a_pass(fixtures):
    status, report = verify_json(fixtures / "official.pdf", *TRUST, "--offline")
    sig = sig_of(report)
    assert (sig["indication"], sig["sub_indication"]) == ("INDETERMINATE", "TRY_LATER")
    assert "REVOCATION_NOT_CHECKED" in codes(sig)


def test_missing_intermediate_fetched_through_aia(pki_server, fixtures):
    status, report = verify_json(fixtures / "leaf-only.pdf", "--trust-profile", "none", "--trust",
                                 str(PKI_DIR / "gov-root.pem"), "--at", AT, *ONLINE_LOCAL)
    sig = sig_of(report)
    assert "CHAIN_COMPLETED_ONLINE" in codes(sig)
    assert sig["indication"] == "TOTAL_PASSED" and len(sig["chain"]) == 3


def test_one_fetch_per_distinct_certificate_in_a_batch(pki_server):
    documents = [signed_pdf("gov-official") for _ in range(3)] + [signed_pdf("gov-org") for _ in range(3)]
    pki_stats(pki_server, reset=True)
    verifier = libsign.make_verifier(trust_profile="test-gov", profiles_dir=PROFILES_DIR, at=AT, revocation=ONLINE_PY)
    assert all(verifier.verify_pdf(d).indication == "TOTAL_PASSED" for d in documents)
    stats = pki_stats(pki_server)
    assert stats["ocsp_requests"] == 2  # gov-official and gov-org, once each
    assert stats["crl_fetches"] == 1    # the root's CRL for gov-ca, once


def test_on_disk_cache_serves_a_second_process(pki_server, fixtures, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    pki_stats(pki_server, reset=True)
    for _ in range(2):
        status, _ = verify_json(fixtures / "official.pdf", *TRUST, *ONLINE_LOCAL, "--revocation-cache", str(cache))
        assert status == 0
    stats = pki_stats(pki_server)
    assert (stats["ocsp_requests"], stats["crl_fetches"]) == (1, 1)  # fetched by the first process only


def extend(path, out, level, *extra):
    return run_cli("extend", path, "-o", out, "--to", level, "--profiles-dir", str(PROFILES_DIR), "--trust-profile",
                   "test-gov", *ONLINE_LOCAL, *extra)


def test_b_lt_then_offline_verification_passes_from_the_dss(pki_server, tmp_path, fixtures):
    out = tmp_path / "lt.pdf"
    proc = extend(fixtures / "official.pdf", out, "B-LT")
    assert proc.returncode == 0, proc.stderr
    status, report = verify_json(out, *TRUST, "--offline")  # revocation required, no network
    sig = sig_of(report)
    assert sig["indication"] == "TOTAL_PASSED" and status == 0
    assert sig["revocation"]["source"] == "dss" and sig["modification_level"] == "LTV_UPDATES"


def test_b_lta_twice_keeps_every_signature_valid(pki_server, tmp_path):
    base = tmp_path / "base.pdf"
    with running_tsa() as tsa:
        base.write_bytes(signed_pdf("gov-official", tsa={"url": tsa, "profiles_dir": str(PROFILES_DIR),
                                                        "trust_profile": "test-gov"}))
        once, twice = tmp_path / "lta1.pdf", tmp_path / "lta2.pdf"
        assert extend(base, once, "B-LTA", "--tsa", tsa).returncode == 0
        proc = extend(once, twice, "B-LTA", "--tsa", tsa)
        assert proc.returncode == 0, proc.stderr
    status, report = verify_json(twice, *TRUST, "--offline")
    sigs = report["document"]["signatures"]
    assert [s["kind"] for s in sigs] == ["approval", "document-timestamp", "document-timestamp"]
    assert [s["indication"] for s in sigs] == ["TOTAL_PASSED"] * 3
    assert status == 0


def test_sign_directly_at_b_lta(pki_server, tmp_path):
    with running_tsa() as tsa:
        signed = signed_pdf("gov-org", level="B-LTA",
                            tsa={"url": tsa, "profiles_dir": str(PROFILES_DIR), "trust_profile": "test-gov"},
                            validation={"trust_profile": "test-gov", "profiles_dir": str(PROFILES_DIR),
                                        "revocation": ONLINE_PY})
    report = libsign.verify_pdf(signed, trust_profile="test-gov", profiles_dir=PROFILES_DIR, at=AT,
                                revocation={"required": True})
    assert [s.indication for s in report.signatures] == ["TOTAL_PASSED", "TOTAL_PASSED"]
    assert report.signatures[0].revocation.source == "dss"


def test_extend_without_network_says_what_is_missing(tmp_path, fixtures):
    proc = run_cli("extend", fixtures / "official.pdf", "-o", tmp_path / "x.pdf", "--to", "B-LT", "--profiles-dir",
                   str(PROFILES_DIR), "--trust-profile", "test-gov", "--offline")
    assert proc.returncode == 4 and "[LTV_EVIDENCE_MISSING]" in proc.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_slow_responder_within_the_timeout_still_answers(pki_server, fixtures):
    pki_control(pki_server, mode="slow", delay=1)
    status, report = verify_json(fixtures / "official.pdf", *TRUST, *ONLINE_LOCAL, "--revocation-timeout", "4")
    assert sig_of(report)["indication"] == "TOTAL_PASSED" and status == 0


def test_expired_but_not_revoked_is_out_of_bounds_not_revoked(pki_server, fixtures):
    status, report = verify_json(fixtures / "expired.pdf", *TRUST, *ONLINE_LOCAL)
    sig = sig_of(report)
    assert (sig["indication"], sig["sub_indication"]) == ("INDETERMINATE", "OUT_OF_BOUNDS_NOT_REVOKED")
    assert "CERT_EXPIRED_AT_VALIDATION_TIME" in codes(sig)


def test_b_lta_made_by_libsign_passes_the_peers(pki_server, tmp_path):
    import shutil
    import subprocess

    import sys

    from conftest import SOURCE_DIR
    sys.path.insert(0, str(SOURCE_DIR / "tests/interop/pdfbox"))
    from run_checker import checker_unavailable, run_checker  # noqa: E402

    base = tmp_path / "base.pdf"
    base.write_bytes(signed_pdf("gov-official"))
    out = tmp_path / "lta.pdf"
    with running_tsa() as tsa:
        proc = extend(base, out, "B-LTA", "--tsa", tsa)
    assert proc.returncode == 0, proc.stderr
    assert subprocess.run(["qpdf", "--check", str(out)], capture_output=True).returncode == 0
    if checker_unavailable() is None:
        # The approval signature is followed by the DSS and the document timestamp: later updates allowed.
        status, lines = run_checker(out, "--allow-later-updates")
        assert status == 0 and all(" OK" in line for line in lines if line.startswith("SIG")), lines
    if shutil.which("pdfsig"):
        nss = tmp_path / "nss"
        nss.mkdir()
        subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
        subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "root", "-t", "CT,C,C", "-i",
                        str(PKI_DIR / "gov-root.pem")], check=True, capture_output=True)
        text = subprocess.run(["pdfsig", "-no-ocsp", "-nssdir", f"sql:{nss}", str(out)], capture_output=True, text=True).stdout
        assert "Signature is Valid" in text, text  # pdfsig does not verify document timestamps
