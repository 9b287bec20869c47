// CAdES long-term signatures: the level (B-LT / B-LTA) and the archive timestamps of one signer.
#pragma once
#include <string_view>

#include "validate/context.hpp"

namespace libsign::validate {

// After the CMS front steps (content and signer known), before run_common_steps. Checks every
// archive-time-stamp-v3 of SignerInfo `signer_index` of `signed_data_der` (hash index entries present,
// imprint recomputed, token and TSA valid; the latest at the validation time, each earlier one at the
// time of the next valid one). The earliest valid one becomes ctx.archive_poe and, unless a valid
// signature timestamp proves an earlier time, ctx.proven_time (the rule XAdES B-LTA follows too).
// Other archive timestamp kinds are reported as not evaluated. Sets the report's level
// ("CAdES-B-LT"/"CAdES-B-LTA").
void check_archive_timestamps(SignatureContext& ctx, std::string_view signed_data_der, int signer_index);

}  // namespace libsign::validate
