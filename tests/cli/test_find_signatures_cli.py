"""Every signature of a PDF through the CLI (JSON and text): fields only in a page's /Annots, a value shared
by several fields, a signature dictionary no field uses. Files made at test time by tests/tools/pdfgen.py."""
import pdfgen
from conftest import PKI_DIR, TEST_GOV, codes, run_cli, verify_json


def signed(pdf=None, **kwargs):
    return pdfgen.sign(pdf or pdfgen.base_pdf(), PKI_DIR / "gov-official.key.pem", PKI_DIR / "gov-official.pem",
                       [PKI_DIR / "gov-chain.pem"], options="chain=full", **kwargs)


def test_annots_only_shared_and_unreferenced_in_json(tmp_path):
    data = signed(field_name="Người ký", in_acroform=False, shared_with=["Người duyệt"], name_encoding="utf16be")
    data, num = pdfgen.add_unreferenced_signature_value(data)
    path = tmp_path / "hoso.pdf"
    path.write_bytes(data)
    status, report = verify_json(path, *TEST_GOV)
    doc = report["document"]
    assert len(doc["signatures"]) == 1
    sig = doc["signatures"][0]
    assert sig["found_via"] == "page-annots"
    assert sig["field_names"] == ["Người ký", "Người duyệt"]
    assert sig["field_name"] == "Người ký"
    assert {"SIGNATURE_FIELD_NOT_IN_ACROFORM", "SIGNATURE_VALUE_SHARED"} <= codes(sig)
    orphans = [f for f in doc["findings"] if f["code"] == "SIGNATURE_VALUE_UNREFERENCED"]
    assert [f["evidence"]["object"] for f in orphans] == [f"{num} 0 R"]
    assert orphans[0]["severity"] == "warning"
    assert status in (0, 1, 2)


def test_ordinary_signature_json_keys(tmp_path):
    path = tmp_path / "hoso.pdf"
    path.write_bytes(signed(field_name="Signer"))
    status, report = verify_json(path, *TEST_GOV)
    sig = report["document"]["signatures"][0]
    assert (sig["found_via"], sig["field_names"]) == ("acroform", ["Signer"])
    assert status == 0


def test_text_report_names_every_field_of_a_shared_value(tmp_path):
    path = tmp_path / "hoso.pdf"
    path.write_bytes(signed(field_name="Signer", shared_with=["Approver"]))
    proc = run_cli("verify", path, *TEST_GOV)
    assert "SIGNATURE_VALUE_SHARED" in proc.stdout
    assert "Signer, Approver" in proc.stdout
    assert proc.returncode == 0
