// `libsign verify FILE...`
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "error_output.hpp"
#include "validation_options.hpp"
#include "xml_options.hpp"
#include "libsign/cms.hpp"
#include "libsign/verify.hpp"

namespace libsign::cli {
namespace {

struct VerifyArgs {
  std::vector<std::string> files;
  ValidationArgs validation;
  std::string format = "text", lang = "en";
  std::string content, extract;  // detached CMS: the signed file; enveloping CMS: where to write the content
  XmlArgs xml;  // XML e-forms (cli/xml_options)
  bool inner = true;  // a .p7m holding a PDF or XML: verify that document's own signatures too
};

DocumentReport verify_one(const Verifier& verifier, const VerifyArgs& args, const std::string& file) {
  if (!args.content.empty()) return verifier.verify_cms_file(file, args.content);
  if (is_xml_file(file)) return verifier.verify_xml_file(file, to_xml_verify_options(args.xml));
  return verifier.verify_file(file);
}

// The content of a verified enveloping signature; refused when the signature failed (altered content).
void extract_content(const VerifyArgs& args, const std::string& file, const DocumentReport& report) {
  if (report.indication == Indication::total_failed)
    throw Error(ErrorCategory::usage, "EXTRACT_REFUSED", "the signature failed: the content is not extracted");
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  write_file_atomically(args.extract, extract_cms_content(bytes));
}

// Both layers of a .p7m count: the CMS signers and the enclosed document's own signatures.
int status_of(const DocumentReport& r) {
  switch (r.worst_indication()) {
    case Indication::total_passed: return kAllPassed;
    case Indication::total_failed: return kFailed;
    case Indication::indeterminate: return kIndeterminate;
  }
  return kIndeterminate;
}

void print_diagnosis(const Error& e, const std::string& lang) {
  for (const Finding& f : e.diagnosis()) {
    const bool vi = lang == "vi";
    std::cerr << "  " << f.code << ": " << (vi ? f.message_vi : f.message_en) << "\n  " << (vi ? f.hint_vi : f.hint_en) << "\n";
    for (const auto& [key, value] : f.evidence)
      if (key != "class" && key != "reversible") std::cerr << "    " << key << " = " << value << "\n";
  }
}

// Worst first: input error, then failed, then indeterminate.
int combine(int a, int b) {
  auto rank = [](int s) { return s == kInputError ? 3 : s == kFailed ? 2 : s == kIndeterminate ? 1 : 0; };
  return rank(a) >= rank(b) ? a : b;
}

int run(const VerifyArgs& args) {
  VerifyOptions options = to_verify_options(args.validation);
  options.verify_inner = args.inner;
  Verifier verifier(options);  // trust errors are usage errors: main() maps them to exit 3

  int status = kAllPassed;
  std::vector<std::string> reports;  // JSON texts, printed as one object or an array
  for (const auto& file : args.files) {
    try {
      DocumentReport report = verify_one(verifier, args, file);
      if (!args.extract.empty()) extract_content(args, file, report);
      status = combine(status, status_of(report));
      if (args.format == "json") reports.push_back(report.to_json(2));
      else std::cout << report.to_text(args.lang) << (args.files.size() > 1 ? "\n" : "");
    } catch (const Error& e) {
      status = kInputError;
      print_error(std::cerr, file, e.code(), e.what(), args.lang);
      print_diagnosis(e, args.lang);
      if (args.format == "json") {
        nlohmann::json error_object = error_json(file, e.code(), to_string(e.category()), e.what());
        error_object["diagnosis"] = diagnosis_json(e);
        nlohmann::json error = {{"schema", "libsign-report/1"}, {"document", nullptr}, {"error", error_object}};
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
  CLI::App* cmd = app.add_subcommand("verify", "Verify every signature of PDF dossiers, XML e-forms and CMS (.p7s/.p7m) signatures");
  cmd->footer(
      "Exit status (a .p7m's enclosed document counts too): 0 every signature TOTAL_PASSED; 1 some TOTAL_FAILED; 2 otherwise some INDETERMINATE\n"
      "(including a document without signatures); 3 input or usage error (unreadable, unknown format, encrypted, bad option).");
  cmd->add_option("files", args->files, "Files to verify: PDF, XML, or CMS signatures (.p7s with its file beside it, .p7m)")
      ->required()
      ->check(CLI::ExistingPath);
  cmd->add_option("--content", args->content, "The file a detached .p7s signs (when it is not beside it as FILE for FILE.p7s)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--extract", args->extract, "Write the content of an enveloping .p7m here (not when its signature failed)");
  cmd->add_flag("--inner,!--no-inner", args->inner,
                "A .p7m whose content is a PDF or XML: also verify that document's own signatures (default; the report nests them)");
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
