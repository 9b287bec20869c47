// The page objects of a revision, in document order.
#pragma once
#include <vector>

#include "pdf/document.hpp"

namespace libsign::pdf {

// Walks /Pages /Kids depth first; loops and nesting deeper than the limits are skipped.
std::vector<Ref> page_list(const Document& doc, size_t revision);

}  // namespace libsign::pdf
