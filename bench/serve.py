#!/usr/bin/python3
"""HTTP overhead of `libsign serve`: verify of a signed one-page dossier over HTTP (ab, keep-alive)
against the in-process rate of bench_verify with the same threads, trust and time.

    bench/serve.py [--build DIR] [--threads T] [--requests N] [--concurrency C] [--file PDF] [--json FILE]

On a shared machine wall-clock rates swing with the other load: the ratio is also given per CPU
second (the service's user+system time during the timed run against bench_verify's cpu_seconds),
which the neighbours do not change. Needs build/libsign-serve, build/bench/bench_verify, ab (apache2-utils) and a signed one-page PDF
(default: build/fixtures/official.pdf, made by the tests' make_fixtures step). Prints one JSON object:
requests_per_second and latency percentiles (ms) over HTTP, the in-process files_per_second, and
http_over_in_process (the share of the in-process rate the service keeps, wall clock) and
cpu_http_over_in_process (the same per CPU second)."""
import os
import argparse
import hashlib
import json
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
AT = "2026-07-01T00:00:00Z"
PROFILES = ROOT / "certs-test" / "profiles"


def cpu_seconds(pid):
    """User + system CPU time of a process so far (its threads included)."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default=str(ROOT / "build"))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--requests", type=int, default=4000)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--file")
    p.add_argument("--json")
    a = p.parse_args()
    build = pathlib.Path(a.build)
    pdf = pathlib.Path(a.file or build / "fixtures" / "official.pdf")
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="libsign-bench-serve-"))
    token = "bench-token"
    (tmp / "tokens").write_text(f"bench {hashlib.sha256(token.encode()).hexdigest()} verify\n")
    log = tmp / "access.log"
    server = subprocess.Popen([str(build / "libsign-serve"), "--listen", "127.0.0.1:0", "--token-file", str(tmp / "tokens"),
                               "--access-log", str(log), "--threads", str(a.threads), "--profiles-dir", str(PROFILES),
                               "--trust-profile", "test-gov", "--offline", "--revocation", "optional"])
    try:
        port = None
        for _ in range(600):
            if log.exists():
                for line in log.read_text().splitlines():
                    if json.loads(line).get("event") == "listening":
                        port = int(json.loads(line)["detail"].split()[0].rsplit(":", 1)[1])
            if port:
                break
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/v1/verify?at={AT}"
        ab = ["ab", "-q", "-k", "-c", str(a.concurrency), "-p", str(pdf), "-T", "application/pdf", "-H", f"Authorization: Bearer {token}"]
        subprocess.run(ab + ["-n", "200", url], check=True, capture_output=True)  # warm-up
        cpu_before = cpu_seconds(server.pid)
        out = subprocess.run(ab + ["-n", str(a.requests), url], check=True, capture_output=True, text=True).stdout
        server_cpu = cpu_seconds(server.pid) - cpu_before
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    failed = int(re.search(r"Failed requests:\s+(\d+)", out).group(1))
    rps = float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))
    percentiles = {f"p{m.group(1)}_ms": int(m.group(2)) for m in re.finditer(r"^\s+(50|90|99|100)%\s+(\d+)", out, re.M)}
    iterations = max(50, a.requests // a.threads // 4)
    inproc = json.loads(subprocess.run([str(build / "bench" / "bench_verify"), "--json", "--threads", str(a.threads),
                                        "--revocation", "optional", str(iterations), str(PROFILES), "test-gov", AT, str(pdf)],
                                       check=True, capture_output=True, text=True).stdout)
    inproc_per_cpu = inproc["verified"] / inproc["cpu_seconds"]
    result = {"file": pdf.name, "file_bytes": pdf.stat().st_size, "threads": a.threads, "concurrency": a.concurrency,
              "requests": a.requests, "failed": failed, "requests_per_second": rps, **percentiles,
              "in_process_files_per_second": inproc["files_per_second"],
              "http_over_in_process": round(rps / inproc["files_per_second"], 3),
              "requests_per_cpu_second": round(a.requests / server_cpu, 1),
              "in_process_files_per_cpu_second": round(inproc_per_cpu, 1),
              "cpu_http_over_in_process": round(a.requests / server_cpu / inproc_per_cpu, 3)}
    print(json.dumps(result, indent=2))
    if a.json:
        pathlib.Path(a.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
