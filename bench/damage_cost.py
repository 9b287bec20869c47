#!/usr/bin/python3
"""What damage forensics (issue 15, docs/damage.md) cost on healthy files, side by side in one run.

    /usr/bin/python3 bench/damage_cost.py --baseline BENCH_VERIFY [--build build] [--rounds N] [--json FILE]

`bench_verify` (in-process, one Verifier) on 20 healthy signed one-page dossiers, this build against a
`bench_verify` built from the commit before the damage work (BENCH_VERIFY: its path, e.g. from a git
worktree of that commit built with `cmake --build DIR --target bench_verify`), in alternating rounds;
the ratio of the best files/s of each. Forensics run only after a failure, so the ratio should be 1.
Also times one damaged dossier (line ends converted) through `libsign verify`, for reference: that is
where the cost goes.
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

from reader import bench_verify_rate, write_dossiers, PROFILES, AT  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--baseline", required=True, help="bench_verify built from the commit before the damage work")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--json")
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="libsign-bench-damage.") as work:
        small = write_dossiers(work)
        new_bin = os.path.join(args.build, "bench", "bench_verify")
        new, old = [], []
        for r in range(args.rounds):
            pair = [(new, new_bin), (old, args.baseline)]
            for rates, binary in (pair if r % 2 == 0 else reversed(pair)):
                rates.append(bench_verify_rate(binary, small, args.iterations))
        results["healthy"] = {"files_per_second": max(new), "baseline_files_per_second": max(old),
                              "ratio": max(new) / max(old), "rounds": args.rounds,
                              "median_ratio": statistics.median(new) / statistics.median(old)}
        print("healthy 1-page dossiers, in-process: %.0f files/s vs baseline %.0f (ratio of best %.3f, of medians %.3f)"
              % (max(new), max(old), max(new) / max(old), results["healthy"]["median_ratio"]))

        damaged = os.path.join(work, "unix2dos.pdf")
        with open(small[0], "rb") as f:
            data = f.read()
        with open(damaged, "wb") as f:
            f.write(re.sub(rb"(?<!\r)\n", b"\r\n", data))
        verify = [os.path.join(args.build, "libsign"), "verify", "--offline", "--revocation", "optional",
                  "--profiles-dir", PROFILES, "--trust-profile", "test-gov", "--at", AT]
        times = {"healthy": [], "damaged": []}
        for _ in range(args.rounds):
            for name, path in (("healthy", small[0]), ("damaged", damaged)):
                start = time.perf_counter()
                subprocess.run(verify + [path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times[name].append(time.perf_counter() - start)
        med = {k: statistics.median(v) for k, v in times.items()}
        results["damaged_one"] = {"median_seconds": med}
        print("one dossier through `libsign verify`: healthy %.3f s, line ends converted (found + recovered) %.3f s"
              % (med["healthy"], med["damaged"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
