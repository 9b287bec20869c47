// The XML e-form options of `libsign sign` and `libsign verify` (kept here so that the PDF commands
// only carry small hooks).
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "libsign/sign.hpp"
#include "libsign/xml.hpp"

namespace libsign::cli {

struct XmlArgs {
  std::string target, signature, parent, c14n = "exc", xades = "none", signature_id;
  bool canonical = false;
  bool enveloped_only = false;
  bool no_signing_time = false;
};

// Whether the file's first non-blank bytes are '<' (an XML e-form) rather than a PDF.
bool is_xml_file(const std::string& path);

void add_xml_verify_options(CLI::App* cmd, XmlArgs& args);
void add_xml_sign_options(CLI::App* cmd, XmlArgs& args);

XmlVerifyOptions to_xml_verify_options(const XmlArgs& args);
// `pdf` gives what sign shares with PDF signing: the signing time and the TSA (a TSA means B-T).
XmlSignOptions to_xml_sign_options(const XmlArgs& args, const SignOptions& pdf);

}  // namespace libsign::cli
