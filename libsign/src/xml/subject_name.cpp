// ds:X509SubjectName as Vietnamese portals (e-invoice, tax, social insurance) expect it: country
// first, the person or company last, then the identifiers: "C=VN, ST=..., L=..., O=..., CN=..., UID=MST:...".
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "libsign/xml.hpp"
#include "pki/certificate.hpp"

namespace libsign {
namespace {

struct Label {
  int nid;
  const char* label;
};
const Label kOrder[] = {
    {NID_countryName, "C"}, {NID_stateOrProvinceName, "ST"}, {NID_localityName, "L"},
    {NID_organizationName, "O"}, {NID_organizationalUnitName, "OU"}, {NID_title, "title"},
    {NID_commonName, "CN"}, {NID_userId, "UID"}, {NID_pkcs9_emailAddress, "emailAddress"},
};

}  // namespace

std::string xml_subject_name(const std::string& certificate_der) {
  auto certs = pki::parse_certificates(certificate_der);
  if (certs.empty()) throw Error(ErrorCategory::format, "KEY_FILE_INVALID", "not a certificate");
  const X509_NAME* name = X509_get_subject_name(certs.front().get());
  std::string out;
  auto append = [&](const std::string& label, const std::string& value) {
    if (!out.empty()) out += ", ";
    out += label + "=" + value;
  };
  std::vector<bool> used(static_cast<size_t>(X509_NAME_entry_count(name)), false);
  for (const auto& l : kOrder) {
    for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
      X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
      if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(e)) != l.nid) continue;
      append(l.label, pki::entry_utf8(e));
      used[static_cast<size_t>(i)] = true;
    }
  }
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    if (used[static_cast<size_t>(i)]) continue;
    X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
    char oid[80];
    OBJ_obj2txt(oid, sizeof oid, X509_NAME_ENTRY_get_object(e), 1);
    append(nid != NID_undef ? OBJ_nid2sn(nid) : oid, pki::entry_utf8(e));
  }
  return out;
}

}  // namespace libsign
