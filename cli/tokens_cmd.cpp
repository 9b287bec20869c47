// `libsign tokens [--module PATH]`: what a PKCS#11 module sees, so a clerk can tell why a token
// "is not found" (not plugged in, wrong module, PIN locked, no certificate next to the key...).
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "libsign/pkcs11.hpp"

namespace libsign::cli {
std::function<int()> add_tokens(CLI::App& app) {
  auto module = std::make_shared<std::string>();
  auto json_output = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("tokens", "List the tokens a PKCS#11 module sees: slots, tokens, PIN state, keys and certificates");
  cmd->add_option("--module", *module, "PKCS#11 module (token driver), e.g. /usr/lib/softhsm/libsofthsm2.so")->required();
  cmd->add_flag("--json", *json_output, "JSON output");
  return [module, json_output] {
    std::vector<TokenInfo> tokens = list_tokens(*module);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : tokens) {
      nlohmann::json keys = nlohmann::json::array(), certs = nlohmann::json::array();
      for (const auto& k : t.keys)
        keys.push_back({{"label", k.label}, {"id", k.id_hex}, {"type", k.type}, {"bits", k.bits}, {"has_certificate", k.has_certificate}});
      for (const auto& c : t.certificates)
        certs.push_back({{"label", c.label}, {"id", c.id_hex}, {"subject", c.subject_cn}, {"issuer", c.issuer_cn},
                         {"not_before", c.not_before}, {"not_after", c.not_after}});
      out.push_back({{"slot", t.slot_id}, {"slot_description", t.slot_description}, {"label", t.label}, {"serial", t.serial},
                     {"manufacturer", t.manufacturer}, {"model", t.model}, {"login_required", t.login_required},
                     {"pin_locked", t.pin_locked}, {"pin_final_try", t.pin_final_try}, {"pin_count_low", t.pin_count_low},
                     {"protected_authentication_path", t.protected_authentication_path}, {"keys", keys}, {"certificates", certs}});
    }
    if (*json_output) {
      std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      return kAllPassed;
    }
    if (tokens.empty()) std::cout << "No token present.\n";
    for (const auto& t : tokens) {
      std::cout << "Slot " << t.slot_id << ": " << t.label << " (serial " << t.serial << ", " << t.manufacturer << " " << t.model << ")"
                << (t.pin_locked ? "  PIN LOCKED" : t.pin_final_try ? "  one PIN attempt left" : t.pin_count_low ? "  few PIN attempts left" : "")
                << "\n";
      for (const auto& k : t.keys)
        std::cout << "  key  " << k.label << " id=" << k.id_hex << " " << k.type << "-" << k.bits
                  << (k.has_certificate ? "" : "  (no certificate on the token)") << "\n";
      for (const auto& c : t.certificates)
        std::cout << "  cert " << c.label << " id=" << c.id_hex << " " << c.subject_cn << " / issued by " << c.issuer_cn << " / "
                  << c.not_before << " - " << c.not_after << "\n";
    }
    return kAllPassed;
  };
}

}  // namespace libsign::cli
