"""Signing with a real PKCS#11 token (SoftHSM2, initialised by the test in a private folder) from
Python and through the CLI; `libsign tokens` lists what the module sees."""
import json
import os
import shutil
import subprocess
import sys

import pytest

import libsign
import pdfgen
from conftest import AT, CLI, PKI_DIR, PROFILES_DIR, SIGNING_TIME, SOURCE_DIR, TEST_GOV, verify_json

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
pytestmark = pytest.mark.skipif(not (os.path.exists(MODULE) and shutil.which("softhsm2-util") and shutil.which("pkcs11-tool")),
                                reason="SoftHSM2 / OpenSC not installed")


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    folder = tmp_path_factory.mktemp("token")
    subprocess.run([sys.executable, str(SOURCE_DIR / "tests/tools/softhsm_token.py"), str(folder)], check=True, capture_output=True)
    os.environ["SOFTHSM2_CONF"] = str(folder / "softhsm2.conf")  # read by the module in this process and children
    return folder


def test_python_signs_with_the_token(token):
    signer = libsign.load_pkcs11(MODULE, token_label="libsign-test", key_label="gov-official",
                                 chain=[str(PKI_DIR / "gov-chain.pem")], pin_file=str(token / "user-pin.txt"))
    signed = libsign.sign_pdf(pdfgen.base_pdf(), signer, signing_time=SIGNING_TIME)
    report = libsign.verify_pdf(signed, trust_profile="test-gov", profiles_dir=PROFILES_DIR, at=AT,
                                revocation={"required": False})
    assert report.indication == "TOTAL_PASSED"
    assert report.signatures[0].signer.common_name == "Nguyễn Văn An"


def test_wrong_pin_is_a_token_error_without_the_pin(token):
    with pytest.raises(libsign.TokenError) as info:
        libsign.load_pkcs11(MODULE, token_label="libsign-test", key_label="gov-official", pin="999999")
    assert info.value.code == "TOKEN_PIN_INCORRECT" and "999999" not in str(info.value)


def test_cli_tokens_and_sign(token, tmp_path):
    listed = subprocess.run([str(CLI), "tokens", "--module", MODULE, "--json"], capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    tokens = [t for t in json.loads(listed.stdout) if t["label"] == "libsign-test"]
    assert [k["label"] for k in tokens[0]["keys"]].count("gov-official") == 1
    source, out = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(pdfgen.base_pdf())
    proc = subprocess.run([str(CLI), "sign", str(source), "-o", str(out), "--pkcs11-module", MODULE, "--token-label",
                           "libsign-test", "--key-id", "02", "--chain", str(PKI_DIR / "gov-chain.pem"), "--pin-file",
                           str(token / "user-pin.txt"), "--signing-time", SIGNING_TIME], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    status, report = verify_json(out, *TEST_GOV)
    assert status == 0 and report["document"]["signatures"][0]["signer"]["key_algorithm"] == "EC"
    proc = subprocess.run([str(CLI), "sign", str(source), "-o", str(tmp_path / "x.pdf"), "--pkcs11-module", MODULE,
                           "--token-label", "no-such-token", "--pin-file", str(token / "user-pin.txt")], capture_output=True, text=True)
    assert proc.returncode == 3 and "[TOKEN_ABSENT]" in proc.stderr


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="pdfsig (poppler-utils) missing")
def test_token_signed_pdf_is_valid_for_pdfsig(token, tmp_path):
    signer = libsign.load_pkcs11(MODULE, token_label="libsign-test", key_label="gov-official",
                                 chain=[str(PKI_DIR / "gov-chain.pem")], pin_file=str(token / "user-pin.txt"))
    out = tmp_path / "token.pdf"
    out.write_bytes(libsign.sign_pdf(pdfgen.base_pdf(), signer, signing_time=SIGNING_TIME))
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "root", "-t", "CT,C,C", "-i", str(PKI_DIR / "gov-root.pem")],
                   check=True, capture_output=True)
    text = subprocess.run(["pdfsig", "-no-ocsp", "-nssdir", f"sql:{nss}", str(out)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in text, text
    assert subprocess.run(["qpdf", "--check", str(out)], capture_output=True).returncode == 0


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl missing")
def test_token_signs_a_detached_cms_that_openssl_accepts(token, tmp_path):
    attachment = tmp_path / "ban-ve.pdf"
    attachment.write_bytes(b"attachment " * 500)
    proc = subprocess.run([str(CLI), "sign", str(attachment), "--detached", "--pkcs11-module", MODULE, "--token-label",
                           "libsign-test", "--key-label", "gov-official", "--chain", str(PKI_DIR / "gov-chain.pem"),
                           "--pin-file", str(token / "user-pin.txt"), "--signing-time", SIGNING_TIME],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    signature = tmp_path / "ban-ve.pdf.p7s"
    status, report = verify_json(signature, *TEST_GOV)
    assert status == 0 and report["document"]["format"] == "cms"
    peer = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(signature), "-content",
                           str(attachment), "-CAfile", str(PKI_DIR / "gov-root.pem"), "-purpose", "any", "-out", "/dev/null"],
                          capture_output=True, text=True)
    assert peer.returncode == 0, peer.stderr
