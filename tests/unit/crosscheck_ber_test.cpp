// crosscheck/ber_lengths: indefinite lengths (NSS's CMS) rewritten as definite ones for Botan.
#include <gtest/gtest.h>

#include <string>

#include "crosscheck/ber_lengths.hpp"

using libsign::crosscheck::with_definite_lengths;

namespace {
std::string bytes(std::initializer_list<int> list) {
  std::string s;
  for (int b : list) s += static_cast<char>(b);
  return s;
}
}  // namespace

TEST(CrossCheckBer, IndefiniteLengthsBecomeDefinite) {
  // SEQUENCE(indef) { OID 2a, [0](indef) { OCTET STRING "ab" } } + zero padding
  const std::string ber = bytes({0x30, 0x80, 0x06, 0x01, 0x2a, 0xa0, 0x80, 0x04, 0x02, 'a', 'b', 0, 0, 0, 0, 0, 0});
  const std::string der = bytes({0x30, 0x09, 0x06, 0x01, 0x2a, 0xa0, 0x04, 0x04, 0x02, 'a', 'b', 0, 0});
  EXPECT_EQ(with_definite_lengths(ber), der);
}

TEST(CrossCheckBer, DefiniteElementsAreCopiedAsWritten) {
  // A non-minimal length (0x81 0x02) inside a definite SEQUENCE is kept: signed bytes stay as signed.
  const std::string ber = bytes({0x30, 0x05, 0x04, 0x81, 0x02, 'a', 'b'});
  EXPECT_EQ(with_definite_lengths(ber), ber);
  // ...and also when the SEQUENCE around it is rebuilt because of an indefinite sibling.
  const std::string mixed = bytes({0x30, 0x80, 0x04, 0x81, 0x02, 'a', 'b', 0x31, 0x80, 0, 0, 0, 0});
  EXPECT_EQ(with_definite_lengths(mixed), bytes({0x30, 0x07, 0x04, 0x81, 0x02, 'a', 'b', 0x31, 0x00}));
}

TEST(CrossCheckBer, MalformedInputIsRefused) {
  EXPECT_FALSE(with_definite_lengths(bytes({0x30, 0x80, 0x04, 0x02, 'a'})));   // no end-of-contents
  EXPECT_FALSE(with_definite_lengths(bytes({0x04, 0x80, 0, 0})));              // indefinite primitive
  EXPECT_FALSE(with_definite_lengths(bytes({0x30, 0x05, 0x04})));              // length past the end
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += bytes({0x30, 0x80});
  EXPECT_FALSE(with_definite_lengths(deep));                                   // nesting bound
}

TEST(CrossCheckBer, AContentInfoEndsAfterItsTwoFieldsWithoutItsEndOfContents) {
  // PDFBox in an encrypted PDF: the outer end-of-contents is missing and encrypted padding follows.
  const std::string ber = bytes({0x30, 0x80, 0x06, 0x01, 0x2a, 0xa0, 0x80, 0x05, 0x00, 0, 0, 0xa0, 0xcf, 0xb2});
  EXPECT_EQ(with_definite_lengths(ber, 2), bytes({0x30, 0x07, 0x06, 0x01, 0x2a, 0xa0, 0x02, 0x05, 0x00, 0xa0, 0xcf, 0xb2}));
  EXPECT_FALSE(with_definite_lengths(ber));  // without the bound, the garbage is read as a third field
}
