// Plain-text report for people at the service centre, in English or Vietnamese: every label, enum value
// and time in the reader's language (Vietnamese times in Vietnam time, +07:00; JSON keeps UTC).
#include <ctime>
#include <set>
#include <sstream>

#include "libsign/report.hpp"
#include "libsign/verify.hpp"

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
  const char* archive;
  const char* coverage;
  const char* changes;
  const char* hint;
  const char* passed;
  const char* failed;
  const char* indeterminate;
  const char* changed_after_signing;  // the headline when a change no signature allows failed a signature
  const char* inner;
  const char* manifest;
  const char* page;
  const char* what_changed;
  const char* cross_check;
  const char* severity[3];      // info, warning, error
  const char* coverage_of[4];   // entire_file, entire_revision, partial, unknown
  const char* level_of[5];      // none, ltv_updates, form_filling, annotations, other
};

const Words kEnglish = {"Document", "Verdict", "no signature", "Signature", "Signer", "Issued by", "Signing time (claimed)",
                        "Timestamp (proven)", "archive", "Covers", "Changes after signing", "What to do", "VALID",
                        "INVALID", "CANNOT BE CONFIRMED", "Document changed after signing",
                        "Enclosed document (its own signatures, verified separately)",
                        "Manifest reference (not part of the verdict)", "page", "What changed",
                        "Second engine",
                        {"info", "warning", "error"},
                        {"the whole file", "its whole revision (later updates follow)", "part of the file", "unknown"},
                        {"none", "validation data only (DSS, timestamps)", "form filling or signatures",
                         "annotations (comments, stamps)", "changes no signature allows"}};
const Words kVietnamese = {"Tài liệu", "Kết luận", "không có chữ ký", "Chữ ký", "Người ký", "Tổ chức cấp",
                           "Thời điểm ký (khai báo)", "Dấu thời gian (chứng minh)", "lưu trữ", "Phạm vi",
                           "Thay đổi sau khi ký", "Cần làm", "HỢP LỆ", "KHÔNG HỢP LỆ", "CHƯA XÁC ĐỊNH ĐƯỢC",
                           "Tài liệu đã bị sửa sau khi ký",
                           "Tài liệu bên trong (các chữ ký riêng của nó, kiểm tra riêng)",
                           "Tham chiếu trong Manifest (không tính vào kết luận)", "trang", "Nội dung bị thay đổi",
                           "Bộ máy kiểm tra thứ hai",
                           {"thông tin", "cảnh báo", "lỗi"},
                           {"toàn bộ tệp", "toàn bộ phiên bản đã ký (có cập nhật sau đó)", "một phần tệp", "không xác định"},
                           {"không có", "chỉ bổ sung dữ liệu kiểm tra (DSS, dấu thời gian)", "điền biểu mẫu hoặc thêm chữ ký",
                            "thêm chú thích (ghi chú, con dấu)", "thay đổi không chữ ký nào cho phép"}};

struct KindWords {
  const char* kind;
  const char* en;
  const char* vi;
};

// ModifiedObject::kind in words.
const KindWords kKinds[] = {
    {"page_content", "page content changed", "nội dung trang bị thay đổi"},
    {"page_resources", "fonts or images used by the page changed", "phông chữ hoặc hình ảnh của trang bị thay đổi"},
    {"page", "page properties changed (size, rotation, annotations list)", "thuộc tính trang bị thay đổi (khổ, hướng xoay, danh sách chú thích)"},
    {"page_added", "page added", "trang được thêm vào"},
    {"page_removed", "page removed", "trang bị xóa"},
    {"page_tree", "page order changed", "thứ tự trang bị thay đổi"},
    {"annotation", "annotation (comment, stamp, link) added or changed", "chú thích (ghi chú, con dấu, liên kết) được thêm hoặc sửa"},
    {"form_field", "form field changed", "trường biểu mẫu bị thay đổi"},
    {"signature", "signature field changed", "trường chữ ký bị thay đổi"},
    {"form", "form structure changed", "cấu trúc biểu mẫu bị thay đổi"},
    {"validation_data", "validation data (DSS) changed", "dữ liệu kiểm tra (DSS) bị thay đổi"},
    {"metadata", "document properties (metadata) changed", "thuộc tính tài liệu (metadata) bị thay đổi"},
    {"document", "document structure (catalog, trailer) changed", "cấu trúc tài liệu (catalog, trailer) bị thay đổi"},
    {"other", "other object changed", "đối tượng khác bị thay đổi"},
};

// Signature kinds and manifest-reference statuses (report values) in Vietnamese; English shows the value.
const std::pair<const char*, const char*> kVietnameseValues[] = {
    {"approval", "phê duyệt"}, {"certification", "chứng nhận"}, {"document-timestamp", "dấu thời gian tài liệu"},
    {"detached", "tách rời"}, {"enveloping", "đóng gói nội dung"},
    {"ok", "khớp"}, {"failed", "không khớp"}, {"unresolvable", "không tìm thấy"}, {"unsupported", "chưa hỗ trợ"},
    {"malformed", "sai cấu trúc"}, {"agree", "thống nhất"}, {"disagree", "KHÔNG thống nhất"}};

std::string value_words(const std::string& value, bool vi) {
  if (vi)
    for (const auto& [en, words] : kVietnameseValues)
      if (value == en) return words;
  return value;
}

const char* kind_words(const std::string& kind, bool vi) {
  for (const auto& k : kKinds)
    if (kind == k.kind) return vi ? k.vi : k.en;
  return vi ? kKinds[sizeof kKinds / sizeof kKinds[0] - 1].vi : kKinds[sizeof kKinds / sizeof kKinds[0] - 1].en;
}

// A UTC ISO time as the reader expects it: unchanged in English; in Vietnamese as Vietnam time
// "15/06/2026 09:00:00 (UTC+07:00)". A time that cannot be read is shown as written.
std::string show_time(const std::string& iso, bool vi) {
  if (!vi || iso.empty()) return iso;
  try {
    std::time_t t = std::chrono::system_clock::to_time_t(parse_time(iso)) + 7 * 3600;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%d/%m/%Y %H:%M:%S (UTC+07:00)", &tm);
    return buf;
  } catch (...) {
    return iso;
  }
}

// Evidence as a Vietnamese reader sees it: the common keys named in Vietnamese (the JSON keeps the keys),
// yes/no translated, and UTC times shown in Vietnam time.
const std::pair<const char*, const char*> kEvidenceKeysVi[] = {
    {"certificate", "chứng thư"}, {"online", "kiểm tra trực tuyến"}, {"revisions", "số phiên bản"},
    {"signed_revision", "phiên bản được ký"}, {"gen_time", "thời điểm trong dấu thời gian"},
    {"tsa", "đơn vị cấp dấu thời gian"}, {"validation_time", "thời điểm kiểm tra"}, {"not_after", "hết hạn lúc"},
    {"not_before", "có hiệu lực từ"}, {"claimed_signing_time", "thời điểm ký (khai báo)"}, {"claimed", "khai báo"},
    {"proven", "chứng minh"}, {"proven_time", "thời điểm được chứng minh"}, {"detail", "chi tiết (tiếng Anh)"},
    {"source", "nguồn"}, {"origin", "lấy từ"}, {"reason", "lý do"}, {"revocation_time", "thời điểm thu hồi"},
    {"produced_at", "thời điểm phát hành"}, {"trust_profile", "hồ sơ tin cậy"}, {"anchor_profile", "hồ sơ của chứng thư gốc"},
    {"algorithm", "thuật toán"}, {"count", "số lượng"}, {"field", "trường"}, {"offset", "vị trí (byte)"},
    {"bytes", "số byte"}, {"bits", "số bit"}, {"key_usage", "mục đích sử dụng khóa"}, {"docmdp_p", "quyền DocMDP (P)"},
    {"difference_seconds", "chênh lệch (giây)"}, {"last_certificate", "chứng thư cuối chuỗi"}, {"where", "vị trí"}};

std::string evidence_key(const std::string& key, bool vi) {
  if (vi)
    for (const auto& [en, words] : kEvidenceKeysVi)
      if (key == en) return words;
  return key;
}

bool looks_like_utc_time(const std::string& v) {
  return v.size() >= 20 && v.size() <= 24 && v[4] == '-' && v[10] == 'T' && v.back() == 'Z';
}

std::string evidence_value(const std::string& value, bool vi) {
  if (!vi) return value;
  if (value == "yes") return "có";
  if (value == "no") return "không";
  return looks_like_utc_time(value) ? show_time(value, true) : value;
}

const char* verdict_word(const Words& w, Indication i) {
  return i == Indication::total_passed ? w.passed : i == Indication::total_failed ? w.failed : w.indeterminate;
}

bool changed_after_signing(const SignatureReport& s) {
  return s.indication == Indication::total_failed && (s.has_finding("MODIFIED_AFTER_SIGNING") || s.has_finding("DOCMDP_VIOLATION"));
}

void write_indication(std::ostream& out, const Words& w, Indication i, SubIndication s, bool changed) {
  out << verdict_word(w, i);
  if (changed) out << " — " << w.changed_after_signing;
  out << " (" << to_string(i);
  if (s != SubIndication::none) out << " / " << to_string(s);
  out << ")";
}

// "page 2: page content changed" once per place, for the objects at the level that failed the signature.
void write_changes(std::ostream& out, const Words& w, const SignatureReport& s, bool vi, const char* indent) {
  std::set<std::pair<int, std::string>> seen;
  bool header = false;
  for (const auto& m : s.modifications)
    for (const auto& o : m.objects) {
      if (o.level != s.modification_level || !seen.insert({o.page, o.kind}).second) continue;
      if (!header) out << indent << "    " << w.what_changed << ":\n";
      header = true;
      out << indent << "      - ";
      if (o.page > 0) out << w.page << " " << o.page << ": ";
      out << kind_words(o.kind, vi) << "\n";
    }
}

// Errors first, then warnings, then information.
void write_findings(std::ostream& out, const Words& w, const std::vector<Finding>& findings, bool vi, const char* indent,
                    const SignatureReport* sig) {
  for (Severity severity : {Severity::error, Severity::warning, Severity::info})
    for (const auto& f : findings) {
      if (f.severity != severity) continue;
      out << indent << "[" << w.severity[static_cast<int>(f.severity)] << "] " << f.code << ": "
          << (vi ? f.message_vi : f.message_en) << "\n";
      const std::string& hint = vi ? f.hint_vi : f.hint_en;
      if (!hint.empty() && f.severity != Severity::info) out << indent << "    " << w.hint << ": " << hint << "\n";
      // What changed after signing is told in words; the object numbers stay in the JSON evidence.
      const bool words = sig && (f.code == "MODIFIED_AFTER_SIGNING" || f.code == "DOCMDP_VIOLATION");
      for (const auto& [key, value] : f.evidence) {
        if (words && (key == "objects" || key == "changes" || key == "level" || key == "revisions_after")) continue;
        out << indent << "    " << evidence_key(key, vi) << " = " << evidence_value(value, vi) << "\n";
      }
      if (words) write_changes(out, w, *sig, vi, indent);
    }
}

// "a, b" for a signature value shared by several fields, else its one field name.
std::string field_label(const SignatureReport& s) {
  if (s.field_names.size() < 2) return s.field_name;
  std::string out;
  for (const auto& n : s.field_names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The original rebuilt from damaged bytes (docs/damage.md): said apart from the verdict above.
void write_recovered(std::ostream& out, bool vi, const DocumentReport& r, const std::string& method, const std::string& lang) {
  const bool valid = r.worst_indication() == Indication::total_passed && !r.signatures.empty();
  out << "\n== " << (vi ? "Bản gốc khôi phục từ tệp bị hỏng" : "Original recovered from the damaged file") << " (" << method << ") ==\n";
  if (valid)
    out << (vi ? "Chữ ký hợp lệ trên bản gốc; tệp đã bị hỏng trong quá trình truyền. Kết luận trên tệp nhận được vẫn giữ nguyên.\n"
               : "The signature is valid on the original; the file was damaged in transit. The verdict on the file as received stands.\n");
  out << r.to_text(lang);
}

}  // namespace

std::string DocumentReport::to_text(const std::string& lang) const {
  bool vi = lang == "vi";
  const Words& w = vi ? kVietnamese : kEnglish;
  std::ostringstream out;
  bool changed = false;
  for (const auto& s : signatures) changed = changed || changed_after_signing(s);
  out << w.document << ": " << path << "\n";
  out << w.verdict << ": ";
  write_indication(out, w, indication, sub_indication, changed && indication == Indication::total_failed);
  out << "\n";
  if (signatures.empty()) out << "  (" << w.no_signature << ")\n";
  write_findings(out, w, findings, vi, "  ", nullptr);
  for (const auto& s : signatures) {
    const std::string fields = field_label(s);
    out << "\n" << w.signature << " " << s.id << " [" << (fields.empty() ? "" : fields + ", ") << value_words(s.kind, vi) << "]: ";
    write_indication(out, w, s.indication, s.sub_indication, changed_after_signing(s));
    out << "\n";
    if (s.signer) {
      out << "  " << w.signer << ": " << s.signer->common_name;
      if (!s.signer->organization.empty()) out << " — " << s.signer->organization;
      for (const auto& [kind, value] : s.signer->identifiers) out << " (" << kind << ": " << value << ")";
      out << "\n  " << w.issuer << ": " << s.signer->issuer << "\n";
    }
    if (!s.signing_time.empty()) out << "  " << w.signed_at << ": " << show_time(s.signing_time, vi) << "\n";
    if (s.timestamp.present)
      out << "  " << w.timestamp << ": " << (s.timestamp.valid ? show_time(s.timestamp.gen_time, vi) : "-") << "\n";
    for (const auto& a : s.archive_timestamps)
      out << "  " << w.timestamp << " (" << w.archive << "): " << (a.valid ? show_time(a.gen_time, vi) : "-") << "\n";
    out << "  " << w.coverage << ": " << w.coverage_of[static_cast<int>(s.coverage)];
    if (format == "pdf") out << "; " << w.changes << ": " << w.level_of[static_cast<int>(s.modification_level)];  // revisions are a PDF notion
    out << "\n";
    if (s.cross_check.result != "off") {
      out << "  " << w.cross_check << " (" << s.cross_check.engine << "): " << value_words(s.cross_check.result, vi);
      for (const auto& c : s.cross_check.compared)
        if (c.result == "disagree") out << "; " << c.item << ": libsign " << c.libsign << ", Botan " << c.botan;
      out << "\n";
    }
    for (const auto& m : s.manifest_references)
      out << "  " << w.manifest << " " << m.manifest << ": " << (m.uri.empty() ? "\"\"" : m.uri) << " " << value_words(m.status, vi) << "\n";
    write_findings(out, w, s.findings, vi, "  ", &s);
  }
  if (inner) out << "\n== " << w.inner << " ==\n" << inner->to_text(lang);
  if (recovered) write_recovered(out, vi, *recovered, recovery_method, lang);
  return out.str();
}

}  // namespace libsign
