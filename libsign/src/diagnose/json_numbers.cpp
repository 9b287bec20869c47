#include "diagnose/json_numbers.hpp"

#include <cstring>
#include <vector>

#include "libsign/error.hpp"

namespace libsign::diagnose {

void require_integral_numbers(const nlohmann::json& j, const char* skip) {
  std::vector<const nlohmann::json*> pending{&j};  // a loop, not recursion: nesting depth is the input's
  while (!pending.empty()) {
    const nlohmann::json* v = pending.back();
    pending.pop_back();
    if (v->is_number_float())
      throw Error(ErrorCategory::format, "DIAGNOSE_JSON_INVALID", "bad diagnose document: a number that is not an integer");
    if (v->is_object()) {
      for (auto it = v->begin(); it != v->end(); ++it)
        if (!(v == &j && skip && it.key() == skip)) pending.push_back(&*it);
    } else if (v->is_array()) {
      for (const auto& item : *v) pending.push_back(&item);
    }
  }
}

}  // namespace libsign::diagnose
