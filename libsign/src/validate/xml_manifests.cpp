// ds:Manifest references (XML-DSig 5.1): checked with the same reference code as SignedInfo's and
// reported one by one, but never part of the core verdict — what a manifest reference means is for
// the application. A digest that does not hold is a warning (XML_MANIFEST_REFERENCE_FAILED).
#include <algorithm>

#include "validate/xml_coverage.hpp"
#include "validate/xml_steps.hpp"
#include "xml/xml_doc.hpp"

namespace libsign::validate {
namespace {

constexpr size_t kMaxManifestReferences = 64;  // each one canonicalises part of the document

const char* status_name(xml::RefStatus s) {
  switch (s) {
    case xml::RefStatus::ok: return "ok";
    case xml::RefStatus::digest_mismatch: return "failed";
    case xml::RefStatus::not_found:
    case xml::RefStatus::duplicate_id:
    case xml::RefStatus::external: return "unresolvable";
    case xml::RefStatus::unsupported_transform:
    case xml::RefStatus::transform_limit:
    case xml::RefStatus::unsupported_digest: return "unsupported";
    case xml::RefStatus::malformed: break;
  }
  return "malformed";
}

// The manifests of this signature: those in its own ds:Object elements, and any a SignedInfo
// reference resolves to (a manifest may live elsewhere in the document).
std::vector<xmlNode*> manifests_of(const XmlSignatureState& st) {
  std::vector<xmlNode*> out;
  for (xmlNode* object : xml::children(st.sig.node, xml::kDsigNs, "Object"))
    for (xmlNode* m : xml::children(object, xml::kDsigNs, "Manifest")) out.push_back(m);
  for (const auto& r : st.references)
    if (r.status == xml::RefStatus::ok && r.target && xml::is_element(r.target, xml::kDsigNs, "Manifest") &&
        std::find(out.begin(), out.end(), r.target) == out.end())
      out.push_back(r.target);
  return out;
}

}  // namespace

void check_manifests(XmlSignatureState& st) {
  std::vector<xmlNode*> manifests = manifests_of(st);
  if (manifests.empty()) return;
  xml::ProcessOptions po;
  po.max_bytes = st.options->max_bytes;
  po.enveloped_only = st.options->enveloped_only;
  size_t checked = 0, ok = 0, failed = 0, other = 0;
  for (xmlNode* m : manifests) {
    const std::string id = xml::attribute(m, "Id");
    const std::string label = id.empty() ? xml::node_path(m) : id;
    bool manifest_signed = false;
    for (const auto& r : st.references)
      if (r.status == xml::RefStatus::ok && !first_unsigned_node(r, st.sig.node, m)) manifest_signed = true;
    for (xmlNode* ref : xml::children(m, xml::kDsigNs, "Reference")) {
      ManifestReference out;
      out.manifest = label;
      out.manifest_signed = manifest_signed;
      out.uri = xml::attribute(ref, "URI");
      if (checked == kMaxManifestReferences) {
        out.status = "unsupported";
        out.detail = "not checked: more than " + std::to_string(kMaxManifestReferences) + " manifest references";
        st.report.manifest_references.push_back(std::move(out));
        ++other;
        continue;
      }
      ++checked;
      xml::ReferenceResult r = xml::process_reference(st.doc, st.sig.node, ref, po);
      out.status = status_name(r.status);
      if (r.target) out.element = xml::node_path(r.target);
      out.digest_algorithm = r.digest;
      out.detail = r.detail;
      if (r.status == xml::RefStatus::ok) {
        ++ok;
      } else if (r.status == xml::RefStatus::digest_mismatch) {
        ++failed;
        std::map<std::string, std::string> e = {{"manifest", label},
                                                {"manifest_signed", manifest_signed ? "true" : "false"},
                                                {"uri", out.uri},
                                                {"digest_expected", r.expected_b64},
                                                {"digest_computed", r.actual_b64}};
        if (!out.element.empty()) e["element"] = out.element;
        st.add("XML_MANIFEST_REFERENCE_FAILED", std::move(e));
      } else {
        ++other;
      }
      st.report.manifest_references.push_back(std::move(out));
    }
  }
  st.check("manifests", failed ? CheckStatus::warning : ok ? CheckStatus::passed : CheckStatus::skipped,
           std::to_string(ok) + " manifest reference(s) hold, " + std::to_string(failed) + " do not, " +
               std::to_string(other) + " not checked (not part of the verdict)");
}

}  // namespace libsign::validate
