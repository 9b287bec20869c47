// libsign — verifying signed documents.
#pragma once
#include "libsign/export.hpp"
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libsign/error.hpp"
#include "libsign/report.hpp"

namespace libsign {

// Revocation checking: evidence embedded in the document is always used; online fetching (OCSP,
// CRLs, missing CA certificates through AIA) only when `online` is set.
struct RevocationOptions {
  bool online = false;  // the library makes no network access unless asked (the CLI asks, see docs/revocation.md)
  // Where fetches may go. Refused by default: loopback, private and link-local addresses — a verifier
  // in a portal backend must not be a way into the internal network.
  bool allow_loopback = false;
  bool allow_private = false;
  std::vector<std::string> allowed_hosts;  // when not empty, only these hosts (whatever their address class)
  std::chrono::milliseconds request_timeout{5000};
  std::chrono::milliseconds total_timeout{20000};  // for all fetches of one document
  size_t max_response_bytes = 10u << 20;           // CRLs can be large; anything bigger is refused
  std::string cache_dir;                           // optional on-disk cache (answers kept until nextUpdate)
  // No revocation status for a certificate of the chain: INDETERMINATE (TRY_LATER) when true,
  // only a warning when false. True by default, as in the CLI and Python: a result is never
  // TOTAL_PASSED without a revocation status unless the caller says revocation is optional
  // (docs/revocation.md). Independent of `online`: offline, the status must be embedded.
  bool require = true;
};

struct VerifyOptions {
  // Which anchors are trusted: a built-in profile ("vn-gov", "vn-public", "vn-all") or a profile
  // found in one of `profile_dirs`. Empty = "vn-all". Use "none" to trust only `trust_paths`.
  std::string trust_profile = "vn-all";
  // Folders of profiles: each sub-folder is one profile holding self-signed anchors and intermediates
  // (PEM/DER). Every known profile is used to explain a failure ("signed under the other PKI").
  std::vector<std::string> profile_dirs;
  // Extra certificates: PEM/DER files, folders of them, PKCS#7 bundles. Self-signed ones become
  // trust anchors, the others intermediates.
  std::vector<std::string> trust_paths;
  // The validation time; empty = now.
  std::optional<std::chrono::system_clock::time_point> at;
  RevocationOptions revocation;
  // An enveloping CMS (.p7m) whose content is a PDF or an XML e-form: verify that document's own
  // signatures too and attach its report as DocumentReport::inner (docs/cms.md).
  bool verify_inner = true;
  // Re-check every signature's digest, signature value and certificate path with Botan, an
  // independent second engine; a disagreement is ENGINE_DISAGREEMENT and never TOTAL_PASSED
  // (docs/security.md). Off: SignatureReport::cross_check.result is "off" and Botan does nothing.
  bool cross_check = true;
};

struct XmlVerifyOptions;  // libsign/xml.hpp

// What one Verifier has done since it was built, for monitoring (a service's /metrics, a batch's
// summary). Counters only grow; reading them while other threads verify is safe.
struct VerifierStats {
  struct ByKind {
    uint64_t ocsp = 0;        // OCSP responders (AIA OCSP)
    uint64_t crl = 0;         // CRL distribution points
    uint64_t ca_issuers = 0;  // missing CA certificates (AIA caIssuers)
    uint64_t total() const { return ocsp + crl + ca_issuers; }
    ByKind& operator+=(const ByKind& o) {
      ocsp += o.ocsp;
      crl += o.crl;
      ca_issuers += o.ca_issuers;
      return *this;
    }
  };
  ByKind revocation_fetches;         // fetches attempted (only with RevocationOptions::online), refused by the host policy included
  ByKind revocation_fetch_failures;  // of those, the ones without a usable answer (host policy, network, HTTP status)
  ByKind revocation_cache_hits;      // answers taken from the cache (memory or cache_dir) instead of the network
  uint64_t chain_cache_hits = 0;     // certificate paths reused from an earlier signature (same certificates, time)
  uint64_t chain_cache_misses = 0;   // certificate paths built
  VerifierStats& operator+=(const VerifierStats& o) {
    revocation_fetches += o.revocation_fetches;
    revocation_fetch_failures += o.revocation_fetch_failures;
    revocation_cache_hits += o.revocation_cache_hits;
    chain_cache_hits += o.chain_cache_hits;
    chain_cache_misses += o.chain_cache_misses;
    return *this;
  }
};

// A verifier holds the trust store built once from the options; verify calls are const and
// may run concurrently from several threads.
class LIBSIGN_API Verifier {
 public:
  // Throws Error(usage) for an unknown profile, Error(io/format) for unreadable trust files.
  explicit Verifier(const VerifyOptions& options = {});
  ~Verifier();
  Verifier(Verifier&&) noexcept;
  Verifier& operator=(Verifier&&) noexcept;

  // Throws Error(io) if the file cannot be read, Error(format) if it is not a readable PDF.
  DocumentReport verify_pdf_file(const std::string& path) const;
  // `label` goes into the report's path field.
  DocumentReport verify_pdf(std::string_view pdf_bytes, const std::string& label = "") const;

  // Any supported format, detected from the content (see detect_format). A detached CMS signature
  // FILE.p7s (or .sig, .cms) is checked against FILE beside it when that exists.
  // Throws Error(format, INPUT_FORMAT_UNKNOWN) for anything else.
  DocumentReport verify_file(const std::string& path) const;
  DocumentReport verify(std::string_view bytes, const std::string& label = "") const;

  // A CMS / CAdES signature (DER, PEM or Base64). Detached: the signed `content` is given;
  // enveloping (.p7m): the content is inside and `content` is nullopt. A detached signature without
  // its content is reported INDETERMINATE / SIGNED_DATA_NOT_FOUND.
  DocumentReport verify_cms(std::string_view signature, std::optional<std::string_view> content = std::nullopt,
                            const std::string& label = "") const;
  // `content_path` empty: the signature is enveloping, or detached with its content beside it.
  DocumentReport verify_cms_file(const std::string& signature_path, const std::string& content_path = "") const;

  // XML e-forms (XML-DSig / XAdES), declared in libsign/xml.hpp.
  DocumentReport verify_xml(std::string_view xml_bytes, const XmlVerifyOptions& options, const std::string& label = "") const;
  DocumentReport verify_xml_file(const std::string& path, const XmlVerifyOptions& options) const;

  const VerifyOptions& options() const;
  // A snapshot of this Verifier's counters.
  VerifierStats stats() const;

  struct Impl;  // opaque: defined in the library
  const Impl& internals() const { return *impl_; }  // for the library's own modules

 private:
  std::unique_ptr<Impl> impl_;
};

// Convenience one-shot calls.
LIBSIGN_API DocumentReport verify_pdf_file(const std::string& path, const VerifyOptions& options = {});
LIBSIGN_API DocumentReport verify_pdf(std::string_view pdf_bytes, const VerifyOptions& options = {});

// "pdf", "xml", "cms" (a CMS SignedData as DER, PEM or Base64), or "" when none of them.
LIBSIGN_API std::string detect_format(std::string_view bytes);

// Parses "2026-06-15T02:00:00Z", "2026-06-15T09:00:00+07:00", "2026-06-15" (midnight UTC).
// Throws Error(usage) for anything else.
LIBSIGN_API std::chrono::system_clock::time_point parse_time(const std::string& text);
LIBSIGN_API std::string format_time(std::chrono::system_clock::time_point t);  // ISO 8601 UTC, seconds

// The names of the built-in trust profiles.
LIBSIGN_API std::vector<std::string> builtin_trust_profiles();

}  // namespace libsign
