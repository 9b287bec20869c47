// `libsign recover IN -o OUT`: the signed original of a file damaged in transit (docs/damage.md),
// written only when its signatures verify.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "libsign/recover.hpp"
#include "validation_options.hpp"

namespace libsign::cli {

struct RecoverArgs {
  std::string input, output;
  bool force = false;
  ValidationArgs validation;
};

std::function<int()> add_recover(CLI::App& app) {
  auto a = std::make_shared<RecoverArgs>();
  CLI::App* cmd = app.add_subcommand("recover", "Rebuild the signed original of a file damaged in transit (line ends, Base64, "
                                                "re-encoding, added bytes, two files joined) and write it when its signatures verify");
  cmd->footer("Exit status: 0 written; 3 nothing to recover (RECOVER_NOT_DAMAGED), the original does not verify "
              "(RECOVER_REFUSED), or an input/usage error. `libsign verify` shows the damage found.");
  cmd->add_option("input", a->input, "The damaged file (never modified)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", a->output, "Where to write the original (through a temporary file renamed into place)")->required();
  cmd->add_flag("--force", a->force, "Allow the output to replace the input file");
  add_validation_options(cmd, a->validation, true);
  return [a] {
    Verifier verifier(to_verify_options(a->validation));
    DocumentReport report = recover_file(verifier, a->input, a->output, a->force);
    std::cerr << "libsign: recovered " << a->input << " -> " << a->output << " (" << report.recovery_method << ";";
    for (const Finding& f : report.findings)
      if (f.code.rfind("DAMAGE_", 0) == 0) std::cerr << " " << f.code;
    std::cerr << ")\n";
    return kAllPassed;
  };
}

}  // namespace libsign::cli
