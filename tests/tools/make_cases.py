#!/usr/bin/python3
"""Write the signed-PDF fixtures for every CASES.tsv row, plus extra fixtures.

    /usr/bin/python3 tests/tools/make_cases.py OUTDIR [--pki certs-test/pki]
                                                      [--cases certs-test/CASES.tsv]
"""

import argparse
import csv
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cms_build  # noqa: E402
import der  # noqa: E402
import pdfgen  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Pki:
    """Files of certs-test/pki: <name>.pem, <name>.key.pem, *-chain.pem, *.crl.der."""

    def __init__(self, directory):
        self.dir = directory
        self.chains = {}   # chain file -> subject DER of its first certificate
        for path in sorted(glob.glob(os.path.join(directory, "*-chain.pem"))):
            self.chains[path] = der.cert_subject_der(der.read_certs(path)[0])
        self.crls = {}     # CRL file -> issuer DER
        for path in sorted(glob.glob(os.path.join(directory, "*.crl.der"))):
            with open(path, "rb") as f:
                self.crls[path] = der.crl_issuer_der(f.read())

    def cert_path(self, name):
        return os.path.join(self.dir, name + ".pem")

    def key_path(self, name):
        return os.path.join(self.dir, name + ".key.pem")

    def cert(self, name):
        return der.read_certs(self.cert_path(name))[0]

    def chain_for(self, name):
        """The chain file whose first certificate issued `name`."""
        issuer = der.cert_issuer_der(self.cert(name))
        for path, subject in self.chains.items():
            if subject == issuer:
                return [path]
        raise LookupError("no *-chain.pem starts with the issuer of %s" % name)

    def crls_for(self, name):
        issuer = der.cert_issuer_der(self.cert(name))
        result = []
        for path, crl_issuer in self.crls.items():
            if crl_issuer == issuer:
                with open(path, "rb") as f:
                    result.append(f.read())
        return result

    def tsa(self, name="gov-tsa"):
        chain = [c for p in self.chain_for(name) for c in der.read_certs(p)]
        return cms_build.Tsa(self.key_path(name), self.cert(name), chain)

    def signer(self, name):
        """Positional arguments of pdfgen.sign for signer `name`."""
        return self.key_path(name), self.cert_path(name), self.chain_for(name)


def read_cases(path):
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#") and line.strip()]
    return list(csv.DictReader(lines, delimiter="\t"))


def sign_case(base, pki, signer, options, **kwargs):
    opts = pdfgen.parse_options(options)
    tsa = pki.tsa() if opts.get("tst") else None
    crls = pki.crls_for(signer) if opts.get("crl") == "embed" else None
    return pdfgen.sign(base, *pki.signer(signer), options=opts, tsa=tsa,
                       crls_der=crls, **kwargs)


def case_fixtures(pki, cases):
    base = pdfgen.base_pdf()
    for row in cases:
        yield row["case"], sign_case(base, pki, row["signer"], row["options"])


def extra_fixtures(pki):
    official = pki.signer("gov-official")
    plain = pdfgen.base_pdf()
    with_field = pdfgen.base_pdf(text_field="HoTen")
    signed = pdfgen.sign(plain, *official)

    yield "unsigned", plain
    yield "empty-field", pdfgen.base_pdf(empty_sig_field="Signature1")
    yield "two-signatures", pdfgen.sign(
        signed, *pki.signer("gov-org"), field_name="Signature2",
        options={"time": "2026-06-15T03:00:00Z"})
    for label, p in (("certified-p1", 1), ("certified-p2", 2), ("approval", None)):
        doc = pdfgen.sign(with_field, *official, certify_p=p)
        yield label + "-then-fill", pdfgen.fill_text_field(doc, "HoTen", "Nguyễn Văn A")
    yield "then-annotation", pdfgen.add_annotation(signed)
    yield "then-content-change", pdfgen.change_page_content(signed)
    chain_der = [c for p in official[2] for c in der.read_certs(p)]
    yield "then-dss", pdfgen.add_dss(signed, certs_der=chain_der,
                                     crls_der=pki.crls_for("gov-official"))
    tsa = pki.tsa()
    yield "doc-timestamp", pdfgen.add_doc_timestamp(
        signed, tsa.key_path, pki.cert_path("gov-tsa"), pki.chain_for("gov-tsa"),
        "2026-06-15T02:10:00Z")
    yield "garbage-after", pdfgen.append_garbage(signed)
    # A byte of the page text "(Ho so)": inside the first signed range, and
    # the file stays well-formed.
    yield "tampered", pdfgen.flip_byte(signed, signed.index(b"(Ho so)") + 1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("outdir")
    parser.add_argument("--pki", default=os.path.join(REPO, "certs-test", "pki"))
    parser.add_argument("--cases", default=os.path.join(REPO, "certs-test", "CASES.tsv"))
    args = parser.parse_args(argv)

    pki = Pki(args.pki)
    os.makedirs(args.outdir, exist_ok=True)
    count = 0
    for fixtures in (case_fixtures(pki, read_cases(args.cases)), extra_fixtures(pki)):
        for name, data in fixtures:
            with open(os.path.join(args.outdir, name + ".pdf"), "wb") as f:
                f.write(data)
            count += 1
    print("wrote %d fixtures to %s" % (count, args.outdir))


if __name__ == "__main__":
    main()
