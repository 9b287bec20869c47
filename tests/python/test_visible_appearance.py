"""Visible signatures through the Python module: `visible=` as a dict (preset, images, frame) renders
the same as the command line's --visible-preset decree30; the older tuple still works; wrong keys and
values are usage errors."""
import pathlib
import shutil
import subprocess

import pytest

import appearance_check as ac
import libsign
import pdfgen
from conftest import AT, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SIGNING_TIME

REFS = pathlib.Path(__file__).resolve().parents[1] / "cli" / "appearance_refs"
VERIFY = dict(trust_profile="test-gov", profiles_dir=str(PROFILES_DIR), at=AT, revocation={"required": False})
DEJAVU = pathlib.Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


@pytest.fixture(scope="module")
def official():
    return libsign.load_pkcs12(str(PKI_DIR / "gov-official.p12"), password_file=str(P12_PASSWORD_FILE))


@pytest.fixture
def images(tmp_path):
    (tmp_path / "seal.png").write_bytes(pdfgen.seal_png())
    (tmp_path / "chu-ky.png").write_bytes(ac.signature_png())
    return tmp_path


@pytest.mark.skipif(not shutil.which("pdftoppm") or not shutil.which("qpdf") or not DEJAVU.exists(),
                    reason="poppler-utils, qpdf or fonts-dejavu-core missing")
def test_decree30_dict_renders_like_the_command_line(official, images):
    long_reason = ("Phê duyệt hồ sơ đề nghị cấp giấy phép xây dựng công trình nhà ở riêng lẻ tại xã Tân Chi, huyện Tiên Du, "
                   "kèm theo bản vẽ thiết kế và giấy tờ chứng minh quyền sử dụng đất đã được thẩm định")
    visible = {"page": 1, "x": 300, "y": 60, "width": 260, "height": 90, "preset": "decree30",
               "seal_image": images / "seal.png", "signature_image": str(images / "chu-ky.png")}
    signed = libsign.sign_pdf(pdfgen.base_pdf(), official, visible=visible, reason=long_reason, signing_time=SIGNING_TIME)
    pdf = images / "signed.pdf"
    pdf.write_bytes(signed)
    assert libsign.verify_pdf(signed, **VERIFY).signatures[0].reason == long_reason
    rect, content = ac.signature_appearance(pdf)
    assert min(ac.font_sizes(content)) >= 6
    boxes = ac.image_boxes(content)
    assert 0.25 <= ac.horizontal_overlap(boxes["Im1"], boxes["Im2"]) <= 0.40
    difference, changed = ac.compare_to_reference(ac.render_rect(pdf, rect, images), REFS / "decree30.png")
    assert difference <= ac.TOLERANCE and changed <= ac.STRONG_CHANGE_SHARE


def test_tuple_and_frame(official):
    signed = libsign.sign_pdf(pdfgen.base_pdf(), official, visible=(1, 72, 60, 220, 70), signing_time=SIGNING_TIME)
    assert libsign.verify_pdf(signed, **VERIFY).indication == "TOTAL_PASSED"
    framed = libsign.sign_pdf(pdfgen.base_pdf(), official, visible={"x": 72, "y": 60, "width": 220, "height": 70, "frame": True},
                              signing_time=SIGNING_TIME)
    assert b" re S" in framed and b" re S" not in signed


@pytest.mark.parametrize("visible, code", [
    ({"x": 72, "y": 60, "width": 220, "height": 70, "pge": 1}, "OPTION_UNKNOWN"),           # unknown key
    ({"x": 72, "y": 60, "width": 220, "height": 70, "preset": "nd30"}, "OPTION_INVALID"),   # unknown preset
    ({"x": "72", "y": 60, "width": 220, "height": 70}, "OPTION_INVALID"),                   # not a number
    ((1, 72, 60, 220), "OPTION_INVALID"),                                                   # too short
])
def test_wrong_visible_is_a_usage_error(official, visible, code):
    with pytest.raises(libsign.UsageError) as caught:
        libsign.sign_pdf(pdfgen.base_pdf(), official, visible=visible, signing_time=SIGNING_TIME)
    assert caught.value.code == code and str(caught.value).startswith("visible:")


def test_box_too_small_is_a_usage_error(official):
    with pytest.raises(libsign.UsageError) as caught:
        libsign.sign_pdf(pdfgen.base_pdf(), official, visible=(1, 72, 60, 220, 6), signing_time=SIGNING_TIME)
    assert caught.value.code == "RECTANGLE_TOO_SMALL"
