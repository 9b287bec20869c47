"""Compile (once) and run SignatureAdder.java: PDFBox 2 + Bouncy Castle add one signature to a PDF
with an incremental update (PDDocument.addSignature + saveIncremental).

    from run_signer import sign_with_pdfbox, signer_unavailable
    reason = signer_unavailable()                       # None, or why it cannot run
    sign_with_pdfbox("in.pdf", "out.pdf", signer="gov-org", signing_time="2026-06-20T03:00:00Z")

Needs the same JDK and Debian jars as the checker (see run_checker.py). The classes are compiled into
`<tmp>/libsign-pdfbox-signer-<hash>` (hash of the source, the jars and the javac version); nothing
is written into the repository. The password is passed as a file, never on the command line.
"""
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from run_checker import checker_unavailable, classpath, compile_once  # noqa: E402

SOURCE = HERE / "SignatureAdder.java"
PKI_DIR = HERE.parents[2] / "certs-test" / "pki"
RUN_TIMEOUT = 120


def signer_unavailable():
    """None when the signer can run, otherwise the reason (same needs as the checker)."""
    return checker_unavailable()


def compiled_classes():
    """The folder with SignatureAdder.class, compiling it when the cache has no match."""
    return compile_once(SOURCE, "libsign-pdfbox-signer")


def sign_with_pdfbox(input_pdf, output_pdf, *, signer="gov-org", signing_time, name="PDFBox peer",
                     image=None, password_file=None, timeout=RUN_TIMEOUT):
    """Adds an adbe.pkcs7.detached signature by certs-test/pki/<signer>.p12: invisible, or visible on page 1
    with `image` (a PNG) through PDFBox's template builder. Raises on failure."""
    classes = compiled_classes()
    args = ["java", "-Djava.awt.headless=true", "-cp", classpath(classes), "SignatureAdder",
            "--p12", str(PKI_DIR / f"{signer}.p12"),
            "--password-file", str(password_file or PKI_DIR / "p12-password.txt"),
            "--signing-time", signing_time, "--name", name]
    if image is not None:
        args += ["--image", str(image)]
    args += [str(input_pdf), str(output_pdf)]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise RuntimeError(f"PDFBox signing failed (status {proc.returncode}): {proc.stderr.strip()}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sign_with_pdfbox(sys.argv[1], sys.argv[2], signing_time="2026-06-20T03:00:00Z")
