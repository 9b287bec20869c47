// The self-contained HTML report for managers: no external assets, charts as inline SVG,
// Vietnamese or English. Rendered from the libsign-diagnose/1 JSON, so it shows what the JSON says.
#include <algorithm>
#include <ctime>
#include <map>
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

constexpr const char* kErrorColour = "#c62828";
constexpr const char* kWarningColour = "#e0b47a";   // muted: a warning never looks like an error
constexpr const char* kSettingsColour = "#b0bec5";  // a warning the settings caused (offline, ...)

// "2026-06" -> "06/2026"; unknown -> "(unknown)" / "(không rõ)". The JSON keeps YYYY-MM.
std::string month_label(const Labels& L, const std::string& month) {
  if (month.size() == 7 && month[4] == '-') return month.substr(5, 2) + "/" + month.substr(0, 4);
  return L.t("(unknown)", "(không rõ)");
}

// A breakdown value as a person reads it: "(none)" and the top folder "." in words.
std::string value_label(const Labels& L, const std::string& dim, const std::string& value) {
  if (value.empty() || value == "(none)") return L.t("(unknown)", "(không rõ)");
  if ((dim == "folder" || dim == "portal") && value == ".") return L.t("(top folder)", "(thư mục gốc)");
  if (dim == "month") return month_label(L, value);
  return value;
}

// RFC 3339 UTC as shown: UTC for English, Vietnam time (UTC+7) for Vietnamese.
std::string time_label(const Labels& L, const std::string& utc) {
  std::tm tm{};
  if (utc.size() < 19 || !strptime(utc.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return utc;
  if (!L.vi) return utc;
  std::time_t t = timegm(&tm) + 7 * 3600;
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%d/%m/%Y %H:%M:%S", &tm);
  return std::string(buf) + " (giờ Việt Nam, UTC+7)";
}

struct Severity3 {
  const char* css;
  const char* colour;
};

Severity3 severity_of(const json& r) {
  if (r.value("caused_by_settings", false)) return {"sev-settings", kSettingsColour};
  if (r.value("severity", "error") == "error") return {"sev-error", kErrorColour};
  return {"sev-warning", kWarningColour};
}

const char* severity_label(const Labels& L, const json& r) {
  if (r.value("caused_by_settings", false)) return L.t("Warning (caused by the settings)", "Cảnh báo (do thiết lập)");
  if (r.value("severity", "error") == "error") return L.t("Error", "Lỗi");
  return L.t("Warning", "Cảnh báo");
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
  const int col = 52, h = 180, top = 20;
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
      << "<text x=\"" << x + col / 2 << "\" y=\"" << top + h + 16 << "\" text-anchor=\"middle\" font-size=\"10\">" << esc(month_label(L, m)) << "</text>";
    x += col;
  }
  o << "</svg><p class=\"legend\"><span style=\"color:#78909c\">■</span> " << L.t("signatures", "chữ ký")
    << " &nbsp; <span style=\"color:#c62828\">■</span> " << L.t("not valid", "chưa hợp lệ") << "</p>";
  return o.str();
}

// Per code of the recurring list: its short title and severity group (0 error, 1 warning, 2 caused by the settings).
struct CodeInfo {
  std::string title;
  int group = 0;
};

std::string breakdown_table(const json& buckets, const std::string& dim, const Labels& L, const std::map<std::string, CodeInfo>& codes) {
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
    // The most frequent problem, severity first: a warning the settings caused comes last.
    int top_group = 3;
    for (const auto& [code, n] : b["codes"].items()) {
      auto info = codes.find(code);
      int group = info == codes.end() ? 0 : info->second.group;
      if (group < top_group || (group == top_group && n.get<uint64_t>() > top_n)) top = code, top_n = n, top_group = group;
    }
    auto info = codes.find(top);
    std::string top_text = top.empty() ? "—"
                           : (info == codes.end() ? "" : esc(info->second.title) + " ") + "<span class=\"code\">" + esc(top) +
                                 "</span> (" + std::to_string(top_n) + ")";
    o << "<tr><td>" << esc(value_label(L, dim, value)) << "</td><td class=\"n\">" << b["rows"].get<uint64_t>() << "</td><td class=\"n\">"
      << b["not_passed"].get<uint64_t>() << "</td><td>" << top_text << "</td></tr>";
  }
  o << "</table>";
  if (list.size() > 15) o << "<p class=\"more\">… " << list.size() - 15 << " " << L.t("more in the JSON report", "mục khác trong báo cáo JSON") << "</p>";
  return o.str();
}

const char* class_colour(const std::string& cls) {
  static const std::map<std::string, const char*> colours = {
      {"line_endings", "#1565c0"}, {"base64", "#6a1b9a"},        {"reencoding", "#00838f"},   {"trailing_bytes", "#558b2f"},
      {"leading_bytes", "#9e9d24"}, {"truncation", "#ad1457"},   {"concatenation", "#4e342e"}, {"wrong_content", "#37474f"},
      {"rewritten", "#d84315"},    {"xml_reformatted", "#5e35b1"}, {"xml_reencoded", "#00695c"}, {"xml_prefixes", "#283593"}};
  auto it = colours.find(cls);
  return it == colours.end() ? "#757575" : it->second;
}

// Damage classes over time: per month of arrival, a pale column of the files that arrived and,
// stacked inside it, the damaged files of each class.
std::string damage_chart(const json& months, const std::string& id, const std::string& folder, const Labels& L) {
  std::vector<std::pair<std::string, json>> list;
  for (const auto& [m, c] : months.items())
    if (m != "(none)") list.emplace_back(m, c);
  if (list.size() > 24) list.erase(list.begin(), list.end() - 24);  // the last two years
  if (list.empty()) return "";
  uint64_t max = 1;
  for (const auto& [m, c] : list) max = std::max<uint64_t>(max, c["files"].get<uint64_t>());
  const int col = 52, h = 140, top = 18;
  std::ostringstream o;
  o << "<svg id=\"" << esc(id) << "\" data-folder=\"" << esc(folder) << "\" class=\"damage-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\""
    << col * list.size() + 20 << "\" height=\"" << h + top + 36 << "\" role=\"img\">";
  int x = 10;
  for (const auto& [m, c] : list) {
    uint64_t files = c["files"], damaged = c["damaged"];
    int hf = static_cast<int>(static_cast<double>(files) / max * h);
    o << "<rect x=\"" << x + 4 << "\" y=\"" << top + h - hf << "\" width=\"" << col - 8 << "\" height=\"" << hf << "\" fill=\"#eceff1\"/>";
    int y = top + h;
    for (const auto& [cls, n] : c["classes"].items()) {
      int hc = std::max(1, static_cast<int>(static_cast<double>(n.get<uint64_t>()) / max * h));
      y -= hc;
      o << "<rect x=\"" << x + 4 << "\" y=\"" << y << "\" width=\"" << col - 8 << "\" height=\"" << hc << "\" fill=\"" << class_colour(cls)
        << "\" data-class=\"" << esc(cls) << "\" data-month=\"" << esc(m) << "\" data-files=\"" << n.get<uint64_t>() << "\"/>";
    }
    o << "<text x=\"" << x + col / 2 << "\" y=\"" << top + h - hf - 4 << "\" text-anchor=\"middle\" font-size=\"11\">" << damaged << "/" << files
      << "</text><text x=\"" << x + col / 2 << "\" y=\"" << top + h + 16 << "\" text-anchor=\"middle\" font-size=\"10\">" << esc(month_label(L, m))
      << "</text>";
    x += col;
  }
  o << "</svg>";
  return o.str();
}

std::string damage_section(const json& d, const Labels& L) {
  std::ostringstream o;
  o << "<h2 id=\"damage\">" << L.t("Damage on the way (by month the files arrived)", "Tệp bị hư hỏng trên đường truyền (theo tháng tệp đến)") << "</h2>";
  if (d["damaged"].get<uint64_t>() == 0) {
    o << "<p id=\"no-damage\">" << L.t("No file was found damaged on the way.", "Không phát hiện tệp nào bị hư hỏng trên đường truyền.") << "</p>";
    return o.str();
  }
  o << "<p>" << d["damaged"].get<uint64_t>() << " / " << d["files"].get<uint64_t>() << " "
    << L.t("files were damaged by the systems they passed through (not by the signer). The month is when the file arrived (its file time), not when it was signed.",
           "tệp bị hư hỏng bởi các hệ thống trung gian (không phải do người ký). Tháng là thời điểm tệp đến (thời gian của tệp), không phải thời điểm ký.")
    << "</p>";
  // Since when, where: the statement a province acts on.
  o << "<ul id=\"damage-onsets\">";
  size_t shown = 0;
  for (const auto& on : d["onsets"]) {
    if (++shown > 10) break;
    std::string folder = on["folder"], cls = on["class"], since = on["since"];
    std::string title = d["by_class"].contains(cls) ? d["by_class"][cls][L.vi ? "title_vi" : "title_en"].get<std::string>() : cls;
    std::string where = folder == "." ? L.t("(top folder)", "(thư mục gốc)") : folder;
    o << "<li data-folder=\"" << esc(folder) << "\" data-class=\"" << esc(cls) << "\" data-since=\"" << esc(since) << "\">";
    if (!since.empty()) o << L.t("Since ", "Từ ") << month_label(L, since) << ", ";
    o << on["files"].get<uint64_t>() << L.t(" of ", " trên ") << on["arrived_since"].get<uint64_t>()
      << L.t(" dossiers arriving through ", " hồ sơ đến qua ") << "«" << esc(where) << "»: <b>" << esc(title) << "</b></li>";
  }
  o << "</ul>";
  o << "<table id=\"damage-classes\"><tr><th>" << L.t("Damage", "Hư hỏng") << "</th><th>" << L.t("Files", "Tệp") << "</th><th>"
    << L.t("Recoverable", "Khôi phục được") << "</th><th>" << L.t("First seen", "Từ tháng") << "</th><th>" << L.t("Last seen", "Đến tháng")
    << "</th><th>" << L.t("Codes", "Mã") << "</th></tr>";
  for (const auto& [cls, c] : d["by_class"].items()) {
    std::string codes;
    for (const auto& [code, n] : c["codes"].items()) codes += (codes.empty() ? "" : "<br>") + esc(code) + " (" + std::to_string(n.get<uint64_t>()) + ")";
    o << "<tr data-class=\"" << esc(cls) << "\"><td><span style=\"color:" << class_colour(cls) << "\">■</span> " << esc(c[L.vi ? "title_vi" : "title_en"].get<std::string>())
      << "</td><td class=\"n\">" << c["files"].get<uint64_t>() << "</td><td class=\"n\">" << c["reversible"].get<uint64_t>() << "</td><td>"
      << month_label(L, c["first_month"]) << "</td><td>" << month_label(L, c["last_month"]) << "</td><td class=\"code\">" << codes << "</td></tr>";
  }
  o << "</table>";
  o << "<p class=\"legend\">";
  for (const auto& [cls, c] : d["by_class"].items())
    o << "<span style=\"color:" << class_colour(cls) << "\">■</span> " << esc(c[L.vi ? "title_vi" : "title_en"].get<std::string>()) << " &nbsp; ";
  o << "<span style=\"color:#cfd8dc\">■</span> " << L.t("files arrived", "tệp đến") << "</p>";
  o << "<h3>" << L.t("All folders", "Tất cả thư mục") << "</h3>" << damage_chart(d["by_month"], "chart-damage", "", L);
  // Per folder: the six with the most damaged files.
  std::vector<std::pair<uint64_t, std::string>> folders;
  for (const auto& [folder, c] : d["by_folder"].items()) folders.emplace_back(c["damaged"].get<uint64_t>(), folder);
  std::sort(folders.begin(), folders.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  for (size_t i = 0; i < folders.size() && i < 6; ++i) {
    const std::string& folder = folders[i].second;
    o << "<h3>" << esc(folder == "." ? L.t("(top folder)", "(thư mục gốc)") : folder) << "</h3>"
      << damage_chart(d["arrivals"][folder], "chart-damage-" + std::to_string(i + 1), folder, L);
  }
  return o.str();
}

std::string settings_block(const json& st, const json& run, const Labels& L) {
  auto get = [&](const char* k) { return st.contains(k) ? st[k].get<std::string>() : std::string(); };
  auto or_unknown = [&](const std::string& v) { return v.empty() ? std::string(L.t("(unknown)", "(không rõ)")) : v; };
  std::string revocation = get("revocation"), policy = get("revocation_policy"), at = get("validation_time");
  std::string rev_text = revocation == "offline" ? L.t("offline (--offline): OCSP/CRL services were not asked", "ngoại tuyến (--offline): không truy vấn dịch vụ OCSP/CRL")
                         : revocation == "online" ? L.t("online (OCSP/CRL services asked)", "trực tuyến (có truy vấn dịch vụ OCSP/CRL)")
                                                  : or_unknown(revocation);
  std::string policy_text = policy == "required" ? L.t("required", "bắt buộc") : policy == "optional" ? L.t("optional", "không bắt buộc") : or_unknown(policy);
  std::string at_text = at == "now" ? std::string(L.t("the time of the run", "thời điểm chạy")) +
                                          (run.contains("generated_at") ? " (" + time_label(L, run["generated_at"].get<std::string>()) + ")" : "")
                                    : at.empty() ? or_unknown(at) : time_label(L, at);
  std::ostringstream o;
  o << "<h2>" << L.t("Settings used", "Thiết lập kiểm tra") << "</h2><table id=\"settings\">";
  auto row = [&](const char* key, const char* en, const char* vi, const std::string& value) {
    o << "<tr data-setting=\"" << key << "\"><th>" << L.t(en, vi) << "</th><td>" << esc(value) << "</td></tr>";
  };
  row("trust_profile", "Trust profile", "Hồ sơ tin cậy", or_unknown(get("trust_profile")));
  row("trust_files", "Extra trusted certificates", "Chứng thư tin cậy bổ sung", get("trust_files").empty() ? L.t("none", "không có") : get("trust_files"));
  row("revocation", "Revocation check", "Kiểm tra thu hồi", rev_text);
  row("revocation_policy", "Revocation status", "Trạng thái thu hồi", policy_text);
  row("validation_time", "Validation time", "Thời điểm kiểm tra", at_text);
  row("libsign_version", "libsign version", "Phiên bản libsign", or_unknown(get("libsign_version")));
  o << "</table>";
  if (revocation == "offline")
    o << "<p class=\"legend\">" << L.t("Offline, \"Revocation not checked\" comes from the settings, not from the dossiers; run online for the revocation status.",
                                     "Khi kiểm tra ngoại tuyến, cảnh báo \"Chưa kiểm tra thu hồi\" là do thiết lập, không phải lỗi của hồ sơ; chạy trực tuyến để biết trạng thái thu hồi.")
      << "</p>";
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
    << ".title{font-weight:bold}.code{font-size:12px}tr.sev-warning td{color:#616161}tr.sev-settings td{color:#90a4ae}"
    << "tr.sev-error .sev{color:#c62828;font-weight:bold}#settings th{width:260px}td.sev{min-width:90px}"
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
  o << settings_block(j["settings"], j["run"], L);

  o << "<h2>" << L.t("Results", "Kết quả") << "</h2>";
  std::vector<std::tuple<std::string, uint64_t, std::string>> bars;
  for (const char* k : {"TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE", "ERROR"})
    bars.emplace_back(indication_label(L, k), count(k), indication_colour(k));
  o << hbars(bars, "chart-indications");

  o << "<h2>" << L.t("Recurring errors and what to do", "Lỗi lặp lại và cách xử lý") << "</h2>";
  const auto& rec = j["recurring"];
  if (rec.empty()) o << "<p>" << L.t("No error found.", "Không phát hiện lỗi.") << "</p>";
  else {
    // Chart labels are short titles; errors first (red), warnings after in a muted colour.
    std::vector<std::tuple<std::string, uint64_t, std::string>> code_bars;
    for (size_t i = 0; i < rec.size() && i < 10; ++i)
      code_bars.emplace_back(rec[i][L.vi ? "title_vi" : "title_en"], rec[i]["rows"], severity_of(rec[i]).colour);
    o << hbars(code_bars, "chart-codes");
    o << "<table id=\"recurring\"><tr><th>#</th><th>" << L.t("Problem", "Vấn đề") << "</th><th>" << L.t("Severity", "Mức độ") << "</th><th>"
      << L.t("Signatures", "Chữ ký") << "</th><th>"
      << L.t("Files", "Tệp") << "</th><th>" << L.t("Since", "Từ tháng") << "</th><th>" << L.t("Meaning", "Ý nghĩa") << "</th><th>"
      << L.t("Typical cause", "Nguyên nhân thường gặp") << "</th><th>" << L.t("What to do", "Cách xử lý") << "</th><th>"
      << L.t("Where most", "Nơi gặp nhiều nhất") << "</th></tr>";
    int rank = 0;
    for (const auto& r : rec) {
      std::string code = r["code"];
      std::string where;
      for (const auto& f : r["top_folder"]) where += (where.empty() ? "" : "<br>") + esc(value_label(L, "folder", f["value"].get<std::string>())) + " (" + std::to_string(f["rows"].get<uint64_t>()) + ")";
      o << "<tr data-code=\"" << esc(code) << "\" class=\"" << severity_of(r).css << "\"><td>" << ++rank << "</td><td><span class=\"title\">"
        << esc(r[L.vi ? "title_vi" : "title_en"].get<std::string>()) << "</span><br><span class=\"code\">" << esc(code) << "</span></td><td class=\"sev\">"
        << severity_label(L, r) << "</td><td class=\"n\" data-rows=\"" << esc(code) << "\">" << r["rows"].get<uint64_t>() << "</td><td class=\"n\">"
        << r["files"].get<uint64_t>() << "</td><td>" << month_label(L, r["first_month"].get<std::string>()) << "</td><td>" << esc(r[L.vi ? "message_vi" : "message_en"].get<std::string>())
        << "</td><td>" << esc(r[L.vi ? "cause_vi" : "cause_en"].get<std::string>()) << "</td><td>"
        << esc(r[L.vi ? "hint_vi" : "hint_en"].get<std::string>()) << "</td><td>" << where << "</td></tr>";
    }
    o << "</table>";
  }

  o << damage_section(j["damage"], L);
  o << "<h2>" << L.t("By month of signing", "Theo tháng ký") << "</h2>" << month_chart(j["breakdowns"]["month"], L);
  std::map<std::string, CodeInfo> codes;
  for (const auto& r : rec)
    codes[r["code"]] = CodeInfo{r[L.vi ? "title_vi" : "title_en"], r.value("caused_by_settings", false) ? 2 : r.value("severity", "error") == "error" ? 0 : 1};
  const std::pair<const char*, std::pair<const char*, const char*>> dims[] = {
      {"issuer_ca", {"By issuing CA", "Theo tổ chức cấp chứng thư (CA)"}},
      {"pki", {"By PKI (trust profile)", "Theo hệ thống PKI"}},
      {"organization", {"By signer organisation", "Theo cơ quan, tổ chức ký"}},
      {"portal", {"By portal (top folder)", "Theo cổng/đơn vị (thư mục cấp 1)"}},
      {"folder", {"By folder", "Theo thư mục (xã, phường)"}},
      {"format", {"By kind of file (PDF, XML e-form, CMS)", "Theo loại tệp (PDF, biểu mẫu XML, CMS)"}}};
  for (const auto& [dim, title] : dims)
    o << "<h2>" << L.t(title.first, title.second) << "</h2>" << breakdown_table(j["breakdowns"][dim], dim, L, codes);

  o << "<h2>" << L.t("Worst examples", "Ví dụ điển hình") << "</h2>";
  size_t shown = 0;
  for (const auto& r : rec) {
    if (++shown > 10) break;
    std::string code = r["code"];
    o << "<h3>" << esc(r[L.vi ? "title_vi" : "title_en"].get<std::string>()) << " <span class=\"code\">" << esc(code) << "</span></h3><ul>";
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
  if (run.contains("generated_at")) o << " — " << esc(time_label(L, run["generated_at"].get<std::string>()));
  o << "</p></body></html>\n";
  return o.str();
}

}  // namespace libsign::diagnose
