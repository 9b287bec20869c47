#!/usr/bin/python3
"""Cross-check generated fixtures with third-party tools.

    /usr/bin/python3 tests/tools/check_fixtures.py FIXTURE_DIR [--pki certs-test/pki]
                                                   [--cases certs-test/CASES.tsv]

For every PDF: `qpdf --check`; for every signature: the /ByteRange shape and
`openssl cms -verify` over the signed bytes (certificate times are not checked:
some fixtures are deliberately expired); for every RFC 3161 token (document
timestamps and signature timestamps): `openssl ts -verify`. Failures that a
fixture is meant to have (sigvalue=corrupt, tst_imprint=bad, tampered.pdf)
are expected. Prints "N passed, N failed".
"""

import argparse
import glob
import hashlib
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cms_build  # noqa: E402
import der  # noqa: E402
import make_cases  # noqa: E402
import pdfgen  # noqa: E402


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()


def signature_timestamp_tokens(cms_der):
    """(token DER, SignerInfo signature value) for each signature timestamp."""
    signed_data = der.parse(cms_der)[1][0]
    for signer_info in signed_data[-1].children:
        signature = next(n.value for n in signer_info.children if n.tag == der.OCTET_STRING)
        for field in signer_info.children:
            if field.tag != 0xA1:
                continue
            for attr in field.children:
                if der.decode_oid(attr[0]) == cms_build.ATTR_SIG_TIMESTAMP:
                    yield attr[1][0].raw, signature


class Checker:
    def __init__(self, pki_dir, workdir):
        self.work = workdir
        # Roots and intermediates in one store: `openssl cms` has no
        # -untrusted, and leaf-only fixtures need the intermediate. This check
        # is about the CMS and token structure, not about trust decisions.
        self.roots = os.path.join(workdir, "trusted.pem")
        with open(self.roots, "w") as out:
            for pattern in ("*root*.pem", "*-chain.pem"):
                for path in sorted(glob.glob(os.path.join(pki_dir, pattern))):
                    if not path.endswith(".key.pem"):
                        out.write(open(path).read())
        self.passed = self.failed = 0

    def report(self, ok, expected_ok, what, detail=""):
        if ok == expected_ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s (expected %s)\n  %s" % (
                what, "success" if expected_ok else "failure", detail[-400:]))

    def write(self, name, data):
        path = os.path.join(self.work, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def verify_cms(self, cms_der, content):
        return run(["openssl", "cms", "-verify", "-binary", "-inform", "DER",
                    "-in", self.write("sig.der", cms_der),
                    "-content", self.write("data.bin", content),
                    "-CAfile", self.roots, "-purpose", "any", "-no_check_time",
                    "-out", os.devnull])

    def verify_token(self, token_der, digest):
        return run(["openssl", "ts", "-verify", "-digest", digest.hex(),
                    "-in", self.write("token.der", token_der), "-token_in",
                    "-CAfile", self.roots, "-no_check_time"])

    def check_pdf(self, path, expect):
        name = os.path.basename(path)
        ok, out = run(["qpdf", "--check", path])
        self.report(ok, True, name + ": qpdf --check", out)
        pdf = open(path, "rb").read()
        for field, sig in pdfgen.signatures(pdf):
            what = "%s/%s" % (name, field)
            a, b, c, d = sig["ByteRange"]
            shape = (a == 0 and pdf[b:b + 1] == b"<" and pdf[c - 1:c] == b">"
                     and c + d <= len(pdf))
            self.report(shape, True, what + ": ByteRange shape", str(sig["ByteRange"]))
            signed = pdf[a:a + b] + pdf[c:c + d]
            blob = sig["Contents"]
            blob = blob[:der.Node(blob, 0).end]  # drop the zero padding
            if sig.get("SubFilter") == "ETSI.RFC3161":
                ok, out = self.verify_token(blob, hashlib.sha256(signed).digest())
                self.report(ok, expect.get("cms", True), what + ": ts -verify", out)
                continue
            ok, out = self.verify_cms(blob, signed)
            self.report(ok, expect.get("cms", True), what + ": cms -verify", out)
            for token, signature in signature_timestamp_tokens(blob):
                ok, out = self.verify_token(token, hashlib.sha256(signature).digest())
                self.report(ok, expect.get("tst", True), what + ": timestamp", out)


def expectations(cases_path):
    result = {"tampered.pdf": {"cms": False}}
    for row in make_cases.read_cases(cases_path):
        opts = pdfgen.parse_options(row["options"])
        result[row["case"] + ".pdf"] = {
            "cms": opts.get("sigvalue") != "corrupt",
            "tst": opts.get("tst_imprint") != "bad"}
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("fixtures")
    parser.add_argument("--pki", default=os.path.join(make_cases.REPO, "certs-test", "pki"))
    parser.add_argument("--cases", default=os.path.join(make_cases.REPO, "certs-test", "CASES.tsv"))
    args = parser.parse_args(argv)
    expect = expectations(args.cases)
    with tempfile.TemporaryDirectory() as work:
        checker = Checker(args.pki, work)
        for path in sorted(glob.glob(os.path.join(args.fixtures, "*.pdf"))):
            checker.check_pdf(path, expect.get(os.path.basename(path), {}))
    print("%d passed, %d failed" % (checker.passed, checker.failed))
    return 1 if checker.failed else 0


if __name__ == "__main__":
    sys.exit(main())
