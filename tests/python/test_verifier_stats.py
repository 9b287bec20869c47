"""Verifier.stats() against what the local OCSP/CRL server (tests/servers/pki_server.py on 127.0.0.1)
saw: every fetch the verifier counts is a request the server received, the cache answers the second
verification, and failed answers are counted as failures."""
import libsign
from conftest import AT, ONLINE_PY, PROFILES_DIR, signed_pdf
from servers import pki_stats, running_fixed_pki_server

KINDS = ("ocsp", "crl", "ca_issuers")


def official_pdf():
    return signed_pdf("gov-official")


def online_verifier():
    return libsign.make_verifier(trust_profile="test-gov", profiles_dir=PROFILES_DIR, at=AT, revocation=ONLINE_PY)


def test_fetches_are_the_requests_the_server_saw_and_the_cache_answers_again():
    pdf = official_pdf()
    with running_fixed_pki_server() as base:
        verifier = online_verifier()
        assert verifier.stats()["revocation_fetches"] == {k: 0 for k in KINDS}
        pki_stats(base, reset=True)
        assert verifier.verify_pdf(pdf).indication == "TOTAL_PASSED"
        seen, first = pki_stats(base), verifier.stats()
        assert first["revocation_fetches"]["ocsp"] == seen["ocsp_requests"] >= 1
        assert first["revocation_fetches"]["crl"] == seen["crl_fetches"]
        assert first["revocation_fetches"]["ca_issuers"] == seen["ca_fetches"]
        assert first["revocation_fetch_failures"] == {k: 0 for k in KINDS}
        assert first["chain_cache_misses"] >= 1

        assert verifier.verify_pdf(pdf).indication == "TOTAL_PASSED"
        second = verifier.stats()
        assert pki_stats(base)["ocsp_requests"] == seen["ocsp_requests"], "the second verification fetched"
        assert second["revocation_fetches"] == first["revocation_fetches"]
        assert second["revocation_cache_hits"]["ocsp"] > first["revocation_cache_hits"]["ocsp"]
        assert second["chain_cache_hits"] > first["chain_cache_hits"]


def test_answers_that_fail_are_counted_as_failures():
    pdf = official_pdf()
    with running_fixed_pki_server(mode="http500") as base:
        verifier = online_verifier()
        pki_stats(base, reset=True)
        report = verifier.verify_pdf(pdf)
        assert report.indication == "INDETERMINATE"
        seen, stats = pki_stats(base), verifier.stats()
        assert stats["revocation_fetches"]["ocsp"] == seen["ocsp_requests"] >= 1
        assert stats["revocation_fetch_failures"]["ocsp"] == stats["revocation_fetches"]["ocsp"]
        assert stats["revocation_cache_hits"] == {k: 0 for k in KINDS}, "a failed answer is never cached"


def test_diagnose_reports_the_run_fetches(tmp_path):
    (tmp_path / "a.pdf").write_bytes(official_pdf())
    (tmp_path / "b.pdf").write_bytes((tmp_path / "a.pdf").read_bytes())
    with running_fixed_pki_server() as base:
        pki_stats(base, reset=True)
        run = libsign.diagnose([str(tmp_path)], jobs=1, trust_profile="test-gov", profiles_dir=PROFILES_DIR, at=AT,
                               revocation=ONLINE_PY)
        results = list(run)
        seen = pki_stats(base)
    assert len(results) == 2
    stats = run.verifier_stats
    assert stats["revocation_fetches"]["ocsp"] == seen["ocsp_requests"] >= 1
    assert stats["revocation_cache_hits"]["ocsp"] >= 1, "the second copy is answered from the cache"
