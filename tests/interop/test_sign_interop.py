"""Every signature libsign makes is accepted by the real peers.

Each scenario below builds one signed PDF (once per module) and four peers judge it, each in its own
test so a missing tool skips only its own check:

* qpdf --check exits 0;
* poppler's pdfsig (NSS, gov-root trusted, -no-ocsp) says "Signature is Valid" for every signature,
  and "Total document signed" for the last one;
* the PDFBox + Bouncy Castle checker (tests/interop/pdfbox) prints OK for every signature;
* `libsign verify` (profile test-gov, pinned --at) gives TOTAL_PASSED for every signature.

Scenarios: B-B invisible, B-B visible with a PNG seal, B-T (tests/servers TSA), certification P=2
plus an approval on top, three signatures in a row, a file made by the Python binding, files first
signed by pdfsig / @signpdf then by libsign, and a file rewritten with xref streams by qpdf then
signed twice. Then DocMDP: libsign's verifier enforces the P it wrote (P=1 vs P=2 + form filling).

Times: libsign signs with --signing-time SIGNING_TIME and is verified at AT (conftest); the B-T
timestamp carries the real current time and is still verified at AT. pdfsig writes "now" as its
signing time, so the pdfsig-first scenario lets libsign sign at "now" too and is verified at "now"
(skipped outside the validity of the certs-test leaves).
"""
import shutil
import sys

import pytest

from conftest import AT, BUILD_DIR, CLI, P12_PASSWORD_FILE, PKI_DIR, PROFILES_DIR, SIGNING_TIME, SOURCE_DIR, codes

import pdfgen

for _folder in ("tests/servers", "tests/interop", "tests/interop/pdfbox", "tests/interop/signpdf"):
    if str(SOURCE_DIR / _folder) not in sys.path:
        sys.path.insert(0, str(SOURCE_DIR / _folder))

import sign_helpers as sh  # noqa: E402
from run_checker import checker_unavailable, run_checker  # noqa: E402
from run_signpdf import sign_with_signpdf  # noqa: E402
from servers import running_tsa  # noqa: E402

pytestmark = pytest.mark.skipif(not CLI.exists(), reason=f"libsign CLI not built at {CLI}")

class Signed:
    """A signed PDF and what the peers should find in it."""

    def __init__(self, path, fields, at=AT, foreign=(), before=None, pdfbox_keeps_baseline=False, checks=None):
        self.path = path
        self.fields = fields              # field names in signing order
        self.at = at                      # validation time for libsign verify
        self.foreign = set(foreign)       # fields signed by a peer tool, not by libsign
        self.before = before              # the peer-signed file libsign signed on top of, if any
        # True: the PDFBox checker already rejects the peer's own signature in `before`; libsign's
        # job is then to leave that verdict unchanged (see test_pdfbox_every_signature_ok).
        self.pdfbox_keeps_baseline = pdfbox_keeps_baseline
        self.checks = checks              # extra libsign check: callable(signatures) or None


def _base(folder, **options):
    path = folder / "base.pdf"
    path.write_bytes(pdfgen.base_pdf(**options))
    return path


def _field_names(path, at=AT):
    _, _, sigs = sh.verify_signatures(path, at)
    return [s["field_name"] for s in sigs]


# --- scenario builders (folder -> Signed) ---------------------------------------------------------

def build_bb_invisible(folder):
    out = sh.sign_ok(_base(folder), folder / "bb.pdf", "--field", "ChuKy1")
    return Signed(out, ["ChuKy1"])


def build_bb_visible_seal(folder):
    seal = folder / "seal.png"
    seal.write_bytes(pdfgen.seal_png())
    out = sh.sign_ok(_base(folder), folder / "visible.pdf", "--field", "ChuKyHienThi", "--visible", "1:300,60,260,80",
                     "--image", seal, "--reason", "Phê duyệt hồ sơ", "--location", "Hà Nội")

    def checks(sigs):
        assert sigs[0]["reason"] == "Phê duyệt hồ sơ" and sigs[0]["location"] == "Hà Nội"
    return Signed(out, ["ChuKyHienThi"], checks=checks)


def build_bt(folder):
    if shutil.which("openssl") is None:
        pytest.skip("the test TSA (tests/servers/tsa_server.py) needs the openssl command")
    with running_tsa() as url:
        out = sh.sign_ok(_base(folder), folder / "bt.pdf", "--field", "ChuKyBT", "--level", "B-T", "--tsa", url,
                         "--tsa-profiles-dir", PROFILES_DIR, "--tsa-trust-profile", "test-gov")

    def checks(sigs):
        assert sigs[0]["timestamp"]["present"] and sigs[0]["timestamp"]["valid"], sigs[0]["timestamp"]
        assert "TIMESTAMP_VALID" in codes(sigs[0])
    return Signed(out, ["ChuKyBT"], checks=checks)


def build_certify2_then_approval(folder):
    one = sh.sign_ok(_base(folder), folder / "certified.pdf", "--field", "ChungNhan", "--certify", "2")
    two = sh.sign_ok(one, folder / "approved.pdf", "--field", "PheDuyet", signer="gov-org")

    def checks(sigs):
        assert sigs[0]["kind"] == "certification" and sigs[0]["docmdp_permission"] == 2
        assert sigs[1]["kind"] == "approval"
    return Signed(two, ["ChungNhan", "PheDuyet"], checks=checks)


def build_three_in_a_row(folder):
    current = _base(folder)
    fields = ["ChuKy1", "ChuKy2", "ChuKy3"]
    for i, (signer, field) in enumerate(zip(["gov-official", "gov-org", "gov-official"], fields)):
        current = sh.sign_ok(current, folder / f"s{i + 1}.pdf", "--field", field, signer=signer)
    return Signed(current, fields)


def build_default_field_names(folder):
    """No --field: libsign picks the names itself, two in a row (they must not collide)."""
    one = sh.sign_ok(_base(folder), folder / "d1.pdf")
    two = sh.sign_ok(one, folder / "d2.pdf", signer="gov-org")
    names = _field_names(two)
    assert len(names) == 2 and len(set(names)) == 2, names
    return Signed(two, names)


def build_python_api(folder):
    """The Python binding (load_pkcs12 + sign_pdf): certification P=3, visible, then an approval."""
    libsign = pytest.importorskip("libsign", reason=f"Python module not built in {BUILD_DIR / 'python'}")
    official = libsign.load_pkcs12(str(PKI_DIR / "gov-official.p12"), password_file=str(P12_PASSWORD_FILE))
    org = libsign.load_pkcs12(str(PKI_DIR / "gov-org.p12"), password_file=str(P12_PASSWORD_FILE))
    data = pdfgen.base_pdf()
    data = libsign.sign_pdf(data, official, certify=3, field="PyChungNhan", visible=(1, 72, 60, 220, 70),
                            reason="Chứng nhận", signing_time=SIGNING_TIME)
    data = libsign.sign_pdf(data, org, field="PyPheDuyet", signing_time=SIGNING_TIME)
    out = folder / "python.pdf"
    out.write_bytes(data)

    def checks(sigs):
        assert sigs[0]["kind"] == "certification" and sigs[0]["docmdp_permission"] == 3
    return Signed(out, ["PyChungNhan", "PyPheDuyet"], checks=checks)


def build_xref_streams(folder):
    """(2c) qpdf rewrites the base with object and cross-reference streams; libsign signs twice."""
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf missing")
    rewritten = folder / "xref-streams.pdf"
    proc = sh.run("qpdf", "--object-streams=generate", _base(folder), rewritten)
    assert proc.returncode == 0, proc.stderr
    assert sh.xref_stream_count(rewritten.read_bytes()) == 1
    one = sh.sign_ok(rewritten, folder / "x1.pdf", "--field", "XRef1")
    two = sh.sign_ok(one, folder / "x2.pdf", "--field", "XRef2", signer="gov-org")
    # Each incremental update keeps the file's style: a cross-reference stream, no xref table.
    assert sh.xref_stream_count(two.read_bytes()) == 3
    assert sh.xref_kinds(two.read_bytes()) == ["stream"] * 3
    return Signed(two, ["XRef1", "XRef2"])


def build_pdfsig_then_libsign(folder):
    """(2a) pdfsig -add-signature first (signing time = now), libsign on top (signing time = now)."""
    reason = sh.nss_unavailable()
    if reason:
        pytest.skip(reason)
    (folder / "nss-signer").mkdir()
    db = sh.make_nss_db(folder / "nss-signer")
    first = folder / "pdfsig.pdf"
    sh.pdfsig_add_signature(db, _base(folder), first, "gov-org", "NssKy")
    out = sh.sign_ok(first, folder / "pdfsig-libsign.pdf", "--field", "LibsignKy", signing_time=None)
    at = sh.now_utc()
    if at is None:
        pytest.skip("today is outside the validity of the certs-test leaves (2025-2029)")
    return Signed(out, ["NssKy", "LibsignKy"], at=at, foreign={"NssKy"}, before=first, pdfbox_keeps_baseline=True)


def build_signpdf_then_libsign(folder):
    """(2b) @signpdf (node-forge, adbe.pkcs7.detached, issuer fixed) first, libsign on top."""
    first = folder / "signpdf.pdf"
    if not sign_with_signpdf(_base(folder), first, signer="gov-org", signing_time=SIGNING_TIME,
                             fix_utf8_issuer=True):
        pytest.skip("@signpdf unavailable")
    names = _field_names(first)
    assert len(names) == 1, names
    out = sh.sign_ok(first, folder / "signpdf-libsign.pdf", "--field", "LibsignKy")
    return Signed(out, [names[0], "LibsignKy"], foreign={names[0]}, before=first)


SCENARIOS = {
    "bb-invisible": build_bb_invisible,
    "bb-visible-seal": build_bb_visible_seal,
    "bt-tsa": build_bt,
    "certify2-then-approval": build_certify2_then_approval,
    "three-in-a-row": build_three_in_a_row,
    "default-field-names": build_default_field_names,
    "python-api": build_python_api,
    "xref-streams-twice": build_xref_streams,
    "pdfsig-then-libsign": build_pdfsig_then_libsign,
    "signpdf-then-libsign": build_signpdf_then_libsign,
}
_built = {}


@pytest.fixture(scope="module", params=list(SCENARIOS))
def signed(request, tmp_path_factory):
    """The PDF of one scenario, built once for all its peer checks (a skip is remembered too)."""
    name = request.param
    if name not in _built:
        try:
            _built[name] = SCENARIOS[name](tmp_path_factory.mktemp(name))
        except pytest.skip.Exception as skip:
            _built[name] = skip
    if isinstance(_built[name], pytest.skip.Exception):
        pytest.skip(str(_built[name]))
    return _built[name]


@pytest.fixture(scope="module")
def verify_db(tmp_path_factory):
    """An NSS db for pdfsig verification: gov-root trusted, no keys."""
    reason = sh.nss_unavailable()
    if reason:
        pytest.skip(reason)
    return sh.make_nss_db(tmp_path_factory.mktemp("nss-verify"))


# --- the peers ------------------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf missing")
def test_qpdf_check(signed):
    status, output = sh.qpdf_check(signed.path)
    assert status == 0, output


def test_pdfsig_every_signature_valid(signed, verify_db):
    status, sigs, output = sh.pdfsig_report(verify_db, signed.path)
    assert status == 0, output
    assert [s["field"] for s in sigs] == signed.fields, output
    assert [s["validation"] for s in sigs] == ["Signature is Valid"] * len(signed.fields), output
    assert output.count("Signature is Valid") == len(signed.fields)
    assert sigs[-1]["total"], output


@pytest.mark.skipif(checker_unavailable() is not None, reason=f"PDFBox checker unavailable: {checker_unavailable()}")
def test_pdfbox_every_signature_ok(signed):
    status, lines = run_checker(signed.path)
    expected = [f"SIG {i} {field} OK" for i, field in enumerate(signed.fields, 1)]
    if signed.pdfbox_keeps_baseline:
        # NSS (pdfsig) writes its CMS in indefinite-length BER (30 80 ...), which the checker refuses
        # by design ("/Contents has a bad DER length") already on pdfsig's own file. What libsign
        # owes: its signature is OK and the pdfsig signature keeps exactly the verdict it had before.
        _, before = run_checker(signed.before)
        assert len(before) == 1 and before[0].startswith(f"SIG 1 {signed.fields[0]} "), before
        expected[0] = before[0]
        assert lines == expected, lines
        return
    assert lines == expected, lines
    assert status == 0


def test_libsign_every_signature_total_passed(signed):
    status, indication, sigs = sh.verify_signatures(signed.path, signed.at)
    assert [s["field_name"] for s in sigs] == signed.fields
    assert [s["indication"] for s in sigs] == ["TOTAL_PASSED"] * len(sigs), [sh.summary(s) for s in sigs]
    assert indication == "TOTAL_PASSED" and status == 0
    assert sigs[-1]["coverage"] == "ENTIRE_FILE"
    for sig in sigs[:-1]:  # later signatures are allowed additions, not modifications
        assert sig["modification_level"] == "FORM_FILLING", sh.summary(sig)
        assert "MODIFIED_AFTER_SIGNING" not in codes(sig)
    for sig in sigs:
        if sig["field_name"] in signed.foreign:
            # @signpdf's node-forge CMS has no ESS signing-certificate(-v2): reported, still passed.
            assert codes(sig) & {"DIGEST_MISMATCH", "SIGNER_CERT_NOT_FOUND", "DOCMDP_VIOLATION"} == set()
        else:
            assert "SIGNING_CERTIFICATE_ATTR_MISSING" not in codes(sig)  # libsign's own CMS carries it
    if signed.checks:
        signed.checks(sigs)


def test_libsign_signatures_carry_the_claimed_time(signed):
    """libsign's own signatures (not the peers') carry --signing-time as the signing time."""
    _, _, sigs = sh.verify_signatures(signed.path, signed.at)
    own = [s for s in sigs if s["field_name"] not in signed.foreign]
    assert own
    if signed.at == AT:
        assert {s["signing_time"] for s in own} == {SIGNING_TIME}
    for sig in own:
        assert sig["subfilter"] == "ETSI.CAdES.detached"


# --- DocMDP enforcement on files libsign certified ------------------------------------------------

def _certified_then_filled(folder, level):
    base = _base(folder, text_field="HoTen")
    certified = sh.sign_ok(base, folder / f"certified-p{level}.pdf", "--field", "ChungNhan", "--certify", str(level))
    filled = folder / f"filled-p{level}.pdf"
    filled.write_bytes(pdfgen.fill_text_field(certified.read_bytes(), "HoTen", "Nguyen Van An"))
    return certified, filled


def test_certified_p1_unchanged_passes(tmp_path):
    certified, _ = _certified_then_filled(tmp_path, 1)
    status, indication, sigs = sh.verify_signatures(certified)
    assert sigs[0]["kind"] == "certification" and sigs[0]["docmdp_permission"] == 1
    assert sigs[0]["indication"] == "TOTAL_PASSED" and status == 0, sh.summary(sigs[0])


def test_certified_p1_then_form_filling_is_docmdp_violation(tmp_path):
    _, filled = _certified_then_filled(tmp_path, 1)
    status, indication, sigs = sh.verify_signatures(filled)
    assert len(sigs) == 1 and sigs[0]["docmdp_permission"] == 1
    assert "DOCMDP_VIOLATION" in codes(sigs[0]), sh.summary(sigs[0])
    assert sigs[0]["indication"] != "TOTAL_PASSED"
    assert indication != "TOTAL_PASSED" and status != 0


def test_certified_p1_refuses_a_further_signature(tmp_path):
    """P=1 forbids any change, a further signature included: libsign's signer refuses (exit 3, no output)."""
    certified, _ = _certified_then_filled(tmp_path, 1)
    out = tmp_path / "p1-signed.pdf"
    proc = sh.sign(certified, out, "--field", "PheDuyet", signer="gov-org")
    assert proc.returncode == 3 and "[DOCMDP_FORBIDS_SIGNING]" in proc.stderr, proc.stderr
    assert not out.exists()


def test_certified_p2_then_form_filling_passes(tmp_path):
    _, filled = _certified_then_filled(tmp_path, 2)
    status, indication, sigs = sh.verify_signatures(filled)
    assert len(sigs) == 1 and sigs[0]["docmdp_permission"] == 2
    assert sigs[0]["indication"] == "TOTAL_PASSED", sh.summary(sigs[0])
    assert sigs[0]["modification_level"] == "FORM_FILLING"
    assert "DOCMDP_VIOLATION" not in codes(sigs[0])
    assert sigs[0]["coverage"] != "ENTIRE_FILE"
    assert indication == "TOTAL_PASSED" and status == 0


@pytest.mark.skipif(checker_unavailable() is not None, reason=f"PDFBox checker unavailable: {checker_unavailable()}")
def test_certified_p2_then_form_filling_pdfbox_ok_with_later_updates(tmp_path):
    """The filled revision follows the signature: PDFBox accepts it with --allow-later-updates only."""
    _, filled = _certified_then_filled(tmp_path, 2)
    status, lines = run_checker(filled, "--allow-later-updates")
    assert lines == ["SIG 1 ChungNhan OK"] and status == 0, lines
    status, lines = run_checker(filled)
    assert status == 1 and lines[0].startswith("SIG 1 ChungNhan FAIL"), lines


def test_certified_p2_then_form_filling_pdfsig_valid(tmp_path, verify_db):
    _, filled = _certified_then_filled(tmp_path, 2)
    status, sigs, output = sh.pdfsig_report(verify_db, filled)
    assert status == 0 and [s["validation"] for s in sigs] == ["Signature is Valid"], output
    assert not sigs[0]["total"], output  # pdfsig sees the later revision
