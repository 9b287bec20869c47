"""The examples a portal team copies are built and run here."""
import os
import subprocess
import sys

from conftest import OFFLINE, AT, BUILD_DIR, PROFILES_DIR, SOURCE_DIR, python_env


def test_cpp_example(fixtures):
    proc = subprocess.run([str(BUILD_DIR / "examples" / "verify_dossier"), str(fixtures / "official.pdf"), str(PROFILES_DIR), "test-gov", AT,
                           "optional"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "TOTAL_PASSED" in proc.stdout
    proc = subprocess.run([str(BUILD_DIR / "examples" / "verify_dossier"), str(fixtures / "tampered.pdf"), str(PROFILES_DIR), "test-gov", AT,
                           "optional"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1 and "DIGEST_MISMATCH" in proc.stdout


def test_python_example(fixtures):
    proc = subprocess.run([sys.executable, str(SOURCE_DIR / "examples/verify_dossier.py"), str(fixtures / "expired.pdf"),
                           "--profiles-dir", str(PROFILES_DIR), "--trust-profile", "test-gov", "--at", AT, "--offline"],
                          capture_output=True, text=True, timeout=30,
                          env=python_env(PYTHONPATH=str(BUILD_DIR / "python")))
    assert proc.returncode == 2, proc.stderr
    assert "CERT_EXPIRED_AT_VALIDATION_TIME" in proc.stdout


def test_bundled_example_dossier_verifies():
    proc = subprocess.run([str(BUILD_DIR / "libsign"), "verify", str(SOURCE_DIR / "examples/dossier-signed.pdf"),
                           "--profiles-dir", str(SOURCE_DIR / "certs-test/profiles"), "--trust-profile", "test-gov",
                           "--at", AT, *OFFLINE], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stdout + proc.stderr
