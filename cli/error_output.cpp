#include "error_output.hpp"

#include <cstring>
#include <ostream>

#include "libsign/catalog.hpp"

namespace libsign::cli {

std::string requested_lang(int argc, char** argv) {
  std::string lang = "en";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) break;
    if (std::strcmp(argv[i], "--lang") == 0 && i + 1 < argc) lang = argv[i + 1];
    else if (std::strncmp(argv[i], "--lang=", 7) == 0) lang = argv[i] + 7;
  }
  return lang == "vi" ? "vi" : "en";
}

void print_error(std::ostream& out, const std::string& where, const std::string& code, const std::string& detail,
                 const std::string& lang) {
  const CatalogEntry* e = find_catalog_entry(code);
  const bool vi = lang == "vi";
  out << "libsign: " << (where.empty() ? "" : where + ": ") << (vi ? "lỗi" : "error") << " [" << code << "]: ";
  if (!vi || !e) {
    out << detail << "\n";
    if (e && e->hint_en[0]) out << "  What to do: " << e->hint_en << "\n";
    return;
  }
  out << e->message_vi << "\n";
  if (e->hint_vi[0]) out << "  Cần làm: " << e->hint_vi << "\n";
  out << "  Chi tiết (tiếng Anh): " << detail << "\n";
}

nlohmann::json error_json(const std::string& path, const std::string& code, const std::string& category,
                          const std::string& detail) {
  const CatalogEntry* e = find_catalog_entry(code);
  auto pair = [](const char* en, const char* vi) { return nlohmann::json{{"en", en}, {"vi", vi}}; };
  return {{"path", path},
          {"code", code},
          {"category", category},
          {"message", e ? pair(e->message_en, e->message_vi) : pair(detail.c_str(), detail.c_str())},
          {"hint", e ? pair(e->hint_en, e->hint_vi) : pair("", "")},
          {"detail", detail}};
}

nlohmann::json diagnosis_json(const Error& e) {
  nlohmann::json out = nlohmann::json::array();
  for (const Finding& f : e.diagnosis())
    out.push_back({{"code", f.code},
                   {"severity", to_string(f.severity)},
                   {"message", {{"en", f.message_en}, {"vi", f.message_vi}}},
                   {"hint", {{"en", f.hint_en}, {"vi", f.hint_vi}}},
                   {"evidence", f.evidence}});
  return out;
}

}  // namespace libsign::cli
