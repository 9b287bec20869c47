"""Builds the Python package libsign for `pip install .` (docs/packaging.md).

The extension libsign._core is built by the project's own CMake (target _core) and copied next to the
pure-Python package bindings/python/libsign and its type stubs. By default CMake configures a private
build folder under build-python/; LIBSIGN_CMAKE_BUILD_DIR names an existing build folder to reuse
instead (the tests reuse their own, where _core is already built).
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent
# Relative to the source folder: setuptools' default ("build") is the CMake build folder of scripts/build.sh.
BUILD_BASE = "build-python"


def project_version():
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    return re.search(r"project\(libsign VERSION ([0-9.]+)", text).group(1)


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        reused = os.environ.get("LIBSIGN_CMAKE_BUILD_DIR")
        build_dir = pathlib.Path(reused) if reused else pathlib.Path(self.build_temp) / "cmake"
        build_dir = build_dir.resolve()
        if not (build_dir / "CMakeCache.txt").exists():
            # Only what the module needs: no tests, no static command, no shared library.
            args = ["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                    f"-DPython_EXECUTABLE={sys.executable}", "-DLIBSIGN_TESTS=OFF",
                    "-DLIBSIGN_STATIC_CLI=OFF", "-DLIBSIGN_SHARED=OFF"]
            if shutil.which("ninja"):
                args += ["-G", "Ninja"]
            if shutil.which("ccache"):
                args.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
            subprocess.run(args, check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_core",
                        "--parallel", str(os.cpu_count() or 1)], check=True)
        # The module must be built for this interpreter: its ABI tag is in the file name.
        built = build_dir / "python" / "libsign" / ("_core" + sysconfig.get_config_var("EXT_SUFFIX"))
        if not built.exists():
            raise RuntimeError(f"{built} is missing: is {build_dir} configured for {sys.executable}'s Python version?")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


os.makedirs(ROOT / BUILD_BASE, exist_ok=True)
setup(
    version=project_version(),
    ext_modules=[CMakeExtension("libsign._core")],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": BUILD_BASE}, "egg_info": {"egg_base": BUILD_BASE}},
)
