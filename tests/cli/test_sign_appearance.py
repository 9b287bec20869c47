"""Readable visible signatures through `libsign sign` (issue 16 part 5): wrapped text, the 6 pt minimum
with an ellipsis cut, the whole box used, the thin frame, and the Decree 30/2020 preset. Each case is
rendered with pdftoppm and compared with a committed reference rendering (tests/cli/appearance_refs/;
regenerate with LIBSIGN_UPDATE_APPEARANCE_REFS=1 after an intended change and look at the PNGs), and
checked structurally: no text below 6 pt in the appearance stream, every word inside /Rect, the seal
over 25-40 % of the signature image. pdfsig must accept every signed file."""
import os
import pathlib
import shutil
import subprocess

import pytest

import appearance_check as ac
import pdfgen
from conftest import CLI, P12_PASSWORD_FILE, PKI_DIR, SIGNING_TIME, TEST_GOV, verify_json

REFS = pathlib.Path(__file__).parent / "appearance_refs"
P12 = ["--p12", str(PKI_DIR / "gov-official.p12"), "--password-env", "LIBSIGN_TEST_P12"]
LONG_REASON = ("Phê duyệt hồ sơ đề nghị cấp giấy phép xây dựng công trình nhà ở riêng lẻ tại xã Tân Chi, huyện Tiên Du, "
               "kèm theo bản vẽ thiết kế và giấy tờ chứng minh quyền sử dụng đất đã được thẩm định")
FONTS = [pathlib.Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
         pathlib.Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")]

pytestmark = [
    pytest.mark.skipif(not all(shutil.which(t) for t in ["pdftoppm", "pdftotext", "qpdf"]), reason="poppler-utils/qpdf missing"),
    pytest.mark.skipif(not all(f.exists() for f in FONTS), reason="fonts-dejavu-core missing"),
]


def sign_cli(*args):
    env = {**os.environ, "LIBSIGN_TEST_P12": P12_PASSWORD_FILE.read_text().strip()}
    return subprocess.run([str(CLI), "sign", *map(str, args), *P12, "--signing-time", SIGNING_TIME], capture_output=True,
                          text=True, timeout=60, env=env)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "hoso.pdf").write_bytes(pdfgen.base_pdf())
    (tmp_path / "seal.png").write_bytes(pdfgen.seal_png())
    (tmp_path / "chu-ky.png").write_bytes(ac.signature_png())
    return tmp_path


# name -> (--visible, extra arguments); images are paths inside the `files` folder.
CASES = {
    "long-reason-seal-frame": ("1:300,60,260,80", ["--reason", LONG_REASON, "--location", "Hà Nội", "--image", "seal.png",
                                                   "--frame"]),
    "cut-at-minimum": ("1:300,60,200,50", ["--reason", LONG_REASON, "--location", "Hà Nội"]),
    "tall-seal-on-top": ("1:300,60,150,170", ["--reason", "Phê duyệt hồ sơ", "--image", "seal.png"]),
    "decree30": ("1:300,60,260,90", ["--visible-preset", "decree30", "--seal-image", "seal.png", "--signature-image",
                                     "chu-ky.png", "--reason", LONG_REASON]),
}


def sign_case(files, name):
    visible, extra = CASES[name]
    extra = [str(files / a) if a.endswith(".png") else a for a in extra]
    out = files / f"{name}.pdf"
    proc = sign_cli(files / "hoso.pdf", "-o", out, "--visible", visible, *extra)
    assert proc.returncode == 0, proc.stderr
    return out


def block_words(pdf, rect):
    """The words whose box touches the widget's rectangle (the page's own text is elsewhere)."""
    return [w for w in ac.word_boxes(pdf) if w[3] >= rect[0] and w[1] <= rect[2] and w[4] >= rect[1] and w[2] <= rect[3]]


def check_structure(pdf):
    """The appearance's text: >= 6 pt, every word inside the widget's /Rect. Returns (rect, content)."""
    rect, content = ac.signature_appearance(pdf)
    sizes = ac.font_sizes(content)
    assert sizes and min(sizes) >= 6, sizes
    words = block_words(pdf, rect)
    assert len(words) > 5
    for word, x1, y1, x2, y2 in words:
        assert rect[0] <= x1 and x2 <= rect[2] and rect[1] <= y1 and y2 <= rect[3], (word, (x1, y1, x2, y2), rect)
    return rect, content


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendering_matches_reference(files, name):
    pdf = sign_case(files, name)
    rect, _ = check_structure(pdf)
    rendering = ac.render_rect(pdf, rect, files)
    assert ac.ink(rendering[2]) > 500, "nothing drawn"
    difference, changed = ac.compare_to_reference(rendering, REFS / f"{name}.png")
    assert difference <= ac.TOLERANCE and changed <= ac.STRONG_CHANGE_SHARE, \
        f"{name}: mean difference {difference:.2f}, {changed:.2%} of pixels changed, against the reference"


def test_long_reason_is_wrapped_whole_and_readable(files):
    pdf = sign_case(files, "long-reason-seal-frame")
    rect, content = check_structure(pdf)
    assert "\u2026" not in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert min(ac.font_sizes(content)) >= 6
    assert " re S" in content  # the frame
    # Wrapped: the reason's words are on several lines, all inside the box (check_structure).
    lines = {round(y1) for w, x1, y1, x2, y2 in block_words(pdf, rect)}
    assert len(lines) >= 6


def test_cut_text_ends_with_an_ellipsis_and_reason_stays_whole(files):
    pdf = sign_case(files, "cut-at-minimum")
    _, content = check_structure(pdf)
    assert ac.font_sizes(content) == [6.0]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "\u2026" in text and "thẩm định" not in text
    status, report = verify_json(pdf, *TEST_GOV)
    assert status == 0 and report["document"]["signatures"][0]["reason"] == LONG_REASON


def test_tall_box_puts_the_seal_above_the_text(files):
    pdf = sign_case(files, "tall-seal-on-top")
    rect, content = check_structure(pdf)
    seal = ac.image_boxes(content)["Im1"]
    lowest_seal = rect[1] + seal[1]
    words = block_words(pdf, rect)
    assert words and all(y2 <= lowest_seal + 0.5 for _, _, _, _, y2 in words), "text under the seal"


def test_decree30_seal_covers_a_third_of_the_signature_image(files):
    pdf = sign_case(files, "decree30")
    rect, content = check_structure(pdf)
    boxes = ac.image_boxes(content)
    seal, signature = boxes["Im1"], boxes["Im2"]
    assert 0.25 <= ac.horizontal_overlap(seal, signature) <= 0.40
    assert seal[0] < signature[0], "the seal is on the signature's left"
    assert content.index("/Im2 Do") < content.index("/Im1 Do"), "the seal is stamped over the signature"
    assert "0 0 0 rg" in content  # black text
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for line in ["Ký bởi: Nguyễn Văn An", "Thời gian ký:", "20/06/2026 10:00:00 +07:00"]:  # date, time and zone together
        assert line in text
    assert "Sở Thông tin" in text and "Lý do" not in text  # the reason stays in /Reason only
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "DejaVuSerif" in fonts


def test_box_too_small_for_6pt_is_a_usage_error(files):
    proc = sign_cli(files / "hoso.pdf", "-o", files / "x.pdf", "--visible", "1:300,60,200,7")
    assert proc.returncode == 3 and "[RECTANGLE_TOO_SMALL]" in proc.stderr
    assert not (files / "x.pdf").exists()


def test_unknown_preset_is_refused(files):
    proc = sign_cli(files / "hoso.pdf", "-o", files / "x.pdf", "--visible", "1:300,60,200,80", "--visible-preset", "nd30")
    assert proc.returncode == 3


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="pdfsig (poppler-utils) missing")
def test_pdfsig_validates_every_case(files):
    nss = files / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "root", "-t", "CT,C,C", "-i", str(PKI_DIR / "gov-root.pem")],
                   check=True, capture_output=True)
    for name in CASES:
        pdf = sign_case(files, name)
        out = subprocess.run(["pdfsig", "-no-ocsp", "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True, text=True).stdout
        assert "Signature is Valid" in out, (name, out)
