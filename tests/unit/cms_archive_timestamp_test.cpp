// CAdES long-term parts: slicing a SignedData, appending to it without touching what is signed,
// the ATSHashIndexV3 and its matching rule, and how the verifier reports archive timestamps it cannot use.
#include <gtest/gtest.h>

#include "cms/archive_timestamp.hpp"
#include "cms/digests.hpp"
#include "cms/signed_data.hpp"
#include "core/der_writer.hpp"
#include "libsign/cms.hpp"
#include "libsign/verify.hpp"
#include "pki/certificate.hpp"
#include "test_pki.hpp"

namespace libsign {
namespace {

const std::string kContent = "tệp đính kèm";

std::string signed_cms() {
  CmsSignOptions o;
  o.signing_time = parse_time("2026-06-20T03:00:00Z");
  return sign_cms(kContent, test::gov_official(), o);
}

std::string ocsp_signer_der() {
  auto certs = load_certificates_der(test::pki_file("gov-ocsp.pem"));
  return certs.at(0);
}

TEST(CmsParts, SliceTheSignedData) {
  std::string der = signed_cms();
  auto parts = cms::read_signed_data_parts(der);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->content_type, core::der::oid("1.2.840.113549.1.7.1"));
  auto sd = cms::parse_signed_data(der, nullptr);
  ASSERT_TRUE(sd);
  EXPECT_EQ(parts->certificates.size(), sd->certificates.size());
  EXPECT_TRUE(parts->crls.empty());
  ASSERT_EQ(parts->signer_infos.size(), 1u);
  auto signer = cms::read_signer_parts(parts->signer_infos[0]);
  ASSERT_TRUE(signer);
  // The signed fields end with the signature value; there are no unsigned attributes yet.
  const std::string& value = sd->signature_value;
  ASSERT_GE(signer->signed_fields.size(), value.size());
  EXPECT_EQ(signer->signed_fields.substr(signer->signed_fields.size() - value.size()), value);
  EXPECT_TRUE(signer->unsigned_attributes.empty());
  EXPECT_FALSE(cms::read_signed_data_parts(der.substr(0, der.size() - 1)));
}

TEST(CmsParts, AppendingKeepsTheSignatureValid) {
  std::string der = signed_cms();
  cms::SignedDataAdditions add;
  add.certificates = {ocsp_signer_der()};
  add.ocsp_responses = {core::der::sequence({core::der::integer(0)})};  // shape only: [1] {id-ri-ocsp-response, value}
  add.unsigned_attribute = cms::attribute("1.2.3.4", core::der::null());
  std::string extended = cms::append_to_signed_data(*cms::read_signed_data_parts(der), add);
  auto parts = cms::read_signed_data_parts(extended);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->version, 5);  // an "other" revocation format is present (RFC 5652 §5.1)
  ASSERT_EQ(parts->crls.size(), 1u);
  EXPECT_EQ(static_cast<unsigned char>(parts->crls[0][0]), 0xa1);
  auto signer = cms::read_signer_parts(parts->signer_infos[0]);
  ASSERT_TRUE(signer);
  ASSERT_EQ(signer->unsigned_attributes.size(), 1u);
  EXPECT_TRUE(signer->unsigned_attributes[0].is("1.2.3.4"));

  Verifier verifier(test::test_gov_options());
  DocumentReport report = verifier.verify_cms(extended, std::string_view(kContent));
  EXPECT_EQ(report.indication, Indication::total_passed);
  // Appending the same certificate again adds nothing.
  cms::SignedDataAdditions again;
  again.certificates = {ocsp_signer_der()};
  EXPECT_EQ(cms::read_signed_data_parts(cms::append_to_signed_data(*parts, again))->certificates.size(), parts->certificates.size());
}

TEST(AtsHashIndex, ListsEveryElementAndAllowsLaterAdditions) {
  std::string der = cms::append_to_signed_data(*cms::read_signed_data_parts(signed_cms()),
                                               {{}, {}, {}, 0, cms::attribute("1.2.3.4", core::der::null())});
  auto parts = cms::read_signed_data_parts(der);
  auto signer = cms::read_signer_parts(parts->signer_infos[0]);
  std::string index_der = cms::make_ats_hash_index_v3(*parts, *signer, EVP_sha256());
  auto index = cms::parse_ats_hash_index(index_der, true);
  ASSERT_TRUE(index);
  EXPECT_EQ(index->md, EVP_sha256());
  EXPECT_EQ(index->certificates.size(), parts->certificates.size());
  EXPECT_TRUE(index->crls.empty());
  ASSERT_EQ(index->unsigned_attributes.size(), 1u);
  // v3 hashes attrType followed by the value.
  EXPECT_EQ(index->unsigned_attributes[0], cms::digest_bytes(core::der::oid("1.2.3.4") + core::der::null(), EVP_sha256()));
  EXPECT_FALSE(cms::unmatched_index_entry(*index, *parts, *signer));

  // Later additions are fine.
  cms::SignedDataAdditions add;
  add.certificates = {ocsp_signer_der()};
  add.unsigned_attribute = cms::attribute("1.2.3.5", core::der::null());
  std::string later = cms::append_to_signed_data(*parts, add);
  auto later_parts = cms::read_signed_data_parts(later);
  EXPECT_FALSE(cms::unmatched_index_entry(*index, *later_parts, *cms::read_signer_parts(later_parts->signer_infos[0])));

  // A removed certificate is not.
  cms::SignedDataParts fewer = *parts;
  fewer.certificates.pop_back();
  auto missing = cms::unmatched_index_entry(*index, fewer, *signer);
  ASSERT_TRUE(missing);
  EXPECT_EQ(*missing, "certificate " + std::to_string(parts->certificates.size() - 1));

  // The imprint input covers the signed fields and the index as encoded.
  std::string input = cms::ats_v3_imprint_input(*parts, *signer, "DIGEST", index_der);
  EXPECT_EQ(input, std::string(parts->content_type) + "DIGEST" + std::string(signer->signed_fields) + index_der);
}

TEST(AtsHashIndex, OlderIndexHashesWholeAttributes) {
  std::string der = cms::append_to_signed_data(*cms::read_signed_data_parts(signed_cms()),
                                               {{}, {}, {}, 0, cms::attribute("1.2.3.4", core::der::null())});
  auto parts = cms::read_signed_data_parts(der);
  auto signer = cms::read_signer_parts(parts->signer_infos[0]);
  auto hashes = [](const std::vector<std::string_view>& items) {
    std::vector<std::string> out;
    for (auto i : items) out.push_back(core::der::octet_string(cms::digest_bytes(i, EVP_sha256())));
    return core::der::sequence(out);
  };
  std::string whole = core::der::octet_string(cms::digest_bytes(signer->unsigned_attributes[0].whole, EVP_sha256()));
  std::string older = core::der::sequence({hashes(parts->certificates), core::der::sequence({}), core::der::sequence({whole})});
  auto index = cms::parse_ats_hash_index(older, false);
  ASSERT_TRUE(index);
  EXPECT_FALSE(cms::unmatched_index_entry(*index, *parts, *signer));
  // Read as v3 (attrType + value), the same hash matches nothing.
  auto as_v3 = cms::parse_ats_hash_index(older, true);
  EXPECT_EQ(cms::unmatched_index_entry(*as_v3, *parts, *signer), std::optional<std::string>("unsigned attribute 0"));
}

TEST(AtsHashIndex, ExplicitAlgorithmAndMalformedInput) {
  std::string sha512_index = core::der::sequence({core::der::algorithm("2.16.840.1.101.3.4.2.3", false), core::der::sequence({}),
                                                  core::der::sequence({}), core::der::sequence({})});
  auto index = cms::parse_ats_hash_index(sha512_index, true);
  ASSERT_TRUE(index);
  EXPECT_EQ(index->md, EVP_sha512());
  EXPECT_FALSE(cms::parse_ats_hash_index(core::der::sequence({core::der::sequence({})}), true));
  EXPECT_FALSE(cms::parse_ats_hash_index(core::der::sequence({core::der::sequence({core::der::integer(1)}), core::der::sequence({}),
                                                              core::der::sequence({})}),
                                         true));
}

TEST(ArchiveTimestampVerify, UnusableKindsAreReportedNeverSilent) {
  std::string der = signed_cms();
  // An archive-time-stamp-v2 is reported as not evaluated.
  std::string v2 = cms::append_to_signed_data(*cms::read_signed_data_parts(der),
                                              {{}, {}, {}, 0, cms::attribute(cms::kOidArchiveTimestampV2, core::der::null())});
  Verifier verifier(test::test_gov_options());
  DocumentReport r2 = verifier.verify_cms(v2, std::string_view(kContent));
  EXPECT_TRUE(r2.signatures.at(0).has_finding("ARCHIVE_TIMESTAMP_NOT_EVALUATED"));
  EXPECT_EQ(r2.indication, Indication::total_passed);
  // An archive-time-stamp-v3 whose value is no timestamp token is invalid, and not proof of anything.
  std::string v3 = cms::append_to_signed_data(*cms::read_signed_data_parts(der),
                                              {{}, {}, {}, 0, cms::attribute(cms::kOidArchiveTimestampV3, der)});
  DocumentReport r3 = verifier.verify_cms(v3, std::string_view(kContent));
  const SignatureReport& s = r3.signatures.at(0);
  EXPECT_TRUE(s.has_finding("ARCHIVE_TIMESTAMP_INVALID"));
  EXPECT_FALSE(s.has_finding("ARCHIVE_TIMESTAMP_VALID"));
  EXPECT_EQ(s.subfilter, "CAdES-B-LTA");
  // A BER (indefinite-length) SignedData cannot be cut into its encoded parts: reported, not ignored.
  std::string body = v3.substr(v3[1] & 0x80 ? 2 + (v3[1] & 0x7f) : 2);
  std::string ber = std::string("\x30\x80", 2) + body + std::string(2, '\0');
  DocumentReport r_ber = verifier.verify_cms(ber, std::string_view(kContent));
  EXPECT_TRUE(r_ber.signatures.at(0).has_finding("ARCHIVE_TIMESTAMP_NOT_EVALUATED"));
  // Without the detached content an archive timestamp cannot be checked.
  DocumentReport no_content = verifier.verify_cms(v3);
  EXPECT_TRUE(no_content.signatures.at(0).has_finding("ARCHIVE_TIMESTAMP_NOT_EVALUATED"));
}

}  // namespace
}  // namespace libsign
