#!/usr/bin/python3
"""XML e-form (XML-DSig) signing and verification against the `xmlsec1` command, side by side.

    /usr/bin/python3 bench/xml.py --build BUILD [--quick] [--json OUT]

The input is an e-invoice in the national layout (tests/tools/xml_forms.py, 60 lines, ~16 KB).
Whole processes, interleaved round by round (bench/compare.py's method), same RSA key and chain:
`libsign sign --xml-target Id-0001 --xml-parent /HDon/DSCKS/NBan` against `xmlsec1 --sign` of the
same signature template (libsign's output with DigestValue and SignatureValue emptied), and
`libsign verify` (test-gov profile, offline) against `xmlsec1 --verify` (same anchors, --id-attr:Id
for the undeclared Ids). Then the in-process rates of the Python module (one Verifier / Signer, a
batch of calls): what a portal back end gets. Standard library only, plus the built module.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "tools"))
from compare import AT, OFFLINE, PKI, PROFILE, PROFILES, interleaved, med, paired_ratio  # noqa: E402
import xml_forms  # noqa: E402

CERT = os.path.join(PKI, "gov-official.pem")
KEY = os.path.join(PKI, "gov-official.key.pem")
CHAIN = os.path.join(PKI, "gov-chain.pem")
ROOT = os.path.join(PKI, "gov-root.pem")
CA = os.path.join(PKI, "gov-ca.pem")
SIGNING_TIME = "2026-06-20T03:00:00Z"
XMLSEC_IDS = ["--id-attr:Id", "DLHDon", "--id-attr:Id", "Object"]


def commands(libsign, form, work):
    ours, theirs, template = (os.path.join(work, n) for n in ("libsign.xml", "xmlsec.xml", "template.xml"))
    sign = {
        "libsign": [libsign, "sign", form, "-o", ours, "--force", "--key", KEY, "--cert", CERT, "--chain", CHAIN,
                    "--xml-target", "Id-0001", "--xml-parent", "/HDon/DSCKS/NBan", "--xml-signature-id", "seller",
                    "--signing-time", SIGNING_TIME],
        "xmlsec1": ["xmlsec1", "--sign", "--privkey-pem", KEY + "," + CERT, *XMLSEC_IDS, "--output", theirs, template],
    }
    verify = {
        "libsign": [libsign, "verify", ours, "--profiles-dir", PROFILES, "--trust-profile", PROFILE, "--at", AT, *OFFLINE],
        "xmlsec1": ["xmlsec1", "--verify", "--trusted-pem", ROOT, "--untrusted-pem", CA, *XMLSEC_IDS,
                    "--verification-gmt-time", AT.replace("T", "+").rstrip("Z"), ours],
    }
    return sign, verify, ours, template


def make_template(signed, template):
    with open(signed, "rb") as f:
        data = f.read()
    data = re.sub(rb"<DigestValue>[^<]*</DigestValue>", b"<DigestValue></DigestValue>", data)
    data = re.sub(rb"<SignatureValue>[^<]*</SignatureValue>", b"<SignatureValue></SignatureValue>", data)
    with open(template, "wb") as f:
        f.write(data)


def in_process(build, form_bytes, seconds):
    sys.path.insert(0, os.path.join(build, "python"))
    import libsign
    signer = libsign.load_pem(KEY, CERT, [CHAIN])
    verifier = libsign.make_verifier(trust_profile=PROFILE, profiles_dir=PROFILES, at=AT)
    signed = libsign.sign_xml(form_bytes, signer, target="Id-0001", parent="/HDon/DSCKS/NBan", signing_time=SIGNING_TIME)
    assert libsign.verify_xml(signed, verifier=verifier).indication == "TOTAL_PASSED"

    def rate(call):
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            call()
            n += 1
        return n / (time.perf_counter() - start)
    return {
        "sign_per_s": rate(lambda: libsign.sign_xml(form_bytes, signer, target="Id-0001", parent="/HDon/DSCKS/NBan",
                                                    signing_time=SIGNING_TIME)),
        "verify_per_s": rate(lambda: libsign.verify_xml(signed, verifier=verifier)),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    libsign = os.path.join(args.build, "libsign")
    rounds = 11 if args.quick else 41
    form_bytes = xml_forms.einvoice(items=60)
    with tempfile.TemporaryDirectory(prefix="libsign-bench-xml.") as work:
        form = os.path.join(work, "form.xml")
        with open(form, "wb") as f:
            f.write(form_bytes)
        sign, verify, ours, template = commands(libsign, form, work)
        subprocess.run(sign["libsign"], check=True, capture_output=True)
        make_template(ours, template)
        signed = interleaved(sign, rounds)
        verified = interleaved(verify, rounds)
        results = {
            "input_bytes": len(form_bytes),
            "cli_sign_ms": {k: med(v["wall"]) * 1000 for k, v in signed.items()},
            "cli_sign_ratio_xmlsec1_over_libsign": paired_ratio(signed, "xmlsec1", "libsign"),
            "cli_verify_ms": {k: med(v["wall"]) * 1000 for k, v in verified.items()},
            "cli_verify_ratio_xmlsec1_over_libsign": paired_ratio(verified, "xmlsec1", "libsign"),
            "in_process": in_process(args.build, form_bytes, 1.0 if args.quick else 3.0),
        }
    r = results
    print("XML e-invoice (%d bytes), whole processes, median ms (ratio = xmlsec1 time / libsign time, same round)"
          % r["input_bytes"])
    print("  sign    libsign %6.2f  xmlsec1 %6.2f  ratio %.2f" % (r["cli_sign_ms"]["libsign"], r["cli_sign_ms"]["xmlsec1"],
                                                              r["cli_sign_ratio_xmlsec1_over_libsign"]))
    print("  verify  libsign %6.2f  xmlsec1 %6.2f  ratio %.2f" % (r["cli_verify_ms"]["libsign"], r["cli_verify_ms"]["xmlsec1"],
                                                              r["cli_verify_ratio_xmlsec1_over_libsign"]))
    p = r["in_process"]
    print("  in process (Python module, batch): sign %.0f/s, verify %.0f/s; per file vs xmlsec1 CLI: sign x%.1f, verify x%.1f"
          % (p["sign_per_s"], p["verify_per_s"], r["cli_sign_ms"]["xmlsec1"] / 1000 * p["sign_per_s"],
             r["cli_verify_ms"]["xmlsec1"] / 1000 * p["verify_per_s"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
