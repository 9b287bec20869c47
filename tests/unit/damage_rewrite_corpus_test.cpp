// Healthy and deliberately broken third-party files show none of the damage-rewrite classes: the W3C /
// xmlsec XML-DSig interop sets and the Vietnamese e-invoice (no XML damage), the pyHanko PDFs and the
// signed real-world PDFs (no rewrite: attacks and anomalies are not re-saves), and no real-world PDF
// is "wrong content". Skipped when ../shared/corpus is absent.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "damage/content_kind.hpp"
#include "damage/rewrite.hpp"
#include "damage/xml_damage.hpp"
#include "libsign/error.hpp"
#include "test_pki.hpp"

namespace {

namespace fs = std::filesystem;
using namespace libsign;

fs::path corpus(const std::string& sub) {
  const char* env = std::getenv("LIBSIGN_SHARED_DIR");
  return fs::path(env && *env ? env : test::source_path("../shared")) / "corpus" / sub;
}

std::vector<fs::path> files_under(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ext) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(DamageRewriteCorpus, XmlInteropSetsAndEinvoiceShowNoXmlDamage) {
  size_t seen = 0;
  for (const char* sub : {"xmldsig-interop", "vn-einvoice"}) {
    if (!fs::is_directory(corpus(sub))) GTEST_SKIP() << "shared corpus absent: " << corpus(sub);
    for (const auto& path : files_under(corpus(sub), ".xml")) {
      auto found = damage::find_xml_damage(test::read_file(path.string()));
      ++seen;
      for (const auto& d : found) ADD_FAILURE() << path << ": " << d.finding.code;
    }
  }
  EXPECT_GT(seen, 100u);
}

// Reports of every signed PDF of a folder (files that do not open are skipped: not this module's case).
void expect_no_rewrite(const fs::path& dir, size_t& signed_files) {
  Verifier verifier(test::test_gov_options());
  for (const auto& path : files_under(dir, ".pdf")) {
    std::string bytes = test::read_file(path.string());
    EXPECT_FALSE(damage::find_wrong_content(bytes).has_value()) << path;
    if (bytes.find("/ByteRange") == std::string::npos) continue;
    try {
      DocumentReport r = verifier.verify_pdf(bytes, path.string());
      if (r.signatures.empty()) continue;
      ++signed_files;
      auto f = damage::find_rewrite(bytes, r);
      EXPECT_FALSE(f.has_value()) << path << ": " << (f ? f->evidence.at("byte_range") : "");
    } catch (const Error&) {
    }
  }
}

TEST(DamageRewriteCorpus, PyhankoAndRealWorldSignedPdfsAreNotRewrites) {
  if (!fs::is_directory(corpus("pyhanko"))) GTEST_SKIP() << "shared corpus absent";
  size_t signed_files = 0;
  expect_no_rewrite(corpus("pyhanko/data/pdf"), signed_files);
  if (fs::is_directory(corpus("realworld-pdf"))) expect_no_rewrite(corpus("realworld-pdf"), signed_files);
  EXPECT_GT(signed_files, 30u);
}

}  // namespace
