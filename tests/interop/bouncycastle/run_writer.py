"""Compile (once) and run CmsRevocationWriter.java: Bouncy Castle writes a detached CMS whose
SignedData.crls carries CRLs (addCRL) and RFC 5940 OCSP responses (addOtherRevocationInfo).

    from run_writer import write_cms, writer_unavailable
    reason = writer_unavailable()          # None, or why it cannot run (for pytest.skip)
    write_cms("data.bin", "data.bin.p7s", signer="gov-official", signing_time="2026-06-20T03:00:00Z",
              crls=["gov-ca.crl.der"], ocsps=["resp.der"])

Compiled with tests/interop/pdfbox's compile_once into `<tmp>/libsign-bc-cms-writer-<hash>`; needs the
same JDK and Debian jars (libbcprov-java, libbcpkix-java, libbcutil-java). Nothing is written into the
repository; the password is passed as a file.
"""
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
if str(HERE.parent / "pdfbox") not in sys.path:
    sys.path.insert(0, str(HERE.parent / "pdfbox"))

from run_checker import checker_unavailable, classpath, compile_once  # noqa: E402

SOURCE = HERE / "CmsRevocationWriter.java"
PKI_DIR = HERE.parents[2] / "certs-test" / "pki"
RUN_TIMEOUT = 120


def writer_unavailable():
    """None when the writer can run, otherwise the reason."""
    return checker_unavailable()


def write_cms(content, output, *, signer, signing_time, crls=(), ocsps=(), timeout=RUN_TIMEOUT):
    """Signs `content` (a path) detached into `output` with certs-test/pki/<signer>.p12."""
    classes = compile_once(SOURCE, "libsign-bc-cms-writer")
    args = ["java", "-cp", classpath(classes), "CmsRevocationWriter",
            "--p12", str(PKI_DIR / f"{signer}.p12"), "--password-file", str(PKI_DIR / "p12-password.txt"),
            "--signing-time", signing_time]
    for crl in crls:
        args += ["--crl", str(crl)]
    for ocsp in ocsps:
        args += ["--ocsp", str(ocsp)]
    args += [str(content), str(output)]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise RuntimeError(f"Bouncy Castle CMS writer failed (status {proc.returncode}): {proc.stderr.strip()}")
