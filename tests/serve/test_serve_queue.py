"""--max-queue: with every worker busy, at most that many accepted connections wait; beyond them the
service stops accepting, so clients wait in the kernel's listen backlog (seen in /proc/net/tcp) — and
none of them is lost or refused once a worker is free."""
import json
import pathlib
import socket
import threading
import time

import pytest

from conftest import FIXTURES_DIR
from serve_util import AT_QUERY, running_server

CLIENTS = 4


def listen_backlog(port):
    """Connections waiting in the kernel's accept queue of the listening socket on `port` (Linux)."""
    for line in pathlib.Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
            return int(fields[4].split(":")[1], 16)  # rx_queue of a listener: its accept backlog
    raise AssertionError(f"no listening socket on port {port}")


def wait_for(condition, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def run_with_the_worker_held(server):
    """Holds the only worker with an idle connection, starts CLIENTS verify requests, and returns
    (the listen backlog seen while held, the number answered while held, every answer's status)."""
    pdf = (FIXTURES_DIR / "official.pdf").read_bytes()
    holder = socket.create_connection(("127.0.0.1", server.port))  # sends nothing: the worker waits for its request
    statuses = []

    def client():
        status, _, data = server.request("POST", "/v1/verify?" + AT_QUERY, pdf, headers={"Connection": "close"}, timeout=120)
        statuses.append((status, json.loads(data)["document"]["indication"] if status == 200 else None))

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
        time.sleep(0.1)
    time.sleep(1)  # time for the service to accept what it will accept
    backlog, answered_while_held = listen_backlog(server.port), len(statuses)
    holder.close()
    for t in threads:
        t.join(timeout=120)
    return backlog, answered_while_held, statuses


@pytest.mark.parametrize("max_queue", [1, 256])
def test_a_full_queue_pauses_accepting_and_loses_nothing(tmp_path, fixtures, max_queue):
    # A long keep-alive timeout: the idle connection keeps the worker for the whole test.
    with running_server(tmp_path, "--threads", 1, "--max-queue", max_queue, "--keep-alive-timeout", 60) as server:
        backlog, answered_while_held, statuses = run_with_the_worker_held(server)
        assert wait_for(lambda: listen_backlog(server.port) == 0)
    assert answered_while_held == 0, "a request was answered while the only worker was busy"
    assert statuses == [(200, "TOTAL_PASSED")] * CLIENTS
    if max_queue == 1:
        # One connection queued, one held by the accepting thread; the others were never accepted.
        assert backlog == CLIENTS - 2
    else:
        assert backlog == 0, "with room in the queue every connection is accepted"
