#!/usr/bin/python3
"""What the lenient PDF reader costs (issue 11), measured side by side in one run, as ratios.

    /usr/bin/python3 bench/reader.py [--build build] [--baseline DIR] [--rounds N] [--big-mb M] [--json FILE]

1. Well-formed files cost nothing extra: `bench_verify` (in-process, one Verifier) on 20 signed one-page
   dossiers, this build against --baseline (a build of the commit before the lenient reader, e.g. a git
   worktree of 73056db built with `cmake --build DIR --target bench_verify`), in alternating rounds;
   the ratio of the best files/s of each. Skipped without --baseline.
2. Rebuilding a broken xref: a signed M MB dossier (default 100) whose startxref values point at nothing,
   so the reader rebuilds every revision by scanning (the digest then fails: those bytes are signed). `libsign verify` (whole process, offline) on it
   against `sha256sum` of the same file, alternating; the ratio of median wall times. The same file
   with its xref intact is timed too, for reference.

Inputs go to a temporary directory (removed afterwards). Needs /usr/bin/python3, sha256sum and the
build (libsign, bench/bench_verify).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))

import make_inputs  # noqa: E402
import pdfgen  # noqa: E402

PROFILES = os.path.join(REPO, "certs-test", "profiles")
AT = "2026-07-01T09:00:00+07:00"


def bench_verify_rate(binary, files, iterations, extra=()):
    """files/s of `bench_verify` (one Verifier, in-process); `extra`: its options, e.g. --no-cross-check."""
    out = subprocess.run([binary, "--json", *extra, str(iterations), PROFILES, "test-gov", AT, *files],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["files_per_second"]


def write_dossiers(folder, count=20):
    """`count` signed one-page dossiers (independent signer, tests/tools) in `folder`; returns their paths."""
    paths = []
    for i in range(count):
        path = os.path.join(folder, "doc-%02d.pdf" % i)
        with open(path, "wb") as f:
            f.write(make_inputs.signed(pdfgen.base_pdf(title="Hồ sơ thử nghiệm số %d" % i)))
        paths.append(path)
    return paths


def wall(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def broken_xref(data):
    """The same bytes with every startxref value replaced by digits that point at nothing."""
    return re.sub(rb"startxref(\s+)(\d+)", lambda m: b"startxref" + m.group(1) + b"7" * len(m.group(2)), data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--baseline", help="build directory of the commit before the lenient reader")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--big-mb", type=int, default=100)
    ap.add_argument("--json")
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="libsign-bench-reader.") as work:
        small = write_dossiers(work)
        if args.baseline:
            new_bin = os.path.join(args.build, "bench", "bench_verify")
            old_bin = os.path.join(args.baseline, "bench", "bench_verify")
            new, old = [], []
            for _ in range(args.rounds):
                new.append(bench_verify_rate(new_bin, small, args.iterations))
                old.append(bench_verify_rate(old_bin, small, args.iterations))
            results["well_formed"] = {"files_per_second": max(new), "baseline_files_per_second": max(old),
                                      "ratio": max(new) / max(old), "rounds": args.rounds}
            print("well-formed 1-page dossiers, in-process: %.0f files/s vs baseline %.0f (ratio %.3f)"
                  % (max(new), max(old), max(new) / max(old)))

        signed = make_inputs.signed(make_inputs.big_base(args.big_mb))
        intact = os.path.join(work, "big.pdf")
        broken = os.path.join(work, "big-broken-xref.pdf")
        with open(intact, "wb") as f:
            f.write(signed)
        with open(broken, "wb") as f:
            f.write(broken_xref(signed))
        del signed
        cli = os.path.join(args.build, "libsign")
        verify = [cli, "verify", "--offline", "--revocation", "optional", "--profiles-dir", PROFILES,
                  "--trust-profile", "test-gov", "--at", AT, "--format", "json"]
        check = subprocess.run(verify + [broken], capture_output=True, text=True)
        report = json.loads(check.stdout)["document"]
        repaired = [f for f in report["findings"] if f["code"] == "PDF_REPAIRED"]
        # The broken startxref is inside the signed bytes, so the digest cannot match; what is timed is that the
        # xref is rebuilt and the signature found and hashed like any other.
        assert repaired and repaired[0]["evidence"]["reconstructed"] == "yes", check.stdout[:2000]
        assert len(report["signatures"]) == 1, check.stdout[:2000]
        times = {"rebuild": [], "intact": [], "sha256sum": []}
        for _ in range(args.rounds):
            times["sha256sum"].append(wall(["sha256sum", broken]))
            times["rebuild"].append(wall(verify + [broken]))
            times["intact"].append(wall(verify + [intact]))
        med = {k: statistics.median(v) for k, v in times.items()}
        results["rebuild"] = {"megabytes": args.big_mb, "median_seconds": med,
                              "rebuild_vs_sha256sum": med["rebuild"] / med["sha256sum"],
                              "intact_vs_sha256sum": med["intact"] / med["sha256sum"], "rounds": args.rounds}
        print("%d MB signed dossier, broken xref: libsign verify %.3f s, sha256sum %.3f s (%.2fx); intact xref %.3f s (%.2fx)"
              % (args.big_mb, med["rebuild"], med["sha256sum"], med["rebuild"] / med["sha256sum"], med["intact"],
                 med["intact"] / med["sha256sum"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
