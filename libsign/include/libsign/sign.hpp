// libsign — signing PDF dossiers (PAdES baseline B-B and B-T).
#pragma once
#include "libsign/export.hpp"
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libsign/error.hpp"
#include "libsign/verify.hpp"

namespace libsign {

// A password or PIN. Never logged, never part of an error message; wiped when destroyed.
class LIBSIGN_API Secret {
 public:
  Secret() = default;
  static Secret from_env(const std::string& variable);  // Error(usage, PASSWORD_SOURCE_MISSING) when unset
  static Secret from_file(const std::string& path);     // the first line, without its line end
  static Secret from_string(std::string value);         // for programs that hold it already
  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret();

  const std::string& reveal() const { return value_; }  // for the key loader only
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

// A private key and the certificates that go with it. The signing paths of libsign only ever ask
// a Signer to sign bytes, so keys in files, tokens or remote services can stand behind it.
class LIBSIGN_API Signer {
 public:
  virtual ~Signer() = default;
  // DER certificates: the signer's own first, then the chain it knows (all are embedded).
  virtual const std::vector<std::string>& certificates() const = 0;
  // The raw signature value over `data` with the digest algorithm `digest` ("sha256", ...).
  virtual std::string sign(std::string_view data, const std::string& digest) const = 0;
  // "rsa" or "ec": decides the CMS signature algorithm.
  virtual std::string key_type() const = 0;
  // Bytes of a signature value (to reserve room before signing).
  virtual size_t max_signature_size() const = 0;
};

// PKCS#12 (.p12/.pfx). Throws Error(usage, KEY_PASSWORD_WRONG) for a wrong password,
// Error(format, KEY_FILE_INVALID) for a damaged file, Error(usage, KEY_CERT_MISMATCH).
LIBSIGN_API std::unique_ptr<Signer> load_pkcs12_signer(const std::string& path, const Secret& password);
// A PEM (or DER) private key, its certificate, and chain files (PEM bundles).
LIBSIGN_API std::unique_ptr<Signer> load_pem_signer(const std::string& key_path, const std::string& cert_path,
                                        const std::vector<std::string>& chain_paths, const Secret& key_password = {});

// Writes `bytes` to `path` through a temporary file in the same folder, flushed and renamed into
// place: the file is complete or absent. Throws Error(io, OUTPUT_UNWRITABLE).
LIBSIGN_API void write_file_atomically(const std::string& path, std::string_view bytes);

// B-B: signed attributes; B-T: plus a signature timestamp; B-LT: plus the certificates and revocation
// data of every signature in the document security store (/DSS); B-LTA: plus a document timestamp.
enum class PadesLevel { b_b, b_t, b_lt, b_lta };

struct TsaOptions {
  std::string url;                  // http://host[:port]/path
  std::string username;             // HTTP basic authentication, when the TSA wants it
  std::optional<std::string> password_env, password_file;
  std::chrono::milliseconds timeout{15000};
  // Anchors the TSA certificate must chain to; empty = the built-in Vietnamese profiles.
  std::vector<std::string> trust_paths;
  std::vector<std::string> profile_dirs;
  std::string trust_profile = "vn-all";
};

// How the visible block looks (docs/signing.md, "Visible signatures"):
// standard — "Ký bởi / Cơ quan / Thời gian ký / Lý do / Nơi ký" in dark blue, DejaVu Sans;
// decree30 — Decree 30/2020/NĐ-CP, appendix I: the seal over the left third of the signer's signature
//            image; signer, organisation and signing time (date, time, +07:00) in black, DejaVu Serif.
enum class AppearancePreset { standard, decree30 };

struct VisibleSignature {
  int page = 1;                     // 1-based
  double x = 0, y = 0, width = 0, height = 0;  // PDF points from the page's lower-left corner
  std::string image_path;           // optional seal, PNG (transparency kept)
  std::string font_path;            // a TrueType font with Vietnamese glyphs; empty = the preset's DejaVu font (fonts-dejavu-core)
  // Optional image of the signer's handwritten signature, PNG; with a seal, the seal covers its left third.
  std::string signature_image_path;
  bool frame = false;               // a thin (0.5 pt) frame along the box's edge
  AppearancePreset preset = AppearancePreset::standard;
};
// Text is wrapped by words inside the box at the largest size up to 10 pt that fits, never below 6 pt;
// text that still does not fit is cut with an ellipsis (the full reason stays in the signature's /Reason).
// A box that cannot hold one line at 6 pt is Error(usage, RECTANGLE_TOO_SMALL).

struct SignOptions {
  PadesLevel level = PadesLevel::b_b;
  std::optional<TsaOptions> tsa;    // required for B-T
  std::optional<int> certify;       // DocMDP P (1, 2 or 3): a certification signature
  std::string field_name;           // empty: "Signature<n>"; an existing empty signature field is filled
  std::optional<VisibleSignature> visible;  // with `field_name` of an existing field: its rectangle is used
  std::string reason, location, contact_info;
  std::optional<std::chrono::system_clock::time_point> signing_time;  // default: now
  // B-LT / B-LTA: the trust used to build each chain and the revocation fetch policy (its `online`
  // must be set unless everything needed is already embedded).
  VerifyOptions validation;
};

// Upgrades an already signed dossier (also one signed by another tool): B-LT adds to /DSS the
// certificates, OCSP responses and CRLs of every signature's chain (signature timestamps and earlier
// document timestamps included) with a /VRI entry per signature; B-LTA then adds a document timestamp.
// Run again, B-LTA keeps the older evidence valid by covering the previous timestamp too.
// Throws Error(network, LTV_EVIDENCE_MISSING) naming the certificate whose status could not be obtained.
struct ExtendOptions {
  PadesLevel to = PadesLevel::b_lt;  // b_lt or b_lta
  std::optional<TsaOptions> tsa;     // required for B-LTA
  VerifyOptions validation;          // as SignOptions::validation
};
LIBSIGN_API std::string extend_pdf(std::string_view pdf, const ExtendOptions& options);
LIBSIGN_API void extend_pdf_file(const std::string& input, const std::string& output, const ExtendOptions& options,
                     bool allow_overwrite = false);
// CAdES .p7s/.p7m (ETSI EN 319 122-1), every signer of the SignedData: a signature timestamp first where
// one is missing (when `tsa` is set); B-LT appends the chains' certificates to SignedData.certificates and
// their CRLs / OCSP responses (RFC 5940 id-ri-ocsp-response) to SignedData.crls; B-LTA then adds an
// archive-time-stamp-v3 with its ats-hash-index-v3. Signed attributes are never touched. `content`: the
// data of a detached signature (needed for B-LTA; an enclosed content wins). The armour (DER/PEM) is kept.
// Throws as extend_pdf, plus Error(format, CMS_MALFORMED) and Error(usage, CMS_CONTENT_MISSING).
LIBSIGN_API std::string extend_cms(std::string_view signature, std::optional<std::string_view> content, const ExtendOptions& options);
// `content_path`: the data of a detached .p7s ("" for none or for a .p7m).
LIBSIGN_API void extend_cms_file(const std::string& input, const std::string& output, const ExtendOptions& options,
                     const std::string& content_path = "", bool allow_overwrite = false);

// XAdES (ETSI EN 319 132-1), the same options: every XAdES signature of the e-form gains, in its
// UnsignedSignatureProperties, CertificateValues and RevocationValues for its signer's and its
// signature timestamp's chains (B-LT; a signature not yet extended and without SignatureTimeStamp
// first gets one when a TSA is given) and, for B-LTA, an xades141:ArchiveTimeStamp; run again on a B-LTA file, the newest
// archive timestamp's validation data goes into a TimeStampValidationData before the next one.
// The signed content is untouched. Throws Error(usage, XML_NOT_XADES) for plain XML-DSig signatures.
LIBSIGN_API std::string extend_xml(std::string_view xml, const ExtendOptions& options);
LIBSIGN_API void extend_xml_file(const std::string& input, const std::string& output, const ExtendOptions& options,
                     bool allow_overwrite = false);

// Signs and returns the signed PDF (an incremental update of `pdf`).
LIBSIGN_API std::string sign_pdf(std::string_view pdf, const Signer& signer, const SignOptions& options);
// Signs `input` into `output` through a temporary file renamed into place; `input` is never changed
// and no partial `output` is left behind on failure. `output` may equal `input` only if
// `allow_overwrite` is set.
LIBSIGN_API void sign_pdf_file(const std::string& input, const std::string& output, const Signer& signer, const SignOptions& options,
                   bool allow_overwrite = false);

}  // namespace libsign

namespace libsign {

// Two-phase (external) signing, for remote signing services (VNPT SmartCA, Viettel MySign, ...) and
// for signing on another machine: prepare() lays the signature out and says what must be signed;
// the signature value comes back later, maybe hours later, in another process; finish() completes
// the file. The state is plain data without any secret; a state that does not belong to the PDF,
// or is older than `max_age`, is refused.
struct ExternalRequest {
  std::string state;            // opaque ("libsign-external/1" JSON): keep it until finish
  std::string data_to_sign;     // the DER of the CMS signed attributes
  std::string digest;           // SHA-256 of data_to_sign: what a hash-signing service signs
  std::string digest_algorithm = "sha256";
};
// The certificates of a PEM/DER/PKCS#7 file (or folder) as DER, in file order.
LIBSIGN_API std::vector<std::string> load_certificates_der(const std::string& path);
// `certificates`: DER, the signer's first (the chain is embedded).
LIBSIGN_API ExternalRequest prepare_external_signature(std::string_view pdf, const std::vector<std::string>& certificates,
                                           const SignOptions& options);
// `signature`: the raw signature value over data_to_sign (RSA PKCS#1 v1.5, or ECDSA as DER), or a
// whole CMS SignedData made by the service over the same signed bytes. It is checked before use.
// Throws Error(usage) EXTERNAL_STATE_INVALID / EXTERNAL_STATE_MISMATCH / EXTERNAL_STATE_STALE /
// EXTERNAL_SIGNATURE_INVALID. `tsa` is used when the prepared level is B-T or above.
LIBSIGN_API std::string finish_external_signature(std::string_view pdf, const std::string& state, const std::string& signature,
                                      const std::optional<TsaOptions>& tsa = std::nullopt,
                                      std::chrono::seconds max_age = std::chrono::hours(24));

}  // namespace libsign
