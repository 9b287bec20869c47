// Collects the outcome of each pipeline step and settles the ETSI indication:
// the first TOTAL_FAILED reason in pipeline order wins, else the first INDETERMINATE one.
#pragma once
#include <utility>
#include <vector>

#include "libsign/report.hpp"

namespace libsign::validate {

class Verdict {
 public:
  void fail(SubIndication s) { outcomes_.emplace_back(Indication::total_failed, s); }
  void indeterminate(SubIndication s) { outcomes_.emplace_back(Indication::indeterminate, s); }

  // Refines an earlier outcome (e.g. OUT_OF_BOUNDS_NO_POE becomes OUT_OF_BOUNDS_NOT_REVOKED once
  // revocation is known to be fine).
  void refine(SubIndication from, SubIndication to) {
    for (auto& o : outcomes_)
      if (o.second == from) o.second = to;
  }

  std::pair<Indication, SubIndication> settle() const {
    for (const auto& o : outcomes_)
      if (o.first == Indication::total_failed) return o;
    for (const auto& o : outcomes_)
      if (o.first == Indication::indeterminate) return o;
    return {Indication::total_passed, SubIndication::none};
  }

 private:
  std::vector<std::pair<Indication, SubIndication>> outcomes_;
};

}  // namespace libsign::validate
