// The one place a diagnosed item is verified, and its report reduced to rows.
#include <algorithm>
#include <set>

#include "diagnose/state_file.hpp"
#include "diagnose/zip_reader.hpp"
#include "libsign/catalog.hpp"
#include "libsign/diagnose.hpp"

namespace libsign::diagnose {
namespace {

// The CN of an RFC 4514 name ("CN=Gov CA,O=...,C=VN"); the whole name when it has none.
std::string common_name_of(const std::string& dn) {
  for (size_t pos = 0; pos < dn.size();) {
    if (dn.compare(pos, 3, "CN=") == 0) {
      std::string out;
      for (size_t i = pos + 3; i < dn.size(); ++i) {
        if (dn[i] == '\\' && i + 1 < dn.size()) { out += dn[++i]; continue; }
        if (dn[i] == ',' || dn[i] == '+') break;
        out += dn[i];
      }
      return out;
    }
    // Next RDN: skip to the next unescaped comma.
    size_t i = pos;
    while (i < dn.size() && dn[i] != ',') i += dn[i] == '\\' ? 2 : 1;
    pos = i + 1;
  }
  return dn;
}

std::string month_of(const SignatureReport& s) {
  const std::string& t = s.timestamp.valid && !s.timestamp.gen_time.empty() ? s.timestamp.gen_time : s.signing_time;
  return t.size() >= 7 ? t.substr(0, 7) : std::string();
}

void add_findings(Row& row, const std::vector<Finding>& findings) {
  std::set<std::string> codes(row.codes.begin(), row.codes.end());
  for (const auto& f : findings) {
    codes.insert(f.code);
    if (f.severity != Severity::info && !f.evidence.empty() && !row.evidence.count(f.code)) row.evidence[f.code] = f.evidence;
  }
  row.codes.assign(codes.begin(), codes.end());
}

// Damage findings (common convention: code DAMAGE_*, evidence class and reversible), wherever they sit.
void collect_damage(FileResult& f, const std::vector<Finding>& findings) {
  for (const auto& x : findings) {
    if (x.code.rfind("DAMAGE_", 0) != 0) continue;
    auto cls = x.evidence.find("class");
    auto rev = x.evidence.find("reversible");
    Damage d{x.code, cls == x.evidence.end() || cls->second.empty() ? "unknown" : cls->second,
             rev != x.evidence.end() && rev->second == "true"};
    bool seen = false;
    for (const auto& e : f.damage) seen = seen || (e.code == d.code && e.cls == d.cls);
    if (!seen) f.damage.push_back(std::move(d));
  }
}

std::string folder_of(const std::string& path, const std::string& root) {
  std::string rel = path;
  if (!root.empty() && path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
      (path[root.size()] == '/' || root.back() == '/')) {
    rel = path.substr(root.size());
    while (!rel.empty() && rel[0] == '/') rel.erase(0, 1);
  }
  size_t slash = rel.rfind('/');
  return slash == std::string::npos || slash == 0 ? "." : rel.substr(0, slash);
}

// The single entry point to the verifier: the format (PDF, XML, CMS) is detected from the content.
DocumentReport verify_one(const Verifier& verifier, const Item& item) {
  if (item.member >= 0) {
    const auto& zip = *static_cast<const ZipArchive*>(item.archive.get());
    std::string bytes = zip.read(static_cast<size_t>(item.member));
    if (item.content_member >= 0) {  // a detached signature with its content in the same archive
      std::string content = zip.read(static_cast<size_t>(item.content_member));
      return verifier.verify_cms(bytes, std::string_view(content), item.path);
    }
    return verifier.verify(bytes, item.path);
  }
  return verifier.verify_file(item.path);
}

}  // namespace

FileResult diagnose_item(const Verifier& verifier, const Item& item, const ZipLimits&) {
  FileResult f;
  f.path = item.path;
  if (item.member >= 0) {
    // "archive.zip!member/x.pdf": folders of the member inside the archive, under the archive's own folder.
    const auto& zip = *static_cast<const ZipArchive*>(item.archive.get());
    const std::string& archive = zip.path();
    size_t bang = archive.size();  // item.path is "<archive>!<member>"
    std::string outer = folder_of(archive, item.root);
    std::string base = archive.substr(archive.rfind('/') == std::string::npos ? 0 : archive.rfind('/') + 1);
    std::string inner = folder_of(item.path.substr(bang + 1), "");
    f.folder = (outer == "." ? "" : outer + "/") + base + (inner == "." ? "" : "/" + inner);
    // An archive exported once holds files that arrived over months: each member's own date.
    f.arrival = zip.entries().at(static_cast<size_t>(item.member)).month();
  } else {
    f.folder = folder_of(item.path, item.root);
  }
  item_identity(item, f.size, f.mtime);
  std::vector<std::string> damage_codes;  // of a damaged file that could not be read (docs/damage.md)
  if (!item.error.empty()) f.error = item.error;
  else try {
    DocumentReport report = verify_one(verifier, item);
    f.format = report.format;
    if (report.signatures.empty() && report.sub_indication == SubIndication::format_failure && !report.findings.empty()) {
      // Unreadable as before (the reader's code first); the damage found rides along in the row's codes.
      f.error = report.findings.front().code;
      for (const Finding& finding : report.findings)
        if (finding.code.rfind("DAMAGE_", 0) == 0) damage_codes.push_back(finding.code);
    }
    if (report.signatures.empty()) {
      Row row;
      row.indication = to_string(report.indication);
      if (report.sub_indication != SubIndication::none) row.sub_indication = to_string(report.sub_indication);
      add_findings(row, report.findings);
      f.rows.push_back(std::move(row));
    }
    for (const auto& s : report.signatures) {
      Row row;
      row.signature = s.id;
      row.indication = to_string(s.indication);
      if (s.sub_indication != SubIndication::none) row.sub_indication = to_string(s.sub_indication);
      if (s.signer) {
        row.signer = s.signer->common_name;
        row.organization = s.signer->organization;
        row.issuer_ca = common_name_of(s.signer->issuer);
      }
      // The PKI: the profile of the anchor (last), else of any certificate of the chain.
      for (auto it = s.chain.rbegin(); it != s.chain.rend() && row.pki.empty(); ++it) row.pki = it->trust_profile;
      row.month = month_of(s);
      add_findings(row, s.findings);
      if (f.rows.empty()) add_findings(row, report.findings);  // document-level findings: first row
      f.rows.push_back(std::move(row));
    }
    collect_damage(f, report.findings);  // the damage found on the way, whatever the row codes say
    for (const auto& s : report.signatures) collect_damage(f, s.findings);
  } catch (const Error& e) {
    f.error = e.code();
    for (const Finding& d : e.diagnosis()) damage_codes.push_back(d.code);  // what the file really is (docs/damage.md)
    collect_damage(f, e.diagnosis());
  } catch (const std::exception&) {
    f.error = "UNEXPECTED_ERROR";
  }
  if (!f.error.empty()) {
    f.rows.clear();
    Row row;
    row.indication = "ERROR";
    row.codes = {f.error};
    row.codes.insert(row.codes.end(), damage_codes.begin(), damage_codes.end());
    f.rows.push_back(std::move(row));
  }
  return f;
}

}  // namespace libsign::diagnose
