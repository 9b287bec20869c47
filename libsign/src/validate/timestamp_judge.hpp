// Judging one RFC 3161 token: its signature, its imprint over the timestamped data, the TSA's key
// purpose and its chain at a given time (the validation time, or a later proof of existence).
#pragma once
#include <string>
#include <string_view>

#include "cms/timestamp.hpp"
#include "pki/chain.hpp"
#include "pki/trust_store.hpp"

namespace libsign::validate {

struct TokenVerdict {
  bool valid = false;
  bool untrusted = false;  // intact, but its TSA does not chain to a trusted anchor at that time
  std::string why;
  pki::ChainResult chain;
};

// `token` over `data`, its TSA chain validated at `at` (unix seconds).
TokenVerdict judge_timestamp(const pki::TrustStore& trust, const cms::TimestampToken& token, std::string_view data, long long at);

}  // namespace libsign::validate
