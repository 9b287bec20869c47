// PKCS#11 signer against a SoftHSM2 token made by tests/tools/softhsm_token.py in a private folder.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "libsign/pkcs11.hpp"
#include "libsign/sign.hpp"
#include "libsign/verify.hpp"
#include "pki/certificate.hpp"
#include "sign/pkcs11_signer.hpp"
#include "sign/pkcs11_uri.hpp"
#include "test_support.hpp"

namespace libsign {
namespace {

const char* const kPin = "123456";  // the helper's default test PIN

using test::pki_file;

class Pkcs11Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::system("command -v softhsm2-util >/dev/null 2>&1 && command -v pkcs11-tool >/dev/null 2>&1") != 0) {
      skip_reason_ = "softhsm2-util or pkcs11-tool missing (apt-get install softhsm2 opensc)";
      return;
    }
    char templ[] = "/tmp/libsign-pkcs11-XXXXXX";
    if (!::mkdtemp(templ)) {
      skip_reason_ = "cannot create a temporary folder";
      return;
    }
    dir_ = templ;
    // Two tokens: the ordinary one, and one whose key wants the PIN at every signature.
    std::string helper = "/usr/bin/python3 " + test::source_path("tests/tools/softhsm_token.py") + " " + dir_;
    std::string command = helper + " > " + dir_ + "/module.txt 2> " + dir_ + "/helper.log && " + helper +
                          " --label libsign-aa --always-auth > /dev/null 2>> " + dir_ + "/helper.log";
    if (std::system(command.c_str()) != 0) {
      failure_ = "softhsm_token.py failed: " + test::read_file(dir_ + "/helper.log");
      return;
    }
    module_ = test::read_file(dir_ + "/module.txt");
    while (!module_.empty() && (module_.back() == '\n' || module_.back() == '\r')) module_.pop_back();
    ::setenv("SOFTHSM2_CONF", (dir_ + "/softhsm2.conf").c_str(), 1);
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    ::unsetenv("SOFTHSM2_CONF");
  }
  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    ASSERT_TRUE(failure_.empty()) << failure_;
  }

  static Pkcs11Options options(const std::string& key_label = "", const std::string& key_id = "") {
    Pkcs11Options o;
    o.module_path = module_;
    o.token_label = "libsign-test";
    o.key_label = key_label;
    o.key_id_hex = key_id;
    return o;
  }
  static Secret pin() { return Secret::from_string(kPin); }

  static std::string dir_, module_, skip_reason_, failure_;
};
std::string Pkcs11Test::dir_, Pkcs11Test::module_, Pkcs11Test::skip_reason_, Pkcs11Test::failure_;

// The code of the Error `f` throws ("" when none), and its message.
template <typename F>
std::string error_code(F&& f, std::string* message = nullptr, long* native = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (message) *message = e.what();
    if (native) *native = e.native_code();
    return e.code();
  }
  return "";
}

// OpenSSL's verdict on a signature value over `data` with the certificate's key.
bool verifies(const std::string& cert_der, const std::string& data, const std::string& signature, const EVP_MD* md) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(cert_der.data());
  pki::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(cert_der.size())));
  if (!cert) return false;
  pki::MdCtxPtr ctx(EVP_MD_CTX_new());
  bool ok = EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, X509_get0_pubkey(cert.get())) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                             reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  ERR_clear_error();
  return ok;
}

std::string pem_file_as_der(const std::string& path) { return pki::der_of(pki::load_certificates(path).front().get()); }

}  // namespace

TEST(Pkcs11Uri, ParsesTheAttributesASignerNeeds) {
  auto uri = sign::parse_pkcs11_uri(
      "pkcs11:token=C%C3%A1%20nh%C3%A2n;serial=0001;object=gov-official;id=%01%02;type=private"
      "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/pin.txt");
  EXPECT_EQ(uri.token, "Cá nhân");
  EXPECT_EQ(uri.serial, "0001");
  EXPECT_EQ(uri.object, "gov-official");
  EXPECT_EQ(uri.id, std::string("\x01\x02", 2));
  EXPECT_TRUE(uri.has_id);
  EXPECT_EQ(uri.type, "private");
  EXPECT_EQ(uri.module_path, "/usr/lib/softhsm/libsofthsm2.so");
  EXPECT_EQ(uri.pin_source, "/run/pin.txt");
  EXPECT_EQ(sign::parse_pkcs11_uri("pkcs11:?pin-source=file:///run/p").pin_source, "/run/p");
  EXPECT_EQ(sign::parse_pkcs11_uri("PKCS11:slot-id=7").slot_id.value_or(0), 7u);

  for (const char* bad : {"pkcs12:token=a", "pkcs11:token=a;token=b", "pkcs11:token=%4", "pkcs11:type=secret-key",
                          "pkcs11:frobnicate=1", "pkcs11:?pin-source=|/bin/cat", "pkcs11:?pin-source=https://x/p"}) {
    EXPECT_EQ(error_code([&] { sign::parse_pkcs11_uri(bad); }), "TOKEN_URI_INVALID") << bad;
  }
  std::string message;
  EXPECT_EQ(error_code([&] { sign::parse_pkcs11_uri("pkcs11:token=t?pin-value=S3cr3t-PIN"); }, &message), "TOKEN_URI_INVALID");
  EXPECT_EQ(message.find("S3cr3t"), std::string::npos) << message;
  EXPECT_NE(message.find("pin-value"), std::string::npos);
}

TEST(Pkcs11Helpers, EcdsaRawBecomesDer) {
  // r = 0x8001 (gets a leading zero: it is positive), s = 0x0001 (its leading zero goes)
  std::string raw = std::string("\x80\x01", 2) + std::string("\x00\x01", 2);
  EXPECT_EQ(sign::ecdsa_raw_to_der(raw), std::string("\x30\x08\x02\x03\x00\x80\x01\x02\x01\x01", 10));
  EXPECT_EQ(error_code([] { sign::ecdsa_raw_to_der("abc"); }), "TOKEN_ERROR");
  // DigestInfo for SHA-256: the fixed 19-byte prefix of RFC 8017 §9.2 note 1, then the hash.
  std::string hash(32, '\x11');
  std::string info = sign::rsa_digest_info("sha256", hash);
  EXPECT_EQ(info.size(), 19u + 32u);
  EXPECT_EQ(sign::hex_encode(info.substr(0, 19)), "3031300d060960864801650304020105000420");
  EXPECT_EQ(sign::ck_rv_name(0xa0), "CKR_PIN_INCORRECT");
  EXPECT_EQ(sign::ck_rv_name(0x80000123UL), "CKR_0x80000123");
  EXPECT_EQ(sign::hex_decode("0A:1b"), std::string("\x0a\x1b", 2));
}

TEST_F(Pkcs11Test, RsaKeyByLabelSignsWhatOpenSslVerifies) {
  auto signer = load_pkcs11_signer(options("gov-official"), pin());
  EXPECT_EQ(signer->key_type(), "rsa");
  EXPECT_EQ(signer->max_signature_size(), 256u);
  ASSERT_GE(signer->certificates().size(), 1u);
  EXPECT_EQ(signer->certificates()[0], pem_file_as_der(pki_file("gov-official.pem")));
  const std::string data = "hồ sơ cần ký";
  for (const char* digest : {"sha256", "sha384", "sha512"}) {
    std::string signature = signer->sign(data, digest);
    EXPECT_EQ(signature.size(), 256u);
    EXPECT_TRUE(verifies(signer->certificates()[0], data, signature, EVP_get_digestbyname(digest))) << digest;
  }
  // PKCS#1 v1.5 is deterministic: the combined mechanism and the DigestInfo fallback give the same bytes.
  EXPECT_EQ(signer->sign(data, "sha256"), signer->sign(data, "sha256"));
}

TEST_F(Pkcs11Test, EcKeyByIdSignsDerEcdsa) {
  auto signer = load_pkcs11_signer(options("", "02"), pin());
  EXPECT_EQ(signer->key_type(), "ec");
  EXPECT_EQ(signer->certificates()[0], pem_file_as_der(pki_file("gov-ecdsa.pem")));
  EXPECT_GE(signer->max_signature_size(), 70u);
  const std::string data = "dữ liệu";
  std::string signature = signer->sign(data, "sha256");
  EXPECT_EQ(signature[0], '\x30');  // DER ECDSA-Sig-Value, not r||s
  EXPECT_LE(signature.size(), signer->max_signature_size());
  EXPECT_TRUE(verifies(signer->certificates()[0], data, signature, EVP_sha256()));
}

TEST_F(Pkcs11Test, LoadsByUriWithPinSource) {
  std::string pin_file = dir_ + "/user-pin.txt";
  Pkcs11Options o;
  o.uri = "pkcs11:token=libsign-test;object=gov-official;type=private?module-path=" + module_ + "&pin-source=file:" + pin_file;
  auto signer = load_pkcs11_signer(o, Secret{});
  EXPECT_TRUE(verifies(signer->certificates()[0], "x", signer->sign("x", "sha256"), EVP_sha256()));

  Pkcs11Options by_id;
  by_id.module_path = module_;
  by_id.uri = "pkcs11:token=libsign-test;id=%02";
  EXPECT_EQ(load_pkcs11_signer(by_id, pin())->key_type(), "ec");

  // The label of the certificate also finds its key.
  Pkcs11Options cert_label;
  cert_label.module_path = module_;
  cert_label.uri = "pkcs11:token=libsign-test;object=gov-ecdsa;type=cert";
  EXPECT_EQ(load_pkcs11_signer(cert_label, pin())->key_type(), "ec");

  Pkcs11Options contradiction = options("gov-official");
  contradiction.uri = "pkcs11:object=gov-ecdsa";
  EXPECT_EQ(error_code([&] { load_pkcs11_signer(contradiction, pin()); }), "TOKEN_URI_INVALID");
}

TEST_F(Pkcs11Test, PinValueInUriIsRefused) {
  Pkcs11Options o;
  o.module_path = module_;
  o.uri = std::string("pkcs11:token=libsign-test;object=gov-official?pin-value=") + kPin;
  std::string message;
  EXPECT_EQ(error_code([&] { load_pkcs11_signer(o, Secret{}); }, &message), "TOKEN_URI_INVALID");
  EXPECT_EQ(message.find(kPin), std::string::npos);
}

TEST_F(Pkcs11Test, WrongPinIsReportedWithoutThePin) {
  const std::string wrong = "987650";
  std::string message;
  long native = 0;
  EXPECT_EQ(error_code([&] { load_pkcs11_signer(options("gov-official"), Secret::from_string(wrong)); }, &message, &native),
            "TOKEN_PIN_INCORRECT");
  EXPECT_EQ(native, 0xa0);  // CKR_PIN_INCORRECT
  EXPECT_EQ(message.find(wrong), std::string::npos) << message;
  // The attempts wording follows the token's flags only. SoftHSM2 never locks, but it raises
  // CKF_USER_PIN_COUNT_LOW after a failure (and never CKF_USER_PIN_FINAL_TRY).
  bool count_low = false;
  for (const auto& t : list_tokens(module_))
    if (t.label == "libsign-test") count_low = t.pin_count_low;
  EXPECT_EQ(message.find("few attempts") != std::string::npos, count_low) << message;
  EXPECT_EQ(message.find("the next wrong PIN locks the token"), std::string::npos) << message;
  // The right PIN still works afterwards (nothing stayed logged in or half-open).
  EXPECT_NO_THROW(load_pkcs11_signer(options("gov-official"), pin()));
}

TEST_F(Pkcs11Test, MissingPinIsNotTried) {
  std::string message;
  EXPECT_EQ(error_code([&] { load_pkcs11_signer(options("gov-official"), Secret{}); }, &message), "PASSWORD_SOURCE_MISSING");
}

TEST_F(Pkcs11Test, NoSuchTokenOrKey) {
  Pkcs11Options o = options("gov-official");
  o.token_label = "khong-co";
  std::string message;
  EXPECT_EQ(error_code([&] { load_pkcs11_signer(o, pin()); }, &message), "TOKEN_ABSENT");
  EXPECT_NE(message.find("libsign-test"), std::string::npos) << message;  // says which tokens are there
  EXPECT_EQ(error_code([&] { load_pkcs11_signer(options("khong-co"), pin()); }), "TOKEN_KEY_NOT_FOUND");
  EXPECT_EQ(error_code([&] { load_pkcs11_signer(options("", "7f"), pin()); }), "TOKEN_KEY_NOT_FOUND");
  // Three keys, two with a certificate: nothing chooses one.
  EXPECT_EQ(error_code([&] { load_pkcs11_signer(options(), pin()); }, &message), "TOKEN_AMBIGUOUS");
}

TEST_F(Pkcs11Test, BadModules) {
  Pkcs11Options o = options("gov-official");
  o.module_path = "/nonexistent/libpkcs11.so";
  EXPECT_EQ(error_code([&] { load_pkcs11_signer(o, pin()); }), "TOKEN_MODULE_INVALID");
  o.module_path = "libz.so.1";  // a real library, not a PKCS#11 module
  EXPECT_EQ(error_code([&] { load_pkcs11_signer(o, pin()); }), "TOKEN_MODULE_INVALID");
  EXPECT_EQ(error_code([&] { list_tokens("/nonexistent/libpkcs11.so"); }), "TOKEN_MODULE_INVALID");
}

TEST_F(Pkcs11Test, KeyWithoutCertificate) {
  std::string message;
  EXPECT_EQ(error_code([&] { load_pkcs11_signer(options("gov-org"), pin()); }, &message), "KEY_WITHOUT_CERTIFICATE");
  // Only CA certificates in the files: still none for the key.
  Pkcs11Options ca_only = options("gov-org");
  ca_only.chain_paths = {pki_file("gov-chain.pem")};
  EXPECT_EQ(error_code([&] { load_pkcs11_signer(ca_only, pin()); }), "KEY_WITHOUT_CERTIFICATE");
  // Someone else's certificate: a mismatch.
  Pkcs11Options wrong = options("gov-org");
  wrong.chain_paths = {pki_file("gov-official.pem"), pki_file("gov-chain.pem")};
  EXPECT_EQ(error_code([&] { load_pkcs11_signer(wrong, pin()); }), "KEY_CERT_MISMATCH");
  // Its own certificate from a file, with the chain.
  Pkcs11Options right = options("gov-org");
  right.chain_paths = {pki_file("gov-chain.pem"), pki_file("gov-org.pem")};
  auto signer = load_pkcs11_signer(right, pin());
  ASSERT_EQ(signer->certificates().size(), 3u);
  EXPECT_EQ(signer->certificates()[0], pem_file_as_der(pki_file("gov-org.pem")));
  EXPECT_TRUE(verifies(signer->certificates()[0], "abc", signer->sign("abc", "sha256"), EVP_sha256()));
}

TEST_F(Pkcs11Test, ListsTokensWithoutLogin) {
  std::vector<TokenInfo> tokens = list_tokens(module_);
  const TokenInfo* token = nullptr;
  for (const auto& t : tokens)
    if (t.label == "libsign-test") token = &t;
  ASSERT_NE(token, nullptr);
  EXPECT_TRUE(token->initialized);
  EXPECT_TRUE(token->login_required);
  EXPECT_FALSE(token->pin_locked);
  EXPECT_FALSE(token->serial.empty());
  EXPECT_EQ(token->manufacturer, "SoftHSM project");
  ASSERT_EQ(token->keys.size(), 3u);  // from the public key objects: private keys are hidden before login
  std::map<std::string, TokenKeyInfo> keys;
  for (const auto& k : token->keys) keys[k.id_hex] = k;
  EXPECT_EQ(keys["01"].label, "gov-official");
  EXPECT_EQ(keys["01"].type, "rsa");
  EXPECT_EQ(keys["01"].bits, 2048);
  EXPECT_TRUE(keys["01"].has_certificate);
  EXPECT_EQ(keys["02"].type, "ec");
  EXPECT_EQ(keys["02"].bits, 256);
  EXPECT_FALSE(keys["03"].has_certificate);
  ASSERT_EQ(token->certificates.size(), 2u);
  std::map<std::string, TokenCertificateInfo> certs;
  for (const auto& c : token->certificates) certs[c.id_hex] = c;
  EXPECT_EQ(certs["01"].label, "gov-official");
  EXPECT_EQ(certs["01"].subject_cn, "Nguyễn Văn An");
  EXPECT_FALSE(certs["01"].issuer_cn.empty());
  EXPECT_FALSE(certs["01"].not_after.empty());
  EXPECT_EQ(certs["02"].subject_cn, "Ngô Thị Elip");
  EXPECT_TRUE(certs["01"].pki.empty());
}

TEST_F(Pkcs11Test, SignersShareTheModuleAndThreads) {
  auto rsa = load_pkcs11_signer(options("gov-official"), pin());
  auto ec = load_pkcs11_signer(options("gov-ecdsa"), pin());
  auto listed = list_tokens(module_);  // a third user of the same module meanwhile
  EXPECT_FALSE(listed.empty());
  ec.reset();  // must neither finalize the module nor log out the other signer
  EXPECT_TRUE(verifies(rsa->certificates()[0], "a", rsa->sign("a", "sha256"), EVP_sha256()));

  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      for (int j = 0; j < 5; ++j) {
        std::string data = "thread " + std::to_string(i) + "/" + std::to_string(j);
        if (verifies(rsa->certificates()[0], data, rsa->sign(data, "sha256"), EVP_sha256())) ++good;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 20);
}

TEST_F(Pkcs11Test, AlwaysAuthenticateKeyGetsThePinAtEachSignature) {
  Pkcs11Options o = options("gov-official");
  o.token_label = "libsign-aa";
  auto signer = load_pkcs11_signer(o, pin());
  for (const char* data : {"một", "hai"})
    EXPECT_TRUE(verifies(signer->certificates()[0], data, signer->sign(data, "sha256"), EVP_sha256())) << data;
  // Which pairing check ran is invisible here; the certificate is the key's all the same.
  EXPECT_EQ(signer->certificates()[0], pem_file_as_der(pki_file("gov-official.pem")));
}

TEST_F(Pkcs11Test, SignedPdfVerifies) {
  if (!test::file_exists(test::fixture_path("unsigned.pdf"))) GTEST_SKIP() << "fixtures not generated";
  for (const char* label : {"gov-official", "gov-ecdsa"}) {
    Pkcs11Options o = options(label);
    o.chain_paths = {pki_file("gov-chain.pem")};
    auto signer = load_pkcs11_signer(o, pin());
    ASSERT_EQ(signer->certificates().size(), 3u);
    SignOptions options;
    options.signing_time = parse_time("2026-06-20T03:00:00Z");
    options.reason = "Phê duyệt";
    std::string pdf = test::read_file(test::fixture_path("unsigned.pdf"));
    std::string signed_pdf = sign_pdf(pdf, *signer, options);
    VerifyOptions v;
    v.profile_dirs = {test::source_path("certs-test/profiles")};
    v.trust_profile = "test-gov";
    v.at = parse_time("2026-07-01T00:00:00Z");
    v.revocation.require = false;  // optional, said explicitly
    DocumentReport report = Verifier(v).verify_pdf(signed_pdf);
    ASSERT_EQ(report.signatures.size(), 1u) << label;
    EXPECT_EQ(report.indication, Indication::total_passed) << label;
  }
}

}  // namespace libsign
