"""`pip install .` without network into a venv of Debian's python3 (--system-site-packages, for setuptools),
then libsign imported from outside the source tree verifies the bundled dossier. setup.py reuses the
ctest build folder (LIBSIGN_CMAKE_BUILD_DIR), where the module is already built."""
import os
import subprocess

from conftest import BUILD_DIR, EXAMPLE_ARGS, PROJECT_VERSION, SOURCE_DIR, run


def test_pip_install_into_venv(tmp_path):
    venv = tmp_path / "venv"
    # Debian's pip, setuptools and wheel come from the system site (python3-pip, ...): no pip copied into
    # the venv (ensurepip takes ~15 s); inside a venv pip installs into the venv, PEP 668 does not apply.
    run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", "--without-pip", venv])
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LD_PRELOAD")}
    env["LIBSIGN_CMAKE_BUILD_DIR"] = str(BUILD_DIR)
    env["PIP_NO_INDEX"] = "1"
    run([python, "-m", "pip", "install", "--no-index", "--no-build-isolation", "--no-deps", "--no-cache-dir",
         SOURCE_DIR], env=env, timeout=900)
    del env["LIBSIGN_CMAKE_BUILD_DIR"]

    show = run([python, "-m", "pip", "show", "-f", "libsign"], env=env, cwd=tmp_path).stdout
    assert f"Version: {PROJECT_VERSION}" in show
    for name in ["libsign/__init__.pyi", "libsign/_core.pyi", "libsign/py.typed"]:
        assert name in show, show

    # Imported from the venv, not from the source tree or the build folder.
    where = run([python, "-c", "import libsign, libsign._core as c; print(libsign.__file__); print(c.__file__)"],
                env=env, cwd=tmp_path).stdout.split()
    assert all(path.startswith(str(venv)) for path in where), where

    proc = subprocess.run([str(python), SOURCE_DIR / "examples" / "verify_dossier.py", EXAMPLE_ARGS[0],
                           "--profiles-dir", EXAMPLE_ARGS[1], "--trust-profile", "test-gov", "--at", EXAMPLE_ARGS[3],
                           "--offline", "--revocation", "optional"], capture_output=True, text=True, timeout=60,
                          env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
