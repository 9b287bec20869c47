#!/usr/bin/python3
"""Benchmark `libsign diagnose` on 10,000 small signed dossiers with a realistic mix of faults
(called by bench/run.sh --only diagnose; results go in docs/performance.md).

    /usr/bin/python3 bench/diagnose.py --build BUILD [--files 10000] [--runs 3] [--json OUT] [--keep]

The dossiers are signed once per fault kind from certs-test by tests/tools/make_diagnose_corpus.py
(an independent Python signer) and copied into portal/commune folders, so making 10,000 takes about
a second. The command timed is, offline with revocation optional:
    libsign diagnose DIR --profiles-dir P --trust-profile diag-gov --at 2026-07-01T00:00:00Z \\
        --offline --revocation optional --html OUT.html --json OUT.json -q
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))

import make_diagnose_corpus  # noqa: E402

# Files of each kind per 100 dossiers: mostly valid, the faults provinces report most.
MIX = {"valid": 62, "expired": 5, "revoked": 2, "wrong-pki": 6, "missing-intermediate": 6, "modified": 3, "sha1": 3,
       "zone-skew": 5, "unsigned": 4, "corrupt": 2, "not-pdf": 2}


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--build", default=os.path.join(REPO, "build"))
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    cli = os.path.join(args.build, "libsign")
    work = tempfile.mkdtemp(prefix="libsign-bench-diagnose.")
    try:
        start = time.perf_counter()
        manifest = make_diagnose_corpus.write(work, max(1, args.files // 100), mix=MIX)
        made = sum(k["files"] for k in manifest["kinds"].values())
        generate = time.perf_counter() - start
        print("made %d dossiers in %.2f s (%s)" % (made, generate, work), file=sys.stderr)
        argv = [cli, "diagnose", os.path.join(work, "archive"), *manifest["args"], "--html", os.path.join(work, "r.html"),
                "--json", os.path.join(work, "r.json"), "-q"]
        walls, cpus = [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            walls.append(time.perf_counter() - t)
            cpus.append(usage.ru_utime + usage.ru_stime)
            assert os.waitstatus_to_exitcode(status) == 0
            rss = usage.ru_maxrss
        report = json.load(open(os.path.join(work, "r.json")))
        assert report["totals"]["files"] == made, report["totals"]
        cores = os.cpu_count()
        wall = statistics.median(walls)
        result = {"files": made, "generate_seconds": round(generate, 2), "wall_seconds": round(wall, 2),
                  "cpu_seconds": round(statistics.median(cpus), 2), "files_per_second": round(made / wall),
                  "files_per_second_per_core": round(made / wall / cores), "cores": cores, "peak_rss_mib": round(rss / 1024, 1),
                  "html_kib": round(os.path.getsize(os.path.join(work, "r.html")) / 1024), "runs": walls,
                  "load_average": os.getloadavg()[0]}
        print("libsign diagnose: %(files)d files in %(wall_seconds).2f s wall (median), %(cpu_seconds).2f s CPU, "
              "%(files_per_second)d files/s = %(files_per_second_per_core)d files/s per core on %(cores)d cores, "
              "peak RSS %(peak_rss_mib).1f MiB, HTML %(html_kib)d KiB" % result)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=2)
    finally:
        if args.keep:
            print("inputs kept in %s" % work, file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
