"""libsign: verify signed PDF dossiers against the Vietnamese CA chains and explain failures.

    import libsign
    report = libsign.verify_pdf("hoso.pdf", trust_profile="vn-gov", revocation={"online": True})
    print(report.indication, [f.code for s in report.signatures for f in s.findings])

Default policy (the same for the `libsign` command, the C++ API and Python; docs/revocation.md):
a signature is never TOTAL_PASSED without a revocation status (OCSP/CRL) for its chain unless the
caller says revocation is optional: revocation={"required": False}. The library makes no network
access unless revocation={"online": True}; offline, the status must be embedded in the document
(B-LT, DSS, CMS), else the verdict is INDETERMINATE / TRY_LATER. The command checks online.

Option dictionaries (revocation=, tsa=, validation=) are checked: an unknown key or a value of the
wrong kind raises UsageError (code OPTION_UNKNOWN / OPTION_INVALID) naming the parameter.
"""
import datetime as _dt
import os as _os

from ._errors import (CryptoBackendError, Error, FormatError, InputOutputError, NetworkError,  # noqa: F401
                      TokenError, UsageError)
from ._core import (CertificateInfo, Check, DocumentReport, Finding, SignatureReport, Signer,  # noqa: F401
                    Verifier, __version__, explain, finding_codes, list_tokens, load_pem, load_pkcs11, load_pkcs12)
from . import _core

__all__ = [
    "diagnose", "diagnose_dask", "Aggregate",
    "verify_pdf", "verify", "verify_cms", "sign_cms", "sign_cms_file", "extract_cms_content", "detect_format",
    "verify_xml", "sign_xml", "sign_xml_file", "prepare_external_xml", "finish_external_xml",
    "prepare_external_cms", "finish_external_cms",
    "recover", "recover_file",
    "make_verifier", "Verifier", "sign_pdf", "sign_pdf_file", "extend_pdf", "extend_xml", "extend_cms", "prepare_external", "finish_external", "load_pkcs12", "load_pem", "load_pkcs11", "list_tokens", "Signer", "DocumentReport", "SignatureReport", "Finding", "Check", "CertificateInfo",
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


def _paths(value, name="paths"):
    if value is None:
        return []
    if isinstance(value, (str, bytes, _os.PathLike)):
        value = [value]
    try:
        return [_os.fsdecode(_os.fspath(v)) for v in value]
    except TypeError:
        raise UsageError(f"{name}: expected a path or a list of paths, got {type(value).__name__}",
                         "OPTION_INVALID", "usage") from None


def _read(data, name="data"):
    """Bytes from bytes-like data or a file path."""
    if isinstance(data, (str, _os.PathLike)):
        with open(data, "rb") as f:
            return f.read()
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise UsageError(f"{name}: expected bytes or a file path, got {type(data).__name__}", "OPTION_INVALID", "usage")


_VERIFY_PARAMETERS = """
    trust_profile: the trusted anchors: "vn-gov" (government specialised PKI), "vn-public" (national
        root), "vn-all" (both), "none" (only `trust`), or a profile folder name from profiles_dir.
    at: the validation time (ISO 8601 str or an aware datetime); None = now.
    trust: extra certificates (a path or a list: PEM/DER files, folders, PKCS#7 bundles); self-signed
        ones are trust anchors (the end of their chain: a signer certificate given here needs no
        revocation status), the others intermediates.
    profiles_dir: folder(s) whose sub-folders are extra trust profiles.
    revocation: a dict; keys: online (False: no network access), required (True: no status means
        INDETERMINATE / TRY_LATER; False: only the warning REVOCATION_NOT_CHECKED), allow_hosts,
        allow_private, timeout, deadline (seconds), cache_dir. Unknown keys raise UsageError.
"""

_SIGN_PARAMETERS = """
    data: the PDF, as bytes or a path.
    signer: from load_pkcs12(), load_pem() or load_pkcs11().
    level: "B-B", "B-T" (a signature timestamp: give tsa), "B-LT" (plus validation data in the DSS)
        or "B-LTA" (plus a document timestamp).
    tsa: a URL, or a dict with url, username, password_env, password_file, timeout, trust,
        profiles_dir, trust_profile. Giving one makes a B-B signature B-T.
    certify: DocMDP P 1-3 for a certification signature (None: an approval signature).
    field: the signature field's name (an empty field of that name is filled; None: a new one).
    visible: (page, x, y, width, height) in points from the page's lower-left corner; None: invisible.
    reason, location, contact: stored in the signature (and shown on a visible one).
    image: a PNG seal for the visible signature; font: a TrueType font with Vietnamese glyphs.
    signing_time: the claimed signing time (str or aware datetime); None = now.
    validation: for B-LT/B-LTA, a dict with trust_profile, profiles_dir, trust and revocation (as for
        make_verifier) used to build the chains and fetch OCSP/CRLs.
"""

def make_verifier(trust_profile="vn-all", at=None, trust=None, profiles_dir=None, revocation=None, inner=True,
                  cross_check=True):
    """A reusable Verifier (build it once for a batch: it holds the parsed trust store and the
    revocation cache; its verify* methods release the GIL and may run on several threads).
    inner: a .p7m holding a PDF or XML also gets that document's own signatures verified
    (report.inner; docs/cms.md). cross_check: re-check every signature with Botan, an independent
    second engine (signature.cross_check; a disagreement is ENGINE_DISAGREEMENT; docs/security.md).
    Raises UsageError for an unknown profile or option."""
    return Verifier(trust_profile=trust_profile, profile_dirs=_paths(profiles_dir, "profiles_dir"),
                    trust=_paths(trust, "trust"), at=_time_text(at), revocation=revocation, verify_inner=bool(inner),
                    cross_check=bool(cross_check))


def verify_pdf(path_or_bytes, trust_profile="vn-all", at=None, trust=None, profiles_dir=None, revocation=None,
               cross_check=True):
    """Verify every signature of a PDF; returns a DocumentReport.

    path_or_bytes: a path (str, os.PathLike) or the bytes of the file.

    Raises FormatError for a file that is not a readable PDF, InputOutputError when it cannot be
    read, UsageError for bad options. A bad signature is not an exception: read the report.
    cross_check: as for make_verifier().
    """
    verifier = make_verifier(trust_profile, at, trust, profiles_dir, revocation, cross_check=cross_check)
    return verifier.verify_pdf(path_or_bytes)


def verify(path_or_bytes, trust_profile="vn-all", at=None, trust=None, profiles_dir=None, revocation=None, inner=True,
           cross_check=True):
    """Verify a PDF, an XML e-form or a CMS signature (.p7m, or FILE.p7s with FILE beside it), the
    format detected from the content; path_or_bytes: a path or bytes. Returns a DocumentReport. FormatError (INPUT_FORMAT_UNKNOWN)
    for anything else. A .p7m holding a PDF or XML: report.inner is that document's own report
    (inner=False skips it); report.worst_indication takes both layers. cross_check: as for make_verifier()."""
    verifier = make_verifier(trust_profile, at, trust, profiles_dir, revocation, inner, cross_check)
    return verifier.verify(path_or_bytes)


def recover(path_or_bytes, trust_profile="vn-all", at=None, trust=None, profiles_dir=None, revocation=None):
    """The signed original of a file damaged in transit (line ends converted, left in Base64, re-encoded
    as UTF-8, bytes added before or after, two files joined; docs/damage.md), as bytes, returned only
    when every one of its signatures verifies (TOTAL_PASSED) under the given trust. Raises FormatError
    RECOVER_NOT_DAMAGED (nothing to undo) or RECOVER_REFUSED (the rebuilt original does not verify).
    verify() shows the damage found (DAMAGE_* findings) and report.recovered.

    path_or_bytes: the damaged file (a path or its bytes). trust_profile, at, trust, profiles_dir and
    revocation: the trust and policy the original must verify under, as for verify_pdf()."""
    if isinstance(path_or_bytes, (str, _os.PathLike)):
        label = _os.fspath(path_or_bytes)
        with open(path_or_bytes, "rb") as f:
            data = f.read()
    else:
        label, data = "", path_or_bytes
    verifier = make_verifier(trust_profile, at, trust, profiles_dir, revocation)
    original, _method, _report = _core.recover_bytes(verifier, bytes(data), label)
    return original


def recover_file(input_path, output_path, overwrite=False, trust_profile="vn-all", at=None, trust=None,
                 profiles_dir=None, revocation=None):
    """Like recover() from file to file: the original is written through a temporary file renamed into
    place, only when its signatures verify; returns the DocumentReport of the damaged input (its
    DAMAGE_* findings; report.recovered is the original's report).

    input_path: the damaged file (never changed). output_path: where the original goes. overwrite: allow
    output_path to replace an existing file. trust_profile, at, trust, profiles_dir and revocation: as
    for recover()."""
    verifier = make_verifier(trust_profile, at, trust, profiles_dir, revocation)
    return _core.recover_file(verifier, _os.fspath(input_path), _os.fspath(output_path), bool(overwrite))


def verify_cms(signature, content=None, trust_profile="vn-all", at=None, trust=None, profiles_dir=None,
               revocation=None, inner=True, cross_check=True):
    """Verify a CMS / CAdES signature (`signature`: path or bytes; DER, PEM or Base64). content: the file a
    detached signature signs (path or bytes); None for an enveloping .p7m, or to look for FILE
    beside FILE.p7s. A detached signature without content is INDETERMINATE / SIGNED_DATA_NOT_FOUND.
    inner, cross_check: as for make_verifier()."""
    verifier = make_verifier(trust_profile, at, trust, profiles_dir, revocation, inner, cross_check)
    return verifier.verify_cms(signature, content)


def _cms_options(level, tsa, enveloping, pem, signing_time):
    options = _sign_options(level, tsa, None, None, None, None, None, None, None, None, signing_time)
    return {"level": level, "tsa": options["tsa"], "enveloping": bool(enveloping), "pem": bool(pem),
            "signing_time": options["signing_time"]}


def sign_cms(data, signer, level="B-B", tsa=None, enveloping=False, pem=False, signing_time=None):
    """A CAdES signature of any bytes (or a file path) `data`: detached (the .p7s, returned) or, with
    enveloping=True, holding the content (.p7m). signer: from load_pkcs12(), load_pem() or
    load_pkcs11(). level "B-B" or "B-T" (with tsa: a URL or a dict as for sign_pdf). DER unless
    pem=True. signing_time: the claimed signing time (str or aware datetime; default now)."""
    return _core.sign_cms_bytes(_read(data), signer, _cms_options(level, tsa, enveloping, pem, signing_time))


def sign_cms_file(input_path, output_path, signer, overwrite=False, level="B-B", tsa=None, enveloping=False, pem=False,
                  signing_time=None):
    """Like sign_cms() from input_path to output_path; a detached signature hashes the file without
    loading it whole. The output is written to a temporary file and renamed into place; overwrite:
    replace an existing output. signer, level, tsa, enveloping, pem, signing_time: as for sign_cms()."""
    _core.sign_cms_file(_os.fspath(input_path), _os.fspath(output_path), signer,
                        _cms_options(level, tsa, enveloping, pem, signing_time), overwrite)


def extract_cms_content(signature):
    """The content of an enveloping `signature` (.p7m; path or bytes). Does not verify: verify first.
    FormatError CMS_CONTENT_MISSING for a detached signature."""
    return _core.extract_cms_content(_read(signature, "signature"))


def detect_format(data):
    """"pdf", "xml", "cms" or "" for `data`: bytes, or the first KiB of a file path."""
    if isinstance(data, (str, _os.PathLike)):
        with open(data, "rb") as f:
            data = f.read(1024)
    return _core.detect_format(bytes(data))


def _sign_options(level, tsa, certify, field, visible, reason, location, contact, image, font, signing_time,
                  validation=None):
    if isinstance(tsa, str):
        tsa = {"url": tsa}
    return {"level": level, "tsa": tsa, "certify": certify, "field": field, "visible": visible, "reason": reason,
            "location": location, "contact": contact, "image": _os.fspath(image) if image else None,
            "font": _os.fspath(font) if font else None, "signing_time": _time_text(signing_time) or None,
            "validation": validation}


def sign_pdf(data, signer, level="B-B", tsa=None, certify=None, field=None, visible=None, reason=None, location=None,
             contact=None, image=None, font=None, signing_time=None, validation=None):
    """Signs a PDF (bytes or a path) and returns the signed bytes (an incremental update: earlier
    signatures stay valid). Data that is not a PDF raises FormatError INPUT_NOT_PDF (sign it with
    sign_cms instead). visible: (page, x, y, width, height) in points, or a dict with those keys and
    seal_image, signature_image, font, preset ("standard" or "decree30") and frame (bool); see
    docs/signing.md. The GIL is released while signing."""
    options = _sign_options(level, tsa, certify, field, visible, reason, location, contact, image, font, signing_time,
                            validation)
    return _core.sign_pdf_bytes(_read(data), signer, options)


def extend_pdf(data, to="B-LT", tsa=None, validation=None):
    """Upgrades a signed PDF (`data`: bytes or a path) to B-LT (validation data in the DSS) or B-LTA
    (plus a document timestamp; `to`); returns the new bytes. tsa: a URL or a dict as for sign_pdf
    (needed for B-LTA). validation: a dict with trust_profile, profiles_dir, trust and revocation
    (as for make_verifier) used to build chains and fetch OCSP/CRLs."""
    data = _read(data)
    options = _sign_options(to, tsa, None, None, None, None, None, None, None, None, None, validation)
    options["level"] = to
    return _core.extend_pdf_bytes(bytes(data), options)


def extend_xml(data, to="B-LT", tsa=None, validation=None):
    """Upgrades an XAdES-signed e-form (`data`: bytes or a path) to XAdES B-LT (CertificateValues and
    RevocationValues) or B-LTA (plus an ArchiveTimeStamp); returns the new bytes. to, tsa,
    validation: as for extend_pdf(). A plain XML-DSig signature raises UsageError XML_NOT_XADES."""
    data = _read(data)
    options = _sign_options(to, tsa, None, None, None, None, None, None, None, None, None, validation)
    options["level"] = to
    return _core.extend_xml_bytes(bytes(data), options)


def extend_cms(signature, content=None, to="B-LT", tsa=None, validation=None):
    """Upgrades a CAdES `signature` (.p7s/.p7m bytes or path) to B-LT (chain certificates and CRL/OCSP
    in the SignedData) or B-LTA (plus an archive-time-stamp-v3); returns the new signature (same
    armour). content: the data (bytes or path) of a detached .p7s, needed for B-LTA. to, tsa,
    validation: as for extend_pdf()."""
    options = _sign_options(to, tsa, None, None, None, None, None, None, None, None, None, validation)
    options["level"] = to
    data = None if content is None else _read(content, "content")
    return _core.extend_cms_bytes(_read(signature, "signature"), data, options)


def sign_pdf_file(input_path, output_path, signer, overwrite=False, level="B-B", tsa=None, certify=None, field=None,
                  visible=None, reason=None, location=None, contact=None, image=None, font=None, signing_time=None,
                  validation=None):
    """Like sign_pdf() from input_path to output_path: written to a temporary file and renamed into
    place; the input is never changed and no partial output is left on failure. overwrite: replace
    an existing output. An input that is not a PDF raises FormatError INPUT_NOT_PDF."""
    opts = _sign_options(level, tsa, certify, field, visible, reason, location, contact, image, font, signing_time,
                         validation)
    _core.sign_pdf_file(_os.fspath(input_path), _os.fspath(output_path), signer, opts, overwrite)


def _certificate_ders(certificates):
    ders = []
    for item in certificates:
        if isinstance(item, (bytes, bytearray)):
            ders.append(bytes(item))
        else:
            ders.extend(_core.load_certificates_der(_os.fspath(item)))
    return ders


def prepare_external(data, certificates, level="B-B", certify=None, field=None, visible=None, reason=None,
                     location=None, contact=None, image=None, font=None, signing_time=None):
    """Two-phase signing of a PDF (`data`: bytes or a path), step 1 (remote signing services, signing
    elsewhere): returns a dict with `state` (str, no secret: keep it), `digest` (bytes: the SHA-256 a
    hash-signing service signs) and `data_to_sign` (bytes: the DER signed attributes). certificates:
    the signer's certificate first, then its chain — paths (PEM/DER/PKCS#7) or DER bytes. level,
    certify, field, visible, reason, location, contact, image, font, signing_time: as for sign_pdf()."""
    options = _sign_options(level, None, certify, field, visible, reason, location, contact, image, font, signing_time)
    return _core.prepare_external_bytes(_read(data), _certificate_ders(certificates), options)


def finish_external(data, state, signature, tsa=None, max_age=24 * 3600):
    """Two-phase signing, step 2: `signature` is the raw signature value over data_to_sign (or a
    whole CMS from the service); returns the signed PDF bytes. The same `data` and the `state` of
    step 1; tsa: a URL or dict (as for sign_pdf) for a B-T signature; max_age: seconds the state stays
    usable."""
    options = _sign_options("B-B", tsa, None, None, None, None, None, None, None, None, None)
    return _core.finish_external_bytes(_read(data), state, bytes(signature), options, float(max_age))


def verify_xml(path_or_bytes, trust_profile="vn-all", at=None, trust=None, profiles_dir=None, revocation=None,
               signature=None, target=None, canonical=False, verifier=None, enveloped_only=False, cross_check=True):
    """Verify the XML-DSig / XAdES signatures of an XML e-form (`path_or_bytes`: a path or bytes); returns a
    DocumentReport with format "xml". signature: verify only the ds:Signature with this Id, or the
    one an XPath selects (prefix ds); target: the Id of the element that must be signed (a signature
    not covering it fails with XML_TARGET_NOT_SIGNED); canonical: put each reference's canonical
    bytes (Base64, bounded) into its finding's evidence. Pass `verifier` (make_verifier) for batches.
    enveloped_only: apply only the enveloped-signature and C14N transforms (XPath, XPath Filter 2.0
    and Base64 references then get XML_UNSUPPORTED_TRANSFORM).

    Raises FormatError for XML that is not well-formed or declares entities (XML_MALFORMED,
    XML_DTD_FORBIDDEN, XML_LIMIT_EXCEEDED). cross_check: as for make_verifier() (ignored with `verifier`)."""
    if verifier is None:
        verifier = make_verifier(trust_profile, at, trust, profiles_dir, revocation, cross_check=cross_check)
    options = {"signature": signature, "target": target, "canonical": bool(canonical),
               "enveloped_only": bool(enveloped_only)}
    return verifier.verify_xml(path_or_bytes, options)


def _xml_sign_options(target, parent, c14n, xades, tsa, signing_time, signature_id, einvoice_signing_time):
    options = {"target": target, "parent": parent, "c14n": c14n, "xades": xades, "signature_id": signature_id,
               "einvoice_signing_time": bool(einvoice_signing_time)}
    if signing_time is not None:
        options["signing_time"] = _time_text(signing_time)
    if tsa is not None:
        options["tsa"] = _sign_options("B-T", tsa, *([None] * 9))["tsa"]
    return options


def sign_xml(data, signer, target=None, parent=None, c14n="exc", xades="none", tsa=None, signing_time=None,
             signature_id=None, einvoice_signing_time=True):
    """Sign an XML e-form (bytes or path) with an enveloped XML-DSig signature; returns the signed
    bytes. `data`: bytes or a path; signer: as for sign_pdf; target: Id of the element to sign (default: the whole document); parent: where ds:Signature
    goes (an Id or an XPath such as /HDon/DSCKS/NBan; default: the document element); c14n: exc, c14n
    or c14n11; xades: none, B-B or B-T (B-T needs tsa, a URL or a dict as for sign_pdf); signing_time:
    the claimed time (default now); signature_id: the Id of ds:Signature; einvoice_signing_time: also
    write the signing time the Vietnamese e-invoice format expects (docs/xml.md)."""
    options = _xml_sign_options(target, parent, c14n, xades, tsa, signing_time, signature_id, einvoice_signing_time)
    return _core.sign_xml_bytes(_read(data), signer, options)


def sign_xml_file(input_path, output_path, signer, overwrite=False, target=None, parent=None, c14n="exc",
                  xades="none", tsa=None, signing_time=None, signature_id=None, einvoice_signing_time=True):
    """Like sign_xml() from input_path to output_path, through a temporary file renamed into place;
    overwrite: replace an existing output. signer, target, parent, c14n, xades, tsa, signing_time,
    signature_id, einvoice_signing_time: as for sign_xml()."""
    options = _xml_sign_options(target, parent, c14n, xades, tsa, signing_time, signature_id, einvoice_signing_time)
    _core.sign_xml_file(_os.fspath(input_path), _os.fspath(output_path), signer, options, overwrite)


def prepare_external_xml(data, certificates, target=None, parent=None, c14n="exc", xades="none", signing_time=None,
                         signature_id=None, einvoice_signing_time=True):
    """Two-phase XML signing, step 1 (remote signing services): lays the signature of `data` (bytes
    or a path) out with the certificates (paths or DER bytes, the signer's first) and returns a dict
    with state, digest (the SHA-256 to sign) and data_to_sign (the canonical SignedInfo). xades="B-T"
    asks for the timestamp at finish_external_xml. target, parent, c14n, signing_time, signature_id,
    einvoice_signing_time: as for sign_xml()."""
    options = _xml_sign_options(target, parent, c14n, xades, None, signing_time, signature_id, einvoice_signing_time)
    return _core.prepare_external_xml_bytes(_read(data), _certificate_ders(certificates), options)


def finish_external_xml(data, state, signature, tsa=None, max_age=24 * 3600):
    """Two-phase XML signing, step 2: the same document `data`, the `state` and the raw `signature`
    value (RSA, or ECDSA as DER or r||s); returns the signed document. tsa is needed when prepared at
    B-T; max_age: seconds the state stays usable."""
    options = _xml_sign_options(None, None, "exc", "none", tsa, None, None, True)
    return _core.finish_external_xml_bytes(_read(data), state, bytes(signature), options, float(max_age))


def prepare_external_cms(data, certificates, level="B-B", enveloping=False, pem=False, signing_time=None):
    """Two-phase CAdES, step 1: like prepare_external() for any `data` (bytes or a file path) and
    `certificates`. Returns state, digest and data_to_sign; the state holds no secret. level,
    enveloping, pem, signing_time: as for sign_cms()."""
    return _core.prepare_external_cms_bytes(_read(data), _certificate_ders(certificates),
                                            _cms_options(level, None, enveloping, pem, signing_time))


def finish_external_cms(data, state, signature, tsa=None, max_age=24 * 3600):
    """Two-phase CAdES, step 2: the same `data`, the `state` and the raw `signature` value (or a whole
    CMS from the service); returns the .p7s (or .p7m) bytes. tsa: for B-T; max_age: seconds the
    state stays usable."""
    return _core.finish_external_cms_bytes(_read(data), state, bytes(signature),
                                           _cms_options("B-B", tsa, False, False, None), float(max_age))


for _f in (make_verifier, verify_pdf, verify, verify_cms, verify_xml):
    _f.__doc__ += _VERIFY_PARAMETERS
for _f in (sign_pdf, sign_pdf_file):
    _f.__doc__ += _SIGN_PARAMETERS
del _f

# Batch diagnosis (docs/diagnose.md); imported last: it uses the helpers above.
from ._diagnose import Aggregate, Diagnosis, diagnose, diagnose_dask  # noqa: E402,F401
