// Plain-text report for people at the service centre, in English or Vietnamese.
#include <sstream>

#include "libsign/report.hpp"

namespace libsign {
namespace {

struct Words {
  const char* document;
  const char* verdict;
  const char* no_signature;
  const char* signature;
  const char* signer;
  const char* issuer;
  const char* signed_at;
  const char* timestamp;
  const char* coverage;
  const char* changes;
  const char* hint;
  const char* passed;
  const char* failed;
  const char* indeterminate;
  const char* inner;
  const char* manifest;
};

const Words kEnglish = {"Document", "Verdict", "no signature", "Signature", "Signer", "Issued by", "Signing time (claimed)",
                        "Timestamp (proven)", "Covers", "Changes after signing", "What to do", "VALID", "INVALID",
                        "CANNOT BE CONFIRMED",
                        "Enclosed document (its own signatures, verified separately)",
                        "Manifest reference (not part of the verdict)"};
const Words kVietnamese = {"Tài liệu", "Kết luận", "không có chữ ký", "Chữ ký", "Người ký", "Tổ chức cấp",
                           "Thời điểm ký (khai báo)", "Dấu thời gian (chứng minh)", "Phạm vi", "Thay đổi sau khi ký",
                           "Cần làm", "HỢP LỆ", "KHÔNG HỢP LỆ", "CHƯA XÁC ĐỊNH ĐƯỢC",
                           "Tài liệu bên trong (các chữ ký riêng của nó, kiểm tra riêng)",
                           "Tham chiếu trong Manifest (không tính vào kết luận)"};

const char* verdict_word(const Words& w, Indication i) {
  return i == Indication::total_passed ? w.passed : i == Indication::total_failed ? w.failed : w.indeterminate;
}

void write_indication(std::ostream& out, const Words& w, Indication i, SubIndication s) {
  out << verdict_word(w, i) << " (" << to_string(i);
  if (s != SubIndication::none) out << " / " << to_string(s);
  out << ")";
}

void write_findings(std::ostream& out, const Words& w, const std::vector<Finding>& findings, bool vi, const char* indent) {
  for (const auto& f : findings) {
    out << indent << "[" << to_string(f.severity) << "] " << f.code << ": " << (vi ? f.message_vi : f.message_en) << "\n";
    const std::string& hint = vi ? f.hint_vi : f.hint_en;
    if (!hint.empty() && f.severity != Severity::info) out << indent << "    " << w.hint << ": " << hint << "\n";
    for (const auto& [key, value] : f.evidence) out << indent << "    " << key << " = " << value << "\n";
  }
}

// "a, b" for a signature value shared by several fields, else its one field name.
std::string field_label(const SignatureReport& s) {
  if (s.field_names.size() < 2) return s.field_name;
  std::string out;
  for (const auto& n : s.field_names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

std::string DocumentReport::to_text(const std::string& lang) const {
  bool vi = lang == "vi";
  const Words& w = vi ? kVietnamese : kEnglish;
  std::ostringstream out;
  out << w.document << ": " << path << "\n";
  out << w.verdict << ": ";
  write_indication(out, w, indication, sub_indication);
  out << "\n";
  if (signatures.empty()) out << "  (" << w.no_signature << ")\n";
  write_findings(out, w, findings, vi, "  ");
  for (const auto& s : signatures) {
    const std::string fields = field_label(s);
    out << "\n" << w.signature << " " << s.id << " [" << (fields.empty() ? "" : fields + ", ") << s.kind << "]: ";
    write_indication(out, w, s.indication, s.sub_indication);
    out << "\n";
    if (s.signer) {
      out << "  " << w.signer << ": " << s.signer->common_name;
      if (!s.signer->organization.empty()) out << " — " << s.signer->organization;
      for (const auto& [kind, value] : s.signer->identifiers) out << " (" << kind << ": " << value << ")";
      out << "\n  " << w.issuer << ": " << s.signer->issuer << "\n";
    }
    if (!s.signing_time.empty()) out << "  " << w.signed_at << ": " << s.signing_time << "\n";
    if (s.timestamp.present) out << "  " << w.timestamp << ": " << (s.timestamp.valid ? s.timestamp.gen_time : "-") << "\n";
    for (const auto& a : s.archive_timestamps)
      out << "  " << w.timestamp << " (archive): " << (a.valid ? a.gen_time : "-") << "\n";
    out << "  " << w.coverage << ": " << to_string(s.coverage);
    if (format == "pdf") out << "; " << w.changes << ": " << to_string(s.modification_level);  // revisions are a PDF notion
    out << "\n";
    for (const auto& m : s.manifest_references)
      out << "  " << w.manifest << " " << m.manifest << ": " << (m.uri.empty() ? "\"\"" : m.uri) << " " << m.status << "\n";
    write_findings(out, w, s.findings, vi, "  ");
  }
  if (inner) out << "\n== " << w.inner << " ==\n" << inner->to_text(lang);
  return out.str();
}

}  // namespace libsign
