#include <gtest/gtest.h>

#include "core/der_reader.hpp"
#include "core/encoding.hpp"
#include "libsign/verify.hpp"
#include "validate/pdf_date.hpp"
#include "validate/verdict.hpp"

namespace libsign {

TEST(ParseTime, AcceptsUtcAndOffsets) {
  EXPECT_EQ(format_time(parse_time("2026-06-15T02:00:00Z")), "2026-06-15T02:00:00Z");
  EXPECT_EQ(format_time(parse_time("2026-06-15T09:00:00+07:00")), "2026-06-15T02:00:00Z");
  EXPECT_EQ(format_time(parse_time("2026-06-15")), "2026-06-15T00:00:00Z");
}

TEST(ParseTime, RefusesAmbiguousOrBrokenTimes) {
  for (const char* bad : {"2026-06-15T09:00:00", "yesterday", "2026-13-01", "2026-06-15T25:00:00Z", "", "2026-06-15T09:00:00+7"}) {
    try {
      parse_time(bad);
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), ErrorCategory::usage);
      EXPECT_EQ(e.code(), "TIME_INVALID");
    }
  }
}

TEST(PdfDate, ReadsZonesAndPartialDates) {
  using validate::parse_pdf_date;
  EXPECT_EQ(core::iso_utc_unix(*parse_pdf_date("D:20260615090000+07'00'")), "2026-06-15T02:00:00Z");
  EXPECT_EQ(core::iso_utc_unix(*parse_pdf_date("D:20260615020000Z")), "2026-06-15T02:00:00Z");
  EXPECT_EQ(core::iso_utc_unix(*parse_pdf_date("D:2026")), "2026-01-01T00:00:00Z");
  EXPECT_FALSE(parse_pdf_date("D:2026AB").has_value());
  EXPECT_FALSE(parse_pdf_date("").has_value());
}

TEST(DerReader, ReadsNestedElementsAndRejectsOverruns) {
  const std::string seq("\x30\x06\x04\x01\x41\x02\x01\x05", 8);
  core::DerReader top(seq);
  auto outer = top.next();
  ASSERT_TRUE(outer);
  EXPECT_EQ(outer->tag, 0x30);
  core::DerReader inner(outer->content);
  auto octets = inner.next();
  ASSERT_TRUE(octets);
  EXPECT_EQ(octets->content, "A");
  EXPECT_TRUE(inner.next());
  EXPECT_TRUE(inner.empty());
  // The reader views its input: keep the bytes alive while reading.
  const std::string overrun_bytes("\x30\x7f\x00", 3), huge_bytes("\x30\x84\xff\xff\xff\xff", 6);
  core::DerReader overrun(overrun_bytes);
  EXPECT_FALSE(overrun.next());
  core::DerReader huge_length(huge_bytes);
  EXPECT_FALSE(huge_length.next());
}

TEST(Verdict, FailureOutranksIndeterminateWhateverTheOrder) {
  validate::Verdict v;
  EXPECT_EQ(v.settle().first, Indication::total_passed);
  v.indeterminate(SubIndication::no_certificate_chain_found);
  v.fail(SubIndication::hash_failure);
  v.fail(SubIndication::sig_crypto_failure);
  EXPECT_EQ(v.settle(), std::make_pair(Indication::total_failed, SubIndication::hash_failure));
  validate::Verdict w;
  w.indeterminate(SubIndication::out_of_bounds_no_poe);
  w.indeterminate(SubIndication::crypto_constraints_failure_no_poe);
  EXPECT_EQ(w.settle(), std::make_pair(Indication::indeterminate, SubIndication::out_of_bounds_no_poe));
}

}  // namespace libsign
