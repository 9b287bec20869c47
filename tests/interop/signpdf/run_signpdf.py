"""Sign a PDF with @signpdf (node) for the libsign interop tests.

    from run_signpdf import sign_with_signpdf, signpdf_unavailable
    sign_with_signpdf("in.pdf", "out.pdf")                          # gov-official.p12
    sign_with_signpdf("in.pdf", "out.pdf", signer="public-remote", subfilter="cades")

The npm packages pinned by package.json / package-lock.json are installed on first use with
`npm ci` into `<build>/interop-node/signpdf-<hash of package files>` ($LIBSIGN_BUILD_DIR or ./build),
never into the repository; sign.mjs is copied next to that node_modules and run from there.
Needs node (>= 18) and npm with access to the npm registry. Under pytest an unavailable peer
skips the calling test; elsewhere sign_with_signpdf returns False. A failed signing raises.
"""
import fcntl
import hashlib
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
SOURCE_DIR = HERE.parents[2]
BUILD_DIR = pathlib.Path(os.environ.get("LIBSIGN_BUILD_DIR", SOURCE_DIR / "build"))
PKI_DIR = SOURCE_DIR / "certs-test" / "pki"
PACKAGE_FILES = ("package.json", "package-lock.json")
SCRIPT = HERE / "sign.mjs"
INSTALL_TIMEOUT = 600
SIGN_TIMEOUT = 120

_unavailable = {}  # memo: install folder -> reason (None when installed)


def install_dir():
    digest = hashlib.sha256()
    for name in PACKAGE_FILES:
        digest.update((HERE / name).read_bytes())
    return BUILD_DIR / "interop-node" / f"signpdf-{digest.hexdigest()[:16]}"


def _node_major():
    proc = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=60)
    try:
        return int(proc.stdout.strip().lstrip("v").split(".")[0])
    except ValueError:
        return 0


def _install(target):
    """npm ci into target (atomically, under a lock). Returns None or the reason it failed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (target / ".installed").is_file():
            return None
        staging = pathlib.Path(tempfile.mkdtemp(prefix="signpdf-staging-", dir=target.parent))
        try:
            for name in PACKAGE_FILES:
                shutil.copyfile(HERE / name, staging / name)
            proc = subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error",
                 "--fetch-retries=1", "--fetch-timeout=60000"],
                cwd=staging, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, stdin=subprocess.DEVNULL)
            if proc.returncode != 0:
                lines = [line.strip() for line in (proc.stderr + proc.stdout).splitlines()
                         if line.strip() not in ("", "npm error", "npm error }")]
                return f"npm ci failed (registry unreachable?): {' | '.join(lines[:3])}"
            (staging / ".installed").write_text("npm ci done\n")
            shutil.rmtree(target, ignore_errors=True)
            os.rename(staging, target)
            return None
        except subprocess.TimeoutExpired:
            return f"npm ci took longer than {INSTALL_TIMEOUT} s"
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def signpdf_unavailable():
    """None when @signpdf is installed (installing it now if needed), otherwise the reason."""
    target = install_dir()
    if target in _unavailable:
        return _unavailable[target]
    if shutil.which("node") is None or shutil.which("npm") is None:
        reason = "node and npm are needed (Debian: nodejs, npm; node >= 18)"
    elif _node_major() < 18:
        reason = "node >= 18 is needed (util.parseArgs)"
    else:
        reason = None if (target / ".installed").is_file() else _install(target)
    _unavailable[target] = reason
    return reason


def _skip_or_false(reason):
    pytest = sys.modules.get("pytest")
    if pytest is not None:
        pytest.skip(f"@signpdf peer unavailable: {reason}")
    return False


def sign_with_signpdf(input_pdf, output_pdf, *, signer="gov-official", password_file=None,
                      subfilter="adbe", signing_time=None, fix_utf8_issuer=False, extra_args=()):
    """Signs input_pdf into output_pdf with certs-test/pki/<signer>.p12. Returns True when signed.

    subfilter: "adbe" (adbe.pkcs7.detached) or "cades" (ETSI.CAdES.detached); signing_time: an
    ISO-8601 string for the signingTime attribute and /M (default: now); fix_utf8_issuer: work
    around node-forge's double UTF-8 encoding of the SignerInfo's issuer (see sign.mjs).
    """
    reason = signpdf_unavailable()
    if reason:
        return _skip_or_false(reason)
    target = install_dir()
    script = target / "sign.mjs"
    shutil.copyfile(SCRIPT, script)  # ESM resolves packages from the script's folder
    args = ["node", str(script), "--p12", str(PKI_DIR / f"{signer}.p12"),
            "--password-file", str(password_file or PKI_DIR / "p12-password.txt"),
            "--subfilter", subfilter]
    if signing_time is not None:
        args += ["--signing-time", signing_time]
    if fix_utf8_issuer:
        args.append("--fix-utf8-issuer")
    args += [*map(str, extra_args), str(input_pdf), str(output_pdf)]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=SIGN_TIMEOUT, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise RuntimeError(f"@signpdf signing failed (status {proc.returncode}): {proc.stderr.strip()}")
    return True


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(0 if sign_with_signpdf(sys.argv[1], sys.argv[2], fix_utf8_issuer="--fix-utf8-issuer" in sys.argv)
             else 1)
