// `libsign verify FILE...`
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "validation_options.hpp"
#include "xml_options.hpp"
#include "libsign/verify.hpp"

namespace libsign::cli {
namespace {

struct VerifyArgs {
  std::vector<std::string> files;
  ValidationArgs validation;
  std::string format = "text", lang = "en";
  XmlArgs xml;  // XML e-forms (cli/xml_options)
};

int status_of(const DocumentReport& r) {
  switch (r.indication) {
    case Indication::total_passed: return kAllPassed;
    case Indication::total_failed: return kFailed;
    case Indication::indeterminate: return kIndeterminate;
  }
  return kIndeterminate;
}

// Worst first: input error, then failed, then indeterminate.
int combine(int a, int b) {
  auto rank = [](int s) { return s == kInputError ? 3 : s == kFailed ? 2 : s == kIndeterminate ? 1 : 0; };
  return rank(a) >= rank(b) ? a : b;
}

int run(const VerifyArgs& args) {
  VerifyOptions options = to_verify_options(args.validation);
  Verifier verifier(options);  // trust errors are usage errors: main() maps them to exit 3

  int status = kAllPassed;
  std::vector<std::string> reports;  // JSON texts, printed as one object or an array
  for (const auto& file : args.files) {
    try {
      DocumentReport report = is_xml_file(file) ? verifier.verify_xml_file(file, to_xml_verify_options(args.xml))
                                                : verifier.verify_pdf_file(file);
      status = combine(status, status_of(report));
      if (args.format == "json") reports.push_back(report.to_json(2));
      else std::cout << report.to_text(args.lang) << (args.files.size() > 1 ? "\n" : "");
    } catch (const Error& e) {
      status = kInputError;
      std::cerr << "libsign: " << file << ": error [" << e.code() << "]: " << e.what() << "\n";
      if (args.format == "json") {
        nlohmann::json error = {{"schema", "libsign-report/1"},
                                {"document", nullptr},
                                {"error", {{"path", file}, {"code", e.code()}, {"category", to_string(e.category())},
                                           {"message", e.what()}}}};
        reports.push_back(error.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
      }
    }
  }
  if (args.format == "json") {
    if (reports.size() == 1) {
      std::cout << reports.front() << "\n";
    } else {
      std::cout << "[\n";
      for (size_t i = 0; i < reports.size(); ++i) std::cout << reports[i] << (i + 1 < reports.size() ? ",\n" : "\n");
      std::cout << "]\n";
    }
  }
  return status;
}

}  // namespace

std::function<int()> add_verify(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand("verify", "Verify every signature of PDF dossiers");
  cmd->footer(
      "Exit status: 0 every signature TOTAL_PASSED; 1 some TOTAL_FAILED; 2 otherwise some INDETERMINATE\n"
      "(including a document without signatures); 3 input or usage error (unreadable, not a PDF, encrypted, bad option).");
  cmd->add_option("files", args->files, "PDF files to verify")->required()->check(CLI::ExistingPath);
  add_validation_options(cmd, args->validation, true);
  cmd->add_option("--format", args->format, "Output: text (for people) or json (libsign-report/1)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--lang", args->lang, "Language of the text output: en or vi")
      ->check(CLI::IsMember({"en", "vi"}))
      ->capture_default_str();
  add_xml_verify_options(cmd, args->xml);
  return [args] { return run(*args); };
}

}  // namespace libsign::cli
