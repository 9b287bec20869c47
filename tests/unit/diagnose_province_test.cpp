// The diagnose report a province reads: damage aggregated by class, folder and month of arrival
// (mergeable like the rest), the settings recorded, severity-first ranking, titles, CSV for Excel.
#include <gtest/gtest.h>

#include <ctime>
#include <random>

#include <nlohmann/json.hpp>

#include "diagnose/titles.hpp"
#include "diagnose/zip_reader.hpp"
#include "libsign/catalog.hpp"
#include "libsign/diagnose.hpp"

namespace libsign::diagnose {
namespace {

using nlohmann::json;

int64_t utc(int year, int month, int day) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = 12;
  return static_cast<int64_t>(timegm(&tm));
}

FileResult dossier(const std::string& path, const std::string& folder, int64_t mtime, std::vector<Damage> damage = {},
                   std::vector<std::string> codes = {"TIMESTAMP_VALID"}, const std::string& signed_month = "2025-11") {
  FileResult f;
  f.path = path;
  f.folder = folder;
  f.format = "pdf";
  f.size = 1000;
  f.mtime = mtime;
  Row r;
  r.signature = "sig1";
  r.indication = damage.empty() ? "TOTAL_PASSED" : "INDETERMINATE";
  r.codes = std::move(codes);
  for (const auto& d : damage) r.codes.push_back(d.code);
  std::sort(r.codes.begin(), r.codes.end());
  r.month = signed_month;
  f.rows.push_back(std::move(r));
  f.damage = std::move(damage);
  return f;
}

const Damage kCrlf{"DAMAGE_LINE_ENDINGS", "line_endings", true};
const Damage kCut{"DAMAGE_TRUNCATED", "truncation", false};

// Channel X (portal-x/xa-1) converts line ends from March 2026; portal-y is healthy but for one cut file.
std::vector<FileResult> arrivals() {
  std::vector<FileResult> files;
  for (int month = 1; month <= 5; ++month)
    for (int i = 0; i < 4; ++i) {
      const std::string n = std::to_string(month) + "-" + std::to_string(i);
      files.push_back(dossier("x/" + n + ".pdf", "portal-x/xa-1", utc(2026, month, 3 + i), month >= 3 && i < 3 ? std::vector<Damage>{kCrlf} : std::vector<Damage>{}));
      files.push_back(dossier("y/" + n + ".pdf", "portal-y", utc(2026, month, 3 + i), month == 4 && i == 0 ? std::vector<Damage>{kCut, kCut} : std::vector<Damage>{}));
    }
  files.push_back(dossier("z/unknown-time.pdf", "portal-x/xa-1", 0, {kCrlf}));
  return files;
}

TEST(DiagnoseDamage, CountsByClassFolderAndMonthOfArrival) {
  Aggregate a;
  for (const auto& f : arrivals()) a.add(f);
  const json j = json::parse(a.to_json());
  const json& d = j["damage"];
  EXPECT_EQ(d["files"], 41);
  EXPECT_EQ(d["damaged"], 3 * 3 + 1 + 1);
  EXPECT_EQ(d["by_class"]["line_endings"]["files"], 10);
  EXPECT_EQ(d["by_class"]["line_endings"]["reversible"], 10);
  EXPECT_EQ(d["by_class"]["line_endings"]["first_month"], "2026-03");  // arrival, not the signing month 2025-11
  EXPECT_EQ(d["by_class"]["line_endings"]["last_month"], "2026-05");
  EXPECT_EQ(d["by_class"]["truncation"]["files"], 1);  // two findings of one class in one file: one file
  EXPECT_EQ(d["by_class"]["truncation"]["reversible"], 0);
  EXPECT_EQ(d["by_class"]["truncation"]["codes"]["DAMAGE_TRUNCATED"], 1);
  EXPECT_EQ(d["by_class"]["line_endings"]["title_vi"], "Ký tự xuống dòng bị chuyển đổi");
  // Per folder and month, with how many files arrived: 3 of 4 each month since March.
  const json& x = d["arrivals"]["portal-x/xa-1"];
  EXPECT_EQ(x["2026-02"]["damaged"], 0);
  EXPECT_EQ(x["2026-03"]["files"], 4);
  EXPECT_EQ(x["2026-03"]["classes"]["line_endings"], 3);
  EXPECT_EQ(x["(none)"]["classes"]["line_endings"], 1);
  EXPECT_EQ(d["by_portal"]["portal-x"]["damaged"], 10);
  EXPECT_EQ(d["by_month"]["2026-04"]["classes"]["truncation"], 1);
  EXPECT_FALSE(d["by_folder"].contains("portal-z"));
  // The statement a province acts on: since 03/2026, 10 of the 13 files arriving through portal-x/xa-1.
  const json& first = d["onsets"][0];
  EXPECT_EQ(first["folder"], "portal-x/xa-1");
  EXPECT_EQ(first["class"], "line_endings");
  EXPECT_EQ(first["since"], "2026-03");
  EXPECT_EQ(first["files"], 10);
  EXPECT_EQ(first["arrived_since"], 12);  // 3 months x 4 files; the file of unknown time is not "since"
  EXPECT_EQ(a.arrivals().size(), 2u);     // bounded by folders x months, not by files
}

TEST(DiagnoseDamage, MergeStaysAssociativeWithDamageAndSettings) {
  auto files = arrivals();
  Settings offline;
  offline.trust_profile = "vn-gov";
  offline.revocation = "offline";
  Aggregate whole(2);
  for (const auto& f : files) whole.add(f);
  whole.set_settings(offline);
  const std::string expected = whole.to_json();
  std::mt19937 rng(11);
  for (int round = 0; round < 10; ++round) {
    std::shuffle(files.begin(), files.end(), rng);
    std::vector<Aggregate> chunks;
    for (size_t i = 0; i < files.size();) {
      Aggregate c(2);
      for (size_t k = 0, n = 1 + rng() % 7; k < n && i < files.size(); ++k, ++i) c.add(files[i]);
      if (rng() % 2) c.set_settings(offline);  // a chunk without settings is neutral
      chunks.push_back(std::move(c));
    }
    chunks[rng() % chunks.size()].set_settings(offline);
    Aggregate left(2), right(2), via_json(2);
    for (const auto& c : chunks) left.merge(c);
    for (auto it = chunks.rbegin(); it != chunks.rend(); ++it) {
      Aggregate t = *it;
      t.merge(right);
      right = std::move(t);
    }
    for (const auto& c : chunks) via_json.merge(Aggregate::from_json(c.to_json(-1)));
    EXPECT_EQ(left.to_json(), expected);
    EXPECT_EQ(right.to_json(), expected);
    EXPECT_EQ(via_json.to_json(), expected);
  }
}

TEST(DiagnoseSettings, RecordedMergedAndReadBack) {
  VerifyOptions o;
  o.trust_profile = "vn-gov";
  o.trust_paths = {"/etc/x/root-a.pem", "b.pem"};
  o.at = std::chrono::system_clock::from_time_t(utc(2026, 7, 1) - 12 * 3600);
  Settings s = Settings::of(o);
  EXPECT_EQ(s.trust_files, "root-a.pem, b.pem");
  EXPECT_EQ(s.revocation, "offline");  // the library default
  EXPECT_EQ(s.revocation_policy, "required");  // one policy for every front end (docs/revocation.md)
  EXPECT_EQ(s.validation_time, "2026-07-01T00:00:00Z");
  EXPECT_FALSE(s.libsign_version.empty());
  Settings other = s;
  other.revocation = "online";
  Settings merged = s;
  merged.merge(Settings{});
  EXPECT_TRUE(merged == s);
  merged.merge(other);
  EXPECT_EQ(merged.revocation, "mixed");
  EXPECT_EQ(merged.trust_profile, "vn-gov");
  Aggregate a;
  a.set_settings(s);
  const json j = json::parse(a.to_json());
  EXPECT_EQ(j["settings"]["trust_profile"], "vn-gov");
  EXPECT_EQ(j["settings"]["validation_time"], "2026-07-01T00:00:00Z");
  EXPECT_TRUE(Aggregate::from_json(a.to_json()).settings() == s);
}

Aggregate offline_run(const std::string& revocation) {
  Aggregate a;
  Settings s;
  s.revocation = revocation;
  a.set_settings(s);
  // REVOCATION_NOT_CHECKED on every file, a real warning on 3, an error on 2.
  for (int i = 0; i < 10; ++i) {
    std::vector<std::string> codes = {"REVOCATION_NOT_CHECKED"};
    if (i < 3) codes.push_back("SIGNING_TIME_ZONE_SKEW");
    if (i < 2) codes.push_back("CHAIN_INCOMPLETE");
    a.add(dossier("f" + std::to_string(i) + ".pdf", "p", utc(2026, 6, 1), {}, codes, "2026-06"));
  }
  return a;
}

TEST(DiagnoseRanking, ErrorsFirstAndWarningsCausedBySettingsLast) {
  json rec = json::parse(offline_run("offline").to_json())["recurring"];
  ASSERT_EQ(rec.size(), 3u);
  EXPECT_EQ(rec[0]["code"], "CHAIN_INCOMPLETE");
  EXPECT_EQ(rec[1]["code"], "SIGNING_TIME_ZONE_SKEW");
  EXPECT_EQ(rec[2]["code"], "REVOCATION_NOT_CHECKED");
  EXPECT_TRUE(rec[2]["caused_by_settings"].get<bool>());
  EXPECT_FALSE(rec[1]["caused_by_settings"].get<bool>());
  EXPECT_EQ(rec[0]["title_vi"], "Thiếu chứng thư CA trung gian");
  // Online, not checking revocation is a finding about the file: ranked by rows among the warnings.
  rec = json::parse(offline_run("online").to_json())["recurring"];
  EXPECT_EQ(rec[0]["code"], "CHAIN_INCOMPLETE");
  EXPECT_EQ(rec[1]["code"], "REVOCATION_NOT_CHECKED");
  EXPECT_FALSE(rec[1]["caused_by_settings"].get<bool>());
}

TEST(DiagnoseHtml, SeverityColoursTitlesMonthsSettingsAndDamageCharts) {
  const std::string healthy = offline_run("offline").to_html("vi");
  // The settings-caused warning is neither red nor first; the error is first and red.
  EXPECT_NE(healthy.find("<tr data-code=\"CHAIN_INCOMPLETE\" class=\"sev-error\"><td>1<"), std::string::npos);
  EXPECT_NE(healthy.find("<tr data-code=\"SIGNING_TIME_ZONE_SKEW\" class=\"sev-warning\"><td>2<"), std::string::npos);
  EXPECT_NE(healthy.find("<tr data-code=\"REVOCATION_NOT_CHECKED\" class=\"sev-settings\"><td>3<"), std::string::npos);
  // Code chart: titles as labels, errors red, warnings muted, the settings-caused bar grey.
  const size_t chart = healthy.find("<svg id=\"chart-codes\"");
  ASSERT_NE(chart, std::string::npos);
  const std::string codes_chart = healthy.substr(chart, healthy.find("</svg>", chart) - chart);
  EXPECT_NE(codes_chart.find("Chưa kiểm tra thu hồi"), std::string::npos);
  EXPECT_EQ(codes_chart.find("REVOCATION_NOT_CHECKED"), std::string::npos);
  EXPECT_LT(codes_chart.find("fill=\"#c62828\""), codes_chart.find("fill=\"#e0b47a\""));
  EXPECT_LT(codes_chart.find("fill=\"#e0b47a\""), codes_chart.find("fill=\"#b0bec5\""));
  // Months as 06/2026, no untranslated "(none)", the settings; no damage: one sentence, no chart.
  EXPECT_NE(healthy.find(">06/2026<"), std::string::npos);
  EXPECT_EQ(healthy.find(">2026-06<"), std::string::npos);
  EXPECT_EQ(healthy.find("(none)"), std::string::npos);
  EXPECT_NE(healthy.find("(không rõ)"), std::string::npos);
  EXPECT_NE(healthy.find("<tr data-setting=\"revocation\"><th>Kiểm tra thu hồi</th><td>ngoại tuyến"), std::string::npos);
  // Breakdowns name the most frequent error, not the warning every row has offline.
  EXPECT_NE(healthy.find("Thiếu chứng thư CA trung gian <span class=\"code\">CHAIN_INCOMPLETE</span> (2)"), std::string::npos);
  EXPECT_EQ(healthy.find("<span class=\"code\">REVOCATION_NOT_CHECKED</span> (10)"), std::string::npos);
  EXPECT_NE(healthy.find("id=\"no-damage\""), std::string::npos);
  EXPECT_EQ(healthy.find("chart-damage"), std::string::npos);

  Aggregate a = offline_run("offline");
  for (const auto& f : arrivals()) a.add(f);
  const std::string vi = a.to_html("vi");
  EXPECT_NE(vi.find("id=\"chart-damage\""), std::string::npos);
  EXPECT_NE(vi.find("id=\"chart-damage-1\" data-folder=\"portal-x/xa-1\""), std::string::npos);
  EXPECT_NE(vi.find("data-class=\"line_endings\" data-month=\"2026-03\" data-files=\"3\""), std::string::npos);
  EXPECT_NE(vi.find("data-folder=\"portal-x/xa-1\" data-class=\"line_endings\" data-since=\"2026-03\">Từ 03/2026, 10 trên 12"),
            std::string::npos);
  EXPECT_EQ(vi.find("(none)"), std::string::npos);
  const std::string en = a.to_html("en");
  EXPECT_NE(en.find("Since 03/2026, 10 of 12 dossiers arriving through"), std::string::npos);
  EXPECT_NE(en.find("Revocation not checked"), std::string::npos);
}

// CSV field separators: commas outside double-quoted fields (messages hold commas of their own).
size_t separators_outside_quotes(const std::string& line) {
  size_t count = 0;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) ++count;
  }
  return count;
}

TEST(DiagnoseCsv, BomVietnameseMessageArrivalMonthAndDamage) {
  const std::string header = csv_header();
  ASSERT_EQ(header.compare(0, 3, "\xEF\xBB\xBF"), 0);
  EXPECT_EQ(std::count(header.begin(), header.end(), ','), 15);
  EXPECT_NE(header.find(",message_vi,arrival_month,damage\n"), std::string::npos);
  FileResult f = dossier("a.pdf", "p", utc(2026, 3, 9), {kCrlf, kCut}, {"REVOCATION_NOT_CHECKED", "CHAIN_INCOMPLETE"});
  f.rows.push_back(f.rows.front());
  f.rows.back().signature = "sig2";
  const std::string rows = csv_rows(f);
  const std::string first = rows.substr(0, rows.find('\n'));
  EXPECT_EQ(separators_outside_quotes(first), 15u) << first;
  const CatalogEntry* chain = find_catalog_entry("CHAIN_INCOMPLETE");
  const CatalogEntry* revocation = find_catalog_entry("REVOCATION_NOT_CHECKED");
  // Errors before warnings in message_vi.
  size_t chain_at = first.find(chain->message_vi), revocation_at = first.find(revocation->message_vi);
  ASSERT_NE(chain_at, std::string::npos) << first;
  ASSERT_NE(revocation_at, std::string::npos) << first;
  EXPECT_LT(chain_at, revocation_at) << first;
  EXPECT_NE(first.find(",2026-03,line_endings;truncation"), std::string::npos) << first;
  const std::string second = rows.substr(rows.find('\n') + 1);
  EXPECT_NE(second.find(",2026-03,\n"), std::string::npos) << second;  // damage on the first row only
}

TEST(DiagnoseFileResult, DamageRoundTripsAndOldLinesStillRead) {
  FileResult f = dossier("a.pdf", "p", utc(2026, 3, 9), {kCrlf});
  FileResult g = FileResult::from_json(f.to_json());
  ASSERT_EQ(g.damage.size(), 1u);
  EXPECT_EQ(g.damage[0].cls, "line_endings");
  EXPECT_TRUE(g.damage[0].reversible);
  EXPECT_EQ(g.to_json(), f.to_json());
  EXPECT_EQ(g.arrival_month(), "2026-03");
  // A ZIP member arrives in the month of its own date in the archive, whatever the archive's time.
  ZipEntry member;
  member.dos_date = static_cast<uint16_t>(((2026 - 1980) << 9) | (2 << 5) | 28);
  EXPECT_EQ(member.month(), "2026-02");
  EXPECT_EQ(ZipEntry{}.month(), "");
  g.arrival = member.month();
  EXPECT_EQ(g.arrival_month(), "2026-02");
  EXPECT_EQ(FileResult::from_json(g.to_json()).arrival, "2026-02");
  FileResult old = FileResult::from_json(R"({"path":"a.pdf","folder":".","size":1,"mtime":0,"rows":[]})");
  EXPECT_TRUE(old.damage.empty());
  EXPECT_EQ(old.arrival_month(), "");
}

TEST(DiagnoseTitles, EveryCatalogCodeHasAShortTitle) {
  for (const auto& e : findings_catalog()) {
    for (bool vi : {true, false}) {
      const std::string t = code_title(e.code, vi);
      EXPECT_FALSE(t.empty()) << e.code;
      EXPECT_LE(t.size(), 60u) << e.code << ": " << t;
    }
  }
  EXPECT_EQ(code_title("NO_SUCH_CODE", true), "NO_SUCH_CODE");
  EXPECT_EQ(damage_class_title("base64", false), "Left Base64-encoded");
  EXPECT_EQ(damage_class_title("new_class", true), "new_class");
  EXPECT_TRUE(caused_by_settings("REVOCATION_NOT_CHECKED", "offline"));
  EXPECT_FALSE(caused_by_settings("REVOCATION_NOT_CHECKED", "online"));
  EXPECT_FALSE(caused_by_settings("CHAIN_INCOMPLETE", "offline"));
}

}  // namespace
}  // namespace libsign::diagnose
