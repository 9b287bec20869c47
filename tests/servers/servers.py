"""Start and stop the test servers of tests/servers from pytest (Python standard library only).

    from servers import start_tsa, running_tsa, tsa_stats, post_query
    url, stop = start_tsa(delay=2)      # stop() is idempotent; always call it (or use running_tsa)
    with running_tsa(fail_mode="http500") as url: ...

and a pytest fixture, imported into a test module with `from servers import tsa_factory`:

    def test_x(tsa_factory):
        url = tsa_factory(fail_mode="garbage")   # stopped at the end of the test

The OCSP/CRL/CA server (pki_server.py) works the same way:

    from servers import start_pki_server, running_pki_server, running_fixed_pki_server, ocsp_url
    base, stop = start_pki_server(mode="unknown")        # base = "http://127.0.0.1:PORT"
    with running_pki_server(ocsp_signer="ca") as base: ocsp_url(base, "gov-ca", mode="stale")
    with running_fixed_pki_server() as base: ...         # port 18881 (the certificates' URLs), or skip
    def test_y(pki_server_factory): base = pki_server_factory(delay=1)

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
PKI_SERVER = HERE / "pki_server.py"
FIXED_PKI_PORT = 18881  # the port in the AIA/CDP URLs of the certs-test certificates
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


REMOTE_SIGNER = pathlib.Path(__file__).resolve().parent / "remote_signer.py"


@contextlib.contextmanager
def running_remote_signer(delay=0.5):
    """`with running_remote_signer() as base_url:` a test double of a remote signing service."""
    port, stop = start_server(REMOTE_SIGNER, "--port", "0", "--delay", str(delay))
    try:
        yield f"http://127.0.0.1:{port}"
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


# ---------------------------------------------------------------------------------------------
# OCSP / CRL / CA-certificate server (pki_server.py)
# ---------------------------------------------------------------------------------------------

class PortInUse(RuntimeError):
    """start_pki_server(port=N) could not bind N because something else listens there."""


def start_pki_server(port=0, pki=PKI_DIR, crl_dir=None, mode=None, ocsp_signer=None, delay=None,
                     nmin=None, no_next_update=None, resp_no_certs=None, resp_key_id=None,
                     stale_days=None, make_crl=(), verbose=None, timeout=STARTUP_TIMEOUT):
    """Starts tests/servers/pki_server.py; returns (base_url, stop).

    base_url is `http://127.0.0.1:PORT` (no trailing slash): OCSP at base_url + "/ocsp/gov-ca",
    CRLs at "/crl/gov-ca.crl", CA certificates at "/ca/gov-ca.cer" (see ocsp_url/crl_url/ca_url).
    mode: good|unknown|stale|tryLater|malformed|http500|slow|hang; ocsp_signer: delegated|ca|wrong;
    crl_dir: a folder or a list of folders searched before the PKI; make_crl: names (gov-root,
    national-root) to serve an empty generated CRL for. Raises PortInUse when a fixed port is busy.
    stop() terminates the server, waits for it and returns its exit status (0 after a clean stop).
    """
    args = ["--port", str(port), "--pki", str(pki)]
    if crl_dir is not None:
        for folder in ([crl_dir] if isinstance(crl_dir, (str, pathlib.PurePath)) else crl_dir):
            args += ["--crl-dir", str(folder)]
    if isinstance(make_crl, str):
        make_crl = [make_crl]
    for name in make_crl:
        args += ["--make-crl", name]
    args += _option_args({"mode": mode, "ocsp_signer": ocsp_signer, "delay": delay, "nmin": nmin,
                          "no_next_update": no_next_update, "resp_no_certs": resp_no_certs,
                          "resp_key_id": resp_key_id, "stale_days": stale_days, "verbose": verbose})
    try:
        port, stop = start_server(PKI_SERVER, *args, timeout=timeout)
    except RuntimeError as error:
        if "PORT_IN_USE" in str(error):
            raise PortInUse(f"127.0.0.1:{port} is busy") from error
        raise
    return f"http://127.0.0.1:{port}", stop


@contextlib.contextmanager
def running_pki_server(**options):
    """`with running_pki_server(mode="unknown") as base_url:` — stopped when the block ends."""
    base_url, stop = start_pki_server(**options)
    try:
        yield base_url
    finally:
        stop()


def start_fixed_pki_server(**options):
    """start_pki_server on port 18881, the one in the certificates' AIA/CDP URLs. Skips the calling
    pytest test when the port is busy (raises PortInUse outside pytest)."""
    try:
        return start_pki_server(port=FIXED_PKI_PORT, **options)
    except PortInUse as error:
        if pytest is not None:
            pytest.skip(f"port {FIXED_PKI_PORT} is busy: {error}")
        raise


@contextlib.contextmanager
def running_fixed_pki_server(**options):
    """`with running_fixed_pki_server() as base_url:` on port 18881, or skip the test if busy."""
    base_url, stop = start_fixed_pki_server(**options)
    try:
        yield base_url
    finally:
        stop()


def _prefix(settings):
    parts = []
    for key in ("mode", "signer", "delay", "certs", "rid"):
        if settings.get(key) is not None:
            parts.append(f"/{key}/{urllib.parse.quote(str(settings.pop(key)), safe='')}")
    if settings:
        raise TypeError(f"unknown per-request settings {sorted(settings)}")
    return "".join(parts)


def ocsp_url(base_url, ca="gov-ca", **settings):
    """The OCSP URL of a CA, with per-request settings (mode, signer, delay, certs, rid) as a path
    prefix: ocsp_url(base, "gov-ca", mode="stale", signer="ca") ->
    base + "/mode/stale/signer/ca/ocsp/gov-ca"."""
    return f"{base_url}{_prefix(settings)}/ocsp/{ca}"


def crl_url(base_url, name="gov-ca", **settings):
    return f"{base_url}{_prefix(settings)}/crl/{name}.crl"


def ca_url(base_url, name="gov-ca", **settings):
    return f"{base_url}{_prefix(settings)}/ca/{name}.cer"


def _get_json(url, timeout):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def pki_stats(base_url, reset=False, timeout=10):
    """GET /stats: {"requests", "by_path" {"/ocsp/gov-ca": n, "/crl/gov-ca.crl": n, ...},
    "ocsp_serials" {"gov-ca": {"1003": n}}, "ocsp_requests", "crl_fetches", "ca_fetches",
    "by_status", "by_mode", "errors"}. reset=True zeroes the counters after reading them."""
    return _get_json(_stats_url(base_url) + ("?reset=1" if reset else ""), timeout)


def pki_control(base_url, reset=False, timeout=10, **settings):
    """GET /control: changes the server-wide settings (mode, signer, delay, certs, rid) for the
    requests without a path prefix; reset=True first restores the command-line settings. Returns
    the settings now in force."""
    query = {key: str(value) for key, value in settings.items()}
    if reset:
        query = {"reset": "1", **query}
    parts = urllib.parse.urlsplit(base_url)
    url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/control", urllib.parse.urlencode(query), ""))
    return _get_json(url, timeout)


def post_ocsp(url, request, timeout=30, content_type="application/ocsp-request"):
    """POSTs a DER OCSPRequest; returns (HTTP status, Content-Type, body)."""
    return post_query(url, request, timeout=timeout, content_type=content_type)


def get_ocsp(url, request, timeout=30, urlsafe=False):
    """GET url/<base64 request> (RFC 6960 A.1; percent-encoded standard base64 unless urlsafe);
    returns (HTTP status, Content-Type, body)."""
    if urlsafe:
        encoded = base64.urlsafe_b64encode(request).decode().rstrip("=")
    else:
        encoded = urllib.parse.quote(base64.b64encode(request).decode(), safe="")
    return fetch(f"{url}/{encoded}", timeout=timeout)


def fetch(url, timeout=30):
    """GET url; returns (HTTP status, Content-Type, body) also for HTTP errors."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
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

    @pytest.fixture
    def pki_server_factory():
        """A factory: pki_server_factory(**start_pki_server options) -> base_url. Every server is
        stopped after the test. port=18881 skips the test when the port is busy."""
        stops = []

        def factory(**options):
            if options.get("port") == FIXED_PKI_PORT:
                options.pop("port")
                base_url, stop = start_fixed_pki_server(**options)
            else:
                base_url, stop = start_pki_server(**options)
            stops.append(stop)
            return base_url

        yield factory
        for stop in reversed(stops):
            stop()
