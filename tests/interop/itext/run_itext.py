"""Compile (once) and run ItextPeer.java: iText 5 (Debian's libitext5-java) with Bouncy Castle, the PDF
signing library behind many Java signing plug-ins, as a signer and a checker. Compiled into
`<tmp>/libsign-itext-peer-<hash>` by tests/interop/pdfbox/run_checker.compile_once; nothing is written
into the repository. The PKCS#12 password is passed as a file, never on the command line."""
import os
import pathlib
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "pdfbox"))

from run_checker import JAVA_DIR, classpath, compile_once  # noqa: E402

SOURCE = HERE / "ItextPeer.java"
JARS = ("itext5.jar", "bcprov.jar", "bcpkix.jar", "bcutil.jar")  # libitext5-java, libbcprov-java, libbcpkix-java
RUN_TIMEOUT = 120


def peer_unavailable():
    """None when the peer can run, otherwise why not (for a skip message)."""
    missing = [tool for tool in ("java", "javac") if shutil.which(tool) is None]
    missing += [str(JAVA_DIR / jar) for jar in JARS if not (JAVA_DIR / jar).is_file()]
    return "missing: " + ", ".join(missing) + " (apt install libitext5-java)" if missing else None


def _run(*args):
    classes = compile_once(SOURCE, "libsign-itext-peer", jars=JARS)
    return subprocess.run(["java", "-Djava.awt.headless=true", "-cp", classpath(classes, jars=JARS), "ItextPeer",
                           *map(str, args)], capture_output=True, text=True, timeout=RUN_TIMEOUT,
                          stdin=subprocess.DEVNULL, env={**os.environ, "LC_ALL": "C.UTF-8"})


def sign_with_itext(input_pdf, output_pdf, *, p12, password_file, subfilter="cms", append=False, visible=False,
                    certify=None, field="Signature1", signing_time=None, tsa=None, ocsp=None, crl=None):
    args = ["sign", "--p12", p12, "--password-file", password_file, "--subfilter", subfilter, "--field", field]
    args += ["--append"] if append else []
    args += ["--visible"] if visible else []
    args += ["--certify", certify] if certify else []
    args += ["--signing-time", signing_time] if signing_time else []
    args += ["--tsa", tsa] if tsa else []
    args += ["--ocsp", ocsp] if ocsp else []
    args += ["--crl", crl] if crl else []
    proc = _run(*args, input_pdf, output_pdf)
    if proc.returncode != 0:
        raise RuntimeError(f"iText signing failed (status {proc.returncode}): {proc.stderr.strip()}")


def verify_with_itext(pdf):
    """(exit status, {field: (VALID|INVALID, whole|partial)})."""
    proc = _run("verify", pdf)
    result = {}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "SIG":
            result[parts[1]] = (parts[2], parts[3])
    return proc.returncode, result
