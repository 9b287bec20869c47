#!/usr/bin/python3
"""Write an archive of dossiers with a known mix of signature faults, for `libsign diagnose`.

    /usr/bin/python3 tests/tools/make_diagnose_corpus.py OUTDIR [--copies N] [--zip] [--manifest FILE]

Each fault kind is signed once from certs-test (tests/tools/pdfgen, independent of libsign) and
copied `copies` times into portal/commune folders. The manifest (JSON) says, for every kind, how
many files were written, the indication its signature must get and the finding code it is made
to show, so a test can derive the expected counts without running libsign. Validation options:
PROFILE_ARGS below (a profile with the government root only, the public PKI known as "other").
"""

import argparse
import json
import os
import shutil
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import make_cases  # noqa: E402
import pdfgen  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AT = "2026-07-01T00:00:00Z"
PORTALS = {"dvc-quoc-gia": ["xa-an-binh", "phuong-1"], "mot-cua-tinh": ["xa-tan-lap", "phuong-2", "thi-tran"]}

# kind -> (indication, code, how it is made). One row per file (one signature, or one file row).
KINDS = {
    "valid": ("TOTAL_PASSED", None, "gov-official, whole chain"),
    "expired": ("INDETERMINATE", "CERT_EXPIRED_AT_SIGNING_TIME", "certificate expired 2024, signed 2026"),
    "revoked": ("TOTAL_FAILED", "CERT_REVOKED", "revoked 2026-01-15, CRL embedded, signed (claimed) after it"),
    "wrong-pki": ("INDETERMINATE", "TRUST_ANCHOR_WRONG_PKI", "public-PKI signer, government profile"),
    "missing-intermediate": ("INDETERMINATE", "CHAIN_INCOMPLETE", "only the leaf embedded, profile has only the root"),
    "modified": ("TOTAL_FAILED", "DIGEST_MISMATCH", "a signed byte of the page text changed"),
    "sha1": ("INDETERMINATE", "WEAK_DIGEST_SHA1", "CMS digest SHA-1"),
    "zone-skew": ("TOTAL_PASSED", "SIGNING_TIME_ZONE_SKEW", "local time written as UTC, timestamped"),
    "unsigned": ("INDETERMINATE", "NO_SIGNATURE_FOUND", "a PDF without signature"),
    "corrupt": ("ERROR", "INPUT_TRUNCATED", "a signed PDF cut in half"),
    "not-pdf": ("ERROR", "INPUT_NOT_PDF", "a photo (JPEG) uploaded as .pdf"),
}


def profile_dir(out):
    """Profiles for the corpus: diag-gov (government root only) and test-public."""
    profiles = os.path.join(out, "profiles")
    os.makedirs(os.path.join(profiles, "diag-gov"), exist_ok=True)
    shutil.copy(os.path.join(REPO, "certs-test/pki/gov-root.pem"), os.path.join(profiles, "diag-gov"))
    shutil.copytree(os.path.join(REPO, "certs-test/profiles/test-public"), os.path.join(profiles, "test-public"), dirs_exist_ok=True)
    return profiles


def templates(pki):
    base = pdfgen.base_pdf()
    sign = lambda signer, options="chain=full": make_cases.sign_case(base, pki, signer, options)  # noqa: E731
    valid = sign("gov-official")
    return {
        "valid": valid,
        "expired": sign("gov-expired"),
        "revoked": sign("gov-revoked", "chain=full,crl=embed"),
        "wrong-pki": sign("public-remote"),
        "missing-intermediate": sign("gov-official", "chain=leaf"),
        "modified": pdfgen.flip_byte(valid, valid.index(b"(Ho so)") + 1),
        "sha1": sign("gov-official", "chain=full,md=sha1"),
        "zone-skew": sign("gov-official", "chain=full,time=2026-06-15T09:00:00Z,tst=2026-06-15T02:00:05Z"),
        "unsigned": base,
        "corrupt": valid[: len(valid) // 2],
        "not-pdf": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 8,
    }


def write(out, copies, as_zip=False, mix=None):
    """Writes `copies` rounds, each with mix[kind] files of every kind (default one), spread over the
    portal/commune folders; returns the manifest."""
    pki = make_cases.Pki(os.path.join(REPO, "certs-test/pki"))
    data = templates(pki)
    folders = [os.path.join(p, c) for p, cs in PORTALS.items() for c in cs]
    archive = os.path.join(out, "archive")
    counts = {k: 0 for k in KINDS}
    n = 0
    zip_file = zipfile.ZipFile(os.path.join(out, "archive.zip"), "w", zipfile.ZIP_DEFLATED) if as_zip else None
    plan = [(kind, j) for kind in data for j in range((mix or {}).get(kind, 1) if mix else 1)]
    for i in range(copies):
        for kind, j in plan:
            content = data[kind]
            folder = folders[n % len(folders)]
            name = "%s/ho-so-%05d-%s%s.pdf" % (folder, i, kind, "-%d" % j if j else "")
            n += 1
            counts[kind] += 1
            if zip_file:
                zip_file.writestr(name, content)
                continue
            path = os.path.join(archive, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(content)
    if zip_file:
        zip_file.close()
    return {
        "root": "archive.zip" if as_zip else "archive",
        "profiles_dir": profile_dir(out),
        "args": ["--profiles-dir", os.path.join(out, "profiles"), "--trust-profile", "diag-gov", "--at", AT,
                 "--offline", "--revocation", "optional"],
        "folders": folders,
        "kinds": {k: {"files": counts[k], "indication": KINDS[k][0], "code": KINDS[k][1]} for k in KINDS},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("outdir")
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--zip", action="store_true", help="write archive.zip instead of the archive/ folder")
    parser.add_argument("--manifest")
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    manifest = write(args.outdir, args.copies, args.zip)
    if args.manifest:
        with open(args.manifest, "w") as f:
            json.dump(manifest, f, indent=2)
    print("wrote %d files" % sum(k["files"] for k in manifest["kinds"].values()), file=sys.stderr)


if __name__ == "__main__":
    main()
