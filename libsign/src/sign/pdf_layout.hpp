// The signature layout of pdf_signer.cpp, shared with two-phase (external) signing: an incremental
// update with placeholders, the digest of the bytes it will sign, and filling /Contents.
#pragma once
#include <string>

#include "core/byte_source.hpp"
#include "libsign/sign.hpp"
#include "pdf/document.hpp"

namespace libsign::sign {

// Where the signing bytes are inside the rendered update.
struct Layout {
  std::string update;         // the bytes appended to the document
  size_t base = 0;            // offset of the update in the signed file
  size_t byte_range_at = 0;   // offset in `update` of the '[' of /ByteRange
  size_t contents_at = 0;     // offset in `update` of the '<' of /Contents
  size_t contents_hex = 0;    // hex digits reserved between '<' and '>'
  size_t total() const { return base + update.size(); }
};

// The update for `doc` (which ends at `base` including any separator), with room for a CMS of
// `contents_bytes`. `signer` provides the certificates (and the name shown).
Layout prepare_layout(const pdf::Document& doc, size_t base, const Signer& signer, const SignOptions& options,
                      size_t contents_bytes, long long signing_time);
// SHA-256 of the signed bytes: the original, the separator, and the update without /Contents.
std::string digest_signed(const core::ByteSource& original, const std::string& separator, const Layout& layout);
// Room to reserve for the CMS of `signer` at the options' level.
size_t estimate_contents(const Signer& signer, const SignOptions& options);
// Writes `cms` (hex, zero-padded) into /Contents; throws CONTENTS_TOO_SMALL if it does not fit.
void fill_contents(Layout& layout, const std::string& cms);

}  // namespace libsign::sign
