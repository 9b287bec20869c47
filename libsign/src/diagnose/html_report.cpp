// The self-contained HTML report for managers: no external assets, charts as inline SVG,
// Vietnamese or English. Rendered from the libsign-diagnose/1 JSON, so it shows what the JSON says.
#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "libsign/diagnose.hpp"

namespace libsign::diagnose {

using nlohmann::json;

namespace {

std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

struct Labels {
  bool vi;
  const char* t(const char* en, const char* v) const { return vi ? v : en; }
};

const char* indication_label(const Labels& L, const std::string& ind) {
  if (ind == "TOTAL_PASSED") return L.t("Valid", "Hợp lệ");
  if (ind == "TOTAL_FAILED") return L.t("Invalid", "Không hợp lệ");
  if (ind == "INDETERMINATE") return L.t("Indeterminate", "Chưa xác định");
  if (ind == "ERROR") return L.t("Unreadable file", "Tệp không đọc được");
  return "?";
}

const char* indication_colour(const std::string& ind) {
  if (ind == "TOTAL_PASSED") return "#2e7d32";
  if (ind == "TOTAL_FAILED") return "#c62828";
  if (ind == "INDETERMINATE") return "#ef6c00";
  return "#6a1b9a";
}

// Horizontal bars: one per (label, value, colour).
std::string hbars(const std::vector<std::tuple<std::string, uint64_t, std::string>>& bars, const std::string& id) {
  uint64_t max = 1;
  size_t longest = 0;
  for (const auto& b : bars) max = std::max(max, std::get<1>(b)), longest = std::max(longest, std::get<0>(b).size());
  // Room for the longest label (codes run to 35 characters) at about 8.5 px a character.
  const int row = 28, label_w = std::max(120, static_cast<int>(longest * 17 / 2) + 12), bar_w = 420;
  std::ostringstream o;
  o << "<svg id=\"" << id << "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << label_w + bar_w + 80 << "\" height=\""
    << row * bars.size() + 10 << "\" role=\"img\">";
  int y = 5;
  for (const auto& [label, value, colour] : bars) {
    int w = static_cast<int>(static_cast<double>(value) / static_cast<double>(max) * bar_w);
    o << "<text x=\"" << label_w - 8 << "\" y=\"" << y + 18 << "\" text-anchor=\"end\" font-size=\"13\">" << esc(label) << "</text>"
      << "<rect x=\"" << label_w << "\" y=\"" << y + 4 << "\" width=\"" << std::max(w, value ? 2 : 0) << "\" height=\"" << row - 8
      << "\" fill=\"" << colour << "\"/>"
      << "<text x=\"" << label_w + w + 6 << "\" y=\"" << y + 18 << "\" font-size=\"14\">" << value << "</text>";
    y += row;
  }
  o << "</svg>";
  return o.str();
}

// Vertical bars per month: all signatures (grey) and those not valid (red).
std::string month_chart(const json& months, const Labels& L) {
  std::vector<std::pair<std::string, json>> list;
  for (const auto& [m, b] : months.items())
    if (m != "(none)") list.emplace_back(m, b);
  if (list.empty()) return "<p>" + std::string(L.t("No signing time known.", "Không có thời điểm ký.")) + "</p>";
  if (list.size() > 36) list.erase(list.begin(), list.end() - 36);  // the last three years
  uint64_t max = 1;
  for (const auto& [m, b] : list) max = std::max<uint64_t>(max, b["rows"].get<uint64_t>());
  const int col = 40, h = 180, top = 20;
  std::ostringstream o;
  o << "<svg id=\"chart-months\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << col * list.size() + 20 << "\" height=\"" << h + top + 40
    << "\" role=\"img\">";
  int x = 10;
  for (const auto& [m, b] : list) {
    uint64_t rows = b["rows"], bad = b["not_passed"];
    int hr = static_cast<int>(static_cast<double>(rows) / max * h), hb = static_cast<int>(static_cast<double>(bad) / max * h);
    o << "<rect x=\"" << x + 4 << "\" y=\"" << top + h - hr << "\" width=\"" << col - 8 << "\" height=\"" << hr << "\" fill=\"#b0bec5\"/>"
      << "<rect x=\"" << x + 4 << "\" y=\"" << top + h - hb << "\" width=\"" << col - 8 << "\" height=\"" << hb << "\" fill=\"#c62828\"/>"
      << "<text x=\"" << x + col / 2 << "\" y=\"" << top + h - hr - 4 << "\" text-anchor=\"middle\" font-size=\"11\">" << rows << "</text>"
      << "<text x=\"" << x + col / 2 << "\" y=\"" << top + h + 16 << "\" text-anchor=\"middle\" font-size=\"10\">" << esc(m.substr(2)) << "</text>";
    x += col;
  }
  o << "</svg><p class=\"legend\"><span style=\"color:#78909c\">■</span> " << L.t("signatures", "chữ ký")
    << " &nbsp; <span style=\"color:#c62828\">■</span> " << L.t("not valid", "chưa hợp lệ") << "</p>";
  return o.str();
}

std::string breakdown_table(const json& buckets, const std::string& dim, const Labels& L) {
  std::vector<std::pair<std::string, json>> list;
  for (const auto& [value, b] : buckets.items()) list.emplace_back(value, b);
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
    uint64_t an = a.second["not_passed"], bn = b.second["not_passed"], ar = a.second["rows"], br = b.second["rows"];
    return an != bn ? an > bn : ar != br ? ar > br : a.first < b.first;
  });
  std::ostringstream o;
  o << "<table class=\"breakdown\" data-dimension=\"" << dim << "\"><tr><th></th><th>" << L.t("Signatures / files", "Chữ ký / tệp") << "</th><th>"
    << L.t("Not valid", "Chưa hợp lệ") << "</th><th>" << L.t("Most frequent error", "Lỗi thường gặp nhất") << "</th></tr>";
  size_t shown = 0;
  for (const auto& [value, b] : list) {
    if (++shown > 15) break;
    std::string top;
    uint64_t top_n = 0;
    for (const auto& [code, n] : b["codes"].items())
      if (n.get<uint64_t>() > top_n) top = code, top_n = n;
    o << "<tr><td>" << esc(value) << "</td><td class=\"n\">" << b["rows"].get<uint64_t>() << "</td><td class=\"n\">"
      << b["not_passed"].get<uint64_t>() << "</td><td>" << esc(top) << (top.empty() ? "" : " (" + std::to_string(top_n) + ")") << "</td></tr>";
  }
  o << "</table>";
  if (list.size() > 15) o << "<p class=\"more\">… " << list.size() - 15 << " " << L.t("more in the JSON report", "mục khác trong báo cáo JSON") << "</p>";
  return o.str();
}

}  // namespace

std::string Aggregate::to_html(const std::string& lang, const std::string& run_json) const {
  const json j = json::parse(to_json(-1, run_json));
  const Labels L{lang != "en"};
  const auto& totals = j["totals"];
  const auto& ind = j["by_indication"];
  auto count = [&](const char* key) { return ind.contains(key) ? ind[key].get<uint64_t>() : 0; };
  std::ostringstream o;
  o << "<!DOCTYPE html><html lang=\"" << (L.vi ? "vi" : "en") << "\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    << "<title>" << L.t("Signature error diagnosis", "Chẩn đoán lỗi chữ ký số") << "</title><style>"
    << "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#212121;background:#fff;max-width:1200px}"
    << "h1{color:#0d47a1}h2{border-bottom:2px solid #0d47a1;padding-bottom:4px;margin-top:32px}"
    << ".cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #cfd8dc;border-radius:8px;padding:12px 18px;min-width:140px}"
    << ".card .num{font-size:28px;font-weight:bold;display:block}.card .lbl{color:#546e7a}"
    << "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #cfd8dc;padding:6px 8px;vertical-align:top;text-align:left}"
    << "th{background:#eceff1}td.n{text-align:right}.code{font-family:monospace;font-weight:bold}"
    << ".warn{background:#fff3e0;border:1px solid #ef6c00;padding:10px;border-radius:6px}.legend,.more{color:#546e7a}"
    << "</style></head><body>";
  o << "<h1>" << L.t("Signature error diagnosis", "Chẩn đoán lỗi chữ ký số") << "</h1>";
  if (!j["complete"].get<bool>())
    o << "<p class=\"warn\" id=\"incomplete\">" << L.t("This report is INCOMPLETE: the run was stopped before every file was checked.",
                                                       "Báo cáo CHƯA ĐẦY ĐỦ: quá trình kiểm tra bị dừng trước khi xét hết các tệp.") << "</p>";
  o << "<div class=\"cards\">";
  auto card = [&](const char* key, uint64_t value, const char* en, const char* vi) {
    o << "<div class=\"card\"><span class=\"num\" data-key=\"" << key << "\">" << value << "</span><span class=\"lbl\">" << L.t(en, vi) << "</span></div>";
  };
  card("files", totals["files"], "files", "tệp");
  card("signatures", totals["signatures"], "signatures", "chữ ký");
  card("TOTAL_PASSED", count("TOTAL_PASSED"), "valid", "hợp lệ");
  card("TOTAL_FAILED", count("TOTAL_FAILED"), "invalid", "không hợp lệ");
  card("INDETERMINATE", count("INDETERMINATE"), "indeterminate", "chưa xác định");
  card("files_without_signature", totals["files_without_signature"], "files without signature", "tệp không có chữ ký");
  card("files_unreadable", totals["files_unreadable"], "unreadable files", "tệp không đọc được");
  o << "</div>";

  o << "<h2>" << L.t("Results", "Kết quả") << "</h2>";
  std::vector<std::tuple<std::string, uint64_t, std::string>> bars;
  for (const char* k : {"TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE", "ERROR"})
    bars.emplace_back(indication_label(L, k), count(k), indication_colour(k));
  o << hbars(bars, "chart-indications");

  o << "<h2>" << L.t("Recurring errors and what to do", "Lỗi lặp lại và cách xử lý") << "</h2>";
  const auto& rec = j["recurring"];
  if (rec.empty()) o << "<p>" << L.t("No error found.", "Không phát hiện lỗi.") << "</p>";
  else {
    std::vector<std::tuple<std::string, uint64_t, std::string>> code_bars;
    for (size_t i = 0; i < rec.size() && i < 10; ++i) code_bars.emplace_back(rec[i]["code"], rec[i]["rows"], "#c62828");
    o << hbars(code_bars, "chart-codes");
    o << "<table id=\"recurring\"><tr><th>#</th><th>" << L.t("Error", "Lỗi") << "</th><th>" << L.t("Signatures", "Chữ ký") << "</th><th>"
      << L.t("Files", "Tệp") << "</th><th>" << L.t("Since", "Từ tháng") << "</th><th>" << L.t("Meaning", "Ý nghĩa") << "</th><th>"
      << L.t("Typical cause", "Nguyên nhân thường gặp") << "</th><th>" << L.t("What to do", "Cách xử lý") << "</th><th>"
      << L.t("Where most", "Nơi gặp nhiều nhất") << "</th></tr>";
    int rank = 0;
    for (const auto& r : rec) {
      std::string code = r["code"];
      std::string where;
      for (const auto& f : r["top_folder"]) where += (where.empty() ? "" : "<br>") + esc(f["value"].get<std::string>()) + " (" + std::to_string(f["rows"].get<uint64_t>()) + ")";
      o << "<tr data-code=\"" << esc(code) << "\"><td>" << ++rank << "</td><td class=\"code\">" << esc(code) << "</td><td class=\"n\" data-rows=\""
        << esc(code) << "\">" << r["rows"].get<uint64_t>() << "</td><td class=\"n\">" << r["files"].get<uint64_t>() << "</td><td>"
        << esc(r["first_month"].get<std::string>()) << "</td><td>" << esc(r[L.vi ? "message_vi" : "message_en"].get<std::string>())
        << "</td><td>" << esc(r[L.vi ? "cause_vi" : "cause_en"].get<std::string>()) << "</td><td>"
        << esc(r[L.vi ? "hint_vi" : "hint_en"].get<std::string>()) << "</td><td>" << where << "</td></tr>";
    }
    o << "</table>";
  }

  o << "<h2>" << L.t("By month of signing", "Theo tháng ký") << "</h2>" << month_chart(j["breakdowns"]["month"], L);
  const std::pair<const char*, std::pair<const char*, const char*>> dims[] = {
      {"issuer_ca", {"By issuing CA", "Theo tổ chức cấp chứng thư (CA)"}},
      {"pki", {"By PKI (trust profile)", "Theo hệ thống PKI"}},
      {"organization", {"By signer organisation", "Theo cơ quan, tổ chức ký"}},
      {"portal", {"By portal (top folder)", "Theo cổng/đơn vị (thư mục cấp 1)"}},
      {"folder", {"By folder", "Theo thư mục (xã, phường)"}},
      {"format", {"By kind of file (PDF, XML e-form, CMS)", "Theo loại tệp (PDF, biểu mẫu XML, CMS)"}}};
  for (const auto& [dim, title] : dims)
    o << "<h2>" << L.t(title.first, title.second) << "</h2>" << breakdown_table(j["breakdowns"][dim], dim, L);

  o << "<h2>" << L.t("Worst examples", "Ví dụ điển hình") << "</h2>";
  size_t shown = 0;
  for (const auto& r : rec) {
    if (++shown > 10) break;
    std::string code = r["code"];
    o << "<h3 class=\"code\">" << esc(code) << "</h3><ul>";
    for (const auto& e : j["examples"][code]) {
      o << "<li>" << esc(e["path"].get<std::string>()) << (e["signature"].get<std::string>().empty() ? "" : " — " + esc(e["signature"].get<std::string>()))
        << " — " << esc(indication_label(L, e["indication"]));
      std::string ev;
      for (const auto& [k, v] : e["evidence"].items()) ev += (ev.empty() ? "" : "; ") + esc(k) + ": " + esc(v.get<std::string>());
      if (!ev.empty()) o << "<br><small>" << ev << "</small>";
      o << "</li>";
    }
    o << "</ul>";
  }
  o << "<hr><p class=\"legend\">libsign diagnose — libsign-diagnose/1";
  const auto& run = j["run"];
  if (run.contains("generated_at")) o << " — " << esc(run["generated_at"].get<std::string>());
  o << "</p></body></html>\n";
  return o.str();
}

}  // namespace libsign::diagnose
