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
