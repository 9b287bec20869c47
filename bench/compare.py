#!/usr/bin/python3
"""Run the libsign performance comparisons and print a table (called by bench/run.sh).

    /usr/bin/python3 bench/compare.py --build BUILD --inputs DIR [--quick] [--json OUT]
                                      [--only verify|sign|revocation|tokens]

DIR is what bench/make_inputs.py wrote (small/*.pdf, big.pdf, nss/). Standard library only.
The revocation part starts tests/servers/pki_server.py on 127.0.0.1:18881 (the port the test PKI's
certificates name for OCSP and CRLs) and stops it at the end; it is skipped when the port is busy.
The tokens part creates a SoftHSM2 token (tests/tools/softhsm_token.py) in DIR; it is skipped when
SoftHSM2 is not installed.
Wall time and CPU time of each child come from os.wait4. Peak RSS does not: a child forked from
this Python process starts with Python's pages counted in its high-water mark (Linux keeps the
pre-exec maximum), so every small tool would show the same ~13 MiB floor. Peak RSS is therefore
measured through /usr/bin/time (package `time`), whose own small image is the only floor. The tools being compared run interleaved, round by round, with the
order alternating, and the medians are reported: the machine may be shared and noisy, so the
ratios measured side by side are what count, not the absolute times.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROFILES = os.path.join(REPO, "certs-test", "profiles")
PROFILE = "test-gov"
AT = "2026-07-01T00:00:00Z"
# Like pdfsig -no-ocsp: no network, revocation only reported (see docs/performance.md).
OFFLINE = ["--offline", "--revocation", "optional"]
PKI = os.path.join(REPO, "certs-test", "pki")
P12 = os.path.join(PKI, "gov-official.p12")
P12_PASSWORD_FILE = os.path.join(PKI, "p12-password.txt")
KEY_PEM = os.path.join(PKI, "gov-official.key.pem")   # the same key as in the .p12 (raw RSA baseline)
SIGNING_TIME = "2026-06-15T09:00:00Z"   # claimed /M of libsign's signatures: they verify at AT
PASSWORD_VAR = "LIBSIGN_BENCH_P12_PASSWORD"   # `libsign sign --password-env` (a test-only password)


def run_once(argv, env=None, capture=False):
    """(wall seconds, peak RSS in KiB, exit status, stdout bytes or None, CPU seconds user+sys)
    of one child process."""
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, env=env)
    data = proc.stdout.read() if capture else None
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if capture:
        proc.stdout.close()
    return wall, usage.ru_maxrss, proc.returncode, data, usage.ru_utime + usage.ru_stime


def peak_rss_kib(argv, runs=3):
    """Median peak RSS (KiB) of `argv` measured by /usr/bin/time; None when it is not installed."""
    if not os.path.exists("/usr/bin/time"):
        return None
    values = []
    for _ in range(runs):
        with open(os.devnull, "wb") as null:
            proc = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdout=null, stderr=subprocess.PIPE, check=True)
        values.append(int(proc.stderr.decode().strip().splitlines()[-1]))
    return statistics.median(values)


def interleaved(commands, rounds, warmup=2):
    """commands: {name: argv}. Runs every command once per round, alternating the order.
    Returns {name: {"wall": [..], "rss": [..]}} and the per-round lists stay aligned."""
    names = list(commands)
    for _ in range(warmup):
        for name in names:
            run_once(commands[name])
    result = {name: {"wall": [], "rss": [], "cpu": []} for name in names}
    for r in range(rounds):
        order = names if r % 2 == 0 else list(reversed(names))
        for name in order:
            wall, rss, code, _, cpu = run_once(commands[name])
            if code != 0:
                raise SystemExit("%s exited with %d: %s" % (name, code, " ".join(commands[name])))
            result[name]["wall"].append(wall)
            result[name]["rss"].append(rss)
            result[name]["cpu"].append(cpu)
    return result


def paired_ratio(res, num, den):
    """Median over rounds of res[num].wall / res[den].wall (same-round pairs)."""
    return statistics.median(a / b for a, b in zip(res[num]["wall"], res[den]["wall"]))


def med(values):
    return statistics.median(values)


def check_outputs(args, libsign, pdfsig, nss, path):
    """Both tools must report the file valid and trusted, or the timing means nothing."""
    _, _, code, out, _ = run_once([libsign, "verify", path, "--profiles-dir", PROFILES,
                                "--trust-profile", PROFILE, *OFFLINE, "--at", AT, "--format", "json"],
                               capture=True)
    indication = json.loads(out)["document"]["indication"] if code == 0 else "exit %d" % code
    if indication != "TOTAL_PASSED":
        raise SystemExit("libsign did not pass %s: %s" % (path, indication))
    _, _, code, out, _ = run_once(["pdfsig", "-nssdir", "sql:" + nss, "-no-ocsp", path], capture=True)
    text = out.decode("utf-8", "replace")
    if "Signature is Valid" not in text or "Certificate is Trusted" not in text:
        raise SystemExit("pdfsig did not validate %s:\n%s" % (path, text))


def libsign_verifies(libsign, path, at=AT):
    """`libsign verify` must exit 0 (TOTAL_PASSED) on a signed output. at=None: now (pdfsig writes
    the current time as its signing time and cannot be told otherwise)."""
    argv = [libsign, "verify", path, "--profiles-dir", PROFILES, "--trust-profile", PROFILE, *OFFLINE]
    if at:
        argv += ["--at", at]
    _, _, code, out, _ = run_once(argv, capture=True)
    if code != 0:
        raise SystemExit("libsign verify exited %d on the signed output %s:\n%s"
                         % (code, path, out.decode("utf-8", "replace")))


def pdfsig_accepts(nss, path):
    _, _, code, out, _ = run_once(["pdfsig", "-nssdir", "sql:" + nss, "-no-ocsp", path], capture=True)
    text = out.decode("utf-8", "replace")
    if code != 0 or "Signature is Valid" not in text or "Certificate is Trusted" not in text:
        raise SystemExit("pdfsig did not validate the signed output %s:\n%s" % (path, text))


def openssl_speed_rsa2048(seconds):
    """RSA-2048 private-key operations per second from `openssl speed` (one core), or None."""
    try:
        p = subprocess.run(["openssl", "speed", "-seconds", str(seconds), "-mr", "rsa2048"],
                           capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    for line in p.stdout.splitlines():
        if line.startswith("+F2:"):
            return float(line.split(":")[3])
    return None


def sign_benchmarks(args, libsign, pymod, results, rows, targets):
    """S1 in-process signing (C++ bench_sign, Python py_sign.py), S2 CLI one-page vs
    pdfsig -add-signature, S3 100 MB file vs sha256sum and pdfsig. Every signed output is verified."""
    bench_sign = os.path.join(args.build, "bench", "bench_sign")
    unsigned_dir = os.path.join(args.inputs, "unsigned")
    unsigned = sorted(os.path.join(unsigned_dir, f) for f in os.listdir(unsigned_dir) if f.endswith(".pdf"))
    big_unsigned = os.path.join(args.inputs, "big-unsigned.pdf")
    nss = os.path.join(args.inputs, "nss")            # trusts gov-root/gov-ca: checks our outputs
    nss_sign = os.path.join(args.inputs, "nss-sign")  # holds gov-official's key: pdfsig signs with it
    out = os.path.join(args.inputs, "signed-out")
    os.makedirs(out, exist_ok=True)
    with open(P12_PASSWORD_FILE) as f:
        os.environ[PASSWORD_VAR] = f.readline().rstrip("\r\n")
    env = dict(os.environ, PYTHONPATH=pymod + os.pathsep + os.environ.get("PYTHONPATH", ""))

    rounds = 1 if args.quick else 5
    iterations = 10 if args.quick else 50             # passes over the unsigned files per run
    cli_rounds = 21 if args.quick else 61
    big_rounds = 3 if args.quick else 11

    # S1. In-process, memory to memory, key loaded once.
    verify_tail = [PROFILES, PROFILE, AT]

    def cpp(threads):
        return [bench_sign, "--json", "--threads", str(threads), "--write", os.path.join(out, "cpp-%d.pdf" % threads),
                "--verify"] + verify_tail + [str(iterations), P12, P12_PASSWORD_FILE, KEY_PEM] + unsigned

    def py(threads):
        return [sys.executable, os.path.join(REPO, "bench", "py_sign.py"), "--threads", str(threads),
                "--iterations", str(iterations), "--p12", P12, "--password-file", P12_PASSWORD_FILE,
                "--write", os.path.join(out, "py-%d.pdf" % threads), "--verify"] + verify_tail + unsigned

    batch = {"cpp1": (cpp(1), None), "py1": (py(1), env), "cpp2": (cpp(2), None)}
    runs = {k: [] for k in batch}
    for r in range(rounds):
        order = list(batch) if r % 2 == 0 else list(reversed(list(batch)))
        for name in order:
            argv, e = batch[name]
            p = subprocess.run(argv, capture_output=True, text=True, env=e)
            if p.returncode != 0:
                raise SystemExit("%s failed:\n%s" % (name, p.stderr))
            d = json.loads(p.stdout.strip().splitlines()[-1])
            if d["passed"] != d["verified"] or d["verified"] != len(unsigned):
                raise SystemExit("%s: not every signed output verified: %s" % (name, d))
            runs[name].append(d)
    for name in batch:   # the written outputs must pass the command-line verifier and pdfsig too
        path = os.path.join(out, "%s-%s.pdf" % (name[:-1], name[-1]))
        libsign_verifies(libsign, path)
        pdfsig_accepts(nss, path)
    sps = {k: med([d["signatures_per_second"] for d in v]) for k, v in runs.items()}
    evp = med([d["evp_sign_per_second"] for d in runs["cpp1"]])
    signer_rate = med([d["signer_sign_per_second"] for d in runs["cpp1"]])
    # same-run ratio: sign_pdf rate / raw EVP rate of the same key, in the same process
    vs_evp = med([d["signatures_per_second"] / d["evp_sign_per_second"] for d in runs["cpp1"]])
    speed = openssl_speed_rsa2048(1 if args.quick else 3)
    results["sign_inprocess"] = {
        "files": len(unsigned), "iterations": iterations, "rounds": rounds,
        "input_bytes_mean": runs["cpp1"][0]["input_bytes_mean"],
        "output_bytes_mean": runs["cpp1"][0]["output_bytes_mean"],
        "median_signatures_per_second": sps,
        "median_ms_per_signature": {k: 1e3 / v for k, v in sps.items()},
        "median_cores_used": {k: med([d["cpu_seconds"] / d["seconds"] for d in v]) for k, v in runs.items()},
        "median_load_ms": {k: med([d["load_seconds"] for d in v]) * 1e3 for k, v in runs.items()},
        "evp_rsa2048_sign_per_second": evp, "signer_sign_per_second": signer_rate,
        "openssl_speed_rsa2048_sign_per_second": speed,
        "cpp1_over_evp": vs_evp, "speedup_2_threads_cpp": sps["cpp2"] / sps["cpp1"]}
    rows.append(("S1", "in-process B-B sign_pdf, C++, 1 thread (signatures/s per core)", "%.0f" % sps["cpp1"],
                 ">= 500", sps["cpp1"] >= 500))
    rows.append(("S1", "in-process sign_pdf, Python, 1 thread (signatures/s per core)", "%.0f" % sps["py1"],
                 ">= 500", sps["py1"] >= 500))
    rows.append(("", "  RSA-2048 sign alone: EVP loop (same run) / openssl speed (/s)",
                 "%.0f / %s" % (evp, "%.0f" % speed if speed else "?"), "", None))
    rows.append(("", "  sign_pdf rate / raw RSA rate (C++, same process)", "%.2f" % vs_evp, "", None))
    rows.append(("", "  libsign Signer::sign alone (/s)", "%.0f" % signer_rate, "", None))
    rows.append(("", "  ms per signature: C++ / Python / raw RSA",
                 "%.3f / %.3f / %.3f" % (1e3 / sps["cpp1"], 1e3 / sps["py1"], 1e3 / evp), "", None))
    rows.append(("", "  C++ 2 threads: signatures/s, speedup", "%.0f, %.2fx" % (sps["cpp2"], sps["cpp2"] / sps["cpp1"]),
                 "", None))
    rows.append(("", "  load_pkcs12_signer, once (ms)", "%.2f" % results["sign_inprocess"]["median_load_ms"]["cpp1"],
                 "", None))
    targets.update({"S1_cpp_500": sps["cpp1"] >= 500, "S1_py_500": sps["py1"] >= 500})

    # S2. One-page PDF, whole CLI process: libsign sign vs pdfsig -add-signature (same key).
    one = unsigned[0]
    libsign_out = os.path.join(out, "cli-libsign.pdf")
    pdfsig_out = os.path.join(out, "cli-pdfsig.pdf")   # pdfsig's output must differ from its input
    sign_cmd = [libsign, "sign", one, "-o", libsign_out, "--p12", P12, "--password-env", PASSWORD_VAR,
                "--signing-time", SIGNING_TIME]
    pdfsig_cmd = ["pdfsig", "-nssdir", "sql:" + nss_sign, "-add-signature", "-nick", "gov-official",
                  "-new-signature-field-name", "Signature1", one, pdfsig_out]
    cli = interleaved({"libsign": sign_cmd, "pdfsig": pdfsig_cmd, "libsign_version": [libsign, "--version"]},
                      cli_rounds, warmup=3)
    libsign_verifies(libsign, libsign_out)
    pdfsig_accepts(nss, libsign_out)
    libsign_verifies(libsign, pdfsig_out, at=None)
    r2 = paired_ratio(cli, "pdfsig", "libsign")
    results["sign_cli"] = {"rounds": cli_rounds, "file_bytes": os.path.getsize(one),
                           "output_bytes": {"libsign": os.path.getsize(libsign_out),
                                            "pdfsig": os.path.getsize(pdfsig_out)},
                           "median_ms": {k: med(v["wall"]) * 1e3 for k, v in cli.items()},
                           "median_cpu_ms": {k: med(v["cpu"]) * 1e3 for k, v in cli.items()},
                           "pdfsig_over_libsign": r2}
    ms = results["sign_cli"]["median_ms"]
    cpu_ms = results["sign_cli"]["median_cpu_ms"]
    rows.append(("S2", "CLI sign, one-page PDF: pdfsig -add-signature time / libsign sign time", "%.2fx" % r2,
                 "", None))
    rows.append(("", "  CPU time instead of wall time: pdfsig / libsign",
                 "%.2fx" % (cpu_ms["pdfsig"] / cpu_ms["libsign"]), "", None))
    rows.append(("", "  libsign sign / pdfsig -add-signature / libsign --version (ms)",
                 "%.1f / %.1f / %.1f" % (ms["libsign"], ms["pdfsig"], ms["libsign_version"]), "", None))
    rows.append(("", "  output size: libsign / pdfsig (bytes)",
                 "%d / %d" % (os.path.getsize(libsign_out), os.path.getsize(pdfsig_out)), "", None))

    # S3. 100 MB PDF, file to file.
    big_libsign_out = os.path.join(out, "big-libsign.pdf")
    big_pdfsig_out = os.path.join(out, "big-pdfsig.pdf")
    big_commands = {
        "libsign": [libsign, "sign", big_unsigned, "-o", big_libsign_out, "--p12", P12,
                    "--password-env", PASSWORD_VAR, "--signing-time", SIGNING_TIME],
        "sha256sum": ["sha256sum", big_unsigned],
        "pdfsig": ["pdfsig", "-nssdir", "sql:" + nss_sign, "-add-signature", "-nick", "gov-official",
                   "-new-signature-field-name", "Signature1", big_unsigned, big_pdfsig_out],
    }
    big = interleaved(big_commands, big_rounds, warmup=1)
    libsign_verifies(libsign, big_libsign_out)
    libsign_verifies(libsign, big_pdfsig_out, at=None)
    r3 = paired_ratio(big, "libsign", "sha256sum")
    over = med(a - b for a, b in zip(big["libsign"]["wall"], big["sha256sum"]["wall"]))
    rss = {k: peak_rss_kib(argv) for k, argv in big_commands.items()}
    if None in rss.values():
        rss = {k: med(v["rss"]) for k, v in big.items()}
    results["sign_big"] = {"rounds": big_rounds, "file_bytes": os.path.getsize(big_unsigned),
                           "median_ms": {k: med(v["wall"]) * 1e3 for k, v in big.items()},
                           "median_cpu_ms": {k: med(v["cpu"]) * 1e3 for k, v in big.items()},
                           "median_rss_kib": rss, "libsign_over_sha256sum": r3,
                           "libsign_minus_sha256sum_ms": over * 1e3}
    mb = os.path.getsize(big_unsigned) / 1e6
    rows.append(("S3", "%.0f MB PDF: libsign sign time / sha256sum time" % mb, "%.2fx" % r3, "<= 2x (+c)",
                 r3 <= 2))
    rows.append(("", "  libsign sign minus sha256sum (ms, paired median)", "%+.0f" % (over * 1e3), "", None))
    rows.append(("S3", "%.0f MB PDF: peak RSS libsign sign / pdfsig -add-signature" % mb,
                 "%.1f / %.1f MiB" % (rss["libsign"] / 1024, rss["pdfsig"] / 1024), "", None))
    rows.append(("", "  libsign / sha256sum / pdfsig (ms)",
                 " / ".join("%.0f" % results["sign_big"]["median_ms"][k] for k in ("libsign", "sha256sum", "pdfsig")),
                 "", None))
    rows.append(("", "  CPU user+sys: libsign / sha256sum / pdfsig (ms)",
                 " / ".join("%.0f" % results["sign_big"]["median_cpu_ms"][k] for k in ("libsign", "sha256sum", "pdfsig")),
                 "", None))
    targets.update({"S3_time_2x_sha256sum": r3 <= 2})
    return "sign: in-process %d x %d passes over %d files, CLI %d, big file %d" % (
        rounds, iterations, len(unsigned), cli_rounds, big_rounds)


# Revocation part: the test PKI's OCSP/CRL server on the port its certificates name.
ALLOW_LOCAL = ["--allow-host", "127.0.0.1", "--revocation", "required"]   # online, fetches to 127.0.0.1 only


def start_pki_server():
    """Starts tests/servers/pki_server.py on 127.0.0.1:18881 (the port in the certs-test AIA/CDP URLs).
    Returns (base_url, stop), or (None, reason) when the port is busy."""
    sys.path.insert(0, os.path.join(REPO, "tests", "servers"))
    import servers   # the tests' helper: waits for LISTENING, stop() = terminate + wait
    try:
        return servers.start_pki_server(port=servers.FIXED_PKI_PORT)
    except servers.PortInUse:
        return None, "port %d on 127.0.0.1 is busy" % servers.FIXED_PKI_PORT


def pki_stats(base, reset=False):
    """The server's request counters; reset=True zeroes them after answering."""
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # 127.0.0.1 directly
    with no_proxy.open(base + "/stats" + ("?reset=1" if reset else ""), timeout=10) as r:
        return json.load(r)


def fetches(stats):
    return stats["ocsp_requests"] + stats["crl_fetches"] + stats["ca_fetches"]


def revocation_benchmarks(args, libsign, bench_verify, pymod, small, results, rows, targets):
    """R1 in-process batch, warm revocation cache (online, required) vs no revocation (offline,
    optional), C++ and Python; R2 network fetches of a batch with one Verifier and the cold pass;
    R3 CLI --revocation-cache second run vs --offline. Every timed verification must be TOTAL_PASSED,
    with revocation status good in the online runs."""
    base, stop = start_pki_server()
    if base is None:
        print("revocation part skipped: %s" % stop, file=sys.stderr)
        results["revocation"] = {"skipped": stop}
        rows.append(("R", "revocation: SKIPPED, " + stop, "", "", None))
        return "revocation skipped"
    try:
        return _revocation_benchmarks(args, libsign, bench_verify, pymod, small, results, rows, targets, base)
    finally:
        stop()


def _revocation_benchmarks(args, libsign, bench_verify, pymod, small, results, rows, targets, base):
    rounds = 1 if args.quick else 7
    iterations = 2 if args.quick else 5          # timed passes over the files per run
    cli_rounds = 21 if args.quick else 61
    env = dict(os.environ, PYTHONPATH=pymod + os.pathsep + os.environ.get("PYTHONPATH", ""))
    common = [PROFILES, PROFILE, AT]

    # R1 + R2. One process = one Verifier: one untimed pass over the files (online: the cold pass,
    # which fills the revocation cache), then `iterations` timed passes. The baseline gets the same
    # untimed pass. The server's counters are read around every run.
    def cpp(extra):
        return [bench_verify, "--json", "--warm-passes", "1", *extra, str(iterations)] + common + small

    def py(extra):
        return [sys.executable, os.path.join(REPO, "bench", "py_batch.py"), "--warm-passes", "1",
                "--iterations", str(iterations), "--profiles-dir", PROFILES, "--trust-profile", PROFILE,
                "--at", AT, *extra] + small

    batch = {"cpp_off": (cpp([]), None),                      # library defaults: offline, optional
             "cpp_warm": (cpp(ALLOW_LOCAL), None),
             "py_off": (py(OFFLINE), env),
             "py_warm": (py(ALLOW_LOCAL), env)}
    runs = {k: [] for k in batch}
    for r in range(rounds):
        order = list(batch) if r % 2 == 0 else list(reversed(list(batch)))
        for name in order:
            argv, e = batch[name]
            pki_stats(base, reset=True)
            p = subprocess.run(argv, capture_output=True, text=True, env=e)
            stats = pki_stats(base)
            if p.returncode != 0:
                raise SystemExit("%s failed:\n%s" % (name, p.stderr))
            d = json.loads(p.stdout.strip().splitlines()[-1])
            online = name.endswith("_warm")
            if (d["passed"] != d["verified"] or not d["first_passed"] or d["warm_passed"] != d["warm_verified"]
                    or d["warm_verified"] != len(small) or d["online"] != online):
                raise SystemExit("%s: not every file passed: %s" % (name, d))
            if online and d["revocation_good"] != d["verified"]:
                raise SystemExit("%s: revocation status not good for every file of the timed loop: %s" % (name, d))
            if not online and (d["revocation_good"] != 0 or fetches(stats) != 0):
                raise SystemExit("%s: the baseline checked revocation: %s %s" % (name, d, stats))
            if stats["by_status"].keys() - {"200"} or stats["errors"]:
                raise SystemExit("%s: the server answered errors: %s" % (name, stats))
            d["server"] = stats
            runs[name].append(d)
    fps = {k: med([d["files_per_second"] for d in v]) for k, v in runs.items()}
    # same-round ratios: time per file with the warm cache / without revocation
    ratio = {lang: med([off["files_per_second"] / warm["files_per_second"]
                        for off, warm in zip(runs[lang + "_off"], runs[lang + "_warm"])]) for lang in ("cpp", "py")}
    per_file_ms = {k: 1e3 / v for k, v in fps.items()}
    # the cold pass: the first call (online: it makes the fetches) and the untimed pass over all files
    cold_ms = {k: med([(d["first_seconds"] + d["warm_seconds"]) / (d["warm_verified"] + 1) for d in v]) * 1e3
               for k, v in runs.items()}
    first_ms = {k: med([d["first_seconds"] for d in v]) * 1e3 for k, v in runs.items()}
    online_runs = runs["cpp_warm"] + runs["py_warm"]
    ocsp = [d["server"]["ocsp_requests"] for d in online_runs]
    crl = [d["server"]["crl_fetches"] for d in online_runs]
    ca = [d["server"]["ca_fetches"] for d in online_runs]
    per_serial = [n for d in online_runs for ca_counts in d["server"]["ocsp_serials"].values() for n in ca_counts.values()]
    serials = sorted({"%s/%s" % (c, s) for d in online_runs for c, counts in d["server"]["ocsp_serials"].items()
                      for s in counts})
    crl_paths = sorted({p for d in online_runs for p in d["server"]["by_path"] if p.startswith("/crl/")})
    verifications = len(small) * (1 + iterations) + 1   # per process: first call, cold pass, timed passes
    # at most one OCSP request per certificate and one download per CRL, whatever the number of documents
    one_per_cert = max(per_serial, default=0) <= 1 and max(crl) <= len(crl_paths)
    results["revocation_batch"] = {
        "files": len(small), "iterations": iterations, "rounds": rounds,
        "verifications_per_process": verifications,
        "median_files_per_second": fps, "median_ms_per_file": per_file_ms,
        "warm_over_off": ratio,
        "warm_over_off_per_round": {lang: [off["files_per_second"] / warm["files_per_second"]
                                           for off, warm in zip(runs[lang + "_off"], runs[lang + "_warm"])]
                                    for lang in ("cpp", "py")},
        "cold_pass_ms_per_file": cold_ms, "first_file_ms": first_ms,
        "fetches_per_process": {"ocsp": sorted(set(ocsp)), "crl": sorted(set(crl)), "ca": sorted(set(ca))},
        "ocsp_serials": serials, "crl_paths": crl_paths, "max_ocsp_requests_per_serial": max(per_serial, default=0)}
    rows.append(("R1", "warm revocation cache / no revocation, C++ batch (time per file)", "%.2fx" % ratio["cpp"],
                 "<= 1.2x", ratio["cpp"] <= 1.2))
    rows.append(("R1", "warm revocation cache / no revocation, Python batch (time per file)", "%.2fx" % ratio["py"],
                 "<= 1.2x", ratio["py"] <= 1.2))
    rows.append(("", "  files/s C++: no revocation / warm cache",
                 "%.0f / %.0f" % (fps["cpp_off"], fps["cpp_warm"]), "", None))
    rows.append(("", "  files/s Python: no revocation / warm cache",
                 "%.0f / %.0f" % (fps["py_off"], fps["py_warm"]), "", None))
    rows.append(("", "  ms per file, C++ / Python: no revocation",
                 "%.3f / %.3f" % (per_file_ms["cpp_off"], per_file_ms["py_off"]), "", None))
    rows.append(("", "  ms per file, C++ / Python: warm revocation cache",
                 "%.3f / %.3f" % (per_file_ms["cpp_warm"], per_file_ms["py_warm"]), "", None))
    rows.append(("R2", "OCSP requests per Verifier, %d docs by gov-official (%d verifications)"
                 % (len(small), verifications), "/".join(map(str, sorted(set(ocsp)))), "1 per cert", one_per_cert))
    rows.append(("", "  CRL / CA-certificate fetches per Verifier",
                 "%s / %s" % ("/".join(map(str, sorted(set(crl)))), "/".join(map(str, sorted(set(ca))))), "", None))
    rows.append(("", "  OCSP serials asked; CRLs fetched", "%s; %s" % (",".join(serials), ",".join(crl_paths)),
                 "", None))
    rows.append(("", "  cold pass of a new Verifier (fetches incl.), ms per file: C++ / Python",
                 "%.3f / %.3f" % (cold_ms["cpp_warm"], cold_ms["py_warm"]), "", None))
    rows.append(("", "  the same first pass without revocation, ms per file: C++ / Python",
                 "%.3f / %.3f" % (cold_ms["cpp_off"], cold_ms["py_off"]), "", None))
    rows.append(("", "  first file of a Verifier, C++: no revocation / online, fetches incl. (ms)",
                 "%.2f / %.2f" % (first_ms["cpp_off"], first_ms["cpp_warm"]), "", None))
    targets.update({"R1_cpp_warm_1.2x": ratio["cpp"] <= 1.2, "R1_py_warm_1.2x": ratio["py"] <= 1.2,
                    "R2_one_ocsp_per_cert": one_per_cert})

    # R3. CLI, one file: second run with --revocation-cache (filled by a first run) vs --offline, and
    # online without a cache (every process fetches) for context. Informative.
    one = small[0]
    cache = os.path.join(args.inputs, "revocation-cache")
    shutil.rmtree(cache, ignore_errors=True)
    os.makedirs(cache)
    verify = [libsign, "verify", one, "--profiles-dir", PROFILES, "--trust-profile", PROFILE, "--at", AT]
    commands = {"offline": verify + OFFLINE,
                "cached": verify + ALLOW_LOCAL + ["--revocation-cache", cache],
                "online_no_cache": verify + ALLOW_LOCAL}
    pki_stats(base, reset=True)
    _, _, code, out, _ = run_once(commands["cached"] + ["--format", "json"], capture=True)   # fills the cache
    sig = json.loads(out)["document"]["signatures"][0] if code == 0 else None
    if not sig or sig["indication"] != "TOTAL_PASSED" or sig["revocation"]["status"] != "good":
        raise SystemExit("libsign verify with the revocation cache did not pass %s (exit %d)" % (one, code))
    if not os.listdir(cache):
        raise SystemExit("libsign verify --revocation-cache wrote nothing into %s" % cache)
    cold_fetches = fetches(pki_stats(base, reset=True))
    _, _, code, out, _ = run_once(commands["cached"] + ["--format", "json"], capture=True)
    sig = json.loads(out)["document"]["signatures"][0] if code == 0 else None
    if not sig or sig["revocation"]["status"] != "good" or fetches(pki_stats(base, reset=True)) != 0:
        raise SystemExit("libsign verify: the second run with --revocation-cache fetched again or did not pass")
    warmup = 3
    cli = interleaved(commands, cli_rounds, warmup=warmup)   # any exit status but 0 stops the benchmark
    stats = pki_stats(base)
    # only the no-cache command fetches: the cached runs made no request, the offline ones none
    expected = cold_fetches * (cli_rounds + warmup)
    if fetches(stats) != expected:
        raise SystemExit("CLI runs made %d fetches, expected %d (only online_no_cache): %s" % (fetches(stats), expected, stats))
    ms = {k: med(v["wall"]) * 1e3 for k, v in cli.items()}
    cpu_ms = {k: med(v["cpu"]) * 1e3 for k, v in cli.items()}
    r3 = paired_ratio(cli, "cached", "offline")
    r3n = paired_ratio(cli, "online_no_cache", "offline")
    results["revocation_cli"] = {"rounds": cli_rounds, "median_ms": ms, "median_cpu_ms": cpu_ms,
                                 "cached_over_offline": r3, "online_no_cache_over_offline": r3n,
                                 "fetches_per_uncached_run": cold_fetches, "cache_files": len(os.listdir(cache))}
    rows.append(("R3", "CLI one file: --revocation-cache 2nd run / --offline (time)", "%.2fx" % r3, "", None))
    rows.append(("", "  online without cache (%d fetches per run) / --offline" % cold_fetches, "%.2fx" % r3n, "", None))
    rows.append(("", "  offline / cached / online no cache (ms)",
                 "%.1f / %.1f / %.1f" % (ms["offline"], ms["cached"], ms["online_no_cache"]), "", None))
    rows.append(("", "  CPU user+sys: offline / cached / online no cache (ms)",
                 "%.1f / %.1f / %.1f" % (cpu_ms["offline"], cpu_ms["cached"], cpu_ms["online_no_cache"]), "", None))
    return "revocation: batch %d x (1 cold + %d timed passes) over %d files, CLI %d" % (
        rounds, iterations, len(small), cli_rounds)


# Tokens part: the same key on a SoftHSM2 token (PKCS#11) against the .p12.
SOFTHSM_MODULES = ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                   "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so"]
TOKEN_LABEL = "libsign-test"   # what tests/tools/softhsm_token.py creates
TOKEN_KEY = "gov-official"     # id 01 on that token, the key of certs-test/pki/gov-official.p12
CERT_PEM = os.path.join(PKI, "gov-official.pem")
CHAIN_PEM = os.path.join(PKI, "gov-chain.pem")   # the CA certificates the .p12 carries too


def token_benchmarks(args, libsign, results, rows):
    """T1 sign_pdf through the token vs the .p12 (in-process, same process), T2 Signer::sign alone,
    T3 libsign's PKCS#11 layer: Signer::sign on the token vs raw C_SignInit/C_Sign through the module
    (bench_p11_raw, no libsign), T4 CLI one-page. Every signed output is verified."""
    module = next((m for m in SOFTHSM_MODULES if os.path.exists(m)), None)
    missing = [t for t in ("softhsm2-util", "pkcs11-tool") if not shutil.which(t)]
    if module is None or missing:
        reason = "SoftHSM2 not installed (%s)" % ("no libsofthsm2.so" if module is None else "no " + ", ".join(missing))
        print("tokens part skipped: %s (apt-get install softhsm2 opensc)" % reason, file=sys.stderr)
        results["tokens"] = {"skipped": reason}
        rows.append(("T", "tokens: SKIPPED, " + reason, "", "", None))
        return "tokens: skipped"
    hsm = os.path.join(args.inputs, "softhsm")
    subprocess.run([sys.executable, os.path.join(REPO, "tests", "tools", "softhsm_token.py"), hsm],
                   check=True, stdout=subprocess.DEVNULL)
    os.environ["SOFTHSM2_CONF"] = os.path.join(hsm, "softhsm2.conf")
    pin_file = os.path.join(hsm, "user-pin.txt")
    bench_token = os.path.join(args.build, "bench", "bench_token")
    bench_raw = os.path.join(args.build, "bench", "bench_p11_raw")
    unsigned_dir = os.path.join(args.inputs, "unsigned")
    unsigned = sorted(os.path.join(unsigned_dir, f) for f in os.listdir(unsigned_dir) if f.endswith(".pdf"))
    nss = os.path.join(args.inputs, "nss")
    out = os.path.join(args.inputs, "token-out")
    os.makedirs(out, exist_ok=True)
    with open(P12_PASSWORD_FILE) as f:
        os.environ[PASSWORD_VAR] = f.readline().rstrip("\r\n")

    rounds = 3 if args.quick else 7
    passes = 10 if args.quick else 50            # sign_pdf passes over the unsigned files per block
    seconds = 0.25 if args.quick else 0.5        # Signer::sign blocks; raw C_Sign runs 2x as long
    cli_rounds = 11 if args.quick else 31
    token_out = os.path.join(out, "bench-token.pdf")

    def token_cmd(reverse):
        return [bench_token, "--json", "--passes", str(passes), "--signer-seconds", str(seconds),
                "--chain", CHAIN_PEM, "--write", token_out, "--verify", PROFILES, PROFILE, AT] + \
               (["--reverse"] if reverse else []) + \
               [module, TOKEN_LABEL, TOKEN_KEY, pin_file, P12, P12_PASSWORD_FILE] + unsigned

    raw_cmd = [bench_raw, "--json", "--seconds", str(2 * seconds), module, TOKEN_LABEL, TOKEN_KEY, pin_file, CERT_PEM]
    token_runs, raw_runs = [], []
    for r in range(rounds):
        order = ["raw", "token"] if r % 2 == 0 else ["token", "raw"]
        for name in order:
            argv = raw_cmd if name == "raw" else token_cmd(reverse=r % 2 == 1)
            p = subprocess.run(argv, capture_output=True, text=True)
            if p.returncode != 0:
                raise SystemExit("%s failed (exit %d):\n%s%s" % (name, p.returncode, p.stdout, p.stderr))
            d = json.loads(p.stdout.strip().splitlines()[-1])
            if name == "raw":
                if d["verified"] != d["checked"]:
                    raise SystemExit("bench_p11_raw: not every checked signature verified: %s" % d)
                raw_runs.append(d)
            else:
                if d["passed"] != d["verified"] or d["verified"] != 2 * len(unsigned):
                    raise SystemExit("bench_token: not every signed output verified: %s" % d)
                token_runs.append(d)
    libsign_verifies(libsign, token_out)
    pdfsig_accepts(nss, token_out)

    def rate(block):
        return med([d[block]["per_second"] for d in token_runs])

    pdf_ratio = med([d["token_pdf"]["per_second"] / d["p12_pdf"]["per_second"] for d in token_runs])
    signer_ratio = med([d["token_signer"]["per_second"] / d["p12_signer"]["per_second"] for d in token_runs])
    # libsign's layer: Signer::sign vs the module called directly, same process, same token and key
    layer_ratio = med([d["token_signer"]["per_second"] / d["raw_token"]["per_second"] for d in token_runs])
    layer_us = med([1e6 / d["token_signer"]["per_second"] - 1e6 / d["raw_token"]["per_second"] for d in token_runs])
    # the module alone, in a process without libsign (bench_p11_raw), next to it in the same round
    standalone_ratio = med([t["token_signer"]["per_second"] / w["signatures_per_second"]
                            for t, w in zip(token_runs, raw_runs)])
    pdf_extra_ms = med([1e3 / d["token_pdf"]["per_second"] - 1e3 / d["p12_pdf"]["per_second"] for d in token_runs])
    raw_rate = med([w["signatures_per_second"] for w in raw_runs])
    init_us = med([w["sign_init_us"] for w in raw_runs])
    sign_us = med([w["sign_us"] for w in raw_runs])
    busy = med([d["token_pdf"]["cpu_seconds"] / d["token_pdf"]["seconds"] for d in token_runs])

    # T4. CLI, one-page PDF: libsign sign with the token vs with the .p12 (whole process).
    one = unsigned[0]
    cli_out = {"p12": os.path.join(out, "cli-p12.pdf"), "token": os.path.join(out, "cli-token.pdf")}
    base = [libsign, "sign", one, "--signing-time", SIGNING_TIME]
    cli = interleaved({
        "p12": base + ["-o", cli_out["p12"], "--p12", P12, "--password-env", PASSWORD_VAR],
        "token": base + ["-o", cli_out["token"], "--pkcs11-module", module, "--token-label", TOKEN_LABEL,
                         "--key-label", TOKEN_KEY, "--pin-file", pin_file, "--chain", CHAIN_PEM],
    }, cli_rounds, warmup=2)
    for path in cli_out.values():
        libsign_verifies(libsign, path)
    pdfsig_accepts(nss, cli_out["token"])
    cli_ratio = paired_ratio(cli, "token", "p12")
    cli_ms = {k: med(v["wall"]) * 1e3 for k, v in cli.items()}

    results["tokens"] = {
        "module": module, "rounds": rounds, "passes": passes, "files": len(unsigned), "cli_rounds": cli_rounds,
        "median_per_second": {b: rate(b) for b in ("token_pdf", "p12_pdf", "token_signer", "p12_signer", "raw_token")},
        "raw_c_sign_per_second": raw_rate, "raw_sign_init_us": init_us, "raw_sign_us": sign_us,
        "token_over_p12_sign_pdf": pdf_ratio, "token_over_p12_signer": signer_ratio,
        "libsign_signer_over_raw": layer_ratio, "libsign_layer_us_per_signature": layer_us,
        "libsign_signer_over_standalone_raw": standalone_ratio,
        "token_minus_p12_ms_per_sign_pdf": pdf_extra_ms, "token_pdf_cores_busy": busy,
        "median_load_ms": {"token": med([d["token_load_seconds"] for d in token_runs]) * 1e3,
                           "p12": med([d["p12_load_seconds"] for d in token_runs]) * 1e3},
        "output_bytes_mean": {"token": token_runs[0]["token_output_bytes_mean"],
                              "p12": token_runs[0]["p12_output_bytes_mean"]},
        "cli_median_ms": cli_ms, "cli_token_over_p12": cli_ratio}
    t = results["tokens"]
    rows.append(("T1", "sign_pdf rate through SoftHSM2 / through the .p12 (same process)", "%.2f" % pdf_ratio, "", None))
    rows.append(("", "  sign_pdf signatures/s: token / .p12", "%.0f / %.0f" % (rate("token_pdf"), rate("p12_pdf")),
                 "", None))
    rows.append(("", "  ms per signature: token / .p12 (token minus .p12, paired)",
                 "%.3f / %.3f (%+.3f)" % (1e3 / rate("token_pdf"), 1e3 / rate("p12_pdf"), pdf_extra_ms), "", None))
    rows.append(("T2", "Signer::sign alone: token / .p12 rate", "%.2f" % signer_ratio, "", None))
    rows.append(("", "  Signer::sign /s: token / .p12", "%.0f / %.0f" % (rate("token_signer"), rate("p12_signer")),
                 "", None))
    rows.append(("T3", "libsign PKCS#11 layer: Signer::sign rate / raw C_Sign rate (same process)", "%.3f" % layer_ratio,
                 "", None))
    rows.append(("", "  token Signer::sign / raw C_SignInit+C_Sign, same process (/s)",
                 "%.0f / %.0f" % (rate("token_signer"), rate("raw_token")), "", None))
    rows.append(("", "  libsign layer, us per signature (paired)", "%+.1f" % layer_us, "", None))
    rows.append(("", "  raw C_Sign, own process without libsign (/s; Signer::sign / it)",
                 "%.0f (%.3f)" % (raw_rate, standalone_ratio), "", None))
    rows.append(("", "  raw: C_SignInit / C_Sign (us per signature)", "%.1f / %.1f" % (init_us, sign_us), "", None))
    rows.append(("", "  load_pkcs11_signer / load_pkcs12_signer, once (ms)",
                 "%.2f / %.2f" % (t["median_load_ms"]["token"], t["median_load_ms"]["p12"]), "", None))
    rows.append(("T4", "CLI sign, one-page PDF: token time / .p12 time", "%.2fx" % cli_ratio, "", None))
    rows.append(("", "  libsign sign --pkcs11-module / --p12 (ms)", "%.1f / %.1f" % (cli_ms["token"], cli_ms["p12"]),
                 "", None))
    return "tokens: %d rounds x (bench_token: %d passes over %d files + bench_p11_raw), CLI %d" % (
        rounds, passes, len(unsigned), cli_rounds)


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "python": platform.python_version()}


def tool_version(argv):
    try:
        p = subprocess.run(argv, capture_output=True, text=True)
        return (p.stdout + p.stderr).strip().splitlines()[0]
    except (OSError, IndexError):
        return "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--inputs", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--only", choices=("verify", "sign", "revocation", "tokens"),
                    help="run only the verification, the signing, the revocation or the tokens part")
    args = ap.parse_args()
    parts = {args.only} if args.only else {"verify", "sign", "revocation", "tokens"}

    libsign = os.path.join(args.build, "libsign")
    bench_verify = os.path.join(args.build, "bench", "bench_verify")
    pymod = os.path.join(args.build, "python")
    nss = os.path.join(args.inputs, "nss")
    small_dir = os.path.join(args.inputs, "small")
    small = sorted(os.path.join(small_dir, f) for f in os.listdir(small_dir) if f.endswith(".pdf"))
    big = os.path.join(args.inputs, "big.pdf")
    one = small[0] if small else None

    cli_rounds = 21 if args.quick else 61
    batch_rounds = 1 if args.quick else 5
    batch_iterations = 2 if args.quick else 10        # passes over the small files per run
    big_rounds = 3 if args.quick else 11

    if "verify" in parts:
        check_outputs(args, libsign, "pdfsig", nss, one)
        check_outputs(args, libsign, "pdfsig", nss, big)

    results = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(),
               "quick": args.quick,
               "versions": {"pdfsig": tool_version(["pdfsig", "-v"]),
                            "libsign": tool_version([libsign, "--version"]),
                            "sha256sum": tool_version(["sha256sum", "--version"])}}
    rows = []
    targets = {}

    if "verify" in parts:
        # 1. One-page signed PDF, whole CLI process.
        verify = [libsign, "verify", one, "--profiles-dir", PROFILES, "--trust-profile", PROFILE, *OFFLINE, "--at", AT]
        cli = interleaved({
            "libsign": verify,
            "libsign_json": verify + ["--format", "json"],
            "pdfsig": ["pdfsig", "-nssdir", "sql:" + nss, "-no-ocsp", one],
            "libsign_version": [libsign, "--version"],   # process start + static init only (a floor)
        }, cli_rounds, warmup=3)
        r1 = paired_ratio(cli, "pdfsig", "libsign")
        r1j = paired_ratio(cli, "pdfsig", "libsign_json")
        results["cli"] = {"rounds": cli_rounds, "file_bytes": os.path.getsize(one),
                          "median_ms": {k: med(v["wall"]) * 1e3 for k, v in cli.items()},
                          "median_rss_kib": {k: med(v["rss"]) for k, v in cli.items()},
                          "median_cpu_ms": {k: med(v["cpu"]) * 1e3 for k, v in cli.items()},
                          "pdfsig_over_libsign": r1, "pdfsig_over_libsign_json": r1j}
        rows.append(("1", "CLI, one-page signed PDF: pdfsig time / libsign time", "%.2fx" % r1, ">= 3x",
                     r1 >= 3))
        rows.append(("", "  same, libsign --format json", "%.2fx" % r1j, ">= 3x", r1j >= 3))
        cpu_ms = results["cli"]["median_cpu_ms"]
        rows.append(("", "  CPU time instead of wall time: pdfsig / libsign",
                     "%.2fx" % (cpu_ms["pdfsig"] / cpu_ms["libsign"]), "", None))
        rows.append(("", "  libsign verify / pdfsig -no-ocsp / libsign --version (ms)",
                     "%.1f / %.1f / %.1f" % (results["cli"]["median_ms"]["libsign"],
                                             results["cli"]["median_ms"]["pdfsig"],
                                             results["cli"]["median_ms"]["libsign_version"]), "", None))

        # 2. In-process batch, C++ and Python, 1 and 2 threads, interleaved.
        env = dict(os.environ, PYTHONPATH=pymod + os.pathsep + os.environ.get("PYTHONPATH", ""))
        common = [PROFILES, PROFILE, AT]

        def cpp(threads):
            return [bench_verify, "--json", "--threads", str(threads), str(batch_iterations)] + common + small

        def py(threads):
            return [sys.executable, os.path.join(REPO, "bench", "py_batch.py"), "--threads", str(threads),
                    "--iterations", str(batch_iterations), "--profiles-dir", PROFILES,
                    "--trust-profile", PROFILE, *OFFLINE, "--at", AT] + small

        batch = {"cpp1": (cpp(1), None), "py1": (py(1), env), "cpp2": (cpp(2), None), "py2": (py(2), env)}
        fps = {k: [] for k in batch}
        setup = {k: [] for k in batch}
        cores = {k: [] for k in batch}   # CPU seconds / wall seconds of the timed loop
        for r in range(batch_rounds):
            order = list(batch) if r % 2 == 0 else list(reversed(list(batch)))
            for name in order:
                argv, e = batch[name]
                p = subprocess.run(argv, capture_output=True, text=True, env=e)
                if p.returncode != 0:
                    raise SystemExit("%s failed:\n%s" % (name, p.stderr))
                d = json.loads(p.stdout.strip().splitlines()[-1])
                if d["passed"] != d["verified"] or not d["first_passed"]:
                    raise SystemExit("%s: not every file passed: %s" % (name, d))
                fps[name].append(d["files_per_second"])
                setup[name].append(d["setup_seconds"])
                cores[name].append(d["cpu_seconds"] / d["seconds"])
        m = {k: med(v) for k, v in fps.items()}
        results["batch"] = {"files": len(small), "iterations": batch_iterations, "rounds": batch_rounds,
                            "median_files_per_second": m,
                            "median_setup_ms": {k: med(v) * 1e3 for k, v in setup.items()},
                            "median_cores_used": {k: med(v) for k, v in cores.items()},
                            "speedup_2_threads": {"cpp": m["cpp2"] / m["cpp1"], "python": m["py2"] / m["py1"]}}
        rows.append(("2", "C++ batch, 1 thread (files/s per core)", "%.0f" % m["cpp1"], ">= 1000",
                     m["cpp1"] >= 1000))
        rows.append(("2", "Python batch, 1 thread (files/s per core)", "%.0f" % m["py1"], ">= 1000",
                     m["py1"] >= 1000))
        rows.append(("", "  2 threads, speedup over 1: C++ / Python",
                     "%.2fx / %.2fx" % (m["cpp2"] / m["cpp1"], m["py2"] / m["py1"]), "", None))
        rows.append(("", "  2 threads, files/s: C++ / Python", "%.0f / %.0f" % (m["cpp2"], m["py2"]), "", None))
        cu = results["batch"]["median_cores_used"]
        rows.append(("", "  2 threads, cores busy (CPU s / wall s): C++ / Python",
                     "%.2f / %.2f" % (cu["cpp2"], cu["py2"]), "", None))
        rows.append(("", "  Verifier construction (trust store), ms",
                     "%.2f" % results["batch"]["median_setup_ms"]["cpp1"], "", None))

        # 3. 100 MB signed PDF.
        big_commands = {
            "libsign": [libsign, "verify", big, "--profiles-dir", PROFILES, "--trust-profile", PROFILE, *OFFLINE,
                        "--at", AT],
            "sha256sum": ["sha256sum", big],
            "pdfsig": ["pdfsig", "-nssdir", "sql:" + nss, "-no-ocsp", big],
        }
        big_res = interleaved(big_commands, big_rounds, warmup=1)
        r3 = paired_ratio(big_res, "libsign", "sha256sum")
        rss = {k: peak_rss_kib(argv) for k, argv in big_commands.items()}
        if None in rss.values():  # no /usr/bin/time: fall back to wait4's value, an upper bound
            rss = {k: med(v["rss"]) for k, v in big_res.items()}
        results["big"] = {"rounds": big_rounds, "file_bytes": os.path.getsize(big),
                          "median_ms": {k: med(v["wall"]) * 1e3 for k, v in big_res.items()},
                          "median_rss_kib": rss, "libsign_over_sha256sum": r3,
                          "median_cpu_ms": {k: med(v["cpu"]) * 1e3 for k, v in big_res.items()},
                          "libsign_rss_over_pdfsig": rss["libsign"] / rss["pdfsig"]}
        mb = os.path.getsize(big) / 1e6
        rows.append(("3", "%.0f MB PDF: libsign time / sha256sum time" % mb, "%.2fx" % r3, "<= 1.5x", r3 <= 1.5))
        rows.append(("3", "%.0f MB PDF: peak RSS libsign / pdfsig" % mb,
                     "%.0f / %.0f MiB" % (rss["libsign"] / 1024, rss["pdfsig"] / 1024), "<=", rss["libsign"] <= rss["pdfsig"]))
        rows.append(("", "  libsign / sha256sum / pdfsig (ms)",
                     " / ".join("%.0f" % results["big"]["median_ms"][k] for k in ("libsign", "sha256sum", "pdfsig")),
                     "", None))
        rows.append(("", "  CPU user+sys: libsign / sha256sum / pdfsig (ms)",
                     " / ".join("%.0f" % results["big"]["median_cpu_ms"][k] for k in ("libsign", "sha256sum", "pdfsig")),
                     "", None))
        targets.update({"1_cli_3x": r1 >= 3, "2_cpp_1000": m["cpp1"] >= 1000,
                        "2_py_1000": m["py1"] >= 1000, "3_time_1.5x_sha256sum": r3 <= 1.5,
                        "3_rss_le_pdfsig": rss["libsign"] <= rss["pdfsig"]})
        rounds = "verify: CLI %d, batch %d x %d passes over %d files, big file %d" % (
            cli_rounds, batch_rounds, batch_iterations, len(small), big_rounds)
        print("verification done", file=sys.stderr)

    if "sign" in parts:
        sign_rounds = sign_benchmarks(args, libsign, pymod, results, rows, targets)
        rounds = (rounds + "; " if "verify" in parts else "") + sign_rounds

    if "revocation" in parts:
        revocation_rounds = revocation_benchmarks(args, libsign, bench_verify, pymod, small, results, rows, targets)
        rounds = (rounds + "; " if parts & {"verify", "sign"} else "") + revocation_rounds

    if "tokens" in parts:
        token_rounds = token_benchmarks(args, libsign, results, rows)
        rounds = (rounds + "; " if parts & {"verify", "sign", "revocation"} else "") + token_rounds

    # Table.
    info = results["machine"]
    print("libsign benchmarks, %s; %s, %d cores; %s; %s" % (
        results["date"], info["cpu"], info["nproc"], results["versions"]["pdfsig"],
        "QUICK run" if args.quick else "full run"))
    print("rounds: " + rounds + " (medians, interleaved)")
    width = max(len(r[1]) for r in rows)
    print("%-2s %-*s %18s %9s  %s" % ("#", width, "measure", "measured", "target", "met"))
    for num, what, value, target, ok in rows:
        met = "" if ok is None else ("yes" if ok else "NO")
        print("%-2s %-*s %18s %9s  %s" % (num, width, what, value, target, met))
    results["targets_met"] = targets
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
