"""Exception classes raised by libsign; one per error category of the C++ library."""


class Error(Exception):
    """Base class. ``code`` is a stable catalog code (see ``libsign.explain``). ``diagnosis``: what the
    input really is when the wrong thing was stored (``Finding`` objects such as DAMAGE_HTML_PAGE), else []."""

    def __init__(self, message, code="", category="", native_code=0):
        super().__init__(message)
        self.code = code
        self.category = category
        self.native_code = native_code
        self.diagnosis = []


class UsageError(Error, ValueError):
    """The call asked for something impossible (unknown profile, bad time, ...)."""


class InputOutputError(Error, OSError):
    """A file could not be read or written."""


class FormatError(Error, ValueError):
    """The input is not a well-formed document (not a PDF, truncated, encrypted, damaged)."""


class CryptoBackendError(Error):
    """The crypto library failed."""


class TokenError(Error):
    """A PKCS#11 token failed."""


class NetworkError(Error):
    """A fetch failed."""


_BY_CATEGORY = {
    "usage": UsageError,
    "io": InputOutputError,
    "format": FormatError,
    "crypto_backend": CryptoBackendError,
    "token": TokenError,
    "network": NetworkError,
}


def class_for(category):
    return _BY_CATEGORY.get(category, Error)
