"""Shared pytest helpers for the python, cli and interop suites.

ctest passes the locations through the environment (see tests/CMakeLists.txt); running pytest by
hand works too after a build in ./build.
"""
import json
import os
import pathlib
import subprocess
import sys

import pytest

# In the sanitizer build ctest preloads the ASan/UBSan runtimes for this interpreter (the libsign
# module is instrumented). The peers the tests run (pdfsig, qpdf, java, node...) must not inherit
# them: ASan then reports the peers' own memory errors (seen in NSS under pdfsig). Only Python
# children that import libsign get the preload back (python_env()).
PYTHON_PRELOAD = os.environ.pop("LD_PRELOAD", None)


def python_env(**extra):
    """Environment for a Python child process that imports libsign."""
    env = {**os.environ, **extra}
    if PYTHON_PRELOAD:
        env["LD_PRELOAD"] = PYTHON_PRELOAD
    return env

SOURCE_DIR = pathlib.Path(os.environ.get("LIBSIGN_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[1]))
BUILD_DIR = pathlib.Path(os.environ.get("LIBSIGN_BUILD_DIR", SOURCE_DIR / "build"))
CLI = pathlib.Path(os.environ.get("LIBSIGN_CLI", BUILD_DIR / "libsign"))
FIXTURES_DIR = pathlib.Path(os.environ.get("LIBSIGN_FIXTURES_DIR", BUILD_DIR / "fixtures"))
SHARED_DIR = pathlib.Path(os.environ.get("LIBSIGN_SHARED_DIR", SOURCE_DIR.parent / "shared"))
PKI_DIR = SOURCE_DIR / "certs-test" / "pki"
PROFILES_DIR = SOURCE_DIR / "certs-test" / "profiles"
# Every test pins the validation time: verdicts must not depend on today's date.
AT = "2026-07-01T00:00:00Z"
# Tests of everything but revocation run offline with revocation optional (a warning); the
# revocation tests start a real OCSP/CRL server and use ONLINE_LOCAL.
OFFLINE = ["--offline", "--revocation", "optional"]
TEST_GOV = ["--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov", "--at", AT, *OFFLINE]
ONLINE_LOCAL = ["--allow-host", "127.0.0.1", "--revocation", "required"]

sys.path.insert(0, str(BUILD_DIR / "python"))
sys.path.insert(0, str(SOURCE_DIR / "tests" / "tools"))
sys.path.insert(0, str(SOURCE_DIR / "tests" / "servers"))
P12_PASSWORD_FILE = PKI_DIR / "p12-password.txt"
# Fixed claimed signing time for signatures made by the tests; verified at AT (after it).
SIGNING_TIME = "2026-06-20T03:00:00Z"
# The Python API's revocation= for fetching from the local OCSP/CRL server only (tests/servers).
ONLINE_PY = {"online": True, "allow_hosts": ["127.0.0.1"], "required": True, "timeout": 5, "deadline": 20}


def signed_pdf(name, **options):
    """A one-page PDF signed through the Python module with the test PKI's NAME.p12 at SIGNING_TIME."""
    import libsign
    import pdfgen
    signer = libsign.load_pkcs12(str(PKI_DIR / f"{name}.p12"), password_file=str(P12_PASSWORD_FILE))
    return libsign.sign_pdf(pdfgen.base_pdf(), signer, signing_time=SIGNING_TIME, **options)


def run_cli(*args, timeout=60, stdin=None):
    """Runs the real `libsign` binary; returns the CompletedProcess (text mode)."""
    return subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True, timeout=timeout, input=stdin)


def verify_json(path, *options):
    """`libsign verify --format json`: returns (exit status, parsed JSON)."""
    proc = run_cli("verify", path, "--format", "json", *options)
    assert proc.stdout, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def codes(signature):
    return {f["code"] for f in signature["findings"]}


@pytest.fixture(scope="session")
def fixtures():
    """The signed test PDFs (made by tests/tools/make_cases.py in the make_fixtures ctest step)."""
    if not (FIXTURES_DIR / "official.pdf").exists():
        subprocess.run([sys.executable, str(SOURCE_DIR / "tests/tools/make_cases.py"), str(FIXTURES_DIR)], check=True)
    return FIXTURES_DIR


@pytest.fixture(scope="session")
def shared_corpus():
    corpus = SHARED_DIR / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"shared corpus not present at {corpus}")
    return corpus
