#!/usr/bin/python3
"""Sign an e-invoice as the seller and check it the way a portal should: the verdict is about the
element the portal reads (/HDon/DLHDon), not about whatever the signature happens to sign.

    einvoice.py sign   FORM.xml OUT.xml --p12 FILE --password-file FILE [--id Id-0001]
    einvoice.py verify FILE.xml [--profiles-dir DIR --trust-profile NAME --at TIME]
                                [--offline] [--revocation required|optional]

Revocation as `libsign verify`: checked online and required unless told otherwise.

Exit status of verify: 0 valid, 1 invalid, 2 cannot be confirmed (as `libsign verify`).
"""
import argparse
import sys

import libsign


def sign(args):
    signer = libsign.load_pkcs12(args.p12, password_file=args.password_file)
    libsign.sign_xml_file(args.form, args.out, signer, target=args.id, parent="/HDon/DSCKS/NBan",
                          signature_id="seller-" + args.id, signing_time=args.signing_time)
    return 0


def verify(args):
    report = libsign.verify_xml(args.file, trust_profile=args.trust_profile, profiles_dir=args.profiles_dir,
                                at=args.at, signature="/HDon/DSCKS/NBan/ds:Signature", target="/HDon/DLHDon",
                                revocation={"online": not args.offline, "required": args.revocation == "required"})
    print(report.indication, report.sub_indication or "")
    for s in report.signatures:
        print(" ", s.field_name, s.signer.common_name if s.signer else "-", s.signing_time or "-")
        for f in s.findings:
            if f.severity != "info":
                print("   ", f.code, "—", f.message_vi)
    for f in report.findings:
        print("  ", f.code, "—", f.message_vi)
    return {"TOTAL_PASSED": 0, "TOTAL_FAILED": 1}.get(report.indication, 2)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sign")
    s.add_argument("form")
    s.add_argument("out")
    s.add_argument("--p12", required=True)
    s.add_argument("--password-file", required=True)
    s.add_argument("--id", default="Id-0001")
    s.add_argument("--signing-time")
    v = sub.add_parser("verify")
    v.add_argument("file")
    v.add_argument("--profiles-dir")
    v.add_argument("--trust-profile", default="vn-all")
    v.add_argument("--at")
    v.add_argument("--offline", action="store_true")
    v.add_argument("--revocation", choices=["required", "optional"], default="required")
    args = ap.parse_args()
    return sign(args) if args.command == "sign" else verify(args)


if __name__ == "__main__":
    sys.exit(main())
