"""/metrics counts the verifiers' revocation fetches, failures and cache hits: checked against what the
local OCSP/CRL server (tests/servers/pki_server.py, 127.0.0.1) saw."""
import json

from conftest import FIXTURES_DIR
from serve_util import AT_QUERY, ONLINE_FLAGS, metric_values, running_server
from servers import pki_stats, running_fixed_pki_server

KINDS = ("ocsp", "crl", "ca_issuers")


def verify_official(server):
    status, _, data = server.request("POST", "/v1/verify?" + AT_QUERY, (FIXTURES_DIR / "official.pdf").read_bytes())
    assert status == 200
    return json.loads(data)["document"]["indication"]


def metrics(server):
    status, _, data = server.request("GET", "/metrics", token="metrics")
    assert status == 200
    return metric_values(data.decode())


def test_revocation_fetches_and_cache_hits(tmp_path, fixtures):
    with running_fixed_pki_server() as base, running_server(tmp_path, trust_flags=ONLINE_FLAGS) as server:
        before = metrics(server)
        assert all(before[f'libsign_revocation_fetches_total{{kind="{k}"}}'] == 0 for k in KINDS)
        pki_stats(base, reset=True)
        assert [verify_official(server) for _ in range(3)] == ["TOTAL_PASSED"] * 3
        seen, after = pki_stats(base), metrics(server)
    assert after['libsign_revocation_fetches_total{kind="ocsp"}'] == seen["ocsp_requests"] >= 1
    assert after['libsign_revocation_fetches_total{kind="crl"}'] == seen["crl_fetches"]
    assert after['libsign_revocation_fetches_total{kind="ca_issuers"}'] == seen["ca_fetches"]
    assert all(after[f'libsign_revocation_fetch_failures_total{{kind="{k}"}}'] == 0 for k in KINDS)
    # The 2nd and 3rd requests were answered from the shared verifier's cache.
    assert after['libsign_revocation_cache_hits_total{kind="ocsp"}'] >= 2
    assert after["libsign_chain_cache_hits_total"] >= 2


def test_failed_fetches(tmp_path, fixtures):
    with running_fixed_pki_server(mode="http500") as base, running_server(tmp_path, trust_flags=ONLINE_FLAGS) as server:
        pki_stats(base, reset=True)
        assert verify_official(server) == "INDETERMINATE"
        seen, after = pki_stats(base), metrics(server)
    assert after['libsign_revocation_fetches_total{kind="ocsp"}'] == seen["ocsp_requests"] >= 1
    assert after['libsign_revocation_fetch_failures_total{kind="ocsp"}'] == seen["ocsp_requests"]


def test_counters_of_dropped_verifiers_are_kept(tmp_path, fixtures):
    """Each validation time is its own Verifier, and the service keeps 32: the counters of the
    verifiers it dropped still count (they only grow)."""
    pdf = (FIXTURES_DIR / "official.pdf").read_bytes()
    times = [f"2026-07-01T00:{i // 60:02d}:{i % 60:02d}Z" for i in range(36)]
    with running_server(tmp_path) as server:
        for at in times:
            status, _, data = server.request("POST", "/v1/verify?at=" + at, pdf)
            assert status == 200 and json.loads(data)["document"]["indication"] == "TOTAL_PASSED"
        after = metrics(server)
    # One signature, one certificate path per verifier: built once each, never reused across times.
    assert after["libsign_chain_cache_misses_total"] == len(times)
    assert after["libsign_chain_cache_hits_total"] == 0
