"""Helpers of the packaging tests: an installed libsign in a temporary prefix, and the bundled example.

Every test here works on a copy (temporary prefix, unpacked .deb, venv): nothing is installed on the
machine. ctest passes the build folder through LIBSIGN_BUILD_DIR (tests/CMakeLists.txt).
"""
import os
import pathlib
import re
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("LIBSIGN_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
BUILD_DIR = pathlib.Path(os.environ.get("LIBSIGN_BUILD_DIR", SOURCE_DIR / "build"))
EXAMPLE_PDF = SOURCE_DIR / "examples" / "dossier-signed.pdf"
# verify_dossier FILE PROFILES_DIR PROFILE AT optional: the test PKI's profile, a pinned validation time,
# offline with revocation optional. The bundled dossier is TOTAL_PASSED there (exit 0).
EXAMPLE_ARGS = [str(EXAMPLE_PDF), str(SOURCE_DIR / "certs-test" / "profiles"), "test-gov", "2026-07-01T00:00:00Z", "optional"]
CLI_VERIFY_ARGS = ["verify", str(EXAMPLE_PDF), "--profiles-dir", str(SOURCE_DIR / "certs-test" / "profiles"),
                   "--trust-profile", "test-gov", "--at", "2026-07-01T00:00:00Z", "--offline", "--revocation", "optional"]


def cache_value(name):
    """A value of the build folder's CMakeCache.txt."""
    text = (BUILD_DIR / "CMakeCache.txt").read_text()
    match = re.search(rf"^{name}:[A-Z]+=(.*)$", text, re.M)
    assert match, f"{name} not in {BUILD_DIR}/CMakeCache.txt"
    return match.group(1)


PROJECT_VERSION = cache_value("CMAKE_PROJECT_VERSION")
LIBDIR = cache_value("CMAKE_INSTALL_LIBDIR")


def run(cmd, timeout=300, **kwargs):
    """Runs a command; fails the test with its output when it fails."""
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout, **kwargs)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    return proc


def needed_libraries(binary):
    """The DT_NEEDED entries of an ELF file."""
    out = run(["readelf", "-d", binary]).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def soname(library):
    out = run(["readelf", "-d", library]).stdout
    match = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", out)
    return match.group(1) if match else None


def assert_example_verifies(executable, env=None):
    """Runs a build of examples/verify_dossier.cpp on the bundled dossier: TOTAL_PASSED, exit 0."""
    proc = subprocess.run([str(executable), *EXAMPLE_ARGS], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[0].endswith(": TOTAL_PASSED"), proc.stdout


@pytest.fixture(scope="session")
def prefix(tmp_path_factory):
    """`cmake --install` of the build folder into a fresh prefix."""
    root = tmp_path_factory.mktemp("prefix")
    run(["cmake", "--install", BUILD_DIR, "--prefix", root])
    return root
