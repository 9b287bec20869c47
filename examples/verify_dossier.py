"""A portal backend's first use of libsign from Python: verify dossiers, print verdicts and findings.

    python3 verify_dossier.py hoso.pdf [--trust-profile vn-gov] [--at 2026-06-15T09:00:00+07:00]
                              [--offline] [--revocation required|optional]

Revocation as `libsign verify`: OCSP/CRL looked up online, and a status required for TOTAL_PASSED.
"""
import argparse
import sys

import libsign


def main():
    parser = argparse.ArgumentParser(description="Verify signed PDF dossiers")
    parser.add_argument("files", nargs="+")
    parser.add_argument("--trust-profile", default="vn-all")
    parser.add_argument("--profiles-dir", default=None)
    parser.add_argument("--at", default=None)
    parser.add_argument("--offline", action="store_true", help="no network: only revocation data the files embed")
    parser.add_argument("--revocation", choices=["required", "optional"], default="required")
    args = parser.parse_args()

    # One verifier for the whole batch: it holds the parsed trust store.
    verifier = libsign.make_verifier(trust_profile=args.trust_profile, profiles_dir=args.profiles_dir, at=args.at,
                                     revocation={"online": not args.offline, "required": args.revocation == "required"})
    worst = 0
    for path in args.files:
        try:
            report = verifier.verify_pdf(path)
        except libsign.Error as error:
            print(f"{path}: error [{error.code}] {error}")
            worst = 3
            continue
        print(f"{path}: {report.indication}")
        for sig in report.signatures:
            who = sig.signer.common_name if sig.signer else "?"
            print(f"  {sig.id} {who}: {sig.indication} {sig.sub_indication or ''}")
            for finding in sig.findings:
                print(f"    {finding.code} — {finding.message_vi}")
        status = {"TOTAL_PASSED": 0, "TOTAL_FAILED": 1, "INDETERMINATE": 2}[report.indication]
        worst = max(worst, status) if worst != 3 else 3
    return worst


if __name__ == "__main__":
    sys.exit(main())
