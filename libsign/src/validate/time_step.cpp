// Step 6 (part): the claimed signing time against the proven one. Vietnamese signing tools often
// write local time (UTC+7) as if it were UTC: that gets its own finding.
#include <cstdlib>

#include "core/encoding.hpp"
#include "validate/context.hpp"

namespace libsign::validate {

void check_time(SignatureContext& ctx) {
  if (!ctx.claimed_time) ctx.add("SIGNING_TIME_MISSING");
  constexpr long long kClockTolerance = 5 * 60;
  if (ctx.proven_time && *ctx.proven_time > ctx.validation_time + kClockTolerance)
    ctx.add("TIMESTAMP_AFTER_VALIDATION_TIME", {{"proven", core::iso_utc_unix(*ctx.proven_time)},
                                                {"validation_time", core::iso_utc_unix(ctx.validation_time)}});
  if (ctx.claimed_time && *ctx.claimed_time > ctx.validation_time + kClockTolerance)
    ctx.add("SIGNING_TIME_AFTER_VALIDATION_TIME", {{"claimed", core::iso_utc_unix(*ctx.claimed_time)},
                                                   {"validation_time", core::iso_utc_unix(ctx.validation_time)}});
  if (!ctx.proven_time) {
    ctx.check("time", ctx.report.timestamp.present ? CheckStatus::warning : CheckStatus::skipped,
              ctx.report.timestamp.present ? "the signature timestamp is not valid" : "no signature timestamp");
    return;
  }
  if (ctx.claimed_time) {
    long long skew = *ctx.claimed_time - *ctx.proven_time;
    std::map<std::string, std::string> evidence = {{"claimed", core::iso_utc_unix(*ctx.claimed_time)},
                                                   {"proven", core::iso_utc_unix(*ctx.proven_time)},
                                                   {"difference_seconds", std::to_string(skew)}};
    constexpr long long kSevenHours = 7 * 3600, kTolerance = 30 * 60;
    if (std::llabs(skew - kSevenHours) <= kTolerance) {
      ctx.add("SIGNING_TIME_ZONE_SKEW", evidence);
      ctx.check("time", CheckStatus::warning, "claimed signing time is local time written as UTC");
      return;
    }
    if (skew > kClockTolerance) {
      ctx.add("SIGNING_TIME_AFTER_TIMESTAMP", evidence);
      ctx.check("time", CheckStatus::warning, "claimed signing time is after the timestamp");
      return;
    }
  }
  ctx.check("time", CheckStatus::passed,
            ctx.report.timestamp.valid ? "signature timestamp verified: " + ctx.report.timestamp.gen_time
                                       : "proof of existence from an archive timestamp: " + core::iso_utc_unix(*ctx.proven_time));
}

}  // namespace libsign::validate
