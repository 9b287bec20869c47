"""Load and shutdown: a bounded load of 2,000 verify requests from `ab` with 0 errors and bounded
memory, and SIGTERM during load: every request the service accepted gets a complete answer."""
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time

import pytest

from conftest import FIXTURES_DIR
from serve_util import AT_QUERY, TOKENS, rss_kib, running_server

REQUESTS = 2000


def bounded_quarantine():
    """Under AddressSanitizer (the CI's second pass) freed memory waits in a quarantine of 256 MiB
    before reuse, so the resident size grows by that much whatever the service does: a 1 MiB
    quarantine keeps the memory bound below meaningful there."""
    if os.environ.get("LIBSIGN_SANITIZER") != "address":
        return None
    return {"ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=1"}


@pytest.mark.skipif(not shutil.which("ab"), reason="ab (apache2-utils) not installed")
def test_2000_verify_requests_with_ab(tmp_path, fixtures):
    pdf = FIXTURES_DIR / "official.pdf"
    # As many keep-alive connections as workers: a connection holds its worker while it lives
    # (docs/service.md, "Limits").
    with running_server(tmp_path, "--threads", 4, env=bounded_quarantine()) as s:
        def ab(n):
            out = subprocess.run(["ab", "-q", "-n", str(n), "-c", "4", "-k", "-p", str(pdf), "-T", "application/pdf",
                                  "-H", "Authorization: Bearer " + TOKENS["portal"],
                                  f"http://127.0.0.1:{s.port}/v1/verify?{AT_QUERY}"], capture_output=True, text=True, timeout=900)
            assert out.returncode == 0, out.stderr
            return out.stdout

        ab(200)  # warm-up: the allocator's and the verifier's steady state
        before = rss_kib(s.proc.pid)
        report = ab(REQUESTS)
        after = rss_kib(s.proc.pid)
        assert re.search(r"Complete requests:\s+%d" % REQUESTS, report), report
        assert re.search(r"Failed requests:\s+0\b", report), report
        assert "Non-2xx responses" not in report, report
        # Memory stays bounded: a leak of even 1 KiB per request would show as 2 MB.
        assert after - before < 16 * 1024, (before, after)
        status, _, data = s.request("GET", "/metrics", token="admin")
        counted = re.search(r'libsign_verdicts_total\{indication="TOTAL_PASSED"\} (\d+)', data.decode())
        assert counted and int(counted.group(1)) == REQUESTS + 200


def test_sigterm_during_load_answers_every_accepted_request(tmp_path, fixtures):
    pdf = (FIXTURES_DIR / "official.pdf").read_bytes()
    with running_server(tmp_path, "--threads", 2) as s:
        results, stop = [], threading.Event()

        def client():
            while not stop.is_set():
                conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
                try:
                    conn.request("POST", "/v1/verify?" + AT_QUERY, body=pdf,
                                 headers={"Authorization": "Bearer " + TOKENS["portal"], "Content-Type": "application/pdf"})
                    response = conn.getresponse()
                except (ConnectionRefusedError, ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected) as e:
                    # Not accepted by the service (refused, or reset in the kernel's backlog): no answer began.
                    results.append(("not accepted", type(e).__name__))
                    time.sleep(0.01)
                    continue
                try:
                    body = response.read()  # an answer that began must be complete
                    json.loads(body)
                    results.append((response.status, "complete"))
                except Exception as e:  # pragma: no cover - this is the failure being tested for
                    results.append((response.status, "truncated: " + type(e).__name__))
                finally:
                    conn.close()

        threads = [threading.Thread(target=client) for _ in range(8)]
        for t in threads:
            t.start()
        time.sleep(2)  # under load: requests in flight and queued
        answered_before = len(results)
        s.proc.send_signal(signal.SIGTERM)
        assert s.proc.wait(timeout=60) == 0
        stop.set()
        for t in threads:
            t.join()
        answers = [r for r in results if r[0] != "not accepted"]
        assert answered_before > 0 and answers
        assert all(r == (200, "complete") for r in answers), [r for r in answers if r != (200, "complete")]
        events = [e.get("event") for e in s.log_lines()]
        assert "draining" in events and events[-1] == "stopped"
