// `libsign extend IN -o OUT --to B-LT|B-LTA`
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "libsign/sign.hpp"
#include "validation_options.hpp"

namespace libsign::cli {

struct ExtendArgs {
  std::string input, output, to = "B-LT", tsa, tsa_user, tsa_password_env, tsa_password_file;
  double tsa_timeout = 15;
  bool force = false;
  ValidationArgs validation;
};

std::function<int()> add_extend(CLI::App& app) {
  auto a = std::make_shared<ExtendArgs>();
  CLI::App* cmd = app.add_subcommand("extend", "Upgrade a signed dossier to PAdES B-LT (validation data in the DSS) or B-LTA "
                                               "(plus a document timestamp), keeping every signature valid");
  cmd->footer("Exit status: 0 extended; 3 input or usage error; 4 a server failed or validation data could not be fetched.");
  cmd->add_option("input", a->input, "Signed PDF (never modified)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", a->output, "Extended PDF to write (through a temporary file renamed into place)")->required();
  cmd->add_option("--to", a->to, "B-LT or B-LTA")->check(CLI::IsMember({"B-LT", "B-LTA"}))->capture_default_str();
  cmd->add_option("--tsa", a->tsa, "Time-stamping authority URL for B-LTA (http://...)");
  cmd->add_option("--tsa-user", a->tsa_user, "User name for the TSA (HTTP basic authentication)");
  cmd->add_option("--tsa-password-env", a->tsa_password_env, "Environment variable holding the TSA password");
  cmd->add_option("--tsa-password-file", a->tsa_password_file, "File whose first line is the TSA password")->check(CLI::ExistingFile);
  cmd->add_option("--tsa-timeout", a->tsa_timeout, "Seconds to wait for the TSA")->capture_default_str();
  cmd->add_flag("--force", a->force, "Allow the output to replace the input file");
  add_validation_options(cmd, a->validation, false);
  return [a] {
    ExtendOptions options;
    options.to = a->to == "B-LTA" ? PadesLevel::b_lta : PadesLevel::b_lt;
    options.validation = to_verify_options(a->validation);
    if (!a->tsa.empty()) {
      TsaOptions tsa;
      tsa.url = a->tsa;
      tsa.username = a->tsa_user;
      if (!a->tsa_password_env.empty()) tsa.password_env = a->tsa_password_env;
      if (!a->tsa_password_file.empty()) tsa.password_file = a->tsa_password_file;
      tsa.timeout = std::chrono::milliseconds(static_cast<long long>(a->tsa_timeout * 1000));
      // The TSA's certificate is checked against the same trust as the signatures.
      tsa.trust_profile = options.validation.trust_profile;
      tsa.profile_dirs = options.validation.profile_dirs;
      tsa.trust_paths = options.validation.trust_paths;
      options.tsa = tsa;
    }
    extend_pdf_file(a->input, a->output, options, a->force);
    std::cerr << "libsign: extended " << a->input << " -> " << a->output << " (" << a->to << ")\n";
    return kAllPassed;
  };
}

}  // namespace libsign::cli
