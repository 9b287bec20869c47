#!/usr/bin/python3
"""In-process signing throughput of the Python module: one Signer (the .p12 loaded once), a loop
of libsign.sign_pdf(bytes, signer) calls, bytes to bytes.

    PYTHONPATH=build/python /usr/bin/python3 bench/py_sign.py --iterations N --p12 FILE \
        --password-file FILE [--threads T] [--write OUT] [--verify PROFILES_DIR PROFILE AT] FILE...

Every FILE (unsigned PDFs) is read into memory once; each of the T threads runs N passes over
them (total T * N * len(FILES) signatures). The signing time is fixed (2026-06-15T09:00:00Z) so
the outputs verify at a fixed --at. --write: the first file's signed output is written there.
--verify: afterwards (untimed) every output of the last pass is verified in-process.
Prints one JSON object (same keys as bench_sign --json where they apply).
"""

import argparse
import json
import resource
import threading
import time

import libsign

SIGNING_TIME = "2026-06-15T09:00:00Z"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--iterations", type=int, default=1)
    ap.add_argument("--p12", required=True)
    ap.add_argument("--password-file", required=True)
    ap.add_argument("--write")
    ap.add_argument("--verify", nargs=3, metavar=("PROFILES_DIR", "PROFILE", "AT"))
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    inputs = []
    for path in args.files:
        with open(path, "rb") as f:
            inputs.append(f.read())

    t0 = time.perf_counter()
    signer = libsign.load_pkcs12(args.p12, password_file=args.password_file)
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    first_out = libsign.sign_pdf(inputs[0], signer, signing_time=SIGNING_TIME)
    first = time.perf_counter() - t0
    if args.write:
        with open(args.write, "wb") as f:
            f.write(first_out)

    counts = []      # signatures per thread; list.append is atomic under the GIL
    last = {}        # outputs of thread 0's last pass

    def work(tid):
        n = 0
        for i in range(args.iterations):
            for k, data in enumerate(inputs):
                out = libsign.sign_pdf(data, signer, signing_time=SIGNING_TIME)
                n += 1
                if tid == 0 and i == args.iterations - 1:
                    last[k] = out
        counts.append(n)

    def cpu():
        u = resource.getrusage(resource.RUSAGE_SELF)
        return u.ru_utime + u.ru_stime

    cpu0 = cpu()
    start = time.perf_counter()
    if args.threads == 1:
        work(0)
    else:
        pool = [threading.Thread(target=work, args=(t,)) for t in range(args.threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
    seconds = time.perf_counter() - start
    cpu_seconds = cpu() - cpu0
    total = sum(counts)

    verified = passed = -1
    if args.verify:
        verifier = libsign.make_verifier(profiles_dir=args.verify[0], trust_profile=args.verify[1],
                                         at=args.verify[2])
        verified = len(last)
        passed = sum(verifier.verify_pdf(out).indication == "TOTAL_PASSED" for out in last.values())

    print(json.dumps({
        "threads": args.threads, "signed": total, "seconds": round(seconds, 6),
        "signatures_per_second": round(total / seconds, 1), "cpu_seconds": round(cpu_seconds, 6),
        "load_seconds": round(load, 6), "first_seconds": round(first, 6),
        "verified": verified, "passed": passed}))


if __name__ == "__main__":
    main()
