// damage/content_kind: what was stored instead of the signed dossier.
#include <gtest/gtest.h>

#include <zlib.h>

#include "damage/content_kind.hpp"

namespace {

using libsign::Finding;
using libsign::damage::find_wrong_content;

std::string code_of(const std::optional<Finding>& f) { return f ? f->code : "(none)"; }
std::string ev(const std::optional<Finding>& f, const std::string& key) {
  if (!f || !f->evidence.count(key)) return "(absent)";
  return f->evidence.at(key);
}

void le(std::string& out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

// A ZIP of stored members (enough for the central directory reader).
std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out, central;
  for (const auto& [name, data] : members) {
    uint32_t crc = static_cast<uint32_t>(::crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    uint64_t offset = out.size();
    le(out, 0x04034b50, 4); le(out, 20, 2); le(out, 0, 2); le(out, 0, 2); le(out, 0, 4);
    le(out, crc, 4); le(out, data.size(), 4); le(out, data.size(), 4); le(out, name.size(), 2); le(out, 0, 2);
    out += name + data;
    le(central, 0x02014b50, 4); le(central, 20, 2); le(central, 20, 2); le(central, 0, 2); le(central, 0, 2);
    le(central, 0, 4); le(central, crc, 4); le(central, data.size(), 4); le(central, data.size(), 4);
    le(central, name.size(), 2); le(central, 0, 2); le(central, 0, 2); le(central, 0, 2); le(central, 0, 2);
    le(central, 0, 4); le(central, offset, 4);
    central += name;
  }
  uint64_t cd = out.size();
  out += central;
  le(out, 0x06054b50, 4); le(out, 0, 2); le(out, 0, 2); le(out, members.size(), 2); le(out, members.size(), 2);
  le(out, central.size(), 4); le(out, cd, 4); le(out, 0, 2);
  return out;
}

TEST(DamageWrongContent, LoginPageIsToldFromErrorPage) {
  auto login = find_wrong_content(
      "<!DOCTYPE html>\n<html lang=\"vi\"><head><title>Đăng nhập - Cổng dịch vụ công</title></head><body>"
      "<form method=\"post\"><input name=\"u\"><input type=\"password\" name=\"p\"></form></body></html>");
  EXPECT_EQ(code_of(login), "DAMAGE_HTML_PAGE");
  EXPECT_EQ(ev(login, "page"), "login");
  EXPECT_EQ(ev(login, "class"), "wrong_content");
  EXPECT_EQ(ev(login, "reversible"), "false");
  EXPECT_EQ(ev(login, "title"), "Đăng nhập - Cổng dịch vụ công");

  auto error = find_wrong_content("<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>");
  EXPECT_EQ(code_of(error), "DAMAGE_HTML_PAGE");
  EXPECT_EQ(ev(error, "page"), "error");
  EXPECT_EQ(ev(error, "http_status"), "502");
}

TEST(DamageWrongContent, HttpResponseKeptWithItsHeadersGivesTheStatusLine) {
  auto f = find_wrong_content("HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html><body>gone</body></html>");
  EXPECT_EQ(code_of(f), "DAMAGE_HTML_PAGE");
  EXPECT_EQ(ev(f, "http_status"), "404");
  EXPECT_EQ(ev(f, "page"), "error");
  EXPECT_EQ(ev(f, "http_headers"), "true");
}

TEST(DamageWrongContent, JsonErrorBody) {
  auto f = find_wrong_content("{\"status\": 401, \"error\": \"invalid_token\", \"message\": \"Token het han\"}");
  EXPECT_EQ(code_of(f), "DAMAGE_JSON_BODY");
  EXPECT_EQ(ev(f, "http_status"), "401");
  EXPECT_EQ(ev(f, "message"), "Token het han");
  EXPECT_EQ(code_of(find_wrong_content("{not json at all")), "(none)");
}

TEST(DamageWrongContent, OfficeFilesZipArchivesAndOle) {
  auto docx = find_wrong_content(stored_zip({{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", "<w:document/>"}}));
  EXPECT_EQ(code_of(docx), "DAMAGE_OFFICE_FILE");
  EXPECT_EQ(ev(docx, "content"), "docx");
  auto xlsx = find_wrong_content(stored_zip({{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.xml", "<wb/>"}}));
  EXPECT_EQ(ev(xlsx, "content"), "xlsx");

  auto zip = find_wrong_content(stored_zip({{"ho-so/don.pdf", "%PDF-1.7 x"}, {"ho-so/anh.jpg", "x"}, {"to-khai.pdf", "y"}}));
  EXPECT_EQ(code_of(zip), "DAMAGE_ZIP_ARCHIVE");
  EXPECT_EQ(ev(zip, "entries"), "3");
  EXPECT_EQ(ev(zip, "pdf_entries"), "2");

  std::string doc("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  doc += std::string(504, '\0');
  for (char c : std::string("WordDocument")) doc += std::string{c, '\0'};
  auto ole = find_wrong_content(doc);
  EXPECT_EQ(code_of(ole), "DAMAGE_OFFICE_FILE");
  EXPECT_EQ(ev(ole, "content"), "doc");
}

TEST(DamageWrongContent, ImagesAndEmptyFiles) {
  EXPECT_EQ(ev(find_wrong_content(std::string("\x89PNG\r\n\x1A\n", 8) + "IHDR"), "content"), "png");
  EXPECT_EQ(ev(find_wrong_content("\xFF\xD8\xFF\xE0 JFIF"), "content"), "jpeg");
  EXPECT_EQ(code_of(find_wrong_content("")), "DAMAGE_EMPTY_FILE");
  EXPECT_EQ(ev(find_wrong_content(std::string(4096, '\0')), "content"), "zeros");
  EXPECT_EQ(ev(find_wrong_content(" \r\n\t "), "content"), "whitespace");
}

TEST(DamageWrongContent, DocumentsAndJunkAreNotWrongContent) {
  EXPECT_EQ(code_of(find_wrong_content("%PDF-1.7\n%junk after")), "(none)");
  EXPECT_EQ(code_of(find_wrong_content("HTTP/1.1 200 OK\r\n\r\n%PDF-1.7\n1 0 obj")), "(none)");  // transfer damage
  EXPECT_EQ(code_of(find_wrong_content("<?xml version=\"1.0\"?><HDon><DLHDon/></HDon>")), "(none)");
  EXPECT_EQ(code_of(find_wrong_content("random bytes \x01\x02\x03 that are nothing known")), "(none)");
}

TEST(DamageWrongContent, DetectorRunsOnlyWhenReadingFailed) {
  using namespace libsign::damage;
  std::vector<Damage> out;
  FailureContext read_ok;
  libsign::DocumentReport report;
  read_ok.report = &report;
  detect_wrong_content("<html><title>Error</title></html>", read_ok, out);
  EXPECT_TRUE(out.empty());
  FailureContext failed;
  failed.error_code = "INPUT_NOT_PDF";
  detect_wrong_content("<html><title>Error</title></html>", failed, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].finding.evidence.at("error"), "INPUT_NOT_PDF");
  EXPECT_FALSE(out[0].candidate.has_value());
}

}  // namespace
