"""Compile (once) and run XmlDsigPeer.java, the JDK's own XML-DSig implementation (java.xml.crypto) as a
signer and a checker of XML e-forms. Needs only a JDK 17 (java, javac); the class is compiled into
`<tmp>/libsign-java-xmldsig-<hash>` (see tests/interop/pdfbox/run_checker.py), never into the repository.
The PKCS#12 password is passed as a file, never on the command line."""
import pathlib
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "pdfbox"))

from run_checker import compile_once  # noqa: E402

SOURCE = HERE / "XmlDsigPeer.java"
RUN_TIMEOUT = 120


def peer_unavailable():
    """None when the peer can run, otherwise why not (for a skip message)."""
    missing = [tool for tool in ("java", "javac") if shutil.which(tool) is None]
    return f"{' and '.join(missing)} not found (a JDK 17, e.g. Debian's openjdk-17-jdk-headless)" if missing else None


def _run(*args):
    classes = compile_once(SOURCE, "libsign-java-xmldsig", jars=())
    return subprocess.run(["java", "-cp", str(classes), "XmlDsigPeer", *map(str, args)],
                          capture_output=True, text=True, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)


def sign_with_java(input_xml, output_xml, *, p12, password_file, alg="rsa-sha256", c14n="exc", ref="whole", parent=None):
    args = ["sign", "--p12", p12, "--password-file", password_file, "--alg", alg, "--c14n", c14n, "--ref", ref]
    if parent:
        args += ["--parent", parent]
    proc = _run(*args, input_xml, output_xml)
    if proc.returncode != 0:
        raise RuntimeError(f"Java XML-DSig signing failed (status {proc.returncode}): {proc.stderr.strip()}")


def verify_with_java(xml):
    """(exit status, lines such as "SIG 1 VALID")."""
    proc = _run("verify", xml)
    return proc.returncode, [line for line in proc.stdout.splitlines() if line.strip()]
