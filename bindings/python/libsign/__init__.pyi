import datetime
from os import PathLike
from typing import Iterable, Optional, Union

from ._core import (CertificateInfo as CertificateInfo, Check as Check, DocumentReport as DocumentReport,
                    Finding as Finding, SignatureReport as SignatureReport, Verifier as Verifier,
                    __version__ as __version__, explain as explain, finding_codes as finding_codes)
from ._errors import (CryptoBackendError as CryptoBackendError, Error as Error, FormatError as FormatError,
                      InputOutputError as InputOutputError, NetworkError as NetworkError, TokenError as TokenError,
                      UsageError as UsageError)

PathArg = Union[str, PathLike]
Paths = Union[PathArg, Iterable[PathArg], None]
Time = Union[str, datetime.datetime, None]

def make_verifier(trust_profile: str = "vn-all", at: Time = None, trust: Paths = None,
                  profiles_dir: Paths = None) -> Verifier: ...
def verify_pdf(path_or_bytes: Union[PathArg, bytes, bytearray, memoryview], trust_profile: str = "vn-all",
               at: Time = None, trust: Paths = None, profiles_dir: Paths = None) -> DocumentReport: ...
