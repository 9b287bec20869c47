// What a Verifier holds, shared by the verifiers of each format (PDF, CMS, XML).
#pragma once
#include <functional>
#include <memory>
#include <mutex>

#include "core/byte_source.hpp"
#include "libsign/report.hpp"
#include "libsign/verify.hpp"
#include "pki/chain_cache.hpp"
#include "pki/revocation_fetcher.hpp"
#include "pki/trust_store.hpp"

namespace libsign {

namespace crosscheck {
class BotanTrust;
}

struct Verifier::Impl {
  VerifyOptions options;
  pki::TrustStore trust;
  mutable pki::RevocationFetcher fetcher;  // thread-safe; its cache is shared by every verification
  mutable pki::ChainCache chain_cache;     // thread-safe; path results per signer, other certificates and time
  explicit Impl(const VerifyOptions& o);
  ~Impl();

  long long validation_time() const;  // unix seconds: options.at or now
  // The trust store in Botan form, decoded on first use (once per Verifier); nullptr when the
  // cross-check is off (cross_check_step.cpp).
  const crosscheck::BotanTrust* botan() const;

 private:
  mutable std::once_flag botan_once_;
  mutable std::unique_ptr<crosscheck::BotanTrust> botan_;
};

namespace validate {
// A document's verdict is its worst signature's; no signature at all is never a pass.
void settle_document(DocumentReport& doc);
// The PDF verifier without damage forensics (pdf_verifier.cpp).
DocumentReport verify_pdf_source(const Verifier::Impl& impl, const core::ByteSource& source, const std::string& label);
// Any format, detected from the content, without damage forensics (damage_hook.cpp).
DocumentReport verify_plain(const Verifier& verifier, std::string_view bytes, const std::string& label);
// Runs `verify`; when it throws a format error or a signature fails integrity, looks for damage
// (docs/damage.md): found, it returns the report with the DAMAGE_* findings and the recovered original's
// report; not found, the error is rethrown as it was (damage_hook.cpp).
DocumentReport with_damage_forensics(const Verifier& verifier, std::string_view bytes, const std::string& label,
                                     const std::function<DocumentReport()>& verify);
// The same, keeping the recovered original's bytes (for recover()); `damaged` tells whether damage was found.
struct Forensics {
  DocumentReport report;
  bool damaged = false;
  std::string recovered_bytes;
};
Forensics run_damage_forensics(const Verifier& verifier, std::string_view bytes, const std::string& label,
                               const std::function<DocumentReport()>& verify, bool keep_bytes);
}  // namespace validate

}  // namespace libsign
