// The XML-specific steps of one signature: references, signer, XAdES properties, signature value.
#pragma once
#include <libxml/tree.h>

#include "libsign/xml.hpp"
#include "pki/chain.hpp"
#include "validate/verdict.hpp"
#include "xml/dsig.hpp"

namespace libsign::validate {

struct XmlSignatureState {
  XmlSignatureState(xmlDoc* doc, xml::ParsedSignature sig, const XmlVerifyOptions* options, xmlNode* target,
                    SignatureReport& report, Verdict& verdict)
      : doc(doc), sig(std::move(sig)), options(options), target(target), report(report), verdict(verdict) {}

  xmlDoc* doc = nullptr;
  xml::ParsedSignature sig;
  const XmlVerifyOptions* options = nullptr;
  xmlNode* target = nullptr;          // the element the caller asked about (nullptr: none asked)
  SignatureReport& report;
  Verdict& verdict;

  // Filled by the steps.
  std::vector<xml::ReferenceResult> references;
  pki::Cert signer;
  std::vector<pki::Cert> certificates;
  std::optional<long long> claimed_time;
  std::string weakest_digest;        // for the algorithm policy: the weakest digest used anywhere
  std::string timestamped_data;      // C14N of ds:SignatureValue (XAdES B-T)
  std::string canonical_signed_info; // what the signature value covers (for the cross-check)
  std::optional<bool> signature_valid;  // libsign's verdict on it, once judged

  void add(const std::string& code, std::map<std::string, std::string> evidence = {});
  void check(const std::string& step, CheckStatus status, const std::string& detail);
};

// Each returns false when the later steps cannot run meaningfully.
bool check_references(XmlSignatureState& st);
void check_target(XmlSignatureState& st);
// Without a caller-named target: is the signed content what a reader reads? (xml_wrapping.cpp)
void check_wrapping(XmlSignatureState& st);
// ds:Manifest references, reported but outside the verdict (xml_manifests.cpp).
void check_manifests(XmlSignatureState& st);
void read_signing_time(XmlSignatureState& st);
bool identify_xml_signer(XmlSignatureState& st);
void check_xml_signature_value(XmlSignatureState& st);
struct SignatureContext;
// The Botan cross-check of an XML signature, after the shared steps (cross_check_step.cpp).
void cross_check_xml(SignatureContext& ctx, const XmlSignatureState& st);

}  // namespace libsign::validate
