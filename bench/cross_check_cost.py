#!/usr/bin/python3
"""What the Botan cross-check (issue 13 part 2, docs/security.md) costs, side by side in one run.

    /usr/bin/python3 bench/cross_check_cost.py --baseline BENCH_VERIFY [--build build] [--rounds N] [--json FILE]

`bench_verify` (in-process, one Verifier) on 20 signed one-page dossiers: this build with the
cross-check on (the default), this build with it off, and a `bench_verify` built from the commit
before the cross-check work (BENCH_VERIFY: its path, e.g. from `git archive BASE | tar -x -C DIR` built
with `cmake --build DIR/build --target bench_verify`), in alternating rounds. Reports the ratio of the
best files/s of each to the baseline's, of their medians, and the median of each round's own ratio
(the two runs of a round are seconds apart, so the machine's load cancels best there): with the
cross-check on it must be >= 1 (the Verifier's caches and the other savings pay for Botan).
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))

from reader import bench_verify_rate, write_dossiers  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--baseline", required=True, help="bench_verify built from the commit before the cross-check")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--json")
    args = ap.parse_args()
    new_bin = os.path.join(args.build, "bench", "bench_verify")
    runs = {"on": (new_bin, ()), "off": (new_bin, ("--no-cross-check",)), "baseline": (args.baseline, ())}
    rates = {name: [] for name in runs}
    with tempfile.TemporaryDirectory(prefix="libsign-bench-crosscheck.") as work:
        files = write_dossiers(work)
        order = list(runs)
        for r in range(args.rounds):
            for name in (order if r % 2 == 0 else reversed(order)):
                binary, extra = runs[name]
                rates[name].append(bench_verify_rate(binary, files, args.iterations, extra))
    best = {k: max(v) for k, v in rates.items()}
    results = {k: {"best_files_per_second": best[k], "median_files_per_second": statistics.median(v)}
               for k, v in rates.items()}
    results["ratio_on_vs_baseline"] = best["on"] / best["baseline"]
    results["ratio_off_vs_baseline"] = best["off"] / best["baseline"]
    results["median_ratio_on_vs_baseline"] = statistics.median(rates["on"]) / statistics.median(rates["baseline"])
    # Each round's two runs were made seconds apart: their ratio cancels most of the machine's load.
    results["round_ratios_on_vs_baseline"] = [on / base for on, base in zip(rates["on"], rates["baseline"])]
    results["median_round_ratio_on_vs_baseline"] = statistics.median(results["round_ratios_on_vs_baseline"])
    results["rounds"] = args.rounds
    print("1-page dossiers in-process, best files/s: cross-check on %.0f, off %.0f, baseline %.0f" %
          (best["on"], best["off"], best["baseline"]))
    print("ratio on/baseline %.3f (medians %.3f, median of the rounds' ratios %.3f), off/baseline %.3f" %
          (results["ratio_on_vs_baseline"], results["median_ratio_on_vs_baseline"],
           results["median_round_ratio_on_vs_baseline"], results["ratio_off_vs_baseline"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
