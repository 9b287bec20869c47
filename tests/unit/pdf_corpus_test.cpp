// libsign pdf — the pyHanko sample files: every file opens, signatures are found, and the change analysis
// agrees with pyHanko's verdicts. Skipped when the shared corpus is absent.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "libsign/error.hpp"
#include "pdf/changes.hpp"
#include "pdf/signatures.hpp"

using namespace libsign::pdf;
namespace fs = std::filesystem;

namespace {

fs::path corpus_dir() {
  const char* env = std::getenv("LIBSIGN_SHARED_DIR");
  return fs::path(env && *env ? env : "/work/shared") / "corpus" / "pyhanko" / "data" / "pdf";
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Worst level over all signatures' signed revisions, skipping the newest signature (nothing follows it)
// only through analyse_changes returning no entries.
ModificationLevel first_signature_level(const std::string& bytes) {
  Document doc = Document::open(bytes);
  auto sigs = find_signatures(doc);
  EXPECT_FALSE(sigs.empty());
  const auto& br = sigs.at(0).byte_range;
  EXPECT_EQ(br.size(), 4u);
  auto rev = doc.revision_ending_at(static_cast<size_t>(br.at(2) + br.at(3)));
  EXPECT_TRUE(rev.has_value());
  return overall_level(analyse_changes(doc, rev.value_or(0)));
}

}  // namespace

TEST(PdfCorpus, EveryFileOpensAndHasSignatures) {
  fs::path dir = corpus_dir();
  if (!fs::exists(dir)) GTEST_SKIP() << "no corpus at " << dir;
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".pdf") continue;
    ++files;
    std::string bytes = slurp(e.path());
    std::string name = e.path().filename().string();
    if (name == "signed-encrypted-pubkey-with-catalog-ref.pdf") {
      try {
        Document::open(bytes);
        ADD_FAILURE() << name << " opened";
      } catch (const libsign::Error& err) {
        EXPECT_EQ(err.code(), "PDF_UNSUPPORTED_ENCRYPTION");  // certificate-based (/Adobe.PubSec)
      }
      continue;
    }
    try {
      Document doc = Document::open(bytes);
      auto sigs = find_signatures(doc);
      EXPECT_FALSE(sigs.empty()) << name;
      bool anomaly = e.path().parent_path().filename() == "coverage-anomalies";
      for (const auto& s : sigs) {
        EXPECT_TRUE(s.byte_range_all_integers) << name;
        EXPECT_TRUE(s.contents_offsets_known) << name;
        EXPECT_TRUE(s.present_in_last_revision) << name;
        if (anomaly) continue;  // these deliberately carry odd /ByteRange values
        ASSERT_EQ(s.byte_range.size(), 4u) << name;
        EXPECT_EQ(s.byte_range[1], static_cast<int64_t>(s.contents_begin)) << name;
        EXPECT_EQ(s.byte_range[2], static_cast<int64_t>(s.contents_end)) << name;
        auto rev = doc.revision_ending_at(static_cast<size_t>(s.byte_range[2] + s.byte_range[3]));
        ASSERT_TRUE(rev.has_value()) << name;
        EXPECT_EQ(*rev, s.revision_introduced) << name;
        for (const auto& rc : analyse_changes(doc, *rev))
          for (const auto& o : rc.objects) EXPECT_FALSE(o.description.empty());
      }
    } catch (const libsign::Error& err) {
      ADD_FAILURE() << name << ": " << err.code() << " " << err.what();
    }
  }
  EXPECT_GT(files, 20);
}

TEST(PdfCorpus, ChangeAnalysisMatchesPyHanko) {
  fs::path dir = corpus_dir();
  if (!fs::exists(dir)) GTEST_SKIP() << "no corpus at " << dir;
  const std::map<std::string, ModificationLevel> expected = {
      {"form-update-override-appearance-stream.pdf", ModificationLevel::FormFilling},
      {"form-update-override-appearance-stream-ap-indirect.pdf", ModificationLevel::FormFilling},
      {"form-update-no-override-appearance-stream-ap-indirect.pdf", ModificationLevel::FormFilling},
      {"form-update-original-ap-type-wrong.pdf", ModificationLevel::FormFilling},
      {"extensions-direct.pdf", ModificationLevel::FormFilling},
      {"extensions-indirect.pdf", ModificationLevel::FormFilling},
      {"extensions-update-direct.pdf", ModificationLevel::FormFilling},
      {"extensions-update-indirect.pdf", ModificationLevel::FormFilling},
      {"minimal-signed-twice-second-created.pdf", ModificationLevel::FormFilling},
      {"minimal-signed-twice-both-created.pdf", ModificationLevel::FormFilling},
      {"minimal-signed-twice-no-sig-type.pdf", ModificationLevel::FormFilling},
      {"pades-lta-dss-indirect-arrs-test.pdf", ModificationLevel::LtvUpdates},
      {"form-update-override-appearance-stream-sneaky.pdf", ModificationLevel::Other},
      {"form-update-override-appearance-stream-ap-indirect-sneaky.pdf", ModificationLevel::Other},
      {"form-update-ap-indirect-sneaky-trailer.pdf", ModificationLevel::Other},
      {"form-update-no-override-appearance-stream-ap-indirect-sneaky.pdf", ModificationLevel::Other},
      {"extensions-indirect-not-all-paths.pdf", ModificationLevel::Other},
  };
  for (const auto& [name, level] : expected) {
    fs::path p = dir / name;
    if (!fs::exists(p)) {
      ADD_FAILURE() << "missing " << p;
      continue;
    }
    EXPECT_EQ(to_string(first_signature_level(slurp(p))), std::string(to_string(level))) << name;
  }
}
