#!/usr/bin/python3
"""Write the benchmark inputs into OUTDIR (never into the repository).

    /usr/bin/python3 bench/make_inputs.py OUTDIR [--small N] [--big-mb M]

OUTDIR/small/doc-NNN.pdf  N distinct one-page PDFs, each signed by gov-official with the
                          whole chain embedded (same shape as the official.pdf fixture;
                          distinct titles, so every file has its own bytes and digests)
OUTDIR/big.pdf            a one-page PDF holding an M MB incompressible image stream
                          (random bytes), signed the same way; the signature covers it all
OUTDIR/big-unsigned.pdf   the same file before signing (the input of the signing benchmark)
OUTDIR/nss/               an NSS database trusting gov-root and gov-ca, for pdfsig
OUTDIR/unsigned/doc-NNN.pdf  --unsigned K distinct unsigned one-page PDFs (inputs for signing)
OUTDIR/nss-sign/          an NSS database holding gov-official's key and chain (from its .p12),
                          for `pdfsig -add-signature -nick gov-official` (only with --unsigned)

Uses tests/tools/pdfgen.py (standard library + the `openssl`, `certutil` and `pk12util` programs).
"""

import argparse
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))

import pdfgen  # noqa: E402

PKI = os.path.join(REPO, "certs-test", "pki")
KEY = os.path.join(PKI, "gov-official.key.pem")
CERT = os.path.join(PKI, "gov-official.pem")
CHAIN = [os.path.join(PKI, "gov-chain.pem")]
P12 = os.path.join(PKI, "gov-official.p12")
P12_PASSWORD = os.path.join(PKI, "p12-password.txt")


def signed(base):
    return pdfgen.sign(base, KEY, CERT, CHAIN)


def big_base(megabytes):
    """base_pdf() plus an incremental update adding an image XObject of `megabytes` MB
    of random bytes (a DeviceGray 8-bit image, 10000 pixels wide) to page 1."""
    base = pdfgen.base_pdf(title="Hồ sơ lớn (benchmark)")
    width = 10000
    height = max(1, megabytes * 1000 * 1000 // width)
    upd = pdfgen.Update(base)
    image = upd.add(pdfgen.Stream({
        "Type": pdfgen.Name("XObject"), "Subtype": pdfgen.Name("Image"),
        "Width": width, "Height": height, "ColorSpace": pdfgen.Name("DeviceGray"),
        "BitsPerComponent": 8}, os.urandom(width * height)))
    page_ref = pdfgen._pages(upd)[0]
    page = upd.get(page_ref)
    page["Resources"]["XObject"] = {"Im1": image}
    upd.put(page_ref, page)
    data, _ = upd.write()
    return data


def make_nss(directory):
    os.makedirs(directory, exist_ok=True)
    subprocess.run(["certutil", "-N", "-d", "sql:" + directory, "--empty-password"],
                   check=True, stdout=subprocess.DEVNULL)
    for nick, name in (("gov-root", "gov-root.pem"), ("gov-ca", "gov-ca.pem")):
        subprocess.run(["certutil", "-A", "-d", "sql:" + directory, "-n", nick,
                        "-t", "CT,C,C", "-i", os.path.join(PKI, name)],
                       check=True, stdout=subprocess.DEVNULL)


def make_nss_signer(directory):
    """An NSS database (empty NSS password) with gov-official's key and certificates, as
    tests/interop/test_pdfsig_signed.py builds it; kept apart from nss/ so that the verification
    benchmark's database stays as it was."""
    make_nss(directory)
    subprocess.run(["pk12util", "-i", P12, "-d", "sql:" + directory, "-w", P12_PASSWORD],
                   check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--small", type=int, default=200)
    ap.add_argument("--big-mb", type=int, default=100)
    ap.add_argument("--unsigned", type=int, default=0, help="unsigned one-page PDFs for signing")
    args = ap.parse_args()

    small_dir = os.path.join(args.outdir, "small")
    os.makedirs(small_dir, exist_ok=True)
    for i in range(args.small):
        path = os.path.join(small_dir, "doc-%03d.pdf" % i)
        with open(path, "wb") as f:
            f.write(signed(pdfgen.base_pdf(title="Hồ sơ thử nghiệm số %d" % i)))
    if args.big_mb > 0:
        base = big_base(args.big_mb)
        with open(os.path.join(args.outdir, "big.pdf"), "wb") as f:
            f.write(signed(base))
        if args.unsigned > 0:
            with open(os.path.join(args.outdir, "big-unsigned.pdf"), "wb") as f:
                f.write(base)
            del base
    make_nss(os.path.join(args.outdir, "nss"))
    if args.unsigned > 0:
        unsigned_dir = os.path.join(args.outdir, "unsigned")
        os.makedirs(unsigned_dir, exist_ok=True)
        for i in range(args.unsigned):
            with open(os.path.join(unsigned_dir, "doc-%03d.pdf" % i), "wb") as f:
                f.write(pdfgen.base_pdf(title="Hồ sơ chờ ký số %d" % i))
        make_nss_signer(os.path.join(args.outdir, "nss-sign"))


if __name__ == "__main__":
    main()
