// The one list of finding and error codes. Codes are stable: never rename one, add new ones.
#include "libsign/catalog.hpp"

#include <sstream>
#include <unordered_map>

namespace libsign {
namespace {
using S = Severity;

const std::vector<CatalogEntry> kCatalog = {
  // ---- input errors (thrown as libsign::Error; exit status 3) ----
  {"INPUT_EMPTY", S::error, "The file is empty.", "Tệp rỗng.",
   "Obtain the dossier again from its source; the copy was cut off.",
   "Lấy lại hồ sơ từ nguồn; bản sao đã bị cắt mất nội dung."},
  {"INPUT_NOT_PDF", S::error, "The file is not a PDF document.", "Tệp không phải là tài liệu PDF.",
   "Check that the right file was uploaded (not an image, Word file or web page).",
   "Kiểm tra đã tải lên đúng tệp (không phải ảnh, tệp Word hay trang web)."},
  {"INPUT_TRUNCATED", S::error, "The PDF is incomplete: its end (startxref/%%EOF) is missing.",
   "Tệp PDF không đầy đủ: thiếu phần kết thúc (startxref/%%EOF).",
   "The transfer was interrupted; download or export the dossier again.",
   "Việc truyền tệp bị gián đoạn; hãy tải hoặc xuất lại hồ sơ."},
  {"PDF_ENCRYPTED", S::error, "The PDF is encrypted; its signatures cannot be checked without decrypting it.",
   "Tệp PDF đã bị mã hóa; không thể kiểm tra chữ ký khi chưa giải mã.",
   "Ask the sender for the unencrypted signed original.",
   "Đề nghị bên gửi cung cấp bản gốc đã ký, không mã hóa."},
  {"PDF_MALFORMED", S::error, "The PDF structure is damaged (cross-reference or object syntax).",
   "Cấu trúc PDF bị hỏng (bảng tham chiếu chéo hoặc cú pháp đối tượng).",
   "Do not repair or re-save a signed file (that breaks signatures); obtain the original again.",
   "Không sửa hay lưu lại tệp đã ký (sẽ làm hỏng chữ ký); hãy lấy lại bản gốc."},
  {"PDF_UNSUPPORTED_FILTER", S::error, "A PDF stream uses a compression filter libsign does not read.",
   "Một luồng dữ liệu PDF dùng bộ lọc nén mà libsign chưa hỗ trợ.",
   "Report the file to the libsign maintainers.", "Gửi tệp cho nhóm phát triển libsign."},
  {"INPUT_UNREADABLE", S::error, "The file could not be read.", "Không đọc được tệp.",
   "Check the path and the file permissions.", "Kiểm tra đường dẫn và quyền truy cập tệp."},
  {"TRUST_PROFILE_UNKNOWN", S::error, "The requested trust profile does not exist.",
   "Hồ sơ tin cậy (trust profile) được yêu cầu không tồn tại.",
   "Use vn-gov, vn-public, vn-all or a folder name under --profiles-dir.",
   "Dùng vn-gov, vn-public, vn-all hoặc tên thư mục trong --profiles-dir."},
  {"TRUST_FILE_INVALID", S::error, "A trust file holds no readable certificate.",
   "Tệp tin cậy không chứa chứng thư số đọc được.",
   "Give PEM or DER certificates, folders of them, or PKCS#7 bundles.",
   "Cung cấp chứng thư PEM hoặc DER, thư mục chứa chúng, hoặc gói PKCS#7."},
  {"BAD_REVISION", S::error, "A revision index outside the document was asked for.",
   "Yêu cầu một phiên bản tài liệu không tồn tại.", "This is a bug in the calling code.", "Đây là lỗi của chương trình gọi."},
  {"TIME_INVALID", S::error, "The time could not be read.", "Không đọc được thời điểm.",
   "Write it as 2026-06-15T09:00:00+07:00 or 2026-06-15T02:00:00Z.",
   "Viết theo dạng 2026-06-15T09:00:00+07:00 hoặc 2026-06-15T02:00:00Z."},

  // ---- document level ----
  {"NO_SIGNATURE_FOUND", S::error, "The document carries no signature.", "Tài liệu không có chữ ký số nào.",
   "The dossier was not signed, or the signature was removed when it was converted or re-saved; ask for the signed original.",
   "Hồ sơ chưa được ký, hoặc chữ ký đã bị mất khi chuyển đổi/lưu lại; đề nghị cung cấp bản gốc đã ký."},
  {"SIGNATURE_FIELD_EMPTY", S::warning, "A signature field is present but has not been signed.",
   "Có ô chữ ký nhưng chưa được ký.",
   "The signer has yet to sign this field; send the dossier back for signature if it is required.",
   "Người ký chưa ký vào ô này; chuyển lại hồ sơ để ký nếu ô này là bắt buộc."},
  {"SIGNATURE_REMOVED_IN_LATER_REVISION", S::warning,
   "A signature present in an earlier revision is no longer referenced by the document.",
   "Một chữ ký có trong phiên bản trước không còn được tài liệu tham chiếu.",
   "Someone removed a signature field after signing; treat the dossier as altered and ask for the original.",
   "Đã có người xóa ô chữ ký sau khi ký; coi hồ sơ là đã bị thay đổi và đề nghị cung cấp bản gốc."},

  // ---- integrity ----
  {"BYTERANGE_INVALID", S::error, "The signature's /ByteRange is malformed (not four non-negative integers inside the file, or overlapping).",
   "/ByteRange của chữ ký không hợp lệ (không phải bốn số nguyên không âm nằm trong tệp, hoặc chồng lấn).",
   "The signing software produced a broken signature; sign again with conformant software.",
   "Phần mềm ký đã tạo chữ ký lỗi; hãy ký lại bằng phần mềm đúng chuẩn."},
  {"BYTERANGE_NOT_AT_START", S::error, "The signed bytes do not start at the beginning of the file.",
   "Phần dữ liệu được ký không bắt đầu từ đầu tệp.",
   "Bytes at the start of the file are outside the signature; treat the dossier as altered.",
   "Phần đầu tệp nằm ngoài chữ ký; coi hồ sơ là đã bị thay đổi."},
  {"BYTERANGE_HOLE_NOT_CONTENTS", S::error, "The gap in the signed bytes is not exactly the signature's /Contents value.",
   "Khoảng trống trong phần được ký không trùng đúng với giá trị /Contents của chữ ký.",
   "Unsigned bytes are hidden in the gap; treat the dossier as altered.",
   "Có dữ liệu không được ký nằm trong khoảng trống; coi hồ sơ là đã bị thay đổi."},
  {"BYTERANGE_NOT_REVISION_END", S::error, "The signed bytes do not end where a revision of the PDF ends.",
   "Phần được ký không kết thúc tại điểm kết thúc một phiên bản của tệp PDF.",
   "The signature does not cover a complete revision; treat the dossier as altered.",
   "Chữ ký không bao trùm trọn một phiên bản tài liệu; coi hồ sơ là đã bị thay đổi."},
  {"BYTERANGE_NOT_WHOLE_FILE", S::info, "The signature covers an earlier revision; the file was updated after signing.",
   "Chữ ký bao trùm một phiên bản trước; tệp đã được cập nhật sau khi ký.",
   "See the modification findings for what changed.", "Xem các phát hiện về thay đổi để biết nội dung đã đổi."},
  {"SIGNATURE_IN_OBJECT_STREAM", S::error, "The signature dictionary is inside a compressed object stream, so its bytes cannot be located.",
   "Từ điển chữ ký nằm trong luồng đối tượng nén nên không xác định được vị trí dữ liệu.",
   "Sign with conformant software.", "Hãy ký bằng phần mềm đúng chuẩn."},
  {"CMS_MALFORMED", S::error, "The signature value (/Contents) is not a readable CMS/PKCS#7 structure.",
   "Giá trị chữ ký (/Contents) không phải cấu trúc CMS/PKCS#7 đọc được.",
   "The signature is damaged or was never completed (e.g. a remote-signing step failed); sign again.",
   "Chữ ký bị hỏng hoặc chưa hoàn tất (ví dụ bước ký từ xa bị lỗi); hãy ký lại."},
  {"CMS_HAS_ECONTENT", S::error, "The CMS of a detached PDF signature embeds content of its own.",
   "CMS của chữ ký PDF dạng tách rời lại chứa nội dung nhúng.",
   "The signing software is not conformant for this SubFilter; sign again.",
   "Phần mềm ký không đúng chuẩn với SubFilter này; hãy ký lại."},
  {"CMS_MULTIPLE_SIGNERS", S::warning, "The CMS holds more than one signer; only the first is validated.",
   "CMS chứa nhiều người ký; chỉ người ký đầu tiên được kiểm tra.", "", ""},
  {"UNSUPPORTED_SUBFILTER", S::warning, "This kind of PDF signature (SubFilter) is not supported.",
   "Loại chữ ký PDF này (SubFilter) chưa được hỗ trợ.",
   "Sign with adbe.pkcs7.detached or ETSI.CAdES.detached.",
   "Hãy ký theo chuẩn adbe.pkcs7.detached hoặc ETSI.CAdES.detached."},
  {"MESSAGE_DIGEST_MISSING", S::error, "The signed attributes have no messageDigest.",
   "Thuộc tính được ký không có messageDigest.", "Sign again with conformant software.",
   "Hãy ký lại bằng phần mềm đúng chuẩn."},
  {"DIGEST_MISMATCH", S::error, "The document was changed after it was signed: its digest no longer matches the signature.",
   "Tài liệu đã bị thay đổi sau khi ký: giá trị băm không còn khớp với chữ ký.",
   "Do not accept this dossier; ask the sender for the original signed file (re-saving, converting or printing to PDF breaks a signature).",
   "Không tiếp nhận hồ sơ này; đề nghị bên gửi cung cấp tệp gốc đã ký (lưu lại, chuyển đổi hay in ra PDF đều làm hỏng chữ ký)."},
  {"DIGEST_ALGORITHM_UNSUPPORTED", S::error, "The digest algorithm of the signature is not supported.",
   "Thuật toán băm của chữ ký không được hỗ trợ.", "", ""},

  // ---- signer identification ----
  {"SIGNER_CERT_NOT_FOUND", S::error, "The signer's certificate is not in the signature.",
   "Chứng thư số của người ký không có trong chữ ký.",
   "Configure the signing software to embed the signer's certificate, and sign again.",
   "Cấu hình phần mềm ký để nhúng chứng thư số của người ký rồi ký lại."},
  {"SIGNING_CERTIFICATE_MISMATCH", S::error, "The signed signing-certificate attribute names a different certificate than the one that signed.",
   "Thuộc tính signing-certificate được ký chỉ tới một chứng thư khác với chứng thư đã ký.",
   "The certificate may have been substituted; do not accept the signature.",
   "Chứng thư có thể đã bị đánh tráo; không chấp nhận chữ ký này."},
  {"SIGNING_CERTIFICATE_ATTR_MISSING", S::warning, "No ESS signing-certificate attribute: the signature is not PAdES/CAdES baseline.",
   "Không có thuộc tính ESS signing-certificate: chữ ký không đạt mức cơ bản PAdES/CAdES.",
   "Prefer signing software that produces PAdES (ETSI.CAdES.detached) signatures.",
   "Nên dùng phần mềm ký tạo chữ ký theo chuẩn PAdES (ETSI.CAdES.detached)."},
  {"SIGNED_ATTRIBUTES_MISSING", S::warning, "The CMS has no signed attributes (no signing time, no certificate binding).",
   "CMS không có thuộc tính được ký (không có thời điểm ký, không ràng buộc chứng thư).",
   "Prefer PAdES-conformant signing software.", "Nên dùng phần mềm ký theo chuẩn PAdES."},

  // ---- signature value ----
  {"SIGNATURE_INVALID", S::error, "The signature value does not verify with the signer's public key.",
   "Giá trị chữ ký không khớp với khóa công khai của người ký.",
   "The signature or its attributes were altered, or the wrong key signed; do not accept it.",
   "Chữ ký hoặc thuộc tính của nó đã bị sửa, hoặc ký sai khóa; không chấp nhận."},
  {"SIGNATURE_ALGORITHM_UNSUPPORTED", S::error, "The signature algorithm is not supported.",
   "Thuật toán chữ ký không được hỗ trợ.", "", ""},

  // ---- chain ----
  {"CHAIN_INCOMPLETE", S::error, "The certificate chain cannot be completed: an intermediate CA certificate is missing.",
   "Không dựng được chuỗi chứng thư: thiếu chứng thư của CA trung gian.",
   "Add the issuing CA's certificate (e.g. 'CA phục vụ các cơ quan Nhà nước') with --trust, or use a built-in profile that carries it.",
   "Bổ sung chứng thư của CA cấp phát (ví dụ 'CA phục vụ các cơ quan Nhà nước') bằng --trust, hoặc dùng hồ sơ tin cậy có sẵn chứa nó."},
  {"CHAIN_UNTRUSTED_ROOT", S::error, "The chain ends at a root CA that is not trusted.",
   "Chuỗi chứng thư kết thúc ở một CA gốc không được tin cậy.",
   "The certificate was not issued under the Vietnamese PKIs you trust; check the issuer.",
   "Chứng thư không được cấp trong hệ thống PKI Việt Nam mà bạn tin cậy; kiểm tra tổ chức cấp."},
  {"TRUST_ANCHOR_WRONG_PKI", S::error, "The certificate belongs to another PKI than the trust profile in use.",
   "Chứng thư thuộc hệ thống PKI khác với hồ sơ tin cậy đang dùng.",
   "A public-PKI certificate (VNPT-CA, Viettel-CA, SmartCA, ...) was checked against the government root only, or the reverse: use vn-all if your rules accept both, otherwise ask for a signature under the required PKI.",
   "Chứng thư của PKI công cộng (VNPT-CA, Viettel-CA, SmartCA, ...) được kiểm tra theo gốc chuyên dùng Chính phủ, hoặc ngược lại: dùng vn-all nếu quy định chấp nhận cả hai, nếu không hãy yêu cầu ký bằng chứng thư đúng hệ thống."},
  {"CHAIN_INVALID", S::error, "The certificate chain is not valid.", "Chuỗi chứng thư không hợp lệ.",
   "See the evidence for the certificate and the reason.", "Xem bằng chứng để biết chứng thư và lý do."},
  {"CERT_EXPIRED_AT_VALIDATION_TIME", S::warning, "The signer's certificate has expired at the validation time.",
   "Chứng thư số của người ký đã hết hạn tại thời điểm kiểm tra.",
   "Without a timestamp nothing proves the signature was made while the certificate was valid; ask for timestamped (PAdES B-T or higher) signatures.",
   "Không có dấu thời gian thì không chứng minh được chữ ký được tạo khi chứng thư còn hiệu lực; nên yêu cầu chữ ký có dấu thời gian (PAdES B-T trở lên)."},
  {"CERT_EXPIRED_AT_SIGNING_TIME", S::error, "The signer's certificate had already expired when the document was signed.",
   "Chứng thư số của người ký đã hết hạn vào thời điểm ký.",
   "The signer must renew the certificate with the CA and sign again.",
   "Người ký cần gia hạn chứng thư với tổ chức cung cấp dịch vụ chứng thực rồi ký lại."},
  {"CERT_EXPIRED_SIGNED_IN_TIME", S::info, "The certificate has expired since, but a timestamp proves the signature was made while it was valid.",
   "Chứng thư đã hết hạn, nhưng dấu thời gian chứng minh chữ ký được tạo khi chứng thư còn hiệu lực.", "", ""},
  {"CERT_NOT_YET_VALID", S::error, "The signer's certificate is not yet valid.", "Chứng thư số của người ký chưa đến thời hạn hiệu lực.",
   "Check the computer clock of the signer and the certificate's validity dates.",
   "Kiểm tra đồng hồ máy tính của người ký và thời hạn hiệu lực của chứng thư."},
  {"CA_CERT_EXPIRED", S::error, "A CA certificate of the chain is expired or not yet valid at the validation time.",
   "Một chứng thư CA trong chuỗi đã hết hạn hoặc chưa có hiệu lực tại thời điểm kiểm tra.",
   "Update the CA certificates (trust profile) or validate at the signing time with --at.",
   "Cập nhật chứng thư CA (hồ sơ tin cậy) hoặc kiểm tra tại thời điểm ký với --at."},
  {"KEY_USAGE_NOT_FOR_SIGNING", S::error, "The signer's certificate is not allowed to sign (key usage lacks digitalSignature and nonRepudiation).",
   "Chứng thư số của người ký không được phép dùng để ký (key usage không có digitalSignature và nonRepudiation).",
   "The certificate is meant for encryption or authentication; sign with the signing certificate.",
   "Chứng thư này dành cho mã hóa hoặc xác thực; hãy ký bằng chứng thư dùng để ký."},

  // ---- revocation ----
  {"REVOCATION_NOT_CHECKED", S::warning, "No revocation information (OCSP/CRL) is embedded, and none was fetched.",
   "Không có thông tin thu hồi (OCSP/CRL) được nhúng và không truy vấn trực tuyến.",
   "Online revocation checking arrives in a later libsign release; until then the certificate may be revoked without this report saying so.",
   "Kiểm tra thu hồi trực tuyến sẽ có trong phiên bản libsign sau; hiện tại chứng thư có thể đã bị thu hồi mà báo cáo không thể hiện."},
  {"REVOCATION_EMBEDDED_GOOD", S::info, "Embedded revocation information shows the certificate was not revoked.",
   "Thông tin thu hồi được nhúng cho thấy chứng thư chưa bị thu hồi.", "", ""},
  {"CERT_REVOKED", S::error, "The signer's certificate is revoked.", "Chứng thư số của người ký đã bị thu hồi.",
   "Do not accept signatures made after the revocation date; the signer must obtain a new certificate.",
   "Không chấp nhận chữ ký tạo sau ngày thu hồi; người ký cần được cấp chứng thư mới."},
  {"CERT_REVOKED_AFTER_SIGNING", S::info, "The certificate was revoked, but a timestamp proves the signature was made before.",
   "Chứng thư đã bị thu hồi, nhưng dấu thời gian chứng minh chữ ký được tạo trước thời điểm thu hồi.", "", ""},
  {"REVOCATION_DATA_INVALID", S::warning, "Embedded revocation data could not be used (unreadable, wrong issuer or bad signature).",
   "Không dùng được thông tin thu hồi được nhúng (không đọc được, sai tổ chức phát hành hoặc sai chữ ký).", "", ""},

  // ---- time ----
  {"TIMESTAMP_VALID", S::info, "A valid signature timestamp proves when the signature existed.",
   "Dấu thời gian hợp lệ chứng minh thời điểm chữ ký tồn tại.", "", ""},
  {"TIMESTAMP_INVALID", S::warning, "The signature timestamp is not valid and is ignored as proof of time.",
   "Dấu thời gian của chữ ký không hợp lệ nên không được dùng làm bằng chứng thời điểm.",
   "See the evidence: the timestamp may cover other data or its TSA may be untrusted.",
   "Xem bằng chứng: dấu thời gian có thể không khớp dữ liệu hoặc đơn vị cấp dấu thời gian không được tin cậy."},
  {"TIMESTAMP_UNTRUSTED", S::warning, "The signature timestamp is intact but its time-stamping authority is not trusted; it is not used as proof of time.",
   "Dấu thời gian còn nguyên vẹn nhưng đơn vị cấp dấu thời gian không được tin cậy; không dùng làm bằng chứng thời điểm.",
   "Add the TSA's CA to the trust settings (--trust) if your rules accept it.",
   "Bổ sung CA của đơn vị cấp dấu thời gian vào cấu hình tin cậy (--trust) nếu quy định cho phép."},
  {"SIGNING_TIME_AFTER_VALIDATION_TIME", S::warning, "The claimed signing time is later than the validation time.",
   "Thời điểm ký khai báo muộn hơn thời điểm kiểm tra.",
   "Check the signer's computer clock, or the --at time of this check.",
   "Kiểm tra đồng hồ máy tính của người ký, hoặc thời điểm --at của lần kiểm tra này."},
  {"SIGNING_TIME_ZONE_SKEW", S::warning, "The claimed signing time is about 7 hours after the timestamp: local time (UTC+7) was written as UTC.",
   "Thời điểm ký khai báo muộn hơn dấu thời gian khoảng 7 giờ: giờ Việt Nam (UTC+7) bị ghi như giờ UTC.",
   "Fix the signing software or server clock settings to write UTC (or the +07:00 offset).",
   "Sửa cấu hình phần mềm ký hoặc đồng hồ máy chủ để ghi giờ UTC (hoặc kèm múi giờ +07:00)."},
  {"SIGNING_TIME_AFTER_TIMESTAMP", S::warning, "The claimed signing time is later than the timestamp.",
   "Thời điểm ký khai báo muộn hơn dấu thời gian.",
   "Check the signer's computer clock.", "Kiểm tra đồng hồ máy tính của người ký."},
  {"SIGNING_TIME_MISSING", S::info, "The signature claims no signing time.", "Chữ ký không khai báo thời điểm ký.", "", ""},

  // ---- policy ----
  {"WEAK_DIGEST_SHA1", S::error, "SHA-1 is used (signature digest or a certificate signature); it is no longer accepted for new signatures.",
   "Sử dụng SHA-1 (băm chữ ký hoặc chữ ký trên chứng thư); thuật toán này không còn được chấp nhận cho chữ ký mới.",
   "Update the signing software/token driver to SHA-256, and ask the CA for a SHA-256 certificate.",
   "Cập nhật phần mềm ký/trình điều khiển token lên SHA-256 và đề nghị CA cấp chứng thư SHA-256."},
  {"WEAK_DIGEST_MD5", S::error, "MD5 is used; it is broken.", "Sử dụng MD5; thuật toán này đã bị phá vỡ.",
   "Sign again with SHA-256.", "Ký lại với SHA-256."},
  {"WEAK_KEY_SIZE", S::error, "A key is too short (RSA below 2048 bits).", "Khóa quá ngắn (RSA dưới 2048 bit).",
   "The certificate must be replaced by one with an RSA-2048 (or stronger) key.",
   "Cần thay chứng thư bằng chứng thư có khóa RSA-2048 trở lên."},

  // ---- modifications after signing ----
  {"MODIFIED_AFTER_SIGNING", S::error, "The document was changed after signing in a way no signature allows.",
   "Tài liệu đã bị thay đổi sau khi ký theo cách không được phép.",
   "Compare with the original; the listed objects changed. Do not accept the dossier as signed.",
   "Đối chiếu với bản gốc; các đối tượng được liệt kê đã thay đổi. Không coi hồ sơ là hợp lệ."},
  {"UNSIGNED_DATA_AFTER_LAST_REVISION", S::error, "Bytes were appended after the end of the PDF; no signature covers them.",
   "Có dữ liệu được nối thêm sau phần kết thúc của tệp PDF; không chữ ký nào bao trùm phần này.",
   "Some software or a person appended data to the signed file; ask for the original file as signed.",
   "Phần mềm hoặc người dùng đã nối thêm dữ liệu vào tệp đã ký; đề nghị cung cấp tệp gốc như khi ký."},
  {"DOCMDP_VIOLATION", S::error, "Changes after a certification signature exceed what its DocMDP permission allows.",
   "Các thay đổi sau chữ ký chứng nhận vượt quá quyền DocMDP cho phép.",
   "The certifying author did not allow these changes; ask for a newly certified document.",
   "Người chứng nhận không cho phép các thay đổi này; đề nghị chứng nhận lại tài liệu."},
  {"MODIFIED_LTV_UPDATES", S::info, "Later revisions only add validation data (DSS) or document timestamps.",
   "Các phiên bản sau chỉ bổ sung dữ liệu kiểm tra (DSS) hoặc dấu thời gian tài liệu.", "", ""},
  {"MODIFIED_FORM_FILLING", S::info, "Later revisions fill form fields or add signatures.",
   "Các phiên bản sau điền biểu mẫu hoặc thêm chữ ký.", "", ""},
  {"MODIFIED_ANNOTATIONS", S::warning, "Later revisions add annotations (comments, stamps).",
   "Các phiên bản sau thêm chú thích (ghi chú, con dấu).",
   "Check that the annotations do not hide or change the signed content.",
   "Kiểm tra các chú thích không che hay làm thay đổi nội dung đã ký."},
};

}  // namespace

const std::vector<CatalogEntry>& findings_catalog() { return kCatalog; }

const CatalogEntry* find_catalog_entry(const std::string& code) {
  static const std::unordered_map<std::string, const CatalogEntry*> index = [] {
    std::unordered_map<std::string, const CatalogEntry*> map;
    for (const auto& entry : kCatalog) map.emplace(entry.code, &entry);
    return map;
  }();
  auto it = index.find(code);
  return it == index.end() ? nullptr : it->second;
}

std::string catalog_markdown() {
  std::ostringstream out;
  out << "# libsign finding and error codes\n\n"
      << "Generated from `libsign/src/report/catalog.cpp` by `libsign explain --all`; do not edit.\n"
      << "Codes are stable. `libsign explain CODE` prints one entry.\n\n";
  for (const auto& e : kCatalog) {
    out << "## " << e.code << "\n\n"
        << "Severity: " << to_string(e.severity) << "\n\n"
        << "- **EN:** " << e.message_en << (e.hint_en[0] ? std::string(" — ") + e.hint_en : "") << "\n"
        << "- **VI:** " << e.message_vi << (e.hint_vi[0] ? std::string(" — ") + e.hint_vi : "") << "\n\n";
  }
  return out.str();
}

}  // namespace libsign
