"""pyHanko's PAdES-B-LTA files verify with their own test PKI offline, revocation REQUIRED: every
status comes from the document's DSS (issue: long-term validation)."""
import pytest

from conftest import codes, verify_json

FILES = ["data/pdf/pades-lta-dss-indirect-arrs-test.pdf", "data/pdf/pades-lta-dss-indirect-arrs-test-2.pdf"]


@pytest.mark.parametrize("name", FILES)
def test_lta_files_pass_offline_from_the_dss(shared_corpus, name):
    crypto = shared_corpus / "pyhanko/data/crypto/testing-ca/root"
    status, report = verify_json(shared_corpus / "pyhanko" / name, "--trust-profile", "none", "--trust",
                                 str(crypto / "root.cert.pem"), "--trust", str(crypto / "interm.cert.pem"), "--offline",
                                 "--revocation", "required", "--at", "2021-09-01T00:00:00Z")
    sigs = report["document"]["signatures"]
    assert [s["indication"] for s in sigs] == ["TOTAL_PASSED"] * len(sigs)
    approval = sigs[0]
    assert approval["revocation"]["source"] == "dss" and approval["revocation"]["status"] == "good"
    assert "REVOCATION_NOT_CHECKED" not in codes(approval)
    assert any(s["kind"] == "document-timestamp" for s in sigs)
    assert status == 0
