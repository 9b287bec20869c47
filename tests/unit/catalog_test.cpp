#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "libsign/catalog.hpp"
#include "test_support.hpp"

namespace libsign {

TEST(Catalog, CodesAreUniqueAndFullyDescribed) {
  std::set<std::string> seen;
  for (const auto& e : findings_catalog()) {
    EXPECT_TRUE(seen.insert(e.code).second) << "duplicate " << e.code;
    EXPECT_STRNE(e.message_en, "") << e.code;
    EXPECT_STRNE(e.message_vi, "") << e.code;
    // Anything a user must act on says what to do, in both languages.
    if (e.severity != Severity::info) {
      EXPECT_EQ(e.hint_en[0] == '\0', e.hint_vi[0] == '\0') << e.code;
    }
  }
  EXPECT_NE(find_catalog_entry("CHAIN_INCOMPLETE"), nullptr);
  EXPECT_EQ(find_catalog_entry("NOT_A_CODE"), nullptr);
}

// Every code the sources emit or throw must be in the catalog (so docs/errors.md lists it).
TEST(Catalog, EveryCodeUsedInTheSourcesIsCatalogued) {
  const std::regex emitted(R"(\b(?:add|make_finding|fail|usage|Error\([^,]+,)\s*\(?\s*\"([A-Z][A-Z0-9_]+)\")");
  size_t found = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(test::source_path("libsign/src"))) {
    if (entry.path().extension() != ".cpp") continue;
    std::string text = test::read_file(entry.path().string());
    for (std::sregex_iterator it(text.begin(), text.end(), emitted), end; it != end; ++it) {
      ++found;
      EXPECT_NE(find_catalog_entry((*it)[1]), nullptr) << (*it)[1] << " in " << entry.path();
    }
  }
  EXPECT_GT(found, 40u);
}

TEST(Catalog, MarkdownHasEveryCode) {
  std::string md = catalog_markdown();
  for (const auto& e : findings_catalog()) EXPECT_NE(md.find(std::string("## ") + e.code), std::string::npos);
}

}  // namespace libsign
