#include <gtest/gtest.h>

#include <cstring>

#include "libsign/catalog.hpp"

namespace libsign {

// docs/errors.md promises, for every code, a typical cause in Vietnamese portals in both languages.
TEST(CatalogCauses, EveryCodeHasACauseInBothLanguages) {
  for (const auto& e : findings_catalog()) {
    const CatalogCause* c = find_catalog_cause(e.code);
    ASSERT_NE(c, nullptr) << "no cause for " << e.code << " (libsign/src/report/catalog_causes.cpp)";
    EXPECT_GT(std::strlen(c->cause_en), 20u) << e.code;
    EXPECT_GT(std::strlen(c->cause_vi), 20u) << e.code;
  }
}

TEST(CatalogCauses, CausesNameOnlyCataloguedCodes) {
  EXPECT_EQ(find_catalog_cause("NOT_A_CODE"), nullptr);
  EXPECT_NE(catalog_markdown().find("Nguyên nhân thường gặp"), std::string::npos);
}

}  // namespace libsign
