"""Seed corpora for the libFuzzer harnesses: small real inputs of each kind, from the project's own
generators and, when present, ../shared/corpus (never copied into the repository).

    make_seeds.py OUT_DIR --cli BUILD/libsign

OUT_DIR/<harness>/ gets the seeds of each harness (fuzz/fuzz_<harness>.cpp)."""
import argparse
import datetime as dt
import hashlib
import pathlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "tools"))
import cms_build  # noqa: E402
import make_cases  # noqa: E402
import xml_forms  # noqa: E402

PKI = ROOT / "certs-test" / "pki"
SHARED = ROOT.parent / "shared" / "corpus"
MAX_SEED = 256 * 1024  # bigger inputs slow every execution down


def put(out, harness, name, data):
    if len(data) > MAX_SEED:
        return
    folder = out / harness
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def signed_pdfs(workdir):
    """A few signed PDFs made as the fixtures are (tests/tools/make_cases.py)."""
    fixtures = workdir / "fixtures"
    subprocess.run([sys.executable, str(ROOT / "tests/tools/make_cases.py"), str(fixtures)], check=True,
                   stdout=subprocess.DEVNULL)
    return sorted(fixtures.glob("*.pdf"))


def cms_of(pdf):
    """The /Contents CMS of a signed PDF (hex, trailing zero padding removed)."""
    m = re.search(rb"/Contents\s*<([0-9A-Fa-f]+)>", pdf)
    if not m:
        return None
    return bytes.fromhex(m.group(1).decode()).rstrip(b"\0")


def png(width, height, color_type, rows):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def ocsp_response(workdir):
    serial = subprocess.run(["openssl", "x509", "-in", PKI / "gov-official.pem", "-noout", "-serial"],
                            capture_output=True, text=True, check=True).stdout.strip().split("=")[1]
    index = workdir / "index.txt"
    index.write_text(f"V\t351231235959Z\t\t{serial}\tunknown\t/CN=seed\n")
    req, resp = workdir / "req.der", workdir / "resp.der"
    subprocess.run(["openssl", "ocsp", "-issuer", PKI / "gov-ca.pem", "-cert", PKI / "gov-official.pem", "-no_nonce",
                    "-reqout", req], capture_output=True, check=True)
    subprocess.run(["openssl", "ocsp", "-index", index, "-CA", PKI / "gov-ca.pem", "-rsigner", PKI / "gov-ocsp.pem",
                    "-rkey", PKI / "gov-ocsp.key.pem", "-reqin", req, "-respout", resp, "-ndays", "30"],
                   capture_output=True, check=True)
    return resp.read_bytes()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--cli", type=pathlib.Path, required=True)
    args = parser.parse_args()
    out = args.out
    shutil.rmtree(out, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        pdfs = signed_pdfs(work)
        for path in pdfs:
            data = path.read_bytes()
            put(out, "fuzz_pdf_document", path.name, data)
            put(out, "fuzz_verify", path.name, data)
            cms = cms_of(data)
            if cms:
                put(out, "fuzz_cms", path.stem + ".p7s", cms)
                put(out, "fuzz_verify", path.stem + ".p7s", cms)
        if SHARED.is_dir():
            small = sorted(p for p in (SHARED / "realworld-pdf").rglob("*.pdf") if p.stat().st_size < 64 * 1024)
            for p in small[:80]:
                put(out, "fuzz_pdf_document", "rw-" + p.name, p.read_bytes())
            for p in sorted((SHARED / "xmldsig-interop").rglob("*.xml"))[:60]:
                put(out, "fuzz_xml_signature", p.parent.name + "-" + p.name, p.read_bytes())
                put(out, "fuzz_verify", p.parent.name + "-" + p.name, p.read_bytes())
            for p in sorted((SHARED / "vn-einvoice").rglob("*.xml")):
                put(out, "fuzz_xml_signature", p.name, p.read_bytes())

        # An XML e-form signed by libsign (enveloped XML-DSig).
        form = work / "form.xml"
        form.write_bytes(xml_forms.einvoice(items=3))
        signed_form = work / "form-signed.xml"
        subprocess.run([str(args.cli), "sign", str(form), "-o", str(signed_form), "--p12", str(PKI / "gov-official.p12"),
                        "--password-file", str(PKI / "p12-password.txt")], check=True, capture_output=True)
        put(out, "fuzz_xml_signature", "libsign-form.xml", signed_form.read_bytes())
        put(out, "fuzz_verify", "libsign-form.xml", signed_form.read_bytes())

        # Timestamp tokens, CRLs and an OCSP response of the test PKI.
        pki = make_cases.Pki(str(PKI))
        when = dt.datetime(2026, 6, 20, 3, 0, tzinfo=dt.timezone.utc)
        token = cms_build.timestamp_token(hashlib.sha256(b"seed").digest(), pki.tsa(), when)
        put(out, "fuzz_timestamp", "token.der", token)
        put(out, "fuzz_cms", "token.der", token)
        for crl in sorted(PKI.glob("*.crl.der")):
            put(out, "fuzz_revocation", crl.name, b"\x00" + crl.read_bytes())
        put(out, "fuzz_revocation", "ocsp.der", b"\x01" + ocsp_response(work))

        # A ZIP archive of dossiers, as diagnose reads them.
        archive = work / "a.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for path in pdfs[:2]:
                z.write(path, "ho-so/" + path.name)
            z.writestr("empty/", b"")
        put(out, "fuzz_zip", "archive.zip", archive.read_bytes())

        # PNG: gray, gray+alpha, RGB, RGBA, palette-free.
        for color_type, channels in ((0, 1), (4, 2), (2, 3), (6, 4)):
            rows = b"".join(b"\x00" + bytes(range(channels * 4)) for _ in range(4))
            put(out, "fuzz_png", f"type{color_type}.png", png(4, 4, color_type, rows))

        # TrueType: the default font, subset by libsign itself would be smaller; the full one is the real input.
        font = pathlib.Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        if font.exists():
            folder = out / "fuzz_truetype"
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy(font, folder / font.name)

        # The diagnose state file and a two-phase signing state, written by the command itself.
        state = work / "state.jsonl"
        subprocess.run([str(args.cli), "diagnose", str(pdfs[0].parent), "--state", str(state), "-q", "--offline",
                        "--revocation", "optional"], capture_output=True)
        for i, line in enumerate(state.read_bytes().splitlines()[:6]):
            put(out, "fuzz_diagnose_state", f"line{i}.json", line)
        prepared = work / "prepared.json"
        subprocess.run([str(args.cli), "sign", str(pdfs[0]), "-o", str(work / "x.pdf"), "--cert", str(PKI / "gov-official.pem"),
                        "--external-prepare", str(prepared)], capture_output=True)
        if prepared.exists():
            put(out, "fuzz_external_state", "state.json", prepared.read_bytes())

        for i, uri in enumerate(["pkcs11:token=Ban%20Co%20yeu;object=key1;type=private",
                                 "pkcs11:model=SoftHSM%20v2;serial=1234;id=%01%02?pin-source=file:/tmp/pin",
                                 "pkcs11:library-description=x;slot-id=0"]):
            put(out, "fuzz_pkcs11_uri", f"uri{i}", uri.encode())


if __name__ == "__main__":
    main()
