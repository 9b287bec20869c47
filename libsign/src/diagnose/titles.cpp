// Short titles of codes and damage classes, in Vietnamese and English, for the diagnose report.
// The catalog's messages are whole sentences; a chart label or a table heading needs a few words.
#include "diagnose/titles.hpp"

#include <cstring>
#include <unordered_map>

#include "libsign/catalog.hpp"

namespace libsign::diagnose {
namespace {

struct Title {
  const char* vi;
  const char* en;
};

// Codes a verification can produce (findings and input errors). Signing-only codes use the fallback.
const std::unordered_map<std::string, Title>& code_titles() {
  static const std::unordered_map<std::string, Title> titles = {
      {"INPUT_EMPTY", {"Tệp rỗng", "Empty file"}},
      {"INPUT_NOT_PDF", {"Không phải tệp PDF", "Not a PDF"}},
      {"INPUT_TRUNCATED", {"Tệp PDF bị cắt cụt", "PDF cut short"}},
      {"PDF_ENCRYPTED", {"PDF có mật khẩu", "Password-protected PDF"}},
      {"PDF_UNSUPPORTED_ENCRYPTION", {"Mã hóa PDF chưa hỗ trợ", "Unsupported PDF encryption"}},
      {"PDF_MALFORMED", {"Cấu trúc PDF bị hỏng", "Damaged PDF structure"}},
      {"PDF_UNSUPPORTED_FILTER", {"Bộ lọc nén chưa hỗ trợ", "Unsupported compression"}},
      {"INPUT_FORMAT_UNKNOWN", {"Loại tệp không nhận dạng được", "Unknown kind of file"}},
      {"INPUT_UNREADABLE", {"Không đọc được tệp", "File unreadable"}},
      {"INPUT_TOO_LARGE", {"Tệp quá lớn", "File too large"}},
      {"CMS_CONTENT_MISSING", {"Thiếu nội dung được ký", "Signed content missing"}},
      {"CMS_INNER_UNREADABLE", {"Nội dung .p7m không đọc được", "Unreadable .p7m content"}},
      {"ARCHIVE_INVALID", {"Tệp ZIP bị hỏng", "Damaged ZIP archive"}},
      {"ARCHIVE_LIMIT_EXCEEDED", {"ZIP vượt giới hạn an toàn", "ZIP over safety limits"}},
      {"ARCHIVE_MEMBER_UNSUPPORTED", {"Tệp trong ZIP không đọc được", "Unreadable ZIP member"}},
      {"UNEXPECTED_ERROR", {"Lỗi không lường trước", "Unexpected failure"}},
      {"XML_MALFORMED", {"XML sai cú pháp", "Malformed XML"}},
      {"XML_DTD_FORBIDDEN", {"XML khai báo DOCTYPE bị cấm", "Forbidden XML DOCTYPE"}},
      {"XML_LIMIT_EXCEEDED", {"XML vượt giới hạn", "XML over limits"}},
      {"NO_SIGNATURE_FOUND", {"Không có chữ ký", "No signature"}},
      {"SIGNATURE_FIELD_EMPTY", {"Ô chữ ký chưa ký", "Unsigned signature field"}},
      {"PDF_REPAIRED", {"PDF phải sửa tạm để đọc", "PDF repaired to read"}},
      {"SIGNATURE_REMOVED_IN_LATER_REVISION", {"Chữ ký bị gỡ ở bản sau", "Signature removed later"}},
      {"SIGNATURE_VALUE_UNREFERENCED", {"Chữ ký không thuộc ô nào", "Orphan signature value"}},
      {"SIGNATURE_FIELD_NOT_IN_ACROFORM", {"Ô chữ ký ngoài biểu mẫu", "Field outside the form"}},
      {"SIGNATURE_VALUE_SHARED", {"Chữ ký dùng chung nhiều ô", "Signature shared by fields"}},
      {"BYTERANGE_INVALID", {"Vùng ký (ByteRange) sai", "Invalid ByteRange"}},
      {"BYTERANGE_NOT_AT_START", {"Vùng ký không từ đầu tệp", "ByteRange not at start"}},
      {"BYTERANGE_HOLE_NOT_CONTENTS", {"Khoảng trống vùng ký sai", "ByteRange gap wrong"}},
      {"BYTERANGE_NOT_REVISION_END", {"Vùng ký không hết phiên bản", "ByteRange not at revision end"}},
      {"SIGNATURE_IN_OBJECT_STREAM", {"Chữ ký trong luồng nén", "Signature in object stream"}},
      {"CONTENTS_NOT_LOCATED", {"Không định vị được /Contents", "/Contents not located"}},
      {"CMS_MALFORMED", {"Giá trị chữ ký hỏng", "Damaged signature value"}},
      {"SIGNED_DATA_NOT_FOUND", {"Thiếu tệp được ký", "Signed file missing"}},
      {"CMS_HAS_ECONTENT", {"CMS tách rời có nội dung", "Detached CMS with content"}},
      {"CMS_MULTIPLE_SIGNERS", {"Nhiều người ký trong một CMS", "Several signers in one CMS"}},
      {"UNSUPPORTED_SUBFILTER", {"Loại chữ ký PDF chưa hỗ trợ", "Unsupported SubFilter"}},
      {"MESSAGE_DIGEST_MISSING", {"Thiếu giá trị băm được ký", "messageDigest missing"}},
      {"DIGEST_MISMATCH", {"Tài liệu bị sửa sau khi ký", "Changed after signing"}},
      {"DIGEST_ALGORITHM_UNSUPPORTED", {"Thuật toán băm chưa hỗ trợ", "Unsupported digest"}},
      {"SIGNER_CERT_NOT_FOUND", {"Thiếu chứng thư người ký", "Signer certificate missing"}},
      {"SIGNER_IDENTIFIER_ISSUER_MISMATCH", {"Định danh người ký lệch mã hóa", "Signer identifier mismatch"}},
      {"SIGNING_CERTIFICATE_MISMATCH", {"Chứng thư ký không khớp", "Signing certificate mismatch"}},
      {"SIGNING_CERTIFICATE_ATTR_MISSING", {"Thiếu thuộc tính chứng thư ký", "No signing-certificate attribute"}},
      {"SIGNED_ATTRIBUTES_MISSING", {"Thiếu thuộc tính được ký", "No signed attributes"}},
      {"CONTENT_TYPE_ATTR_MISSING", {"Thiếu thuộc tính content-type", "content-type attribute missing"}},
      {"CONTENT_TYPE_MISMATCH", {"Loại nội dung được ký không khớp", "Content type mismatch"}},
      {"SIGNED_ATTRIBUTES_NONCONFORMANT", {"Thuộc tính ký sai quy tắc CMS", "Signed attributes break CMS rules"}},
      {"SIGNED_ATTRIBUTES_NOT_DER", {"Thuộc tính ký không mã hoá DER", "Signed attributes not DER"}},
      {"SIGNATURE_VALUE_LENGTH_WRONG", {"Giá trị chữ ký sai độ dài", "Signature value length wrong"}},
      {"SIGNATURE_VALUE_NOT_DER", {"Giá trị chữ ký ECDSA không DER", "ECDSA value not DER"}},
      {"SIGNATURE_INVALID", {"Giá trị chữ ký sai", "Signature value wrong"}},
      {"DIGEST_ALGORITHM_NOT_ALLOWED", {"Thuật toán băm không hợp với EdDSA", "Digest not allowed with EdDSA"}},
      {"SIGNATURE_ALGORITHM_UNSUPPORTED", {"Thuật toán ký chưa hỗ trợ", "Unsupported signature algorithm"}},
      {"CHAIN_INCOMPLETE", {"Thiếu chứng thư CA trung gian", "Intermediate CA missing"}},
      {"CHAIN_UNTRUSTED_ROOT", {"CA gốc không được tin cậy", "Untrusted root CA"}},
      {"TRUST_ANCHOR_WRONG_PKI", {"Chứng thư thuộc PKI khác", "Certificate from another PKI"}},
      {"CHAIN_INVALID", {"Chuỗi chứng thư không hợp lệ", "Invalid certificate chain"}},
      {"CERT_EXPIRED_AT_VALIDATION_TIME", {"Chứng thư hết hạn khi kiểm tra", "Expired at validation"}},
      {"CERT_EXPIRED_AT_SIGNING_TIME", {"Ký bằng chứng thư đã hết hạn", "Signed with expired certificate"}},
      {"CERT_NOT_YET_VALID", {"Chứng thư chưa có hiệu lực", "Certificate not yet valid"}},
      {"CA_CERT_EXPIRED", {"Chứng thư CA hết hạn", "CA certificate expired"}},
      {"KEY_USAGE_NOT_FOR_SIGNING", {"Chứng thư không dùng để ký", "Certificate not for signing"}},
      {"REVOCATION_NOT_CHECKED", {"Chưa kiểm tra thu hồi", "Revocation not checked"}},
      {"REVOCATION_UNREACHABLE", {"Không kết nối dịch vụ thu hồi", "Revocation service unreachable"}},
      {"REVOCATION_TIMEOUT", {"Dịch vụ thu hồi quá hạn chờ", "Revocation service timeout"}},
      {"REVOCATION_FETCH_NOT_ALLOWED", {"Địa chỉ thu hồi bị chặn", "Revocation address blocked"}},
      {"REVOCATION_TRY_LATER", {"OCSP yêu cầu thử lại", "OCSP: try later"}},
      {"OCSP_RESPONDER_UNAUTHORIZED", {"OCSP không được ủy quyền", "Unauthorised OCSP responder"}},
      {"OCSP_STATUS_UNKNOWN", {"OCSP không biết chứng thư", "OCSP status unknown"}},
      {"REVOCATION_STALE", {"Dữ liệu thu hồi quá cũ", "Stale revocation data"}},
      {"CA_CERT_REVOKED", {"Chứng thư CA bị thu hồi", "CA certificate revoked"}},
      {"AIA_FETCH_FAILED", {"Không tải được chứng thư CA", "CA certificate download failed"}},
      {"CERT_REVOKED", {"Chứng thư bị thu hồi", "Certificate revoked"}},
      {"REVOCATION_DATA_INVALID", {"Dữ liệu thu hồi không dùng được", "Unusable revocation data"}},
      {"TIMESTAMP_INVALID", {"Dấu thời gian không hợp lệ", "Invalid timestamp"}},
      {"ARCHIVE_TIMESTAMP_INVALID", {"Dấu thời gian lưu trữ sai", "Invalid archive timestamp"}},
      {"TIMESTAMP_UNTRUSTED", {"Dấu thời gian không tin cậy", "Untrusted timestamp"}},
      {"SIGNING_TIME_AFTER_VALIDATION_TIME", {"Thời điểm ký sau lúc kiểm tra", "Signed after validation time"}},
      {"SIGNING_TIME_ZONE_SKEW", {"Lệch múi giờ thời điểm ký", "Signing time zone skew"}},
      {"SIGNING_TIME_AFTER_TIMESTAMP", {"Thời điểm ký sau dấu thời gian", "Signing time after timestamp"}},
      {"WEAK_DIGEST_SHA1", {"Dùng băm SHA-1 yếu", "Weak SHA-1 digest"}},
      {"WEAK_DIGEST_MD5", {"Dùng băm MD5 yếu", "Weak MD5 digest"}},
      {"WEAK_KEY_SIZE", {"Khóa quá ngắn", "Key too short"}},
      {"MODIFIED_AFTER_SIGNING", {"Bị thay đổi sau khi ký", "Modified after signing"}},
      {"UNSIGNED_DATA_AFTER_LAST_REVISION", {"Dữ liệu nối thêm chưa ký", "Unsigned data appended"}},
      {"DOCMDP_VIOLATION", {"Vượt quyền sửa DocMDP", "DocMDP violated"}},
      {"MODIFIED_ANNOTATIONS", {"Thêm chú thích sau khi ký", "Annotations added later"}},
      {"XML_SIGNATURE_NOT_FOUND", {"Không thấy chữ ký XML", "XML signature not found"}},
      {"XML_SIGNATURE_AMBIGUOUS", {"Nhiều chữ ký XML khớp", "Ambiguous XML signature"}},
      {"XML_SIGNATURE_MALFORMED", {"Chữ ký XML sai cấu trúc", "Malformed XML signature"}},
      {"XML_DIGEST_MISMATCH", {"Dữ liệu XML bị sửa sau khi ký", "XML changed after signing"}},
      {"XML_REFERENCE_NOT_FOUND", {"Tham chiếu XML không tồn tại", "XML reference missing"}},
      {"XML_ID_DUPLICATE", {"Trùng Id trong XML", "Duplicate XML Id"}},
      {"XML_REFERENCE_EXTERNAL", {"Tham chiếu XML ra ngoài", "External XML reference"}},
      {"XML_UNSUPPORTED_TRANSFORM", {"Phép biến đổi XML chưa hỗ trợ", "Unsupported XML transform"}},
      {"XML_TRANSFORM_LIMIT_EXCEEDED", {"Biến đổi XML vượt giới hạn", "XML transform over limits"}},
      {"XML_TARGET_NOT_SIGNED", {"Phần tử cần ký chưa được ký", "Target element not signed"}},
      {"XML_SIGNED_ROOT_NOT_TARGET", {"Ký nội dung khác nội dung đọc", "Signed content not what is read"}},
      {"XML_MANIFEST_REFERENCE_FAILED", {"Tham chiếu Manifest sai", "Manifest reference failed"}},
      {"XML_KEYINFO_UNSUPPORTED", {"KeyInfo không có chứng thư", "KeyInfo without certificate"}},
      {"XML_SUBJECT_NAME_MISMATCH", {"Tên trong KeyInfo không khớp", "KeyInfo name mismatch"}},
      {"XADES_SIGNED_PROPERTIES_NOT_SIGNED", {"Thuộc tính XAdES chưa được ký", "XAdES properties unsigned"}},
      // Damage on the way (docs/damage.md); codes not (yet) in the catalog simply go unused.
      {"DAMAGE_LINE_ENDINGS", {"Ký tự xuống dòng bị chuyển đổi", "Line ends converted"}},
      {"DAMAGE_BASE64", {"Tệp còn ở dạng Base64", "Left Base64-encoded"}},
      {"DAMAGE_REENCODED", {"Bị mã hóa lại thành UTF-8", "Re-encoded as UTF-8 text"}},
      {"DAMAGE_TRAILING_BYTES", {"Bị nối thêm byte ở cuối", "Bytes appended at the end"}},
      {"DAMAGE_LEADING_BYTES", {"Bị chèn byte ở đầu", "Bytes inserted at the start"}},
      {"DAMAGE_TRUNCATED", {"Tệp bị cắt cụt khi truyền", "Cut off on the way"}},
      {"DAMAGE_CONCATENATED", {"Hai tệp bị nối làm một", "Two files joined"}},
      {"DAMAGE_EMPTY_FILE", {"Lưu tệp rỗng", "Empty file stored"}},
      {"DAMAGE_HTML_PAGE", {"Lưu nhầm trang web (HTML)", "Web page stored instead"}},
      {"DAMAGE_JSON_BODY", {"Lưu nhầm phản hồi JSON", "JSON response stored instead"}},
      {"DAMAGE_OFFICE_FILE", {"Lưu nhầm tệp Office", "Office file stored instead"}},
      {"DAMAGE_ZIP_ARCHIVE", {"Lưu nhầm tệp ZIP", "ZIP archive stored instead"}},
      {"DAMAGE_IMAGE_FILE", {"Lưu nhầm tệp ảnh", "Image stored instead"}},
      {"DAMAGE_REWRITTEN", {"Tệp bị lưu lại sau khi ký", "Re-saved after signing"}},
      {"DAMAGE_XML_REFORMATTED", {"XML bị định dạng lại", "XML reformatted"}},
      {"DAMAGE_XML_REENCODED", {"XML bị mã hóa lại", "XML re-encoded"}},
      {"DAMAGE_XML_PREFIXES", {"Tiền tố namespace XML bị đổi", "XML prefixes rewritten"}},
      {"DAMAGE_XML_BOM", {"XML bị thêm dấu BOM", "BOM added to the XML"}},
      {"DAMAGE_XML_BASE64", {"XML còn ở dạng Base64", "XML left Base64-encoded"}},
  };
  return titles;
}

const std::unordered_map<std::string, Title>& damage_titles() {
  static const std::unordered_map<std::string, Title> titles = {
      {"line_endings", {"Ký tự xuống dòng bị chuyển đổi", "Line ends converted"}},
      {"base64", {"Tệp còn ở dạng Base64", "Left Base64-encoded"}},
      {"reencoding", {"Bị mã hóa lại ký tự (UTF-8)", "Re-encoded as text"}},
      {"trailing_bytes", {"Bị nối thêm byte ở cuối", "Bytes appended at the end"}},
      {"leading_bytes", {"Bị chèn byte ở đầu", "Bytes inserted at the start"}},
      {"truncation", {"Tệp bị cắt cụt", "File truncated"}},
      {"concatenation", {"Hai tệp bị nối làm một", "Two files joined"}},
      {"wrong_content", {"Lưu nhầm nội dung khác", "Wrong content stored"}},
      {"rewritten", {"Tệp bị lưu lại sau khi ký", "Re-saved after signing"}},
      {"xml_reformatted", {"XML bị định dạng lại", "XML reformatted"}},
      {"xml_reencoded", {"XML bị mã hóa lại", "XML re-encoded"}},
      {"xml_prefixes", {"Tiền tố namespace XML bị đổi", "XML prefixes rewritten"}},
  };
  return titles;
}

// The first clause of a catalog message, at most about 48 bytes cut on a space (UTF-8 safe).
std::string first_clause(const std::string& message) {
  size_t end = message.find_first_of(".:;(");
  std::string s = message.substr(0, end);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (s.size() <= 48) return s;
  size_t cut = s.rfind(' ', 48);
  if (cut == std::string::npos || cut == 0) {
    cut = 48;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  }
  return s.substr(0, cut) + "…";
}

}  // namespace

std::string code_title(const std::string& code, bool vi) {
  auto it = code_titles().find(code);
  if (it != code_titles().end()) return vi ? it->second.vi : it->second.en;
  if (const CatalogEntry* e = find_catalog_entry(code)) {
    std::string t = first_clause(vi ? e->message_vi : e->message_en);
    if (!t.empty()) return t;
  }
  return code;
}

std::string damage_class_title(const std::string& cls, bool vi) {
  auto it = damage_titles().find(cls);
  if (it == damage_titles().end()) return cls;
  return vi ? it->second.vi : it->second.en;
}

bool caused_by_settings(const std::string& code, const std::string& revocation_mode) {
  if (code == "REVOCATION_NOT_CHECKED") return revocation_mode == "offline";
  if (code == "REVOCATION_FETCH_NOT_ALLOWED") return revocation_mode == "online";  // the network policy given
  return false;
}

}  // namespace libsign::diagnose
