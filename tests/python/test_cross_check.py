"""The Botan cross-check on crafted CMS signatures (tests/tools/crosscheck_cases.py): for each case,
what libsign (OpenSSL) and Botan concluded on each item, read from the report; through the Python
module and the CLI, on by default and off when asked (docs/security.md)."""
import json

import pytest

import crosscheck_cases
import libsign
from conftest import AT, PROFILES_DIR, TEST_GOV, run_cli

VERIFY = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT, revocation={"required": False})

# case -> (indication, result, {item: (libsign, botan)}); items not listed must not be compared.
GOOD = {"digest": ("match", "match"), "signature": ("valid", "valid"), "path": ("trusted", "trusted")}
EXPECTED = {
    "baseline_rsa": ("TOTAL_PASSED", "agree", GOOD),
    "baseline_ecdsa": ("TOTAL_PASSED", "agree", GOOD),
    # BER length of the signature OCTET STRING: both parsers accept it.
    "sigvalue_length_non_minimal": ("TOTAL_PASSED", "agree", GOOD),
    # BER inside the signed attributes, signed as written: OpenSSL re-encodes them before verifying
    # (the signature no longer matches), Botan verifies the bytes as they are.
    "signed_attrs_non_minimal": ("TOTAL_FAILED", "disagree",
                                 {**GOOD, "signature": ("invalid", "valid")}),
    "digestinfo_without_null": ("TOTAL_FAILED", "agree", {**GOOD, "signature": ("invalid", "invalid")}),
    # OpenSSL wants exactly the modulus length; Botan reads the value as a number.
    "rsa_signature_short": ("TOTAL_FAILED", "disagree", {**GOOD, "signature": ("invalid", "valid")}),
    "rsa_signature_trailing": ("TOTAL_FAILED", "agree", {**GOOD, "signature": ("invalid", "invalid")}),
    # Both re-encode the ECDSA value and refuse one that is not DER.
    "ecdsa_integer_non_minimal": ("TOTAL_FAILED", "agree", {**GOOD, "signature": ("invalid", "invalid")}),
    "ecdsa_signature_trailing": ("TOTAL_FAILED", "agree", {**GOOD, "signature": ("invalid", "invalid")}),
    # BER in the signer's TBSCertificate (signed again by the CA): both verify the bytes as signed.
    "certificate_non_minimal": ("TOTAL_PASSED", "agree", GOOD),
    # Bytes after a certificate's signature: OpenSSL refuses the whole CMS, Botan reads it.
    "certificate_trailing": ("TOTAL_FAILED", "disagree", {"structure": ("unreadable", "readable")}),
}


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    out = tmp_path_factory.mktemp("crosscheck")
    crosscheck_cases.write_cases(out)
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_engine_concludes_as_expected(cases, name):
    indication, result, items = EXPECTED[name]
    report = libsign.verify_cms(str(cases / f"{name}.p7s"), str(cases / "content.bin"), **VERIFY)
    sig = report.signatures[0]
    cc = sig.cross_check
    assert cc.engine.startswith("botan 2.19")
    assert {c.item: (c.libsign, c.botan) for c in cc.compared} == items
    assert (sig.indication, cc.result) == (indication, result)
    assert sig.has_finding("ENGINE_DISAGREEMENT") == (result == "disagree")
    if result == "disagree":
        # Never a pass; a failure stays the failure libsign found.
        assert sig.sub_indication in ("SIG_CRYPTO_FAILURE", "FORMAT_FAILURE")
        evidence = next(f.evidence for f in sig.findings if f.code == "ENGINE_DISAGREEMENT")
        assert (evidence["libsign"], evidence["botan"]) == items[evidence["item"]]


def test_off_in_python(cases):
    report = libsign.verify_cms(str(cases / "rsa_signature_short.p7s"), str(cases / "content.bin"),
                                cross_check=False, **VERIFY)
    sig = report.signatures[0]
    assert (sig.cross_check.result, sig.cross_check.compared) == ("off", [])
    assert not sig.has_finding("ENGINE_DISAGREEMENT")
    assert sig.indication == "TOTAL_FAILED"  # libsign's own verdict is unchanged
    verifier = libsign.make_verifier(cross_check=False, **VERIFY)
    assert verifier.verify_cms(str(cases / "baseline_rsa.p7s"), str(cases / "content.bin")).signatures[0].cross_check.result == "off"


def test_cli_reports_and_turns_off(cases):
    signature, content = cases / "signed_attrs_non_minimal.p7s", cases / "content.bin"
    proc = run_cli("verify", signature, "--content", content, "--format", "json", *TEST_GOV)
    sig = json.loads(proc.stdout)["document"]["signatures"][0]
    assert proc.returncode == 1
    assert sig["cross_check"]["result"] == "disagree"
    assert [(c["item"], c["libsign"], c["botan"], c["result"]) for c in sig["cross_check"]["compared"]
            if c["result"] == "disagree"] == [("signature", "invalid", "valid", "disagree")]
    assert "ENGINE_DISAGREEMENT" in {f["code"] for f in sig["findings"]}

    proc = run_cli("verify", signature, "--content", content, "--format", "json", "--no-cross-check", *TEST_GOV)
    sig = json.loads(proc.stdout)["document"]["signatures"][0]
    assert (proc.returncode, sig["cross_check"]["result"], sig["cross_check"]["engine"]) == (1, "off", None)
    assert "ENGINE_DISAGREEMENT" not in {f["code"] for f in sig["findings"]}

    text = run_cli("verify", signature, "--content", content, *TEST_GOV).stdout
    assert "Second engine (botan 2.19" in text and "signature: libsign invalid, Botan valid" in text


def test_explain_names_the_code():
    proc = run_cli("explain", "ENGINE_DISAGREEMENT")
    assert proc.returncode == 0 and "ENGINE_DISAGREEMENT" in proc.stdout
