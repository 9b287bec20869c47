import datetime
from os import PathLike
from typing import Any, Dict, Iterable, Literal, Optional, Tuple, TypeAlias, Union

from ._core import (CertificateInfo as CertificateInfo, Check as Check, DocumentReport as DocumentReport,
                    Finding as Finding, SignatureReport as SignatureReport, Signer as Signer, Verifier as Verifier,
                    __version__ as __version__, explain as explain, finding_codes as finding_codes,
                    list_tokens as list_tokens, load_pem as load_pem, load_pkcs11 as load_pkcs11,
                    load_pkcs12 as load_pkcs12)
from ._errors import (CryptoBackendError as CryptoBackendError, Error as Error, FormatError as FormatError,
                      InputOutputError as InputOutputError, NetworkError as NetworkError, TokenError as TokenError,
                      UsageError as UsageError)

# Type aliases of this stub only (not names of the module).
PathArg: TypeAlias = Union[str, PathLike]
Paths: TypeAlias = Union[PathArg, Iterable[PathArg], None]
Time: TypeAlias = Union[str, datetime.datetime, None]

# revocation: {"online": bool, "allow_hosts": [str], "allow_private": bool, "required": bool,
#              "timeout": float, "deadline": float, "cache_dir": str}
# Default policy (CLI, C++ and Python alike): "online": False (no network access) and "required": True
# (no revocation status: INDETERMINATE / TRY_LATER). Pass {"required": False} to accept a missing status
# (warning REVOCATION_NOT_CHECKED). Unknown keys or values of the wrong kind raise UsageError.
Revocation: TypeAlias = Optional[Dict[str, Any]]
# visible: (page, x, y, width, height) in points, or {"page", "x", "y", "width", "height", "seal_image",
#          "signature_image", "font", "preset": "standard" | "decree30", "frame": bool}
Visible: TypeAlias = Union[Tuple[int, float, float, float, float], Dict[str, Any], None]
# tsa: a URL, or {"url", "username", "password_env", "password_file", "timeout", "trust", "profiles_dir", "trust_profile"}
Tsa: TypeAlias = Union[str, Dict[str, Any], None]
# validation (B-LT/B-LTA): {"trust_profile", "profiles_dir", "trust", "revocation": Revocation}
Validation: TypeAlias = Optional[Dict[str, Any]]
Level: TypeAlias = Literal["B-B", "B-T", "B-LT", "B-LTA"]

def make_verifier(trust_profile: str = "vn-all", at: Time = None, trust: Paths = None,
                  profiles_dir: Paths = None, revocation: Revocation = None, inner: bool = True,
                  cross_check: bool = True) -> Verifier: ...
def verify_pdf(path_or_bytes: Union[PathArg, bytes, bytearray, memoryview], trust_profile: str = "vn-all",
               at: Time = None, trust: Paths = None, profiles_dir: Paths = None,
               revocation: Revocation = None, cross_check: bool = True) -> DocumentReport: ...
def verify_xml(path_or_bytes: Union[PathArg, bytes, bytearray, memoryview], trust_profile: str = "vn-all",
               at: Time = None, trust: Paths = None, profiles_dir: Paths = None, revocation: Revocation = None,
               signature: Optional[str] = None, target: Optional[str] = None, canonical: bool = False,
               verifier: Optional[Verifier] = None, enveloped_only: bool = False,
               cross_check: bool = True) -> DocumentReport: ...
def sign_xml(data: Union[PathArg, bytes], signer: Signer, target: Optional[str] = None, parent: Optional[str] = None,
             c14n: Literal["exc", "c14n", "c14n11"] = "exc", xades: Literal["none", "B-B", "B-T"] = "none",
             tsa: Tsa = None, signing_time: Time = None, signature_id: Optional[str] = None,
             einvoice_signing_time: bool = True) -> bytes: ...
def sign_xml_file(input_path: PathArg, output_path: PathArg, signer: Signer, overwrite: bool = False,
                  target: Optional[str] = None, parent: Optional[str] = None,
                  c14n: Literal["exc", "c14n", "c14n11"] = "exc", xades: Literal["none", "B-B", "B-T"] = "none",
                  tsa: Tsa = None, signing_time: Time = None, signature_id: Optional[str] = None,
                  einvoice_signing_time: bool = True) -> None: ...
def verify(path_or_bytes: Union[PathArg, bytes, bytearray, memoryview], trust_profile: str = "vn-all",
           at: Time = None, trust: Paths = None, profiles_dir: Paths = None,
           revocation: Revocation = None, inner: bool = True, cross_check: bool = True) -> DocumentReport: ...
def recover(path_or_bytes: Union[PathArg, bytes, bytearray, memoryview], trust_profile: str = "vn-all",
            at: Time = None, trust: Paths = None, profiles_dir: Paths = None,
            revocation: Revocation = None) -> bytes: ...
def recover_file(input_path: PathArg, output_path: PathArg, overwrite: bool = False, trust_profile: str = "vn-all",
                 at: Time = None, trust: Paths = None, profiles_dir: Paths = None,
                 revocation: Revocation = None) -> DocumentReport: ...
def verify_cms(signature: Union[PathArg, bytes], content: Union[PathArg, bytes, None] = None,
               trust_profile: str = "vn-all", at: Time = None, trust: Paths = None, profiles_dir: Paths = None,
               revocation: Revocation = None, inner: bool = True, cross_check: bool = True) -> DocumentReport: ...
def sign_cms(data: Union[PathArg, bytes], signer: Signer, level: Literal["B-B", "B-T"] = "B-B", tsa: Tsa = None,
             enveloping: bool = False, pem: bool = False, signing_time: Time = None) -> bytes: ...
def sign_cms_file(input_path: PathArg, output_path: PathArg, signer: Signer, overwrite: bool = False,
                  level: Literal["B-B", "B-T"] = "B-B", tsa: Tsa = None, enveloping: bool = False, pem: bool = False,
                  signing_time: Time = None) -> None: ...
def extract_cms_content(signature: Union[PathArg, bytes]) -> bytes: ...
def prepare_external_cms(data: Union[PathArg, bytes], certificates: Iterable[Union[PathArg, bytes]],
                         level: Literal["B-B", "B-T"] = "B-B", enveloping: bool = False, pem: bool = False,
                         signing_time: Time = None) -> Dict[str, Any]: ...
def finish_external_cms(data: Union[PathArg, bytes], state: str, signature: bytes, tsa: Tsa = None,
                        max_age: float = ...) -> bytes: ...
def detect_format(data: Union[PathArg, bytes]) -> Literal["pdf", "xml", "cms", ""]: ...
def prepare_external_xml(data: Union[PathArg, bytes], certificates: Any, target: Optional[str] = None,
                         parent: Optional[str] = None, c14n: Literal["exc", "c14n", "c14n11"] = "exc",
                         xades: Literal["none", "B-B", "B-T"] = "none", signing_time: Time = None,
                         signature_id: Optional[str] = None, einvoice_signing_time: bool = True) -> Dict[str, Any]: ...
def finish_external_xml(data: Union[PathArg, bytes], state: str, signature: bytes, tsa: Tsa = None,
                        max_age: float = 86400) -> bytes: ...
def sign_pdf(data: Union[PathArg, bytes], signer: Signer, level: Level = "B-B", tsa: Tsa = None,
             certify: Optional[int] = None, field: Optional[str] = None,
             visible: Visible = None, reason: Optional[str] = None,
             location: Optional[str] = None, contact: Optional[str] = None, image: Optional[PathArg] = None,
             font: Optional[PathArg] = None, signing_time: Time = None, validation: Validation = None) -> bytes: ...
def sign_pdf_file(input_path: PathArg, output_path: PathArg, signer: Signer, overwrite: bool = False,
                  level: Level = "B-B", tsa: Tsa = None, certify: Optional[int] = None, field: Optional[str] = None,
                  visible: Visible = None, reason: Optional[str] = None,
                  location: Optional[str] = None, contact: Optional[str] = None, image: Optional[PathArg] = None,
                  font: Optional[PathArg] = None, signing_time: Time = None, validation: Validation = None) -> None: ...
def prepare_external(data: Union[PathArg, bytes], certificates: Iterable[Union[PathArg, bytes]], level: Level = "B-B",
                     certify: Optional[int] = None, field: Optional[str] = None,
                     visible: Visible = None, reason: Optional[str] = None,
                     location: Optional[str] = None, contact: Optional[str] = None, image: Optional[PathArg] = None,
                     font: Optional[PathArg] = None, signing_time: Time = None) -> Dict[str, Any]: ...
def finish_external(data: Union[PathArg, bytes], state: str, signature: bytes, tsa: Tsa = None,
                    max_age: float = 86400) -> bytes: ...
def extend_pdf(data: Union[PathArg, bytes], to: Literal["B-LT", "B-LTA"] = "B-LT", tsa: Tsa = None,
               validation: Validation = None) -> bytes: ...
def extend_xml(data: Union[PathArg, bytes], to: Literal["B-LT", "B-LTA"] = "B-LT", tsa: Tsa = None,
               validation: Validation = None) -> bytes: ...
def extend_cms(signature: Union[PathArg, bytes], content: Optional[Union[PathArg, bytes]] = None,
               to: Literal["B-LT", "B-LTA"] = "B-LT", tsa: Tsa = None, validation: Validation = None) -> bytes: ...

from ._core import Aggregate as Aggregate

class Diagnosis:
    """Iterate for per-file results (dicts); then .aggregate. See docs/diagnose.md."""
    def __iter__(self) -> Diagnosis: ...
    def __next__(self) -> Dict[str, Any]: ...
    @property
    def aggregate(self) -> Aggregate: ...
    @property
    def resumed_files(self) -> int: ...
    @property
    def verifier_stats(self) -> Dict[str, Any]: ...
    def close(self) -> None: ...
    def __enter__(self) -> Diagnosis: ...
    def __exit__(self, *exc: Any) -> None: ...

def diagnose(paths: Paths, jobs: Optional[int] = None, trust_profile: str = "vn-all", at: Time = None,
             trust: Paths = None, profiles_dir: Paths = None, revocation: Revocation = None,
             state: Optional[PathArg] = None, examples: int = 5) -> Diagnosis: ...
def diagnose_dask(client: Any, paths: Paths, chunk_size: int = 500, examples: int = 5, **validation: Any) -> Aggregate: ...
