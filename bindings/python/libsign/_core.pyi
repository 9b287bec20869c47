"""Type stubs for the native module libsign._core."""
from os import PathLike
from typing import Dict, List, Literal, Optional, Tuple, Union

Indication = Literal["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"]
Source = Union[str, bytes, bytearray, memoryview, PathLike]

__version__: str

class Finding:
    code: str
    severity: Literal["info", "warning", "error"]
    message_en: str
    message_vi: str
    hint_en: str
    hint_vi: str
    evidence: Dict[str, str]

class Check:
    step: str
    status: Literal["passed", "failed", "skipped", "warning"]
    detail: str

class CertificateInfo:
    subject: str
    issuer: str
    common_name: str
    organization: str
    organizational_unit: str
    title: str
    locality: str
    state: str
    country: str
    email: str
    identifiers: Dict[str, str]
    serial: str
    not_before: str
    not_after: str
    sha256: str
    key_algorithm: str
    key_bits: int
    signature_algorithm: str
    self_signed: bool
    trust_profile: str

class TimestampInfo:
    present: bool
    valid: bool
    gen_time: str
    tsa: Optional[CertificateInfo]
    detail: str

class RevocationInfo:
    source: str
    status: Literal["unknown", "good", "revoked"]
    produced_at: str
    revocation_time: str
    reason: str
    crls: int
    ocsp_responses: int

class ManifestReference:
    manifest: str
    manifest_signed: bool
    uri: str
    element: str
    status: Literal["ok", "failed", "unresolvable", "unsupported", "malformed"]
    digest_algorithm: str
    detail: str

class ModifiedObject:
    object: str
    description: str
    level: str

class RevisionModification:
    revision: int
    level: str
    objects: List[ModifiedObject]
    objects_omitted: int

class CrossCheckItem:
    item: Literal["digest", "signature", "path", "structure"]
    libsign: str
    botan: str
    result: Literal["agree", "disagree", "unsupported"]
    detail: str

class CrossCheck:
    engine: str
    result: Literal["agree", "disagree", "unsupported", "off"]
    compared: List[CrossCheckItem]
    note: str

class SignatureReport:
    id: str
    field_name: str
    field_names: List[str]
    found_via: Optional[Literal["acroform", "page-annots"]]
    kind: Literal["approval", "certification", "document-timestamp"]
    indication: Indication
    sub_indication: Optional[str]
    signer: Optional[CertificateInfo]
    chain: List[CertificateInfo]
    signing_time: str
    timestamp: TimestampInfo
    archive_timestamps: List[TimestampInfo]
    subfilter: str
    digest_algorithm: str
    signature_algorithm: str
    byte_range: List[int]
    revision: int
    coverage: Literal["ENTIRE_FILE", "ENTIRE_REVISION", "PARTIAL", "UNKNOWN"]
    modification_level: Literal["NONE", "LTV_UPDATES", "FORM_FILLING", "ANNOTATIONS", "OTHER"]
    modifications: List[RevisionModification]
    docmdp_permission: Optional[int]
    reason: str
    location: str
    contact_info: str
    name: str
    revocation: RevocationInfo
    manifest_references: List[ManifestReference]
    cross_check: CrossCheck
    checks: List[Check]
    findings: List[Finding]
    finding_codes: List[str]
    def has_finding(self, code: str) -> bool: ...

class DocumentReport:
    path: str
    format: str
    sha256: str
    size: int
    revisions: int
    indication: Indication
    sub_indication: Optional[str]
    validation_time: str
    trust_profile: str
    signatures: List[SignatureReport]
    findings: List[Finding]
    inner: Optional["DocumentReport"]  # a .p7m's enclosed PDF/XML, verified on its own
    recovered: Optional["DocumentReport"]  # the original rebuilt from damaged bytes (docs/damage.md)
    recovery_method: str                   # how it was rebuilt, e.g. "base64-decode"; "" when not
    worst_indication: Indication       # of this document and, when it has signatures, its inner one
    def has_finding(self, code: str) -> bool: ...
    def to_json(self, indent: int = 2) -> str: ...
    def to_text(self, lang: str = "en") -> str: ...

class Verifier:
    # revocation: None or a dict (online=False, required=True, ...); unknown keys raise UsageError.
    def __init__(self, trust_profile: str = "vn-all", profile_dirs: List[str] = ..., trust: List[str] = ...,
                 at: str = "", revocation: Optional[Dict[str, object]] = None, verify_inner: bool = True,
                 cross_check: bool = True) -> None: ...
    def verify_pdf(self, source: Source, label: str = "") -> DocumentReport: ...
    def verify_xml(self, source: Source, options: Dict[str, object] = ..., label: str = "") -> DocumentReport: ...
    def verify(self, source: Source, label: str = "") -> DocumentReport: ...
    def verify_cms(self, signature: Source, content: Optional[Source] = None, label: str = "") -> DocumentReport: ...
    # {"revocation_fetches": {"ocsp": n, "crl": n, "ca_issuers": n}, "revocation_fetch_failures": {...},
    #  "revocation_cache_hits": {...}, "chain_cache_hits": n, "chain_cache_misses": n}
    def stats(self) -> Dict[str, object]: ...

def explain(code: str) -> Optional[Dict[str, str]]: ...
def finding_codes() -> List[str]: ...
def inspect_pdf(data: bytes) -> str: ...

class Signer:
    certificates: List[bytes]
    key_type: Literal["rsa", "ec"]

def load_pkcs12(path: str, *, password: Optional[str] = None, password_env: Optional[str] = None,
                password_file: Optional[str] = None) -> Signer: ...
def load_pem(key: str, cert: str, chain: List[str] = ..., *, password: Optional[str] = None,
             password_env: Optional[str] = None, password_file: Optional[str] = None) -> Signer: ...
def sign_pdf_bytes(data: bytes, signer: Signer, options: Dict[str, object]) -> bytes: ...
def sign_pdf_file(input: str, output: str, signer: Signer, options: Dict[str, object], overwrite: bool) -> None: ...
def sign_xml_bytes(data: bytes, signer: Signer, options: Dict[str, object]) -> bytes: ...
def sign_xml_file(input: str, output: str, signer: Signer, options: Dict[str, object], overwrite: bool) -> None: ...
def xml_subject_name(der: bytes) -> str: ...
def prepare_external_xml_bytes(data: bytes, certificates: List[bytes], options: Dict[str, object]) -> Dict[str, object]: ...
def finish_external_xml_bytes(data: bytes, state: str, signature: bytes, options: Dict[str, object], max_age: float) -> bytes: ...
def extend_pdf_bytes(data: bytes, options: Dict[str, object]) -> bytes: ...
def extend_xml_bytes(data: bytes, options: Dict[str, object]) -> bytes: ...
def extend_cms_bytes(signature: bytes, content: Optional[bytes], options: Dict[str, object]) -> bytes: ...
def sign_cms_bytes(data: bytes, signer: Signer, options: Dict[str, object]) -> bytes: ...
def sign_cms_file(input: str, output: str, signer: Signer, options: Dict[str, object], overwrite: bool) -> None: ...
def extract_cms_content(data: bytes) -> bytes: ...
def detect_format(data: bytes) -> str: ...
def recover_bytes(verifier: Verifier, data: bytes, label: str) -> Tuple[bytes, str, DocumentReport]: ...
def recover_file(verifier: Verifier, input: str, output: str, overwrite: bool) -> DocumentReport: ...
def prepare_external_cms_bytes(data: bytes, certificates: List[bytes], options: Dict[str, object]) -> Dict[str, object]: ...
def prepare_external_bytes(data: bytes, certificates: List[bytes], options: Dict[str, object]) -> Dict[str, object]: ...
def finish_external_bytes(data: bytes, state: str, signature: bytes, options: Dict[str, object], max_age: float) -> bytes: ...
def load_pkcs11(module: str = "", *, token_label: str = "", token_serial: str = "", key_label: str = "", key_id: str = "",
                uri: str = "", chain: List[str] = ..., pin: Optional[str] = None, pin_env: Optional[str] = None,
                pin_file: Optional[str] = None, pin_pad: bool = False) -> Signer: ...
def list_tokens(module: str) -> List[Dict[str, object]]: ...
def load_certificates_der(path: str) -> List[bytes]: ...
def finish_external_cms_bytes(data: bytes, state: str, signature: bytes, options: Dict[str, object], max_age: float) -> bytes: ...

class Aggregate:
    """The mergeable summary of a diagnosis (libsign-diagnose/1, docs/diagnose.md)."""
    def __init__(self, examples_per_code: int = 5) -> None: ...
    def merge(self, other: Aggregate) -> Aggregate: ...
    def to_json(self, indent: int = 2) -> str: ...
    def to_html(self, lang: Literal["vi", "en"] = "vi") -> str: ...
    @staticmethod
    def from_json(text: str) -> Aggregate: ...
    @property
    def complete(self) -> bool: ...
    @property
    def files(self) -> int: ...
    @property
    def rows(self) -> int: ...
    @property
    def settings(self) -> Dict[str, str]: ...  # trust_profile, trust_files, revocation, revocation_policy, validation_time, libsign_version

class _DiagnoseRun:
    def __init__(self, paths: List[str], options: Dict[str, object], jobs: int = 0, state: str = "",
                 examples: int = 5) -> None: ...
    def next(self) -> Optional[str]: ...
    def cancel(self) -> None: ...
    def aggregate(self) -> Aggregate: ...
    def resumed(self) -> int: ...
    def verifier_stats(self) -> Dict[str, object]: ...

def diagnose_discover(paths: List[str]) -> List[tuple]: ...
def diagnose_chunk(items: List[tuple], options: Dict[str, object], jobs: int = 1, examples: int = 5) -> Aggregate: ...
