"""`cmake --install`: layout, the shared library's SONAME and exported symbols, and examples/ built out of
tree against the installed package with find_package(libsign CONFIG) and with pkg-config."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import (BUILD_DIR, CLI_VERIFY_ARGS, LIBDIR, PROJECT_VERSION, SOURCE_DIR, assert_example_verifies,
                      needed_libraries, run, soname)

# The ABI version (LIBSIGN_SOVERSION, cmake/install.cmake) as the SONAME of the built library says it.
SOVERSION = soname(BUILD_DIR / f"libsign.so.{PROJECT_VERSION}").rsplit(".", 1)[1]
PUBLIC_HEADERS = sorted(p.name for p in (SOURCE_DIR / "libsign" / "include" / "libsign").glob("*.hpp"))
# The library's own modules (libsign/src/<module>): none of their symbols may be exported.
INTERNAL_NAMESPACES = ["appearance", "cms", "core", "damage", "inspect", "net", "pdf", "pki", "report", "sign",
                       "validate", "xml"]


def test_layout(prefix):
    lib = prefix / LIBDIR
    assert sorted(p.name for p in (prefix / "include" / "libsign").glob("*.hpp")) == PUBLIC_HEADERS
    assert (lib / "libsign.a").is_file()
    real = lib / f"libsign.so.{PROJECT_VERSION}"
    assert real.is_file() and not real.is_symlink()
    assert os.readlink(lib / f"libsign.so.{SOVERSION}") == real.name
    assert os.readlink(lib / "libsign.so") == f"libsign.so.{SOVERSION}"
    assert soname(real) == f"libsign.so.{SOVERSION}"
    for name in ["libsignConfig.cmake", "libsignConfigVersion.cmake", "libsignTargets.cmake"]:
        assert (lib / "cmake" / "libsign" / name).is_file(), name
    assert (lib / "pkgconfig" / "libsign.pc").is_file()
    # The installed command works on its own (statically linked unless configured otherwise).
    proc = subprocess.run([str(prefix / "bin" / "libsign"), *CLI_VERIFY_ARGS], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def exported_symbols(library):
    out = run(["nm", "-D", "--defined-only", "-C", library]).stdout
    # "0000000000123456 T libsign::Verifier::Verifier(libsign::VerifyOptions const&)"
    return [line.split(" ", 2)[2] for line in out.splitlines() if line.count(" ") >= 2]


def public_entry_points():
    """Names declared LIBSIGN_API in the public headers: free functions, and the classes whose member
    functions the library defines."""
    functions, classes = set(), set()
    for header in (SOURCE_DIR / "libsign" / "include" / "libsign").glob("*.hpp"):
        text = header.read_text()
        namespace = "libsign::diagnose::" if "namespace libsign::diagnose" in text else "libsign::"
        functions |= {namespace + m for m in re.findall(r"^LIBSIGN_API [^(]*?\b(\w+)\(", text, re.M)}
        classes |= {namespace + m for m in re.findall(r"^(?:class|struct) LIBSIGN_API (\w+)", text, re.M)}
    return functions, classes


def test_every_public_declaration_is_marked():
    """A function declared at namespace scope in a public header without LIBSIGN_API would be missing
    from the shared library (hidden), though the static library and the tests have it."""
    unmarked = []
    for header in (SOURCE_DIR / "libsign" / "include" / "libsign").glob("*.hpp"):
        for line in header.read_text().splitlines():
            if line[:1].isalpha() and "(" in line and not re.match(
                    r"(LIBSIGN_API|struct|class|enum|namespace|constexpr|using|template)\b", line):
                unmarked.append(f"{header.name}: {line}")
    assert not unmarked, unmarked


def test_shared_library_exports_the_public_api_only(prefix):
    symbols = exported_symbols(prefix / LIBDIR / f"libsign.so.{PROJECT_VERSION}")
    assert symbols
    leaks = [s for s in symbols if any(f"libsign::{ns}::" in s for ns in INTERNAL_NAMESPACES)]
    assert not leaks, leaks[:20]
    # Everything exported belongs to libsign's API: its functions, or template code on its types.
    foreign = [s for s in symbols if "libsign::" not in s]
    assert not foreign, foreign[:20]
    functions, classes = public_entry_points()
    assert len(functions) > 40 and "libsign::diagnose::run" in functions and "libsign::Verifier" in classes
    # GCC tags functions returning std::string: "libsign::sign_cms[abi:cxx11](...)".
    names = {re.sub(r"\[abi:\w+\]", "", s).split("(", 1)[0] for s in symbols}
    missing = [f for f in functions if f not in names]
    assert not missing, missing
    # A class is there by its member functions, or (Error, Signer: inline only) by its type information.
    missing = [c for c in classes if not any(s.startswith(c + "::") or s == f"typeinfo for {c}" for s in symbols)]
    assert not missing, missing
    # Polymorphic public classes: catching libsign::Error and subclassing Signer across the boundary.
    for name in ["typeinfo for libsign::Error", "typeinfo for libsign::Signer"]:
        assert name in symbols


def build_with_cmake(prefix, tmp_path, static):
    build = tmp_path / "build"
    args = ["cmake", "-S", SOURCE_DIR / "examples", "-B", build, "-DCMAKE_BUILD_TYPE=Release",
            f"-DCMAKE_PREFIX_PATH={prefix}", f"-DLIBSIGN_EXAMPLES_STATIC={'ON' if static else 'OFF'}"]
    if shutil.which("ninja"):
        args += ["-G", "Ninja"]
    run(args)
    run(["cmake", "--build", build])
    return build / "verify_dossier"


@pytest.mark.parametrize("static", [False, True], ids=["shared", "static"])
def test_examples_with_find_package(prefix, tmp_path, static):
    exe = build_with_cmake(prefix, tmp_path, static)
    needed = needed_libraries(exe)
    if static:
        assert not any(n.startswith("libsign.") for n in needed), needed
    else:
        assert f"libsign.so.{SOVERSION}" in needed
        # CMake's build RPATH finds the installed library; no LD_LIBRARY_PATH needed.
        ldd = run(["ldd", exe]).stdout
        assert str(prefix / LIBDIR / f"libsign.so.{SOVERSION}") in ldd, ldd
    assert_example_verifies(exe)


def pkg_config(prefix, *args):
    env = {**os.environ, "PKG_CONFIG_PATH": str(prefix / LIBDIR / "pkgconfig")}
    return run(["pkg-config", *args, "libsign"], env=env).stdout.split()


def test_pkg_config_metadata(prefix):
    assert pkg_config(prefix, "--modversion") == [PROJECT_VERSION]
    # Relocatable: the paths point into the prefix it was installed in.
    include_dirs = [os.path.realpath(f[2:]) for f in pkg_config(prefix, "--cflags") if f.startswith("-I")]
    assert str(prefix / "include") in include_dirs
    libs = pkg_config(prefix, "--libs")
    lib_dirs = [os.path.realpath(f[2:]) for f in libs if f.startswith("-L")]
    assert lib_dirs == [str(prefix / LIBDIR)] and "-lsign" in libs and "-lcrypto" not in libs
    static_libs = pkg_config(prefix, "--static", "--libs")
    for flag in ["-lsign", "-lcrypto", "-lz", "-lxml2", "-ldl"]:
        assert flag in static_libs, static_libs


@pytest.mark.parametrize("static", [False, True], ids=["shared", "static"])
def test_examples_with_pkg_config(prefix, tmp_path, static):
    exe = tmp_path / "verify_dossier"
    flags = pkg_config(prefix, "--cflags", "--libs", *(["--static"] if static else []))
    # --static: everything from archives (libsign.a and what Requires.private/Libs.private name).
    # glibc warns that a static program using dlopen needs the shared glibc at run time: expected.
    run(["g++", "-std=c++17", "-O1", *(["-static"] if static else []), "-o", exe,
         SOURCE_DIR / "examples" / "verify_dossier.cpp", *flags], timeout=600)
    needed = needed_libraries(exe)
    if static:
        assert needed == [], needed
        assert_example_verifies(exe)
    else:
        assert f"libsign.so.{SOVERSION}" in needed
        assert_example_verifies(exe, env={"LD_LIBRARY_PATH": str(prefix / LIBDIR)})
