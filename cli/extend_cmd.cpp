// `libsign extend IN -o OUT --to B-LT|B-LTA` (a PDF, or an XAdES e-form: detected by structure)
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "libsign/sign.hpp"
#include "libsign/verify.hpp"
#include "validation_options.hpp"

namespace libsign::cli {

struct ExtendArgs {
  std::string input, output, to = "B-LT";
  TsaArgs tsa;
  bool force = false;
  ValidationArgs validation;
};

std::function<int()> add_extend(CLI::App& app) {
  auto a = std::make_shared<ExtendArgs>();
  CLI::App* cmd = app.add_subcommand("extend", "Upgrade a signed dossier to PAdES B-LT (validation data in the DSS) or B-LTA "
                                               "(plus a document timestamp), or an XAdES e-form to XAdES B-LT/B-LTA, "
                                               "keeping every signature valid");
  cmd->footer("Exit status: 0 extended; 3 input or usage error; 4 a server failed or validation data could not be fetched.");
  cmd->add_option("input", a->input, "Signed PDF or XAdES XML (never modified)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", a->output, "Extended file to write (through a temporary file renamed into place)")->required();
  cmd->add_option("--to", a->to, "B-LT or B-LTA")->check(CLI::IsMember({"B-LT", "B-LTA"}))->capture_default_str();
  add_tsa_options(cmd, a->tsa, false);
  cmd->add_flag("--force", a->force, "Allow the output to replace the input file");
  add_validation_options(cmd, a->validation, false);
  return [a] {
    ExtendOptions options;
    options.to = a->to == "B-LTA" ? PadesLevel::b_lta : PadesLevel::b_lt;
    options.validation = to_verify_options(a->validation);
    options.tsa = to_tsa_options(a->tsa);
    if (options.tsa) {
      // The TSA's certificate is checked against the same trust as the signatures.
      options.tsa->trust_profile = options.validation.trust_profile;
      options.tsa->profile_dirs = options.validation.profile_dirs;
      options.tsa->trust_paths = options.validation.trust_paths;
    }
    std::string head(4096, '\0');
    {
      std::ifstream in(a->input, std::ios::binary);
      in.read(&head[0], static_cast<std::streamsize>(head.size()));
      head.resize(static_cast<size_t>(in.gcount()));
    }
    const std::string format = detect_format(head);  // the start tells XML from PDF
    if (format == "xml") extend_xml_file(a->input, a->output, options, a->force);
    else extend_pdf_file(a->input, a->output, options, a->force);
    std::cerr << "libsign: extended " << a->input << " -> " << a->output << " (" << a->to << ")\n";
    return kAllPassed;
  };
}

}  // namespace libsign::cli
