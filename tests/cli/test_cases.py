"""Every row of certs-test/CASES.tsv through the real `libsign verify` CLI (JSON output)."""
import csv

import pytest

from conftest import OFFLINE, AT, PKI_DIR, PROFILES_DIR, SOURCE_DIR, TEST_GOV, codes, verify_json

EXIT_FOR = {"TOTAL_PASSED": 0, "TOTAL_FAILED": 1, "INDETERMINATE": 2}


def load_cases():
    lines = [l for l in (SOURCE_DIR / "certs-test/CASES.tsv").read_text(encoding="utf-8").splitlines()
             if l and not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


CASES = load_cases()


def trust_options(profile):
    if profile == "root-only":
        return ["--trust-profile", "none", "--trust", str(PKI_DIR / "gov-root.pem"), *OFFLINE]
    return ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", profile, *OFFLINE]


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_case_verdict(fixtures, case):
    status, report = verify_json(fixtures / f"{case['case']}.pdf", *trust_options(case["profile"]), "--at", case["at"])
    doc = report["document"]
    assert len(doc["signatures"]) == 1
    sig = doc["signatures"][0]
    assert sig["indication"] == case["indication"]
    expected_sub = None if case["sub_indication"] == "-" else case["sub_indication"]
    assert sig["sub_indication"] == expected_sub
    expected_codes = set() if case["codes"] == "-" else set(case["codes"].split(","))
    assert expected_codes <= codes(sig)
    assert status == EXIT_FOR[case["indication"]]
    assert doc["indication"] == case["indication"]


def test_cases_cover_every_certificate_variant():
    signers = {c["signer"] for c in CASES}
    for variant in ["gov-expired", "gov-notyet", "gov-revoked", "gov-badku", "gov-sha1", "gov-rsa1024", "other-leaf",
                    "public-remote"]:
        assert variant in signers


def test_passing_signature_has_every_step_recorded(fixtures):
    _, report = verify_json(fixtures / "official.pdf", *TEST_GOV)
    sig = report["document"]["signatures"][0]
    steps = {c["step"]: c["status"] for c in sig["checks"]}
    for step in ["integrity", "signer_identification", "signature_value", "chain", "policy", "modifications"]:
        assert steps[step] == "passed", step
    assert steps["revocation"] == "skipped"  # no evidence is not a pass
    assert sig["signer"]["identifiers"] == {"CCCD": "001085012345"}
    assert sig["signer"]["common_name"] == "Nguyễn Văn An"
    assert [c["trust_profile"] for c in sig["chain"]] == [None, "test-gov", "test-gov"]
    assert sig["coverage"] == "ENTIRE_FILE"
