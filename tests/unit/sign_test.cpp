#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/stat.h>

#include <openssl/cms.h>

#include "cms/builder.hpp"
#include "cms/signed_data.hpp"
#include "core/der_reader.hpp"
#include "core/der_writer.hpp"
#include "libsign/sign.hpp"
#include "libsign/verify.hpp"
#include "pdf/writer.hpp"
#include "pki/certificate.hpp"
#include "sign/appearance.hpp"
#include "sign/atomic_output.hpp"
#include "test_support.hpp"

namespace libsign {
namespace {

using test::pki_file;

std::unique_ptr<Signer> official() {
  return load_pkcs12_signer(pki_file("gov-official.p12"), Secret::from_file(pki_file("p12-password.txt")));
}

}  // namespace

TEST(DerWriter, EncodesWhatTheReaderReads) {
  namespace der = core::der;
  EXPECT_EQ(der::oid("1.2.840.113549.1.7.2"), std::string("\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 11));
  EXPECT_EQ(der::integer(0), std::string("\x02\x01\x00", 3));
  EXPECT_EQ(der::integer(128), std::string("\x02\x02\x00\x80", 4));
  EXPECT_EQ(der::integer_bytes(std::string("\x00\x00\x7f", 3)), std::string("\x02\x01\x7f", 3));
  std::string big(300, 'x');
  const std::string encoded = der::octet_string(big);  // the reader views it: keep it alive
  core::DerReader reader(encoded);
  auto element = reader.next();
  ASSERT_TRUE(element);
  EXPECT_EQ(element->content, big);
  // SET OF sorts its members (X.690 §11.6): the signed attributes depend on it.
  EXPECT_EQ(der::set_of({der::integer(5), der::integer(1)}), der::set({der::integer(1), der::integer(5)}));
  EXPECT_EQ(der::utc_time(1781488800), der::tlv(0x17, "260615020000Z"));
}

TEST(CmsBuilder, OpenSslAndOurReaderAcceptWhatWeWrite) {
  auto signer = official();
  const std::string content = "nội dung được ký";
  unsigned char digest[32];
  unsigned int len = 0;
  EVP_Digest(content.data(), content.size(), digest, &len, EVP_sha256(), nullptr);
  cms::SignedDataInput input;
  input.content_digest.assign(reinterpret_cast<char*>(digest), len);
  input.certificates = signer->certificates();
  std::string attrs = cms::signed_attributes(input);
  std::string der = cms::assemble_signed_data(input, attrs, signer->sign(attrs, "sha256"), signer->key_type());

  std::string error;
  auto parsed = cms::parse_signed_data(der, &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(parsed->certificates.size(), 3u);
  EXPECT_EQ(parsed->ess_kind, cms::EssKind::v2);
  EXPECT_FALSE(parsed->signing_time.has_value());  // PAdES: the time is in the PDF, not the CMS
  pki::Cert cert = cms::find_signer(*parsed, parsed->certificates);
  ASSERT_TRUE(cert);
  EXPECT_TRUE(cms::ess_matches(*parsed, cert.get()));
  EXPECT_EQ(cms::verify_signature_value(*parsed, cert.get(), input.content_digest), cms::SignatureCheck::valid);

  // An independent check: OpenSSL's own CMS verification of the detached content.
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  pki::CmsPtr ossl(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  ASSERT_TRUE(ossl);
  BIO* data = BIO_new_mem_buf(content.data(), static_cast<int>(content.size()));
  EXPECT_EQ(CMS_verify(ossl.get(), nullptr, nullptr, data, nullptr, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY), 1);
  BIO_free(data);
}

TEST(Writer, SerialisesStringsNamesAndText) {
  EXPECT_EQ(pdf::literal_string("a(b)\\c\n"), "(a\\(b\\)\\\\c\\012)");
  EXPECT_EQ(pdf::text_string("Ha Noi"), "(Ha Noi)");
  EXPECT_EQ(pdf::text_string("Hà"), "<FEFF004800E0>");
  EXPECT_EQ(pdf::text_string("\xF0\x9F\x98\x80"), "<FEFFD83DDE00>");  // outside the BMP: a surrogate pair
  EXPECT_TRUE(pdf::needs_separator("%%EOF"));
  EXPECT_FALSE(pdf::needs_separator("%%EOF\n"));
}

TEST(Appearance, VietnamTimeIsUtcPlusSeven) {
  EXPECT_EQ(sign::vietnam_time(1781488800), "15/06/2026 09:00:00 +07:00");  // 2026-06-15T02:00:00Z
}

TEST(AtomicOutput, NothingIsLeftWithoutCommit) {
  std::string dir = "/tmp/libsign-atomic-test-" + std::to_string(::getpid());
  ::mkdir(dir.c_str(), 0700);
  {
    sign::AtomicOutput out(dir + "/out.pdf");
    out.write("partial");
  }
  DIR* d = ::opendir(dir.c_str());
  int entries = 0;
  while (dirent* e = ::readdir(d)) entries += e->d_name[0] != '.';
  ::closedir(d);
  EXPECT_EQ(entries, 0);
  {
    sign::AtomicOutput out(dir + "/out.pdf");
    out.write("0123456789");
    out.write_at(2, "ab");
    out.commit();
  }
  EXPECT_EQ(test::read_file(dir + "/out.pdf"), "01ab456789");
  ::unlink((dir + "/out.pdf").c_str());
  ::rmdir(dir.c_str());
  try {
    sign::AtomicOutput out("/nonexistent-dir/out.pdf");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "OUTPUT_UNWRITABLE");
    EXPECT_EQ(e.category(), ErrorCategory::io);
  }
}

TEST(SignPdf, RoundTripThroughTheVerifier) {
  if (!test::file_exists(test::fixture_path("unsigned.pdf"))) GTEST_SKIP() << "fixtures not generated";
  auto signer = official();
  SignOptions options;
  options.signing_time = parse_time("2026-06-20T03:00:00Z");
  options.reason = "Phê duyệt";
  std::string pdf = test::read_file(test::fixture_path("unsigned.pdf"));
  std::string signed_pdf = sign_pdf(pdf, *signer, options);
  ASSERT_EQ(signed_pdf.compare(0, pdf.size(), pdf), 0);
  VerifyOptions v;
  v.profile_dirs = {test::source_path("certs-test/profiles")};
  v.trust_profile = "test-gov";
  v.at = parse_time("2026-07-01T00:00:00Z");
  v.revocation.require = false;  // optional, said explicitly
  DocumentReport report = Verifier(v).verify_pdf(signed_pdf);
  ASSERT_EQ(report.signatures.size(), 1u);
  EXPECT_EQ(report.indication, Indication::total_passed);
  EXPECT_EQ(report.signatures[0].signing_time, "2026-06-20T03:00:00Z");
  // Changing the claimed time in the signed update (still valid syntax) is caught.
  std::string tampered = signed_pdf;
  size_t year = tampered.find("(D:2026", pdf.size());
  ASSERT_NE(year, std::string::npos);
  tampered[year + 6] = '7';
  DocumentReport changed = Verifier(v).verify_pdf(tampered);
  EXPECT_EQ(changed.indication, Indication::total_failed);
  EXPECT_EQ(changed.sub_indication, SubIndication::hash_failure);
}

TEST(SignPdf, SecretsStayOutOfErrors) {
  try {
    load_pkcs12_signer(pki_file("gov-official.p12"), Secret::from_string("khong-dung-9"));
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "KEY_PASSWORD_WRONG");
    EXPECT_EQ(std::string(e.what()).find("khong-dung-9"), std::string::npos);
  }
}

}  // namespace libsign

namespace libsign {
namespace {

// A signer that under-states its signature size and returns 9000 bytes: the layout must grow.
class OversizedSigner : public Signer {
 public:
  explicit OversizedSigner(std::unique_ptr<Signer> real) : real_(std::move(real)) {}
  const std::vector<std::string>& certificates() const override { return real_->certificates(); }
  std::string sign(std::string_view, const std::string&) const override { return std::string(9000, '\x5a'); }
  std::string key_type() const override { return real_->key_type(); }
  size_t max_signature_size() const override { return 1; }

 private:
  std::unique_ptr<Signer> real_;
};

}  // namespace

TEST(SignPdf, ContentsGrowWhenTheSignatureIsLargerThanEstimated) {
  if (!test::file_exists(test::fixture_path("unsigned.pdf"))) GTEST_SKIP() << "fixtures not generated";
  OversizedSigner signer(official());
  std::string signed_pdf = sign_pdf(test::read_file(test::fixture_path("unsigned.pdf")), signer, SignOptions{});
  VerifyOptions v;
  v.profile_dirs = {test::source_path("certs-test/profiles")};
  v.trust_profile = "test-gov";
  DocumentReport report = Verifier(v).verify_pdf(signed_pdf);
  ASSERT_EQ(report.signatures.size(), 1u);
  const SignatureReport& s = report.signatures[0];
  // The whole CMS fitted: the byte range and the digest are sound, only the fake value fails.
  EXPECT_EQ(s.coverage, Coverage::entire_file);
  EXPECT_FALSE(s.has_finding("CMS_MALFORMED"));
  EXPECT_FALSE(s.has_finding("DIGEST_MISMATCH"));
  EXPECT_TRUE(s.has_finding("SIGNATURE_INVALID"));
}

}  // namespace libsign
