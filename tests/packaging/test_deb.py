"""CPack .deb packages: names, contents, dependencies (checked by apt in simulation), and the packages
unpacked into a throwaway root (dpkg-deb -x: nothing is installed on the machine), from which the command,
the Python module and a program built against libsign-dev run."""
import os
import re
import subprocess

import pytest

from conftest import BUILD_DIR, CLI_VERIFY_ARGS, EXAMPLE_ARGS, LIBDIR, PROJECT_VERSION, SOURCE_DIR, run, soname

SOVERSION = soname(BUILD_DIR / f"libsign.so.{PROJECT_VERSION}").rsplit(".", 1)[1]
RUNTIME, DEV, TOOLS, PYTHON = f"libsign{SOVERSION}", "libsign-dev", "libsign-tools", "python3-libsign"
LIB = "usr/" + LIBDIR
PY_DIR = "usr/lib/python3/dist-packages/libsign"


@pytest.fixture(scope="module")
def debs(tmp_path_factory):
    """package name -> .deb path, built by `cpack -G DEB` from the build folder into a temporary folder."""
    out = tmp_path_factory.mktemp("debs")
    run(["cpack", "-G", "DEB", "-B", out, "--config", BUILD_DIR / "CPackConfig.cmake"], timeout=900)
    found = {}
    for deb in out.glob("*.deb"):
        found[run(["dpkg-deb", "-f", deb, "Package"]).stdout.strip()] = deb
    return found


def field(deb, name):
    return run(["dpkg-deb", "-f", deb, name]).stdout.strip()


def contents(deb):
    """Paths in the package, without the leading "./"; symbolic links as "path -> target"."""
    lines = run(["dpkg-deb", "-c", deb]).stdout.splitlines()
    return {line.split(None, 5)[5].removeprefix("./").rstrip("/") for line in lines}


def depends(deb):
    """Depends as {package: [constraint, ...]}."""
    result = {}
    for item in field(deb, "Depends").split(","):
        if not item.strip():
            continue
        match = re.match(r"\s*([a-z0-9.+-]+)(?:\s*\(([^)]*)\))?", item)
        result.setdefault(match.group(1), []).append(match.group(2))
    return result


def test_package_set_and_versions(debs):
    assert sorted(debs) == sorted([RUNTIME, DEV, TOOLS, PYTHON])
    for deb in debs.values():
        assert field(deb, "Version") == PROJECT_VERSION
        assert field(deb, "Architecture") == run(["dpkg", "--print-architecture"]).stdout.strip()


def test_runtime_package(debs):
    files = contents(debs[RUNTIME])
    assert f"{LIB}/libsign.so.{PROJECT_VERSION}" in files
    assert f"{LIB}/libsign.so.{SOVERSION} -> libsign.so.{PROJECT_VERSION}" in files
    assert not any(f.startswith(f"{LIB}/libsign.so ") or f.endswith(".a") or "/include/" in f for f in files)
    deps = depends(debs[RUNTIME])
    # dpkg-shlibdeps: the libraries libsign.so links (OpenSSL 3, libxml2, zlib, the C/C++ runtimes).
    for package in ["libc6", "libssl3", "libxml2", "zlib1g", "libstdc++6"]:
        assert package in deps, deps
    # A shlibs file, so that packages built against libsign get their dependency on it.
    info = run(["dpkg-deb", "-I", debs[RUNTIME], "shlibs"]).stdout
    assert re.search(rf"^libsign {SOVERSION} {RUNTIME}\b", info, re.M), info


def test_dev_package(debs):
    files = contents(debs[DEV])
    assert "usr/include/libsign/libsign.hpp" in files and "usr/include/libsign/export.hpp" in files
    assert f"{LIB}/libsign.a" in files
    assert f"{LIB}/libsign.so -> libsign.so.{SOVERSION}" in files
    assert f"{LIB}/cmake/libsign/libsignConfig.cmake" in files
    assert f"{LIB}/pkgconfig/libsign.pc" in files
    deps = depends(debs[DEV])
    assert deps[RUNTIME] == [f"= {PROJECT_VERSION}"]
    for package in ["libssl-dev", "zlib1g-dev", "libxml2-dev"]:
        assert package in deps, deps


def test_tools_package(debs):
    files = contents(debs[TOOLS])
    assert "usr/bin/libsign" in files
    # `libsign serve` runs libsign-serve beside the command (built when cpp-httplib is present).
    assert ("usr/bin/libsign-serve" in files) == (BUILD_DIR / "libsign-serve").exists()
    assert not any(".so" in f or "/include/" in f for f in files), files
    # Both programs link libsign statically: never a dependency on the library package. libsign-serve
    # needs cpp-httplib's and OpenSSL's libraries (dpkg-shlibdeps).
    deps = depends(debs[TOOLS])
    assert RUNTIME not in deps
    if "usr/bin/libsign-serve" in files:
        assert "libssl3" in deps and any(d.startswith("libcpp-httplib") for d in deps), deps


def test_python_package(debs):
    files = contents(debs[PYTHON])
    for name in ["__init__.py", "__init__.pyi", "_core.pyi", "py.typed"]:
        assert f"{PY_DIR}/{name}" in files
    assert any(re.fullmatch(rf"{PY_DIR}/_core\.cpython-\d+-[\w-]+\.so", f) for f in files), files
    deps = depends(debs[PYTHON])
    assert len(deps["python3"]) == 2 and "libssl3" in deps, deps


def test_apt_resolves_the_dependencies(debs):
    """`apt-get install --simulate ./*.deb`: every dependency can be met on this Debian (nothing is installed)."""
    proc = run(["apt-get", "install", "--simulate", "--no-download", "-q", *(f"./{d.name}" for d in debs.values())],
               cwd=next(iter(debs.values())).parent, timeout=120)
    planned = re.findall(r"^Inst (\S+)", proc.stdout, re.M)
    assert set(debs) <= set(planned), proc.stdout


def test_unpacked_packages_run(debs, tmp_path):
    root = tmp_path / "root"
    for deb in debs.values():
        run(["dpkg-deb", "-x", deb, root])
    # The command from the package.
    proc = subprocess.run([str(root / "usr/bin/libsign"), *CLI_VERIFY_ARGS], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    if (root / "usr/bin/libsign-serve").exists():
        run([root / "usr/bin/libsign-serve", "--help"])
    # The Python module from the package, for Debian's python3, outside the source tree.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LD_PRELOAD")}
    env["PYTHONPATH"] = str(root / "usr/lib/python3/dist-packages")
    proc = subprocess.run(["/usr/bin/python3", SOURCE_DIR / "examples" / "verify_dossier.py", EXAMPLE_ARGS[0],
                           "--profiles-dir", EXAMPLE_ARGS[1], "--trust-profile", "test-gov", "--at", EXAMPLE_ARGS[3],
                           "--offline", "--revocation", "optional"], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run(["/usr/bin/python3", "-c", "import libsign; print(libsign.__file__)"], cwd=tmp_path, env=env)
    assert proc.stdout.strip().startswith(str(root)), proc.stdout
    # The library from libsign0, with the -dev headers and pkg-config file (relocatable): the example
    # built against the unpacked packages runs with the unpacked library.
    pc_env = {**os.environ, "PKG_CONFIG_PATH": str(root / LIB / "pkgconfig")}
    flags = run(["pkg-config", "--cflags", "--libs", "libsign"], env=pc_env).stdout.split()
    exe = tmp_path / "verify_dossier"
    run(["g++", "-std=c++17", "-O1", "-o", exe, SOURCE_DIR / "examples" / "verify_dossier.cpp", *flags], timeout=600)
    proc = subprocess.run([str(exe), *EXAMPLE_ARGS], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "LD_LIBRARY_PATH": str(root / LIB)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
