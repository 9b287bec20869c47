// One Verifier from many threads, as a portal backend uses it, and diagnose on several threads: the
// results must equal those of one thread. scripts/tsan.sh runs these under ThreadSanitizer, where a
// data race is a failure even when the results happen to come out right.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

#include "libsign/cms.hpp"
#include "libsign/diagnose.hpp"
#include "test_pki.hpp"

namespace libsign {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kFixtures = {"official.pdf", "tampered.pdf", "expired.pdf", "two-signatures.pdf",
                                            "then-annotation.pdf", "revoked-crl.pdf"};

bool fixtures_present() { return test::file_exists(test::fixture_path("official.pdf")); }

TEST(Threads, OneVerifierForPdfAndCmsFromManyThreads) {
  if (!fixtures_present()) GTEST_SKIP() << "fixtures not made (ctest make_fixtures)";
  Verifier verifier(test::test_gov_options());
  std::vector<std::string> documents;
  for (const auto& name : kFixtures) documents.push_back(test::read_file(test::fixture_path(name)));
  CmsSignOptions cms_options;
  cms_options.signing_time = parse_time("2026-06-20T03:00:00Z");
  documents.push_back(sign_cms("a dossier signed beside it", test::gov_official(), cms_options));

  std::vector<std::string> expected;  // one thread first: the reference
  for (const auto& d : documents) expected.push_back(verifier.verify(d, "ref").to_json());

  const int kThreads = 4, kRounds = 3;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round)
        for (size_t i = 0; i < documents.size(); ++i) {
          size_t k = (i + static_cast<size_t>(t)) % documents.size();  // threads work on different files at once
          if (verifier.verify(documents[k], "ref").to_json() != expected[k]) ++mismatches[t];
        }
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

TEST(Threads, DiagnoseOnThreeThreadsEqualsOneThread) {
  if (!fixtures_present()) GTEST_SKIP() << "fixtures not made (ctest make_fixtures)";
  fs::path dir = fs::temp_directory_path() / ("libsign-threads-" + std::to_string(::getpid()));
  for (int folder = 0; folder < 3; ++folder)
    for (const auto& name : kFixtures) {
      fs::create_directories(dir / std::to_string(folder));
      fs::copy_file(test::fixture_path(name), dir / std::to_string(folder) / name, fs::copy_options::overwrite_existing);
    }
  std::ofstream(dir / "0" / "notes.pdf") << "not a pdf";
  auto items = diagnose::discover({dir.string()});
  diagnose::Options one;
  one.verify = test::test_gov_options();
  one.jobs = 1;
  diagnose::Options three = one;
  three.jobs = 3;
  std::string single = diagnose::run(items, one).aggregate.to_json();
  for (int round = 0; round < 2; ++round) EXPECT_EQ(diagnose::run(items, three).aggregate.to_json(), single);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace libsign
