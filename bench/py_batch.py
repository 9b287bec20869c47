#!/usr/bin/python3
"""In-process batch throughput of the Python module: one Verifier, a loop of verify_pdf calls.

    PYTHONPATH=build/python /usr/bin/python3 bench/py_batch.py --threads T --iterations N \
        --profiles-dir DIR --trust-profile P --at ISO FILE...

Each of the T threads runs N passes over all FILES with the one shared Verifier, so the total is
T * N * len(FILES) calls; with T=2 the speedup over T=1 shows whether verify_pdf releases the GIL.
Prints one JSON object (same keys as bench_verify --json).
"""

import argparse
import json
import resource
import threading
import time

import libsign


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--iterations", type=int, default=1)
    ap.add_argument("--profiles-dir", required=True)
    ap.add_argument("--trust-profile", required=True)
    ap.add_argument("--at", required=True)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    t0 = time.perf_counter()
    verifier = libsign.make_verifier(trust_profile=args.trust_profile, profiles_dir=args.profiles_dir,
                                     at=args.at)
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    first_ok = verifier.verify_pdf(args.files[0]).indication == "TOTAL_PASSED"
    first = time.perf_counter() - t0

    counts = []  # (passed, total) per thread; list.append is atomic under the GIL

    def work():
        passed = total = 0
        for _ in range(args.iterations):
            for path in args.files:
                passed += verifier.verify_pdf(path).indication == "TOTAL_PASSED"
                total += 1
        counts.append((passed, total))

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
        "setup_seconds": round(setup, 6), "first_seconds": round(first, 6), "first_passed": first_ok}))


if __name__ == "__main__":
    main()
