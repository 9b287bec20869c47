"""Start and stop the test servers of tests/servers from pytest (Python standard library only).

    from servers import start_tsa, running_tsa, tsa_stats, post_query
    url, stop = start_tsa(delay=2)      # stop() is idempotent; always call it (or use running_tsa)
    with running_tsa(fail_mode="http500") as url: ...

and a pytest fixture, imported into a test module with `from servers import tsa_factory`:

    def test_x(tsa_factory):
        url = tsa_factory(fail_mode="garbage")   # stopped at the end of the test

Every server is a subprocess on 127.0.0.1 with a free port; the helpers wait for its `LISTENING`
line and stop it with terminate + wait (kill after a timeout).
"""
import atexit
import base64
import contextlib
import json
import pathlib
import selectors
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
SOURCE_DIR = HERE.parents[1]
PKI_DIR = SOURCE_DIR / "certs-test" / "pki"
TSA_SERVER = HERE / "tsa_server.py"
STARTUP_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0

_running = []  # stop functions of servers still alive, for the atexit safety net


def _option_args(options):
    args = []
    for name, value in options.items():
        if value is None or value is False:
            continue
        flag = "--" + name.replace("_", "-")
        if value is True:
            args.append(flag)
        else:
            args.extend([flag, str(value)])
    return args


def _wait_for_listening(proc, stderr_file, timeout):
    """Reads the server's stdout until `LISTENING <port>`; returns the port."""
    deadline = time.monotonic() + timeout
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    buffered = b""
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"server did not print LISTENING within {timeout} s")
            if not selector.select(remaining):
                continue
            chunk = proc.stdout.read1(4096) if hasattr(proc.stdout, "read1") else proc.stdout.read(1)
            if not chunk:
                proc.wait(timeout=STOP_TIMEOUT)
                stderr_file.seek(0)
                raise RuntimeError(f"server exited with status {proc.returncode} before listening: "
                                   f"{stderr_file.read().decode('utf-8', 'replace').strip()}")
            buffered += chunk
            for line in buffered.split(b"\n")[:-1]:
                words = line.split()
                if len(words) == 2 and words[0] == b"LISTENING":
                    return int(words[1])
    finally:
        selector.close()


def start_server(script, *args, timeout=STARTUP_TIMEOUT):
    """Starts `python3 script args...`; returns (port, stop). stop() returns the exit status."""
    stderr_file = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, str(script), *map(str, args)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=stderr_file)
    stopped = []

    def stop():
        if stopped:
            return stopped[0]
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        proc.stdout.close()
        stderr_file.close()
        stopped.append(proc.returncode)
        if stop in _running:
            _running.remove(stop)
        return proc.returncode

    _running.append(stop)
    try:
        port = _wait_for_listening(proc, stderr_file, timeout)
    except BaseException:
        stop()
        raise
    stop.process = proc
    return port, stop


def start_tsa(pki=PKI_DIR, delay=None, fail_mode=None, require_auth=None, policy=None,
              timeout=STARTUP_TIMEOUT):
    """Starts tests/servers/tsa_server.py; returns (url, stop).

    url is `http://127.0.0.1:PORT/tsa`; require_auth is "user:passfile". stop() terminates the
    server, waits for it and returns its exit status (0 after a clean stop); it is idempotent.
    """
    args = ["--port", "0", "--pki", str(pki)]
    args += _option_args({"delay": delay, "fail_mode": fail_mode, "require_auth": require_auth,
                          "policy": policy})
    port, stop = start_server(TSA_SERVER, *args, timeout=timeout)
    return f"http://127.0.0.1:{port}/tsa", stop


@contextlib.contextmanager
def running_tsa(**options):
    """`with running_tsa(delay=1) as url:` — the server is stopped when the block ends."""
    url, stop = start_tsa(**options)
    try:
        yield url
    finally:
        stop()


def _stats_url(url):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/stats", "", ""))


def tsa_stats(url, timeout=10):
    """The server's counters (GET /stats): requests, timestamp_queries, replies, errors,
    unauthorized, by_status."""
    with urllib.request.urlopen(_stats_url(url), timeout=timeout) as response:
        return json.loads(response.read())


def post_query(url, query, timeout=30, auth=None, content_type="application/timestamp-query"):
    """POSTs a DER TimeStampReq; returns (HTTP status, Content-Type, body). auth = (user, password)."""
    request = urllib.request.Request(url, data=query, method="POST", headers={"Content-Type": content_type})
    if auth is not None:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type"), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Content-Type"), error.read()


@atexit.register
def _stop_leftovers():
    for stop in list(_running):
        stop()


try:
    import pytest
except ImportError:  # the helpers work without pytest too
    pytest = None

if pytest is not None:
    @pytest.fixture
    def tsa_factory():
        """A factory: tsa_factory(**start_tsa options) -> url. Every server is stopped after the test."""
        stops = []

        def factory(**options):
            url, stop = start_tsa(**options)
            stops.append(stop)
            return url

        yield factory
        for stop in reversed(stops):
            stop()
