// The typical cause of each code in Vietnamese portals, kept apart from catalog.cpp so that codes and
// causes can be written by different people. A test checks that every catalog code has a cause.
#include <unordered_map>

#include "libsign/catalog.hpp"

namespace libsign {
namespace {

const CatalogCause kCauses[] = {
  {"INPUT_EMPTY", "x", "x"},
};

}  // namespace

const CatalogCause* find_catalog_cause(const std::string& code) {
  static const std::unordered_map<std::string, const CatalogCause*> index = [] {
    std::unordered_map<std::string, const CatalogCause*> map;
    for (const auto& c : kCauses) map.emplace(c.code, &c);
    return map;
  }();
  auto it = index.find(code);
  return it == index.end() ? nullptr : it->second;
}

}  // namespace libsign
