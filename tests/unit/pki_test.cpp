#include <gtest/gtest.h>

#include "core/encoding.hpp"
#include "libsign/verify.hpp"
#include "pki/certificate.hpp"
#include "pki/chain.hpp"
#include "pki/revocation.hpp"
#include "pki/trust_store.hpp"
#include "test_support.hpp"

namespace libsign::pki {
namespace {

Cert load_one(const std::string& name) { return load_certificates(test::source_path("certs-test/pki/" + name)).at(0); }
long long at(const char* iso) { return core::to_unix(parse_time(iso)); }

VerifyOptions test_profile(const std::string& name) {
  VerifyOptions o;
  o.profile_dirs = {test::source_path("certs-test/profiles")};
  o.trust_profile = name;
  return o;
}

}  // namespace

TEST(Certificate, DescribesVietnameseSubjectsAndIdentifiers) {
  CertificateInfo official = describe(load_one("gov-official.pem").get());
  EXPECT_EQ(official.common_name, "Nguyễn Văn An");
  EXPECT_EQ(official.title, "Chuyên viên");
  EXPECT_EQ(official.locality, "Bắc Ninh");
  EXPECT_EQ(official.identifiers.at("CCCD"), "001085012345");
  EXPECT_EQ(official.key_algorithm, "RSA");
  EXPECT_EQ(official.key_bits, 2048);
  EXPECT_NE(official.subject.find("CN=Nguyễn Văn An"), std::string::npos);
  EXPECT_EQ(describe(load_one("gov-org.pem").get()).identifiers.at("MST"), "0100686209-199");
  EXPECT_TRUE(describe(load_one("gov-root.pem").get()).self_signed);
}

TEST(Certificate, ReadsPemBundlesDerAndFolders) {
  EXPECT_EQ(load_certificates(test::source_path("certs-test/pki/gov-chain.pem")).size(), 2u);
  std::string der = der_of(load_one("gov-root.pem").get());
  EXPECT_EQ(parse_certificates(der).size(), 1u);
  EXPECT_EQ(load_certificates(test::source_path("certs-test/profiles/test-gov")).size(), 2u);
  EXPECT_THROW(load_certificates(test::source_path("certs-test/CASES.tsv")), Error);
  EXPECT_THROW(load_certificates("/nonexistent/file.pem"), Error);
}

TEST(Certificate, ReportsWeakAlgorithms) {
  EXPECT_EQ(certificate_digest_name(load_one("gov-sha1.pem").get()), "sha1");
  EXPECT_EQ(certificate_digest_name(load_one("gov-official.pem").get()), "sha256");
  EXPECT_EQ(rsa_key_bits(load_one("gov-rsa1024.pem").get()), 1024);
  EXPECT_EQ(rsa_key_bits(load_one("gov-ecdsa.pem").get()), 0);
}

TEST(TrustStore, BuiltInProfilesCarryTheVietnameseRoots) {
  TrustStore all(VerifyOptions{});
  EXPECT_EQ(all.selected_profile(), "vn-all");
  auto names = all.profile_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "vn-gov"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "vn-public"), names.end());
  // The built-in intermediates (CA phục vụ các cơ quan Nhà nước G2, VNPT-CA) are in the pool.
  EXPECT_GE(sk_X509_num(all.intermediates()), 2);
  VerifyOptions bad;
  bad.trust_profile = "nope";
  try {
    TrustStore store(bad);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "TRUST_PROFILE_UNKNOWN");
    EXPECT_EQ(e.category(), ErrorCategory::usage);
  }
}

TEST(Chain, StatusesExplainWhyAPathFails) {
  TrustStore gov(test_profile("test-gov"));
  auto ok = validate_chain(gov, load_one("gov-official.pem").get(), {}, at("2026-07-01T00:00:00Z"));
  EXPECT_EQ(ok.status, ChainStatus::ok);  // intermediate from the profile, not embedded
  ASSERT_EQ(ok.chain.size(), 3u);
  EXPECT_EQ(ok.anchor_profile, "test-gov");

  auto wrong = validate_chain(gov, load_one("public-remote.pem").get(), {load_one("public-ca.pem")}, at("2026-07-01T00:00:00Z"));
  EXPECT_EQ(wrong.status, ChainStatus::wrong_pki);
  EXPECT_EQ(wrong.anchor_profile, "test-public");

  auto unknown = validate_chain(gov, load_one("other-leaf.pem").get(), {load_one("other-root.pem")}, at("2026-07-01T00:00:00Z"));
  EXPECT_EQ(unknown.status, ChainStatus::untrusted_root);

  VerifyOptions root_only;
  root_only.trust_profile = "none";
  root_only.trust_paths = {test::source_path("certs-test/pki/gov-root.pem")};
  TrustStore only_root(root_only);
  auto incomplete = validate_chain(only_root, load_one("gov-official.pem").get(), {}, at("2026-07-01T00:00:00Z"));
  EXPECT_EQ(incomplete.status, ChainStatus::incomplete);

  auto expired = validate_chain(gov, load_one("gov-expired.pem").get(), {}, at("2026-07-01T00:00:00Z"));
  EXPECT_EQ(expired.status, ChainStatus::ok);
  EXPECT_TRUE(expired.leaf_expired);
  auto then = validate_chain(gov, load_one("gov-expired.pem").get(), {}, at("2023-01-01T00:00:00Z"));
  EXPECT_FALSE(then.leaf_expired);
  EXPECT_TRUE(validate_chain(gov, load_one("gov-notyet.pem").get(), {}, at("2026-07-01T00:00:00Z")).leaf_not_yet_valid);
}

TEST(Revocation, CrlDecidesRevokedAndGood) {
  std::string crl = test::read_file(test::source_path("certs-test/pki/gov-ca.crl.der"));
  RevocationEvidence evidence{{crl}, {}};
  Cert issuer = load_one("gov-ca.pem");
  const RevocationTimes times{at("2026-07-01T00:00:00Z"), at("2026-06-15T02:00:00Z")};
  RevocationStatus revoked = check_revocation(load_one("gov-revoked.pem").get(), issuer.get(), evidence, times);
  EXPECT_EQ(revoked.state, RevocationState::revoked);
  EXPECT_EQ(core::iso_utc_unix(revoked.revocation_time), "2026-01-15T00:00:00Z");
  EXPECT_EQ(revoked.reason, "keyCompromise");
  EXPECT_EQ(check_revocation(load_one("gov-official.pem").get(), issuer.get(), evidence, times).state, RevocationState::good);
  // A CRL of another issuer says nothing about this certificate.
  RevocationStatus other = check_revocation(load_one("public-remote.pem").get(), load_one("public-ca.pem").get(), evidence, times);
  EXPECT_EQ(other.state, RevocationState::unknown);
  EXPECT_EQ(other.unusable, 0);
  // Validated in 2040, after the CRL's nextUpdate (2036), for a signature made after the CRL was
  // issued (2026-06-01): the CRL proves nothing about the signing time. Stale.
  RevocationStatus late = check_revocation(load_one("gov-official.pem").get(), issuer.get(), evidence,
                                           RevocationTimes{at("2040-01-01T00:00:00Z"), at("2026-06-15T00:00:00Z")});
  EXPECT_EQ(late.state, RevocationState::unknown);
  ASSERT_EQ(late.problems.size(), 1u);
  EXPECT_EQ(late.problems[0], "REVOCATION_STALE");
  // The same CRL counts when a timestamp proves the signature existed inside its validity window.
  EXPECT_EQ(check_revocation(load_one("gov-official.pem").get(), issuer.get(), evidence,
                             RevocationTimes{at("2040-01-01T00:00:00Z"), at("2026-06-15T00:00:00Z"), true}).state,
            RevocationState::good);
  // ...but a revocation always counts.
  EXPECT_EQ(check_revocation(load_one("gov-revoked.pem").get(), issuer.get(), evidence,
                             RevocationTimes{at("2040-01-01T00:00:00Z"), at("2026-06-15T00:00:00Z")}).state,
            RevocationState::revoked);
}

}  // namespace libsign::pki

namespace libsign::pki {

// The real end-entity certificate of ../shared/trust (a fact, not shipped): the built-in profiles
// must build its path, and tell the other PKI apart.
TEST(BuiltinProfiles, RealGovernmentLeafChainsToVnGov) {
  const char* shared = std::getenv("LIBSIGN_SHARED_DIR");
  std::string path = std::string(shared ? shared : "/work/shared") + "/trust/vn/sample-leaf-tong-cuc-thue.pem";
  if (!test::file_exists(path)) GTEST_SKIP() << "shared trust folder absent";
  Cert leaf = load_certificates(path).at(0);
  VerifyOptions gov;
  gov.trust_profile = "vn-gov";
  auto ok = validate_chain(TrustStore(gov), leaf.get(), {}, at("2024-01-01T00:00:00Z"));
  EXPECT_EQ(ok.status, ChainStatus::ok);
  EXPECT_EQ(ok.anchor_profile, "vn-gov");
  EXPECT_EQ(ok.chain.size(), 3u);  // the intermediate comes from the built-in profile
  VerifyOptions pub;
  pub.trust_profile = "vn-public";
  auto wrong = validate_chain(TrustStore(pub), leaf.get(), {}, at("2024-01-01T00:00:00Z"));
  EXPECT_EQ(wrong.status, ChainStatus::wrong_pki);
  EXPECT_EQ(wrong.anchor_profile, "vn-gov");
}

}  // namespace libsign::pki
