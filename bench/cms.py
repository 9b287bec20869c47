#!/usr/bin/python3
"""Detached CMS (CAdES) signing and verification against OpenSSL's `cms` command, side by side.

    /usr/bin/python3 bench/cms.py --build BUILD [--quick] [--json OUT]

Both tools run as whole processes, interleaved round by round (bench/compare.py's method), on a
1 MB attachment and on a 100 MB one (20 MB with --quick), with the same PEM key and chain:
`libsign sign --detached` against
`openssl cms -sign -binary -outform DER`, and `libsign verify FILE.p7s --content FILE` against
`openssl cms -verify -binary`. Peak RSS through /usr/bin/time. Inputs go to a temporary folder,
removed at the end. Standard library only.
"""
import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import AT, OFFLINE, PKI, PROFILE, PROFILES, interleaved, med, paired_ratio, peak_rss_kib  # noqa: E402

CERT = os.path.join(PKI, "gov-official.pem")
KEY = os.path.join(PKI, "gov-official.key.pem")
CHAIN = os.path.join(PKI, "gov-chain.pem")
ROOT = os.path.join(PKI, "gov-root.pem")


def commands(libsign, data, work):
    ours, theirs = os.path.join(work, "libsign.p7s"), os.path.join(work, "openssl.p7s")
    sign = {
        "libsign": [libsign, "sign", data, "--detached", "-o", ours, "--force", "--key", KEY, "--cert", CERT,
                    "--chain", CHAIN, "--signing-time", "2026-06-20T03:00:00Z"],
        "openssl": ["openssl", "cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER", "-in", data,
                    "-signer", CERT, "-inkey", KEY, "-certfile", CHAIN, "-out", theirs],
    }
    verify = {
        "libsign": [libsign, "verify", ours, "--content", data, "--profiles-dir", PROFILES, "--trust-profile", PROFILE,
                    "--at", AT, *OFFLINE],
        "openssl": ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", theirs, "-content", data,
                    "-CAfile", ROOT, "-purpose", "any", "-out", "/dev/null"],
    }
    return sign, verify


def measure(libsign, data, work, rounds):
    sign, verify = commands(libsign, data, work)
    signed = interleaved(sign, rounds)       # also leaves both .p7s files for the verification
    verified = interleaved(verify, rounds)
    return {
        "sign_ms": {k: med(v["wall"]) * 1000 for k, v in signed.items()},
        "sign_ratio_openssl_over_libsign": paired_ratio(signed, "openssl", "libsign"),
        "verify_ms": {k: med(v["wall"]) * 1000 for k, v in verified.items()},
        "verify_ratio_openssl_over_libsign": paired_ratio(verified, "openssl", "libsign"),
        "sign_peak_rss_kib": {k: peak_rss_kib(argv) for k, argv in sign.items()},
        "verify_peak_rss_kib": {k: peak_rss_kib(argv) for k, argv in verify.items()},
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    libsign = os.path.join(args.build, "libsign")
    big_mb = 20 if args.quick else 100
    results = {}
    with tempfile.TemporaryDirectory(prefix="libsign-bench-cms.") as work:
        small, big = os.path.join(work, "small.bin"), os.path.join(work, "big.bin")
        with open(small, "wb") as f:
            f.write(os.urandom(1 << 20))
        with open(big, "wb") as f:
            for _ in range(big_mb):
                f.write(os.urandom(1 << 20))
        results["1 MB"] = measure(libsign, small, work, 9 if args.quick else 31)
        results["%d MB" % big_mb] = measure(libsign, big, work, 3 if args.quick else 7)
    print("Detached CMS, whole processes, median ms (ratio = openssl time / libsign time, same round)")
    for size, r in results.items():
        print("  %-7s sign   libsign %8.1f  openssl %8.1f  ratio %.2f   peak RSS KiB %s / %s" % (
            size, r["sign_ms"]["libsign"], r["sign_ms"]["openssl"], r["sign_ratio_openssl_over_libsign"],
            r["sign_peak_rss_kib"]["libsign"], r["sign_peak_rss_kib"]["openssl"]))
        print("  %-7s verify libsign %8.1f  openssl %8.1f  ratio %.2f   peak RSS KiB %s / %s" % (
            size, r["verify_ms"]["libsign"], r["verify_ms"]["openssl"], r["verify_ratio_openssl_over_libsign"],
            r["verify_peak_rss_kib"]["libsign"], r["verify_peak_rss_kib"]["openssl"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
