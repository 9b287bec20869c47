// `libsign inspect FILE`
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "libsign/inspect.hpp"

namespace libsign::cli {

std::function<int()> add_inspect(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  CLI::App* cmd = app.add_subcommand("inspect", "Show the signature structure of a PDF: revisions, fields, ByteRanges, "
                                                "signed attributes, certificates (no verdict)");
  cmd->add_option("file", *file, "PDF file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--format", *format, "text or json (libsign-inspect/1)")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  return [file, format] {
    std::cout << (*format == "json" ? inspect_pdf_file_json(*file) + "\n" : inspect_pdf_file(*file));
    return kAllPassed;
  };
}

}  // namespace libsign::cli
