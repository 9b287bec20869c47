// What a Verifier holds, shared by the verifiers of each format (PDF, CMS, XML).
#pragma once
#include <functional>

#include "core/byte_source.hpp"
#include "libsign/report.hpp"
#include "libsign/verify.hpp"
#include "pki/revocation_fetcher.hpp"
#include "pki/trust_store.hpp"

namespace libsign {

struct Verifier::Impl {
  VerifyOptions options;
  pki::TrustStore trust;
  mutable pki::RevocationFetcher fetcher;  // thread-safe; its cache is shared by every verification
  explicit Impl(const VerifyOptions& o) : options(o), trust(o), fetcher(o.revocation) {}

  long long validation_time() const;  // unix seconds: options.at or now
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
