// `libsign explain CODE`
#include <iostream>
#include <memory>

#include <cctype>

#include "commands.hpp"
#include "error_output.hpp"
#include "libsign/catalog.hpp"
#include "usage_checks.hpp"

namespace libsign::cli {

std::function<int()> add_explain(CLI::App& app) {
  auto code = std::make_shared<std::string>();
  auto all = std::make_shared<bool>(false);
  auto lang = std::make_shared<std::string>("both");
  CLI::App* cmd = app.add_subcommand("explain", "Explain a finding or error code: meaning and what to do (English and Vietnamese)");
  cmd->add_option("code", *code, "A code such as CHAIN_INCOMPLETE");
  cmd->add_flag("--all", *all, "Print the whole catalog as Markdown (the source of docs/errors.md)");
  cmd->add_option("--lang", *lang, "en, vi or both")->check(CLI::IsMember({"en", "vi", "both"}))->capture_default_str();
  return [code, all, lang] {
    if (*all) {
      std::cout << catalog_markdown();
      return kAllPassed;
    }
    // Codes are written in capitals, but a clerk copying one from a message may not.
    std::string wanted = *code;
    for (auto& c : wanted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const CatalogEntry* e = find_catalog_entry(wanted);
    if (!e) {
      std::vector<std::string> codes;
      for (const auto& entry : findings_catalog()) codes.push_back(entry.code);
      std::string suggestion = closest(wanted, codes);
      print_error(std::cerr, "explain", "CODE_UNKNOWN",
                  "unknown code '" + *code + "'" + (suggestion.empty() ? "" : "; did you mean " + suggestion + "?") +
                      " (see libsign explain --all)",
                  *lang == "vi" ? "vi" : "en");
      return kInputError;
    }
    const CatalogCause* c = find_catalog_cause(e->code);
    static const char* const kSeverityVi[] = {"thông tin", "cảnh báo", "lỗi"};
    std::cout << e->code << " (" << (*lang == "vi" ? kSeverityVi[static_cast<int>(e->severity)] : to_string(e->severity)) << ")\n";
    if (*lang != "vi")
      std::cout << "  " << e->message_en << "\n" << (c ? "  Typical cause: " + std::string(c->cause_en) + "\n" : "")
                << (e->hint_en[0] ? "  What to do: " + std::string(e->hint_en) + "\n" : "");
    if (*lang != "en")
      std::cout << "  " << e->message_vi << "\n" << (c ? "  Nguyên nhân thường gặp: " + std::string(c->cause_vi) + "\n" : "")
                << (e->hint_vi[0] ? "  Cần làm: " + std::string(e->hint_vi) + "\n" : "");
    return kAllPassed;
  };
}

}  // namespace libsign::cli
