// Making findings from catalog codes.
#pragma once
#include <map>
#include <string>

#include "libsign/report.hpp"

namespace libsign::report {

// A finding with its texts from the catalog. An unknown code is a programming error: it aborts in
// debug builds and yields a finding with the bare code otherwise.
Finding make_finding(const std::string& code, std::map<std::string, std::string> evidence = {});

}  // namespace libsign::report
