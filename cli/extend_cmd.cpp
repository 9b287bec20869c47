// `libsign extend IN -o OUT --to B-LT|B-LTA` (a PDF, an XAdES e-form or a CMS .p7s/.p7m: detected by structure)
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "commands.hpp"
#include "libsign/sign.hpp"
#include "libsign/verify.hpp"
#include "validation_options.hpp"

namespace libsign::cli {
namespace {

// "cms", "xml" or "pdf", by structure as verify decides (CMS: DER, PEM or Base64 SignedData; XML: the
// first non-blank byte is '<'); anything else is taken for a PDF. Only the head of a large file is
// read: armoured CMS is text starting with "-----BEGIN " or "MI", read whole.
std::string input_format(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(64 * 1024, '\0');
  in.read(&head[0], static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  const std::string format = detect_format(head);
  if (format == "cms" || format == "xml") return format;
  size_t text = head.find_first_not_of(" \t\r\n");
  if (text == std::string::npos || (head.compare(text, 11, "-----BEGIN ") != 0 && head.compare(text, 2, "MI") != 0)) return "pdf";
  std::string rest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return detect_format(head + rest) == "cms" ? "cms" : "pdf";
}

}  // namespace

struct ExtendArgs {
  std::string input, output, to = "B-LT", content;
  TsaArgs tsa;
  bool force = false;
  ValidationArgs validation;
};

std::function<int()> add_extend(CLI::App& app) {
  auto a = std::make_shared<ExtendArgs>();
  CLI::App* cmd = app.add_subcommand("extend", "Upgrade a signed dossier to PAdES B-LT (validation data in the DSS) or B-LTA "
                                               "(plus a document timestamp), an XAdES e-form to XAdES B-LT/B-LTA, or a .p7s/.p7m "
                                               "to CAdES B-LT/B-LTA, keeping every signature valid");
  cmd->footer("Exit status: 0 extended; 3 input or usage error; 4 a server failed or validation data could not be fetched.");
  cmd->add_option("input", a->input, "Signed PDF, XAdES XML or CMS signature .p7s/.p7m (never modified)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--content", a->content, "The file a detached .p7s signs (needed for B-LTA)")->check(CLI::ExistingFile);
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
    const std::string format = input_format(a->input);
    if (format == "cms") extend_cms_file(a->input, a->output, options, a->content, a->force);
    else if (format == "xml") extend_xml_file(a->input, a->output, options, a->force);
    else extend_pdf_file(a->input, a->output, options, a->force);
    std::cerr << "libsign: extended " << a->input << " -> " << a->output << " (" << a->to << ")\n";
    return kAllPassed;
  };
}

}  // namespace libsign::cli
