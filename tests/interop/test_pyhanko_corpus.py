"""libsign against pyHanko's signed test PDFs (../shared/corpus/pyhanko), checked against the
expectations in its EXPECTED.tsv, with pyHanko's own test PKI as the only trust.

Which trust: data/crypto/testing-ca/root/root.cert.pem (self-signed root) and
testing-ca/root/interm.cert.pem (its intermediate), plus data/crypto/selfsigned.cert.pem (a
self-signed signer certificate used directly by several files). The Ed25519/Ed448/ECDSA files were
made with other generations of pyHanko's PKI that the corpus does not hold: their chains cannot be
trusted, and libsign has to say so (INDETERMINATE with a finding).

Validation time: pinned per file inside the signer certificate's validity (see at_for).
"""
import calendar
import pathlib
import re
import subprocess
import time

import pytest

from conftest import OFFLINE, SHARED_DIR, codes, run_cli, verify_json

PYHANKO = SHARED_DIR / "corpus" / "pyhanko"
CRYPTO = PYHANKO / "data" / "crypto"
ROOT = CRYPTO / "testing-ca" / "root" / "root.cert.pem"
INTERMEDIATE = CRYPTO / "testing-ca" / "root" / "interm.cert.pem"
SELF_SIGNED = CRYPTO / "selfsigned.cert.pem"
TRUST = ["--trust-profile", "none", "--trust", ROOT, "--trust", INTERMEDIATE, "--trust", SELF_SIGNED, *OFFLINE]

# Alice (testing-ca intermediate) is valid 2020-01-01 -> 2022-01-01: after the signing times of the
# files whose trust we judge (up to 2021-08-18).
AT_DEFAULT = "2021-09-01T00:00:00Z"
# Signed 2020-11-01 by "Lord Testerino" <test@example.com>, valid 2020-01-01 -> 2021-01-01.
AT_EARLY = "2020-12-01T00:00:00Z"
EARLY_FILES = {"certified-with-indirect-refs-in-dir.pdf", "separate-annots-kids-indir.pdf", "sig-no-signed-attrs.pdf"}

KNOWN_BUGS = {}  # path -> reason; each entry is a strict xfail until libsign is fixed


def classify(path, text):
    if "/coverage-anomalies/" in path:
        return "coverage"
    if "encrypted" in path:
        return "encrypted"
    if re.search(r"attack|reject|negative|expected OTHER|SuspiciousModification", text):
        return "reject"
    if "expected FORM_FILLING" in text:
        return "form_filling"
    if re.search(r"\bvalid\b", text):
        return "valid"
    return "other"


def corpus_rows():
    table = PYHANKO / "EXPECTED.tsv"
    if not table.is_file():
        return [pytest.param(None, None, None, marks=pytest.mark.skip(reason=f"pyHanko corpus not present at {PYHANKO}"),
                             id="corpus-absent")]
    rows = []
    for line in table.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip():
            continue
        path, text = line.split("\t", 1)
        rows.append(pytest.param(path, classify(path, text), text, id=path.removeprefix("data/pdf/")))
    return rows


ROWS = corpus_rows()


def rows_of(*kinds):
    return [r for r in ROWS if r.values[1] in kinds or r.values[0] is None]


def at_for(path):
    return AT_EARLY if pathlib.PurePath(path).name in EARLY_FILES else AT_DEFAULT


def verify(path):
    return verify_json(PYHANKO / path, *TRUST, "--at", at_for(path))


def in_revision_order(report):
    return sorted(report["document"]["signatures"], key=lambda s: s["revision"])


# --- an independent chain oracle (openssl) for the "valid" rows -------------------------------

def cms_of(pdf, byte_range):
    """The DER CMS in the /Contents hole of a ByteRange [a, b, c, d]."""
    hole = pdf[byte_range[0] + byte_range[1]:byte_range[2]].strip().lstrip(b"<").rstrip(b">")
    der = bytes.fromhex(hole.decode("ascii"))
    length_byte = der[1]
    if length_byte < 0x80:
        return der[:2 + length_byte]
    count = length_byte & 0x7F
    return der[:2 + count + int.from_bytes(der[2:2 + count], "big")]


def pem_blocks(text):
    return re.findall(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n", text, re.S)


def openssl(*args, data=None):
    return subprocess.run(["openssl", *map(str, args)], input=data, capture_output=True, timeout=30)


def chain_trusted_by_openssl(pdf, byte_range, at, tmp_path):
    """True when `openssl verify` finds a path from the CMS's end-entity certificate to the corpus
    trust at `at`."""
    cms_file, certs_file = tmp_path / "sig.p7s", tmp_path / "certs.pem"
    cms_file.write_bytes(cms_of(pdf, byte_range))
    # Only extracts the certificates (-noverify -nosigs): pkcs7 -print_certs cannot read a SKI SignerIdentifier.
    openssl("cms", "-verify", "-inform", "DER", "-in", cms_file, "-binary", "-content", "/dev/null",
            "-noverify", "-nosigs", "-certsout", certs_file, "-out", "/dev/null")
    certs = pem_blocks(certs_file.read_text()) if certs_file.exists() else []
    if not certs:
        return False
    names = [openssl("x509", "-noout", "-subject", "-issuer", "-nameopt", "RFC2253", data=c.encode()).stdout.decode()
             for c in certs]
    subjects = [re.search(r"subject=(.*)", n).group(1) for n in names]
    issuers = [re.search(r"issuer=(.*)", n).group(1) for n in names]
    # The end entity is the certificate that issues none of the others.
    leaves = [cert for k, cert in enumerate(certs)
              if not any(issuers[j] == subjects[k] for j in range(len(certs)) if j != k)]
    anchors = tmp_path / "anchors.pem"
    anchors.write_text(ROOT.read_text() + SELF_SIGNED.read_text())
    untrusted = tmp_path / "untrusted.pem"
    untrusted.write_text(INTERMEDIATE.read_text() + "".join(certs))
    epoch = calendar.timegm(time.strptime(at, "%Y-%m-%dT%H:%M:%SZ"))
    for leaf in leaves:
        leaf_file = tmp_path / "leaf.pem"
        leaf_file.write_text(leaf)
        proc = openssl("verify", "-attime", epoch, "-CAfile", anchors, "-untrusted", untrusted, leaf_file)
        if proc.returncode == 0:
            return True
    return False


# --- tests ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, kind, text", ROWS)
def test_never_crashes_and_is_fast(path, kind, text):
    start = time.monotonic()
    proc = run_cli("verify", PYHANKO / path, "--format", "json", *TRUST, "--at", at_for(path), timeout=30)
    elapsed = time.monotonic() - start
    assert 0 <= proc.returncode <= 3, f"exit status {proc.returncode} (a negative one is a signal): {proc.stderr}"
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert proc.stdout.lstrip().startswith("{"), proc.stderr


@pytest.mark.parametrize("path, kind, text", rows_of("reject", "encrypted"))
def test_attacks_and_negatives_are_not_passed(path, kind, text):
    status, report = verify(path)
    if kind == "encrypted":
        assert status == 3 or report["document"]["indication"] != "TOTAL_PASSED"
        return
    assert report["document"]["indication"] != "TOTAL_PASSED"
    assert status != 0
    first = in_revision_order(report)[0]
    assert first["indication"] != "TOTAL_PASSED", codes(first)
    if "expected OTHER" in text or "expected ModificationLevel.OTHER" in text:
        assert first["modification_level"] == "OTHER"


@pytest.mark.parametrize("path, kind, text", rows_of("form_filling"))
def test_form_filling_after_signing_is_recognised(path, kind, text):
    status, report = verify(path)
    first = in_revision_order(report)[0]
    assert first["modification_level"] == "FORM_FILLING"
    assert "MODIFIED_AFTER_SIGNING" not in codes(first)


@pytest.mark.parametrize("path, kind, text", rows_of("valid"))
def test_valid_files(path, kind, text, tmp_path, request):
    if path in KNOWN_BUGS:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[path]))
    status, report = verify(path)
    at = at_for(path)
    pdf = (PYHANKO / path).read_bytes()
    for sig in report["document"]["signatures"]:
        assert sig["sub_indication"] not in ("HASH_FAILURE", "SIG_CRYPTO_FAILURE"), codes(sig)
        assert sig["indication"] != "TOTAL_FAILED", (sig["sub_indication"], codes(sig))
        if chain_trusted_by_openssl(pdf, sig["byte_range"], at, tmp_path):
            assert sig["indication"] == "TOTAL_PASSED", (sig["id"], sig["sub_indication"], codes(sig))
        else:
            # libsign cannot judge it with this trust: it has to say why.
            assert sig["indication"] == "INDETERMINATE", (sig["id"], codes(sig))
            assert sig["findings"]
    assert status in (0, 2)


@pytest.mark.parametrize("path, kind, text", rows_of("coverage"))
def test_coverage_anomalies_are_not_passed(path, kind, text):
    if path is not None and path.endswith("/base.pdf"):
        pytest.skip("base.pdf is the unmodified baseline of the anomaly variants")
    status, report = verify(path)
    assert report["document"]["indication"] != "TOTAL_PASSED"
    for sig in report["document"]["signatures"]:
        assert sig["indication"] != "TOTAL_PASSED", (sig["coverage"], codes(sig))


def test_far_future_not_after_is_reported_as_is(shared_corpus):
    if not ROOT.is_file():
        pytest.skip(f"pyHanko corpus not present at {PYHANKO}")
    status, report = verify("data/pdf/sig-with-ski-sid.pdf")
    root = report["document"]["signatures"][0]["chain"][-1]
    assert root["self_signed"]
    assert root["not_after"] == "2500-01-01T00:00:00Z"


def test_eddsa_files_are_judged_by_their_value():
    """pyHanko's Ed448 files: the value is verified (their chain is not in the corpus, so the valid
    one stays INDETERMINATE for that reason only); Ed448 named with SHA-512 breaks RFC 8419."""
    status, report = verify("data/pdf/ed448-shake256-nolen.pdf")
    sig = report["document"]["signatures"][0]
    assert {c["step"]: c["status"] for c in sig["checks"]}["signature_value"] == "passed"
    assert "SIGNATURE_ALGORITHM_UNSUPPORTED" not in codes(sig) and "SIGNATURE_INVALID" not in codes(sig)
    assert sig["sub_indication"] == "NO_CERTIFICATE_CHAIN_FOUND", codes(sig)
    status, report = verify("data/pdf/ed448-disallowed-hash.pdf")
    sig = report["document"]["signatures"][0]
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert "DIGEST_ALGORITHM_NOT_ALLOWED" in codes(sig)
