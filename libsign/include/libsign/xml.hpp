// libsign — XML e-forms (e-invoices, declarations): enveloped XML-DSig and XAdES B-B / B-T.
// Reports use the same model as PDFs (DocumentReport with format = "xml"). See docs/xml.md.
#pragma once
#include "libsign/export.hpp"
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libsign/report.hpp"
#include "libsign/sign.hpp"
#include "libsign/verify.hpp"

namespace libsign {

struct XmlVerifyOptions {
  // Which ds:Signature to verify: its Id attribute, or an XPath (starting with '/') selecting exactly
  // one ds:Signature element (the prefix "ds" is bound to the XML-DSig namespace). Empty: every signature.
  std::string signature;
  // The element the signature(s) must cover: its Id, or an XPath (starting with '/') selecting exactly
  // one element — the path the application reads, which defeats signature wrapping (a signed copy
  // hidden elsewhere does not count). When set, the verdict is about that element: a signature whose
  // references do not cover it gets XML_TARGET_NOT_SIGNED (INDETERMINATE / SIGNED_DATA_NOT_FOUND).
  std::string target_id;
  // Put the canonical bytes of each reference into its finding's evidence ("canonical_b64", at most
  // `canonical_limit` bytes) — for diagnosing a digest mismatch. Always included for mismatches when set.
  bool include_canonical = false;
  size_t canonical_limit = 64 * 1024;
  // Besides enveloped-signature and C14N, the XPath, XPath Filter 2.0 and Base64 transforms are
  // applied (XPath 1.0 over the document only, with operation and node limits: beyond them
  // XML_TRANSFORM_LIMIT_EXCEEDED). `enveloped_only` leaves them out: such a reference then gets
  // XML_UNSUPPORTED_TRANSFORM (INDETERMINATE), as XSLT and other XPointer forms always do.
  bool enveloped_only = false;
  // Limits for hostile input.
  size_t max_bytes = 64u << 20;
  int max_depth = 256;
};

// Verifies the XML-DSig / XAdES signatures of an XML document with `verifier`'s trust and revocation
// settings. Throws Error(format) XML_MALFORMED / XML_DTD_FORBIDDEN / XML_LIMIT_EXCEEDED for input that
// is not acceptable XML; everything about signatures is in the report.
LIBSIGN_API DocumentReport verify_xml(const Verifier& verifier, std::string_view xml, const XmlVerifyOptions& options = {},
                          const std::string& label = "");
LIBSIGN_API DocumentReport verify_xml_file(const Verifier& verifier, const std::string& path, const XmlVerifyOptions& options = {});

enum class XmlC14n { exclusive, inclusive, inclusive11 };
enum class XadesLevel { none, b_b, b_t };

struct XmlSignOptions {
  // What the signature covers: the element with this Id attribute (Id, ID or id), or, when empty,
  // the whole document (URI=""). Either way with the enveloped-signature transform.
  std::string target_id;
  // Where ds:Signature goes: the element with this Id, or an XPath (starting with '/') selecting one
  // element. Empty: the last child of the document element.
  std::string parent;
  XmlC14n c14n = XmlC14n::exclusive;  // for SignedInfo and the references
  XadesLevel xades = XadesLevel::none;
  // Adds Object/SignatureProperties/SignatureProperty/SigningTime (the e-invoice convention, local
  // time +07:00) when no XAdES is asked for.
  bool einvoice_signing_time = true;
  std::optional<std::chrono::system_clock::time_point> signing_time;  // default: now
  std::string signature_id;           // Id of ds:Signature; default "sig-<random>"
  std::optional<TsaOptions> tsa;      // required for XAdES B-T
  size_t max_bytes = 64u << 20;
};

// Returns the signed document. Throws Error(usage) XML_TARGET_NOT_FOUND / XML_ID_DUPLICATE /
// XML_PARENT_NOT_FOUND / TSA_URL_MISSING, Error(format) for unacceptable XML, and the Signer's errors.
LIBSIGN_API std::string sign_xml(std::string_view xml, const Signer& signer, const XmlSignOptions& options);
// Same contract as sign_pdf_file: temporary file renamed into place, input never changed.
LIBSIGN_API void sign_xml_file(const std::string& input, const std::string& output, const Signer& signer,
                   const XmlSignOptions& options, bool allow_overwrite = false);

// Two-phase signing for remote signing services (VNPT SmartCA, Viettel MySign, ...), as for PDFs
// (see ExternalRequest in libsign/sign.hpp): prepare lays the signature out with the certificates
// (DER, the signer's first) and says what to sign — data_to_sign is the canonical SignedInfo,
// digest its SHA-256; finish takes the same document, the state and the raw signature value (RSA
// PKCS#1 v1.5; ECDSA as DER or r||s), checks it against the certificate and writes it (B-T: then
// asks `tsa`). Refusals: Error(usage) EXTERNAL_STATE_INVALID / _MISMATCH / _STALE,
// EXTERNAL_SIGNATURE_INVALID, TSA_URL_MISSING.
LIBSIGN_API ExternalRequest prepare_external_xml(std::string_view xml, const std::vector<std::string>& certificates,
                                     const XmlSignOptions& options);
LIBSIGN_API std::string finish_external_xml(std::string_view xml, const std::string& state, const std::string& signature,
                                const std::optional<TsaOptions>& tsa = std::nullopt,
                                std::chrono::seconds max_age = std::chrono::hours(24));

// The subject name written into ds:X509SubjectName, in the order Vietnamese portals expect:
// "C=VN, ST=..., L=..., O=..., OU=..., CN=..., UID=MST:..." (not RFC 4514's reversed order).
LIBSIGN_API std::string xml_subject_name(const std::string& certificate_der);

}  // namespace libsign
