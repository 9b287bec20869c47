// `libsign sign IN -o OUT ...`
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cctype>
#include <fstream>
#include <sstream>
#include <iostream>
#include <memory>

#include "appearance_options.hpp"
#include "commands.hpp"
#include "validation_options.hpp"
#include "xml_options.hpp"
#include "libsign/cms.hpp"
#include "libsign/pkcs11.hpp"
#include "libsign/sign.hpp"
#include "libsign/verify.hpp"

namespace libsign::cli {
namespace {

struct SignArgs {
  std::string input, output;
  std::string p12, key, cert;
  std::vector<std::string> chain;
  std::string password_env, password_file;
  std::string level = "B-B";
  TsaArgs tsa;
  int certify = 0;
  std::string visible, field, reason, location, contact, signing_time;
  AppearanceArgs look;        // visible signature images, font, preset, frame (cli/appearance_options)
  bool force = false;
  std::string external_prepare, external_finish, external_data, signature_file;
  std::string pkcs11_module, token_label, token_serial, key_label, key_id, pkcs11_uri, pin_env, pin_file;
  bool pin_pad = false;
  bool detached = false, enveloping = false, pem = false;
  ValidationArgs validation;  // B-LT / B-LTA: chain building and revocation fetching
  XmlArgs xml;                // XML e-forms (cli/xml_options)
};

// Reads a password from the terminal without echo; never from the command line.
Secret prompt_password(const std::string& what) {
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (!tty) throw Error(ErrorCategory::usage, "PASSWORD_SOURCE_MISSING", "no password given (--password-env or --password-file) and no terminal to ask on");
  // Echo goes off before the prompt appears, so nothing typed early is ever shown.
  termios old{};
  bool has_termios = tcgetattr(fileno(tty), &old) == 0;
  if (has_termios) {
    termios quiet = old;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    tcsetattr(fileno(tty), TCSANOW, &quiet);
  }
  std::fprintf(tty, "Password for %s: ", what.c_str());
  std::fflush(tty);
  std::string line;
  for (int c; (c = std::fgetc(tty)) != EOF && c != '\n';) line.push_back(static_cast<char>(c));
  if (has_termios) tcsetattr(fileno(tty), TCSANOW, &old);
  std::fprintf(tty, "\n");
  std::fclose(tty);
  return Secret::from_string(std::move(line));
}

Secret key_password(const SignArgs& a, const std::string& what) {
  if (!a.password_env.empty()) return Secret::from_env(a.password_env);
  if (!a.password_file.empty()) return Secret::from_file(a.password_file);
  return prompt_password(what);
}

VisibleSignature parse_visible(const std::string& spec) {
  VisibleSignature v;
  char tail = 0;
  if (std::sscanf(spec.c_str(), "%d:%lf,%lf,%lf,%lf%c", &v.page, &v.x, &v.y, &v.width, &v.height, &tail) != 5)
    throw Error(ErrorCategory::usage, "RECTANGLE_INVALID", "--visible wants PAGE:X,Y,W,H (points), e.g. 1:350,60,220,80");
  return v;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCategory::io, "INPUT_UNREADABLE", "cannot read '" + path + "'", errno);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The CAdES options of `sign` (--level B-B/B-T, --tsa, --enveloping, --pem, --signing-time).
CmsSignOptions cms_options(const SignArgs& a) {
  if (a.level != "B-B" && a.level != "B-T")
    throw Error(ErrorCategory::usage, "LEVEL_UNSUPPORTED", "CMS signatures are made at B-B or B-T (--level B-LT/B-LTA is for PDF)");
  CmsSignOptions options;
  options.enveloping = a.enveloping;
  options.pem = a.pem;
  options.tsa = to_tsa_options(a.tsa);
  options.level = a.level == "B-T" || options.tsa ? CadesLevel::b_t : CadesLevel::b_b;
  if (!a.signing_time.empty()) options.signing_time = parse_time(a.signing_time);
  return options;
}

std::vector<std::string> external_certificates(const SignArgs& a) {
  if (a.cert.empty()) throw Error(ErrorCategory::usage, "KEY_MISSING", "--external-prepare needs --cert (and --chain)");
  std::vector<std::string> ders = load_certificates_der(a.cert);
  for (const auto& path : a.chain) {
    auto certs = load_certificates_der(path);
    ders.insert(ders.end(), certs.begin(), certs.end());
  }
  return ders;
}

// Phase 1: lay the signature out, write the state, print the SHA-256 to sign (hex).
int run_prepare(const SignArgs& a, const SignOptions& options, bool cms) {
  std::vector<std::string> certificates = external_certificates(a);
  std::string input = read_all(a.input);
  ExternalRequest request = is_xml_file(a.input) ? prepare_external_xml(input, certificates, to_xml_sign_options(a.xml, options))
                            : cms                   ? prepare_external_cms(input, certificates, cms_options(a))
                                                    : prepare_external_signature(input, certificates, options);
  write_file_atomically(a.external_prepare, request.state);
  if (!a.external_data.empty()) write_file_atomically(a.external_data, request.data_to_sign);
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : request.digest) {
    hex.push_back(digits[c >> 4]);
    hex.push_back(digits[c & 15]);
  }
  std::cout << hex << "\n";
  return kAllPassed;
}

// Phase 2: the signature value (or a whole CMS) from the service completes the file (PDF) or
// becomes the .p7s/.p7m (CMS; the state says which).
int run_finish(const SignArgs& a) {
  if (a.signature_file.empty()) throw Error(ErrorCategory::usage, "KEY_MISSING", "--external-finish needs --signature FILE");
  std::string input = read_all(a.input);
  std::string state = read_all(a.external_finish);
  std::string signature = read_all(a.signature_file);
  bool cms = state.find("\"libsign-external-cms/1\"") != std::string::npos;
  bool xml = state.find("\"libsign-external-xml/1\"") != std::string::npos;
  std::string out = xml   ? finish_external_xml(input, state, signature, to_tsa_options(a.tsa))
                    : cms ? finish_external_cms(input, state, signature, to_tsa_options(a.tsa))
                          : finish_external_signature(input, state, signature, to_tsa_options(a.tsa));
  write_file_atomically(a.output, out);
  std::cerr << "libsign: signed " << a.input << " -> " << a.output << "\n";
  return kAllPassed;
}

// The key from a PKCS#12 file, a PKCS#11 token or PEM files; nullptr for two-phase signing.
std::unique_ptr<Signer> load_signer(const SignArgs& a) {
  std::unique_ptr<Signer> signer;
  if (!a.p12.empty()) {
    signer = load_pkcs12_signer(a.p12, key_password(a, a.p12));
  } else if (!a.pkcs11_module.empty() || !a.pkcs11_uri.empty()) {
    Pkcs11Options p;
    p.module_path = a.pkcs11_module;
    p.token_label = a.token_label;
    p.token_serial = a.token_serial;
    p.key_label = a.key_label;
    p.key_id_hex = a.key_id;
    p.uri = a.pkcs11_uri;
    p.chain_paths = a.chain;
    if (!a.cert.empty()) p.chain_paths.insert(p.chain_paths.begin(), a.cert);
    p.protected_authentication_path = a.pin_pad;
    // Never prompt for a PIN pad; a pin-source in the URI is used when no other source is given.
    Secret pin = !a.pin_env.empty()    ? Secret::from_env(a.pin_env)
                 : !a.pin_file.empty() ? Secret::from_file(a.pin_file)
                 : a.pin_pad || a.pkcs11_uri.find("pin-source=") != std::string::npos ? Secret()
                                                                                       : prompt_password("the token");
    signer = load_pkcs11_signer(p, pin);
  } else if (!a.external_prepare.empty()) {
    // Two-phase signing: no key here.
  } else if (!a.key.empty() && !a.cert.empty()) {
    Secret pass = (!a.password_env.empty() || !a.password_file.empty()) ? key_password(a, a.key) : Secret();
    signer = load_pem_signer(a.key, a.cert, a.chain, pass);
  } else {
    throw Error(ErrorCategory::usage, "KEY_MISSING", "give --p12 FILE, --key KEY --cert CERT [--chain FILE], or --pkcs11-module");
  }
  return signer;
}

// Anything that is not signed as a PDF (or XML): a CAdES signature beside it (.p7s) or around it (.p7m).
int run_cms(const SignArgs& a, const Signer& signer) {
  CmsSignOptions options = cms_options(a);
  std::string output = !a.output.empty() ? a.output : a.input + (a.enveloping ? ".p7m" : ".p7s");
  sign_cms_file(a.input, output, signer, options, a.force);
  std::cerr << "libsign: signed " << a.input << " -> " << output << "\n";
  return kAllPassed;
}

bool named_pdf(const std::string& path) {
  if (path.size() < 4) return false;
  std::string ext = path.substr(path.size() - 4);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".pdf";
}

// PDF and XML are signed inside; other files, or any with --detached/--enveloping, get a CMS signature.
// A file named .pdf that is not one is refused: signing it "as any file" would write a CMS into the
// PDF the caller asked for.
bool wants_cms(const SignArgs& a) {
  if (a.detached || a.enveloping) return true;
  std::ifstream in(a.input, std::ios::binary);
  std::string head(1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  std::string format = detect_format(head);
  if (format != "pdf" && named_pdf(a.input))
    throw Error(ErrorCategory::format, "INPUT_NOT_PDF",
                a.input + " is named .pdf but is not a PDF (no %PDF- header); to sign it as any file, give --detached or --enveloping");
  return format != "pdf" && format != "xml";
}

int run(const SignArgs& a) {
  if (!a.external_finish.empty()) {
    if (a.output.empty()) throw Error(ErrorCategory::usage, "OUTPUT_MISSING", "give -o OUTPUT");
    return run_finish(a);
  }
  const bool cms = wants_cms(a);
  if (!cms && a.output.empty() && a.external_prepare.empty())
    throw Error(ErrorCategory::usage, "OUTPUT_MISSING", "give -o OUTPUT");
  std::unique_ptr<Signer> signer = load_signer(a);  // may ask for a password: after the cheap checks
  if (cms && a.external_prepare.empty()) return run_cms(a, *signer);
  SignOptions options;
  options.level = a.level == "B-T" ? PadesLevel::b_t : a.level == "B-LT" ? PadesLevel::b_lt : a.level == "B-LTA" ? PadesLevel::b_lta : PadesLevel::b_b;
  options.validation = to_verify_options(a.validation);
  options.tsa = to_tsa_options(a.tsa);
  if (options.tsa && a.level == "B-B") options.level = PadesLevel::b_t;  // a TSA given means a timestamp wanted
  if (a.certify) options.certify = a.certify;
  options.field_name = a.field;
  options.reason = a.reason;
  options.location = a.location;
  options.contact_info = a.contact;
  if (!a.visible.empty()) options.visible = parse_visible(a.visible);
  if (!a.signing_time.empty()) options.signing_time = parse_time(a.signing_time);
  apply_appearance_options(a.look, options.visible);
  if (!a.external_prepare.empty()) return run_prepare(a, options, cms);
  if (is_xml_file(a.input)) {
    sign_xml_file(a.input, a.output, *signer, to_xml_sign_options(a.xml, options), a.force);
    std::cerr << "libsign: signed " << a.input << " -> " << a.output << "\n";
    return kAllPassed;
  }
  sign_pdf_file(a.input, a.output, *signer, options, a.force);
  std::cerr << "libsign: signed " << a.input << " -> " << a.output << "\n";
  return kAllPassed;
}

}  // namespace

std::function<int()> add_sign(CLI::App& app) {
  auto a = std::make_shared<SignArgs>();
  CLI::App* cmd = app.add_subcommand("sign", "Sign a PDF dossier (PAdES, an incremental update), an XML e-form (XML-DSig/XAdES) or any file (CAdES .p7s/.p7m)");
  cmd->footer(
      "Passwords are never taken on the command line: --password-env, --password-file, or a prompt on the terminal.\n"
      "Exit status: 0 signed; 3 input or usage error (nothing written); 4 the time-stamping authority failed (retry later).");
  cmd->add_option("input", a->input, "File to sign (never modified): a PDF or an XML e-form is signed inside (PAdES, XML-DSig), any other file beside it (CAdES)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", a->output, "Signed file to write (through a temporary file renamed into place)");
  cmd->add_option("--p12", a->p12, "PKCS#12 file with the key and certificate chain")->check(CLI::ExistingFile);
  cmd->add_option("--key", a->key, "PEM private key (with --cert)")->check(CLI::ExistingFile);
  cmd->add_option("--cert", a->cert, "PEM certificate of the key")->check(CLI::ExistingFile);
  cmd->add_option("--chain", a->chain, "PEM file(s) with the CA chain to embed; repeatable")->check(CLI::ExistingFile);
  cmd->add_option("--password-env", a->password_env, "Environment variable holding the key password");
  cmd->add_option("--password-file", a->password_file, "File whose first line is the key password")->check(CLI::ExistingFile);
  cmd->add_option("--level", a->level,
                  "PAdES level: B-B; B-T (with --tsa); B-LT (also the chain and revocation data in the DSS); B-LTA (also a document timestamp)")
      ->check(CLI::IsMember({"B-B", "B-T", "B-LT", "B-LTA"}))
      ->capture_default_str();
  add_tsa_options(cmd, a->tsa, true);
  cmd->add_option("--certify", a->certify, "A certification signature with DocMDP P: 1 no changes, 2 form filling and signing, 3 also annotations")
      ->check(CLI::Range(1, 3));
  cmd->add_option("--visible", a->visible, "Visible signature at PAGE:X,Y,W,H (points from the lower-left corner), e.g. 1:350,60,220,80");
  cmd->add_option("--field", a->field, "Signature field name; an existing empty field is filled (its rectangle is used)");
  cmd->add_option("--reason", a->reason, "Reason for signing (shown and stored)");
  cmd->add_option("--location", a->location, "Place of signing (shown and stored)");
  cmd->add_option("--contact", a->contact, "Contact information (stored)");
  add_appearance_options(cmd, a->look);
  cmd->add_option("--signing-time", a->signing_time,
                  "Claimed signing time written in /M (default: now), e.g. 2026-06-15T09:00:00+07:00; a timestamp proves time, this only claims it");
  cmd->add_flag("--force", a->force, "Allow the output to replace the input file");
  cmd->add_flag("--detached", a->detached,
                "A detached CAdES signature (default -o: INPUT.p7s); files other than PDF and XML are always signed so");
  cmd->add_flag("--enveloping", a->enveloping, "A CAdES signature holding the file inside it (default -o: INPUT.p7m)");
  cmd->add_flag("--pem", a->pem, "With --detached/--enveloping: PEM armour instead of DER");
  cmd->add_option("--pkcs11-module", a->pkcs11_module, "PKCS#11 module (token driver) to sign with a USB token or an HSM");
  cmd->add_option("--token-label", a->token_label, "Token label (see `libsign tokens`)");
  cmd->add_option("--token-serial", a->token_serial, "Token serial number");
  cmd->add_option("--key-label", a->key_label, "Private key label on the token");
  cmd->add_option("--key-id", a->key_id, "Private key id on the token (hex)");
  cmd->add_option("--pkcs11-uri", a->pkcs11_uri, "An RFC 7512 pkcs11: URI choosing token and key (pin-value refused; pin-source=file: allowed)");
  cmd->add_option("--pin-env", a->pin_env, "Environment variable holding the token PIN");
  cmd->add_option("--pin-file", a->pin_file, "File whose first line is the token PIN")->check(CLI::ExistingFile);
  cmd->add_flag("--pin-pad", a->pin_pad, "The token has a PIN pad (protected authentication path): no PIN is asked here");
  cmd->add_option("--external-prepare", a->external_prepare,
                  "Two-phase signing, step 1: with --cert/--chain (no key), write the state to this file and print the SHA-256 to sign");
  cmd->add_option("--external-data", a->external_data, "With --external-prepare: also write the DER signed attributes (the data to sign)");
  cmd->add_option("--external-finish", a->external_finish, "Two-phase signing, step 2: the state file written by step 1")
      ->check(CLI::ExistingFile);
  cmd->add_option("--signature", a->signature_file,
                  "With --external-finish: the signature value (raw RSA PKCS#1 v1.5 / ECDSA DER) or a whole CMS from the service")
      ->check(CLI::ExistingFile);
  auto* ltv = cmd->add_option_group("B-LT/B-LTA validation data", "How chains are built and revocation data fetched for B-LT and B-LTA");
  add_validation_options(ltv, a->validation, false);
  add_xml_sign_options(cmd, a->xml);
  return [a] { return run(*a); };
}

}  // namespace libsign::cli
