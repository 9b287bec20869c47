#!/usr/bin/python3
"""In-process batch throughput of the Python module: one Verifier, a loop of verify_pdf calls.

    PYTHONPATH=build/python /usr/bin/python3 bench/py_batch.py --threads T --iterations N \
        --profiles-dir DIR --trust-profile P --at ISO [--offline] [--revocation required|optional] \
        [--allow-host HOST]... [--revocation-cache DIR] [--warm-passes W] FILE...

Each of the T threads runs N passes over all FILES with the one shared Verifier, so the total is
T * N * len(FILES) calls; with T=2 the speedup over T=1 shows whether verify_pdf releases the GIL.
Revocation: offline by default (the library's default; --offline says so explicitly), a missing
status only a warning unless --revocation required. --allow-host turns online checking on, fetches
allowed to HOST only. --warm-passes W runs W untimed passes first (online: the cold pass that fills
the Verifier's revocation cache).
Prints one JSON object (same keys as bench_verify --json), revocation_good included: how many
reports of the timed loop have every signature's revocation status "good" with the revocation
check passed.
"""

import argparse
import json
import resource
import threading
import time

import libsign


def revocation_good(report):
    sigs = report.signatures
    return bool(sigs) and all(
        s.revocation.status == "good" and any(c.step == "revocation" and c.status == "passed" for c in s.checks)
        for s in sigs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--iterations", type=int, default=1)
    ap.add_argument("--profiles-dir", required=True)
    ap.add_argument("--trust-profile", required=True)
    ap.add_argument("--at", required=True)
    ap.add_argument("--offline", action="store_true", help="no network (the default)")
    ap.add_argument("--revocation", choices=("required", "optional"), default="optional")
    ap.add_argument("--allow-host", action="append", default=[], help="check revocation online, fetching from HOST only")
    ap.add_argument("--revocation-cache", help="on-disk revocation cache folder")
    ap.add_argument("--warm-passes", type=int, default=0)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    if args.offline and args.allow_host:
        ap.error("--offline and --allow-host exclude each other")

    revocation = {"online": bool(args.allow_host), "required": args.revocation == "required"}
    if args.allow_host:
        revocation["allow_hosts"] = args.allow_host
    if args.revocation_cache:
        revocation["cache_dir"] = args.revocation_cache
    t0 = time.perf_counter()
    verifier = libsign.make_verifier(trust_profile=args.trust_profile, profiles_dir=args.profiles_dir,
                                     at=args.at, revocation=revocation)
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    first_ok = verifier.verify_pdf(args.files[0]).indication == "TOTAL_PASSED"
    first = time.perf_counter() - t0

    warm_passed = warm_total = 0
    t0 = time.perf_counter()
    for _ in range(args.warm_passes):
        for path in args.files:
            warm_passed += verifier.verify_pdf(path).indication == "TOTAL_PASSED"
            warm_total += 1
    warm = time.perf_counter() - t0

    counts = []  # (passed, total, revocation good) per thread; list.append is atomic under the GIL

    def work():
        passed = total = good = 0
        for _ in range(args.iterations):
            for path in args.files:
                report = verifier.verify_pdf(path)
                passed += report.indication == "TOTAL_PASSED"
                good += revocation_good(report)
                total += 1
        counts.append((passed, total, good))

    def cpu():
        u = resource.getrusage(resource.RUSAGE_SELF)  # the whole process: every thread
        return u.ru_utime + u.ru_stime

    cpu0 = cpu()
    start = time.perf_counter()
    if args.threads == 1:
        work()
    else:
        pool = [threading.Thread(target=work) for _ in range(args.threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
    seconds = time.perf_counter() - start
    cpu_seconds = cpu() - cpu0
    total = sum(c[1] for c in counts)
    print(json.dumps({
        "threads": args.threads, "verified": total, "passed": sum(c[0] for c in counts),
        "seconds": round(seconds, 6), "files_per_second": round(total / seconds, 1),
        "cpu_seconds": round(cpu_seconds, 6),
        "setup_seconds": round(setup, 6), "first_seconds": round(first, 6), "first_passed": first_ok,
        "online": revocation["online"], "revocation_required": revocation["required"],
        "revocation_good": sum(c[2] for c in counts),
        "warm_passes": args.warm_passes, "warm_seconds": round(warm, 6), "warm_verified": warm_total,
        "warm_passed": warm_passed}))


if __name__ == "__main__":
    main()
