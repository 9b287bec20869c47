"""`libsign sign` end to end: the real command, checked by libsign, qpdf, pdfsig, pdftotext and
pdftoppm. Secrets only ever travel through environment variables or files."""
import os
import shutil
import subprocess

import pytest

import pdfgen
from conftest import AT, CLI, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SIGNING_TIME, TEST_GOV, codes, run_cli, verify_json
from servers import running_tsa

PASSWORD = P12_PASSWORD_FILE.read_text().strip()
P12 = ["--p12", str(PKI_DIR / "gov-official.p12"), "--password-env", "LIBSIGN_TEST_P12"]


def sign_cli(*args, env_password=PASSWORD, timeout=60):
    env = {**os.environ, "LIBSIGN_TEST_P12": env_password}
    return subprocess.run([str(CLI), "sign", *map(str, args), "--signing-time", SIGNING_TIME], capture_output=True,
                          text=True, timeout=timeout, env=env)


@pytest.fixture
def base(tmp_path):
    path = tmp_path / "hoso.pdf"
    path.write_bytes(pdfgen.base_pdf())
    return path


def test_sign_then_verify_and_qpdf(base, tmp_path):
    out = tmp_path / "signed.pdf"
    before = base.read_bytes()
    proc = sign_cli(base, "-o", out, *P12, "--reason", "Phê duyệt", "--location", "Hà Nội")
    assert proc.returncode == 0, proc.stderr
    assert base.read_bytes() == before
    status, report = verify_json(out, *TEST_GOV)
    assert status == 0 and report["document"]["signatures"][0]["reason"] == "Phê duyệt"
    assert subprocess.run(["qpdf", "--check", str(out)], capture_output=True).returncode == 0


def test_pem_key_and_b_t(base, tmp_path):
    out = tmp_path / "bt.pdf"
    with running_tsa() as url:
        proc = sign_cli(base, "-o", out, "--key", PKI_DIR / "gov-org.key.pem", "--cert", PKI_DIR / "gov-org.pem", "--chain",
                        PKI_DIR / "gov-chain.pem", "--level", "B-T", "--tsa", url, "--tsa-profiles-dir", PROFILES_DIR,
                        "--tsa-trust-profile", "test-gov")
    assert proc.returncode == 0, proc.stderr
    status, report = verify_json(out, *TEST_GOV)
    sig = report["document"]["signatures"][0]
    assert sig["timestamp"]["valid"] and "TIMESTAMP_VALID" in codes(sig)
    assert status == 0


def test_tsa_down_exits_4_and_writes_nothing(base, tmp_path):
    proc = sign_cli(base, "-o", tmp_path / "x.pdf", *P12, "--tsa", "http://127.0.0.1:9/tsa", "--tsa-timeout", "2")
    assert proc.returncode == 4
    assert "[NETWORK_UNREACHABLE]" in proc.stderr
    assert sorted(os.listdir(tmp_path)) == ["hoso.pdf"]


def test_wrong_password_exit_3_without_echo(base, tmp_path):
    proc = sign_cli(base, "-o", tmp_path / "x.pdf", *P12, env_password="Mat-Khau-Sai-987")
    assert proc.returncode == 3
    assert "[KEY_PASSWORD_WRONG]" in proc.stderr and "Mat-Khau-Sai-987" not in proc.stderr + proc.stdout
    assert not (tmp_path / "x.pdf").exists()


def test_no_password_on_the_command_line(base, tmp_path):
    proc = run_cli("sign", base, "-o", tmp_path / "x.pdf", "--p12", PKI_DIR / "gov-official.p12", "--password", PASSWORD)
    assert proc.returncode == 3  # there is no such option
    help_text = run_cli("sign", "--help").stdout
    for option in ["--p12", "--key", "--cert", "--chain", "--password-env", "--password-file", "--level", "--tsa",
                   "--certify", "--visible", "--field", "--reason", "--location", "--image", "--font", "Exit status"]:
        assert option in help_text


def test_unwritable_output_and_bad_input(base, tmp_path):
    proc = sign_cli(base, "-o", tmp_path / "missing-dir" / "x.pdf", *P12)
    assert proc.returncode == 3 and "[OUTPUT_UNWRITABLE]" in proc.stderr
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"garbage" * 100)
    proc = sign_cli(broken, "-o", tmp_path / "y.pdf", *P12)
    assert proc.returncode == 3 and "error [" in proc.stderr
    assert not (tmp_path / "y.pdf").exists()


def test_field_name_in_use(base, tmp_path):
    one, two = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assert sign_cli(base, "-o", one, *P12, "--field", "ChuKy").returncode == 0
    proc = sign_cli(one, "-o", two, *P12, "--field", "ChuKy")
    assert proc.returncode == 3 and "[FIELD_NAME_IN_USE]" in proc.stderr


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="pdfsig (poppler-utils) missing")
def test_three_signatures_all_valid_for_pdfsig(base, tmp_path):
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "root", "-t", "CT,C,C", "-i", str(PKI_DIR / "gov-root.pem")],
                   check=True, capture_output=True)
    current = base
    for i, p12 in enumerate(["gov-official", "gov-org", "gov-official"]):
        nxt = tmp_path / f"s{i}.pdf"
        args = ["--p12", PKI_DIR / f"{p12}.p12", "--password-env", "LIBSIGN_TEST_P12"]
        if i == 0:
            args += ["--certify", "2"]
        assert sign_cli(current, "-o", nxt, *args).returncode == 0
        current = nxt
    out = subprocess.run(["pdfsig", "-no-ocsp", "-nssdir", f"sql:{nss}", str(current)], capture_output=True, text=True).stdout
    assert out.count("Signature is Valid") == 3, out
    status, report = verify_json(current, *TEST_GOV)
    assert [s["indication"] for s in report["document"]["signatures"]] == ["TOTAL_PASSED"] * 3
    assert status == 0


def read_ppm(path):
    data = path.read_bytes()
    parts = data.split(b"\n", 3)
    width, height = map(int, parts[1].split())
    return width, height, parts[3]


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils missing")
def test_visible_vietnamese_appearance_extracts_and_renders(base, tmp_path):
    seal = tmp_path / "seal.png"
    seal.write_bytes(pdfgen.seal_png())
    out = tmp_path / "visible.pdf"
    proc = sign_cli(base, "-o", out, *P12, "--visible", "1:300,60,260,80", "--reason", "Phê duyệt hồ sơ",
                    "--location", "Hà Nội", "--image", seal)
    assert proc.returncode == 0, proc.stderr
    assert verify_json(out, *TEST_GOV)[0] == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())  # long lines are wrapped inside the box (tests/cli/test_sign_appearance.py)
    for line in ["Ký bởi: Nguyễn Văn An", "Cơ quan: Sở Thông tin và Truyền thông tỉnh Bắc Ninh",
                 "Thời gian ký: 20/06/2026 10:00:00 +07:00", "Lý do: Phê duyệt hồ sơ", "Nơi ký: Hà Nội"]:
        assert line in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert any("CID TrueType" in l and l.split()[-5:-2] == ["yes", "yes", "yes"] for l in fonts.splitlines()), fonts
    # Render page 1 at 72 dpi (1 px = 1 pt): ink inside the rectangle, red seal pixels on its left.
    subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")], check=True)
    width, height, pixels = read_ppm(next(tmp_path.glob("page*.ppm")))

    def pixel(x, y_from_bottom):
        y = height - 1 - y_from_bottom
        i = (y * width + x) * 3
        return pixels[i], pixels[i + 1], pixels[i + 2]

    inside = [pixel(x, y) for x in range(300, 560) for y in range(60, 140)]
    red = sum(1 for r, g, b in inside if r > 150 and g < 80 and b < 80)
    blue_text = sum(1 for r, g, b in inside if b > r + 40 and r < 120)
    assert red > 300, "the seal is not drawn"
    assert blue_text > 100, "the text is not drawn"
    # The seal is drawn in a 70x70 box at (305, 65); its corners are transparent in the PNG.
    assert pixel(340, 100)[0] > 150 and pixel(340, 100)[1] < 80, "the seal's centre is red"
    assert pixel(307, 133) == (255, 255, 255), "the seal's transparent corner must stay white"


def test_password_prompt_on_the_terminal(base, tmp_path):
    """Without --password-env/--password-file the password is asked on the controlling terminal."""
    import fcntl
    import select
    import termios

    out = tmp_path / "prompted.pdf"
    master, slave = os.openpty()

    def become_terminal_owner():
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen([str(CLI), "sign", str(base), "-o", str(out), "--p12", str(PKI_DIR / "gov-official.p12"),
                             "--signing-time", SIGNING_TIME],
                            stdin=slave, stdout=slave, stderr=slave, preexec_fn=become_terminal_owner, pass_fds=(slave,))
    os.close(slave)
    seen = b""
    while b"Password for" not in seen:
        ready, _, _ = select.select([master], [], [], 20)
        assert ready, seen
        seen += os.read(master, 1024)
    os.write(master, PASSWORD.encode() + b"\n")
    assert proc.wait(timeout=30) == 0
    rest = b""
    while select.select([master], [], [], 0.2)[0]:
        try:
            rest += os.read(master, 1024)
        except OSError:
            break
    os.close(master)
    assert PASSWORD.encode() not in seen + rest  # not echoed
    assert verify_json(out, *TEST_GOV)[0] == 0


def test_no_terminal_and_no_password_source_is_a_usage_error(base, tmp_path):
    proc = subprocess.run([str(CLI), "sign", str(base), "-o", str(tmp_path / "x.pdf"), "--p12",
                           str(PKI_DIR / "gov-official.p12")], capture_output=True, text=True, timeout=30,
                          stdin=subprocess.DEVNULL, start_new_session=True)
    assert proc.returncode == 3 and "[PASSWORD_SOURCE_MISSING]" in proc.stderr


# ---- a file named .pdf that is not a PDF (issue 16 part 6) ----

def test_a_text_file_named_pdf_is_an_input_error(tmp_path):
    notes = tmp_path / "notes.pdf"
    notes.write_text("Ghi chú cuộc họp\n", encoding="utf-8")
    out = tmp_path / "x.pdf"
    proc = sign_cli(notes, "-o", out, *P12)
    assert proc.returncode == 3, proc.stderr
    assert "INPUT_NOT_PDF" in proc.stderr
    assert not out.exists() and not (tmp_path / "notes.pdf.p7s").exists()


@pytest.mark.parametrize("flag, suffix", [("--detached", ".p7s"), ("--enveloping", ".p7m")])
def test_a_text_file_named_pdf_signs_as_any_file_when_asked(tmp_path, flag, suffix):
    notes = tmp_path / "NOTES.PDF"
    notes.write_text("Ghi chú cuộc họp\n", encoding="utf-8")
    proc = sign_cli(notes, flag, *P12)
    assert proc.returncode == 0, proc.stderr
    status, report = verify_json(tmp_path / ("NOTES.PDF" + suffix), *TEST_GOV)
    assert status == 0 and report["document"]["format"] == "cms"


# ---- a self-signed certificate given with --trust (issue 16 part 3) ----

def test_a_self_signed_signer_given_with_trust_passes_offline(tmp_path, base):
    pytest.importorskip("cryptography")
    from self_signed import make_self_signed
    key, cert = make_self_signed(tmp_path)
    out = tmp_path / "signed.pdf"
    proc = sign_cli(base, "-o", out, "--key", key, "--cert", cert)
    assert proc.returncode == 0, proc.stderr
    trust = ["--trust-profile", "none", "--trust", cert, "--at", AT, "--offline"]
    for revocation in ("required", "optional"):  # the anchor needs no status either way
        status, report = verify_json(out, *trust, "--revocation", revocation)
        sig = report["document"]["signatures"][0]
        assert (status, sig["indication"]) == (0, "TOTAL_PASSED"), revocation
        assert "SIGNER_IS_TRUST_ANCHOR" in codes(sig) and "REVOCATION_NOT_CHECKED" not in codes(sig)
    status, report = verify_json(out, "--trust-profile", "none", "--at", AT, "--offline")
    assert status == 2 and report["document"]["sub_indication"] == "NO_CERTIFICATE_CHAIN_FOUND"
