"""Compile (once) and run SignatureChecker.java, the PDFBox 2 + Bouncy Castle signature checker.

    from run_checker import run_checker, checker_unavailable
    reason = checker_unavailable()          # None, or why it cannot run (for pytest.skip)
    status, lines = run_checker("file.pdf") # lines: ["SIG 1 Signature1 OK", ...]

or from a shell: `python3 tests/interop/pdfbox/run_checker.py FILE.pdf [--allow-later-updates]`.

The classes are compiled into `<tmp>/libsign-pdfbox-checker-<hash>` where the hash covers the Java
source, the jar files and the `javac` version, so an edit recompiles and nothing is written into
the repository. Needs java and javac (17) and Debian's jars: libpdfbox2-java (+ libfontbox2-java,
libcommons-logging-java), libbcprov-java, libbcpkix-java (+ libbcutil-java).
"""
import hashlib
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = HERE / "SignatureChecker.java"
JAVA_DIR = pathlib.Path(os.environ.get("LIBSIGN_JAVA_DIR", "/usr/share/java"))
# jar file -> Debian package that ships it
JARS = {
    "pdfbox2.jar": "libpdfbox2-java",
    "fontbox2.jar": "libfontbox2-java",
    "commons-logging.jar": "libcommons-logging-java",
    "bcprov.jar": "libbcprov-java",
    "bcpkix.jar": "libbcpkix-java",
    "bcutil.jar": "libbcutil-java",
}
COMPILE_TIMEOUT = 300
RUN_TIMEOUT = 120


def checker_unavailable():
    """None when the checker can run, otherwise the reason (for a skip message)."""
    missing_tools = [tool for tool in ("java", "javac") if shutil.which(tool) is None]
    if missing_tools:
        return f"{' and '.join(missing_tools)} not found (a JDK 17, e.g. Debian's openjdk-17-jdk-headless)"
    missing_jars = [f"{JAVA_DIR / jar} ({package})" for jar, package in JARS.items()
                    if not (JAVA_DIR / jar).is_file()]
    if missing_jars:
        return "missing jars: " + ", ".join(missing_jars)
    return None


def classpath(extra=None, jars=None):
    parts = [str(JAVA_DIR / jar) for jar in (JARS if jars is None else jars)]
    if extra is not None:
        parts.append(str(extra))
    return os.pathsep.join(parts)


def _cache_key(source, jars):
    digest = hashlib.sha256(source.read_bytes())
    for jar in jars:
        stat = (JAVA_DIR / jar).resolve().stat()
        digest.update(f"{jar}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    version = subprocess.run(["javac", "-version"], capture_output=True, text=True, timeout=60)
    digest.update((version.stdout + version.stderr).encode())
    return digest.hexdigest()[:16]


def compile_once(source, cache_prefix, jars=None):
    """The folder holding the class compiled from `source` (a .java file), compiling it into
    `<tmp>/<cache_prefix>-<hash>` when no folder matches the source, the jars and javac.
    `jars`: the jar files it compiles against (default: all of JARS; () for the JDK alone)."""
    jars = JARS if jars is None else jars
    reason = checker_unavailable() if jars else None
    if reason:
        raise RuntimeError(reason)
    class_file = source.stem + ".class"
    target = pathlib.Path(tempfile.gettempdir()) / f"{cache_prefix}-{_cache_key(source, jars)}"
    if (target / class_file).is_file():
        return target
    staging = pathlib.Path(tempfile.mkdtemp(prefix=f"{cache_prefix}-build-"))
    try:
        proc = subprocess.run(["javac", "-encoding", "UTF-8", "-Xlint:none", "-nowarn", "-d", str(staging),
                               "-cp", classpath(jars=jars), str(source)],
                              capture_output=True, text=True, timeout=COMPILE_TIMEOUT)
        if proc.returncode != 0:
            raise RuntimeError(f"javac failed:\n{proc.stdout}{proc.stderr}")
        try:
            os.rename(staging, target)  # atomic: a parallel run either wins or finds the folder
        except OSError:
            if not (target / class_file).is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def compiled_classes():
    """The folder with SignatureChecker.class, compiling it when the cache has no match."""
    return compile_once(SOURCE, "libsign-pdfbox-checker")


def run_checker(pdf, *options, timeout=RUN_TIMEOUT):
    """Runs the checker on one PDF; returns (exit status, stdout lines).

    Exit status 0: at least one signature and all OK; 1: a FAIL or no signature; 2: unreadable file.
    Options: "--allow-later-updates" (the last signature need not reach the end of the file).
    """
    classes = compiled_classes()
    proc = subprocess.run(["java", "-Djava.awt.headless=true", "-cp", classpath(classes), "SignatureChecker",
                           *options, str(pdf)],
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode not in (0, 1, 2) or not lines:
        raise RuntimeError(f"checker crashed (status {proc.returncode}): {proc.stdout}{proc.stderr}")
    return proc.returncode, lines


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    status, lines = run_checker(argv[-1], *argv[:-1])
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
