"""libsign: verify signed PDF dossiers against the Vietnamese CA chains and explain failures.

    import libsign
    report = libsign.verify_pdf("hoso.pdf", trust_profile="vn-gov")
    print(report.indication, [f.code for s in report.signatures for f in s.findings])
"""
import datetime as _dt
import os as _os

from ._errors import (CryptoBackendError, Error, FormatError, InputOutputError, NetworkError,  # noqa: F401
                      TokenError, UsageError)
from ._core import (CertificateInfo, Check, DocumentReport, Finding, SignatureReport, Verifier,  # noqa: F401
                    __version__, explain, finding_codes)

__all__ = [
    "verify_pdf", "make_verifier", "Verifier", "DocumentReport", "SignatureReport", "Finding", "Check", "CertificateInfo",
    "explain", "finding_codes", "Error", "UsageError", "InputOutputError", "FormatError", "CryptoBackendError",
    "TokenError", "NetworkError", "__version__",
]


def _time_text(at):
    if at is None:
        return ""
    if isinstance(at, _dt.datetime):
        if at.tzinfo is None:
            raise UsageError("a naive datetime is ambiguous: give it a timezone", "TIME_INVALID", "usage")
        return at.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(at)


def _paths(value):
    if value is None:
        return []
    if isinstance(value, (str, bytes, _os.PathLike)):
        value = [value]
    return [_os.fspath(v) for v in value]


def make_verifier(trust_profile="vn-all", at=None, trust=None, profiles_dir=None):
    """A reusable Verifier (build it once for a batch: it holds the parsed trust store)."""
    return Verifier(trust_profile=trust_profile, profile_dirs=_paths(profiles_dir), trust=_paths(trust),
                    at=_time_text(at))


def verify_pdf(path_or_bytes, trust_profile="vn-all", at=None, trust=None, profiles_dir=None):
    """Verify every signature of a PDF given as a path or as bytes; returns a DocumentReport.

    Raises FormatError for a file that is not a readable PDF, InputOutputError when it cannot be
    read, UsageError for bad options. A bad signature is not an exception: read the report.
    """
    verifier = make_verifier(trust_profile, at, trust, profiles_dir)
    return verifier.verify_pdf(path_or_bytes)
