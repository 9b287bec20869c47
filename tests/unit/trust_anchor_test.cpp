// A certificate given as a trust anchor is the end of its chain, also when it is the signer's own
// (a self-signed leaf trusted directly): the chain is that one certificate, and no revocation
// status applies to it, whether revocation is required or not (docs/revocation.md).
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "libsign/libsign.hpp"
#include "pki/certificate.hpp"
#include "pki/chain.hpp"
#include "pki/openssl_ptr.hpp"
#include "pki/trust_store.hpp"
#include "test_support.hpp"

namespace libsign {
namespace {

using Key = pki::OsslPtr<EVP_PKEY, EVP_PKEY_free>;
using Certificate = pki::OsslPtr<X509, X509_free>;

long long unix_of(const char* iso) { return std::chrono::duration_cast<std::chrono::seconds>(parse_time(iso).time_since_epoch()).count(); }

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  ASSERT_NE(ext, nullptr);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A self-signed signing certificate as internal units make them: keyUsage without keyCertSign,
// CA:FALSE, valid 2026-2036 (fixed: verdicts must not depend on today's date).
struct SelfSigned {
  std::filesystem::path dir, key_path, cert_path;

  SelfSigned() {
    dir = std::filesystem::temp_directory_path() / ("libsign-anchor-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    key_path = dir / "key.pem";
    cert_path = dir / "cert.pem";
    Key key(EVP_RSA_gen(2048));
    Certificate cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7);
    ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(unix_of("2026-01-01T00:00:00Z")));
    ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(unix_of("2036-01-01T00:00:00Z")));
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("Phòng Nội vụ"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509_set_pubkey(cert.get(), key.get());
    add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,nonRepudiation");
    add_extension(cert.get(), NID_subject_key_identifier, "hash");
    X509_sign(cert.get(), key.get(), EVP_sha256());
    FILE* k = std::fopen(key_path.c_str(), "wb");
    PEM_write_PrivateKey(k, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(k);
    FILE* c = std::fopen(cert_path.c_str(), "wb");
    PEM_write_X509(c, cert.get());
    std::fclose(c);
  }
  ~SelfSigned() { std::filesystem::remove_all(dir); }

  VerifyOptions trusting(bool revocation_required) const {
    VerifyOptions o;
    o.trust_profile = "none";
    o.trust_paths = {cert_path.string()};
    o.at = parse_time("2026-07-01T00:00:00Z");
    o.revocation.require = revocation_required;
    return o;
  }
};

TEST(TrustAnchor, ASelfSignedLeafGivenAsAnchorIsAChainOfOne) {
  SelfSigned self;
  VerifyOptions options = self.trusting(true);
  pki::TrustStore store(options);
  auto leaf = pki::load_certificates(self.cert_path.string()).at(0);
  auto chain = pki::validate_chain(store, leaf.get(), {}, unix_of("2026-07-01T00:00:00Z"));
  EXPECT_EQ(chain.status, pki::ChainStatus::ok) << chain.detail;
  EXPECT_EQ(chain.chain.size(), 1u);
  EXPECT_EQ(chain.anchor_profile, "user");
}

TEST(TrustAnchor, ASignerThatIsTheAnchorNeedsNoRevocationStatus) {
  if (!test::file_exists(test::fixture_path("unsigned.pdf"))) GTEST_SKIP() << "fixtures not generated";
  SelfSigned self;
  auto signer = load_pem_signer(self.key_path.string(), self.cert_path.string(), {});
  SignOptions sign;
  sign.signing_time = parse_time("2026-06-20T03:00:00Z");
  std::string pdf = sign_pdf(test::read_file(test::fixture_path("unsigned.pdf")), *signer, sign);
  for (bool required : {true, false}) {
    DocumentReport r = Verifier(self.trusting(required)).verify_pdf(pdf);
    ASSERT_EQ(r.signatures.size(), 1u);
    const SignatureReport& s = r.signatures[0];
    EXPECT_EQ(r.indication, Indication::total_passed) << "required=" << required;
    EXPECT_TRUE(s.has_finding("SIGNER_IS_TRUST_ANCHOR"));
    EXPECT_FALSE(s.has_finding("REVOCATION_NOT_CHECKED"));
  }
  // Not given as an anchor: no chain, whatever the revocation policy.
  VerifyOptions untrusted = self.trusting(true);
  untrusted.trust_paths.clear();
  DocumentReport r = Verifier(untrusted).verify_pdf(pdf);
  EXPECT_EQ(r.sub_indication, SubIndication::no_certificate_chain_found);
  EXPECT_FALSE(r.has_finding("SIGNER_IS_TRUST_ANCHOR"));
}

}  // namespace
}  // namespace libsign
