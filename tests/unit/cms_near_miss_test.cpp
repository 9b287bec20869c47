// cms/near_miss: the signed attributes as written, found by walking the raw bytes.
#include <gtest/gtest.h>

#include <string>

#include "cms/near_miss.hpp"

namespace {

std::string tlv(unsigned char tag, const std::string& content, bool long_form = false) {
  std::string out(1, static_cast<char>(tag));
  if (long_form || content.size() > 127) {
    out += static_cast<char>(0x81 + (content.size() > 255));
    if (content.size() > 255) out += static_cast<char>(content.size() >> 8);
    out += static_cast<char>(content.size() & 0xff);
  } else {
    out += static_cast<char>(content.size());
  }
  return out + content;
}

const std::string kInt1 = tlv(0x02, std::string(1, '\x01'));

// ContentInfo { oid, [0] SignedData { version, digestAlgs, encap, signerInfos { si... } } }
std::string content_info(const std::string& signer_infos) {
  std::string signed_data = tlv(0x30, kInt1 + tlv(0x31, "") + tlv(0x30, tlv(0x06, "\x2a")) + tlv(0x31, signer_infos));
  return tlv(0x30, tlv(0x06, "\x2a\x86\x48") + tlv(0xa0, signed_data));
}

std::string signer_info(const std::string& attrs_content, bool long_form = false) {
  return tlv(0x30, kInt1 + tlv(0x30, "sid") + tlv(0x30, tlv(0x06, "\x60")) + tlv(0xa0, attrs_content, long_form) +
                       tlv(0x30, tlv(0x06, "\x2a")) + tlv(0x04, "sig"));
}

}  // namespace

TEST(CmsNearMiss, SignedAttributesAsWrittenAreRetaggedAsASet) {
  const std::string attrs = tlv(0x30, tlv(0x06, "\x2a") + tlv(0x31, tlv(0x04, "digest", true)));
  const std::string der = content_info(signer_info(attrs) + signer_info("other"));
  EXPECT_EQ(libsign::cms::signed_attributes_as_written(der, 0), tlv(0x31, attrs));
  EXPECT_EQ(libsign::cms::signed_attributes_as_written(der, 1), tlv(0x31, "other"));
  // The long form of the [0] length itself is kept as written.
  const std::string long_der = content_info(signer_info(attrs, true));
  EXPECT_EQ(libsign::cms::signed_attributes_as_written(long_der, 0), tlv(0x31, attrs, true));
}

TEST(CmsNearMiss, NothingWhenAbsentOrMalformed) {
  const std::string no_attrs = content_info(tlv(0x30, kInt1 + tlv(0x30, "sid") + tlv(0x30, "") + tlv(0x30, "") + tlv(0x04, "s")));
  EXPECT_EQ(libsign::cms::signed_attributes_as_written(no_attrs, 0), "");
  const std::string der = content_info(signer_info(tlv(0x30, "a")));
  EXPECT_EQ(libsign::cms::signed_attributes_as_written(der, 1), "");
  EXPECT_EQ(libsign::cms::signed_attributes_as_written(der, -1), "");
  EXPECT_EQ(libsign::cms::signed_attributes_as_written(der.substr(0, der.size() - 3), 0), "");
  EXPECT_EQ(libsign::cms::signed_attributes_as_written("", 0), "");
}
