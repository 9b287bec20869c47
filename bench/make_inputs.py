#!/usr/bin/python3
"""Write the benchmark inputs into OUTDIR (never into the repository).

    /usr/bin/python3 bench/make_inputs.py OUTDIR [--small N] [--big-mb M]

OUTDIR/small/doc-NNN.pdf  N distinct one-page PDFs, each signed by gov-official with the
                          whole chain embedded (same shape as the official.pdf fixture;
                          distinct titles, so every file has its own bytes and digests)
OUTDIR/big.pdf            a one-page PDF holding an M MB incompressible image stream
                          (random bytes), signed the same way; the signature covers it all
OUTDIR/nss/               an NSS database trusting gov-root and gov-ca, for pdfsig

Uses tests/tools/pdfgen.py (standard library + the `openssl` and `certutil` programs).
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--small", type=int, default=200)
    ap.add_argument("--big-mb", type=int, default=100)
    args = ap.parse_args()

    small_dir = os.path.join(args.outdir, "small")
    os.makedirs(small_dir, exist_ok=True)
    for i in range(args.small):
        path = os.path.join(small_dir, "doc-%03d.pdf" % i)
        with open(path, "wb") as f:
            f.write(signed(pdfgen.base_pdf(title="Hồ sơ thử nghiệm số %d" % i)))
    if args.big_mb > 0:
        with open(os.path.join(args.outdir, "big.pdf"), "wb") as f:
            f.write(signed(big_base(args.big_mb)))
    make_nss(os.path.join(args.outdir, "nss"))


if __name__ == "__main__":
    main()
