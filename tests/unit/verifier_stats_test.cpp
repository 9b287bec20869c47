// Verifier::stats(): the path cache's hits and misses, and the revocation fetches a Verifier attempts.
// No server here (the fetches are refused by the host policy before any connection): the Python test
// test_verifier_stats.py counts real fetches against what the local OCSP/CRL server saw.
#include <gtest/gtest.h>

#include "libsign/verify.hpp"
#include "test_pki.hpp"

namespace libsign {
namespace {

bool fixtures_present() { return test::file_exists(test::fixture_path("official.pdf")); }

TEST(VerifierStats, AVerifierStartsAtZero) {
  Verifier verifier(test::test_gov_options());
  VerifierStats stats = verifier.stats();
  EXPECT_EQ(stats.revocation_fetches.total(), 0u);
  EXPECT_EQ(stats.revocation_fetch_failures.total(), 0u);
  EXPECT_EQ(stats.revocation_cache_hits.total(), 0u);
  EXPECT_EQ(stats.chain_cache_hits, 0u);
  EXPECT_EQ(stats.chain_cache_misses, 0u);
}

TEST(VerifierStats, TheSameSignerAtTheSameTimeBuildsItsPathOnce) {
  if (!fixtures_present()) GTEST_SKIP() << "fixtures not made (ctest make_fixtures)";
  Verifier verifier(test::test_gov_options());
  const std::string pdf = test::read_file(test::fixture_path("official.pdf"));
  verifier.verify(pdf);
  VerifierStats first = verifier.stats();
  EXPECT_GE(first.chain_cache_misses, 1u);
  verifier.verify(pdf);
  VerifierStats second = verifier.stats();
  EXPECT_EQ(second.chain_cache_misses, first.chain_cache_misses);
  EXPECT_GT(second.chain_cache_hits, first.chain_cache_hits);
  EXPECT_EQ(second.revocation_fetches.total(), 0u) << "offline: no fetch";
}

TEST(VerifierStats, RefusedFetchesAreCountedAsFailedAttempts) {
  if (!fixtures_present()) GTEST_SKIP() << "fixtures not made (ctest make_fixtures)";
  VerifyOptions options = test::test_gov_options();
  options.revocation.online = true;  // the test PKI's OCSP and CRL URLs are on 127.0.0.1, which is refused by default
  Verifier verifier(options);
  verifier.verify(test::read_file(test::fixture_path("official.pdf")));
  VerifierStats stats = verifier.stats();
  EXPECT_GE(stats.revocation_fetches.ocsp, 1u);
  EXPECT_EQ(stats.revocation_fetch_failures.ocsp, stats.revocation_fetches.ocsp);
  EXPECT_EQ(stats.revocation_fetch_failures.total(), stats.revocation_fetches.total());
  EXPECT_EQ(stats.revocation_cache_hits.total(), 0u) << "a refusal is never cached";
}

TEST(VerifierStats, SnapshotsAdd) {
  VerifierStats a, b;
  a.revocation_fetches.ocsp = 2;
  a.chain_cache_hits = 1;
  b.revocation_fetches.ocsp = 3;
  b.revocation_cache_hits.crl = 4;
  b.chain_cache_misses = 5;
  a += b;
  EXPECT_EQ(a.revocation_fetches.ocsp, 5u);
  EXPECT_EQ(a.revocation_cache_hits.crl, 4u);
  EXPECT_EQ(a.chain_cache_hits, 1u);
  EXPECT_EQ(a.chain_cache_misses, 5u);
}

}  // namespace
}  // namespace libsign
