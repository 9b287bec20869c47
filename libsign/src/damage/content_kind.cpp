// What a file that should be a signed document really is. Each test looks only at the head of the
// file (magic numbers, the first tags or keys), so the cost is bounded whatever the size.
#include "damage/content_kind.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "diagnose/zip_reader.hpp"
#include "libsign/error.hpp"

namespace libsign::damage {
namespace {

using Evidence = std::map<std::string, std::string>;

constexpr size_t kHeadWindow = 64 * 1024;  // enough for an error page's <title> and form
constexpr size_t kExcerptChars = 120;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string collapse_spaces(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// A short printable excerpt: control bytes dropped, cut at a UTF-8 boundary.
std::string excerpt(std::string_view s) {
  std::string text = collapse_spaces(s.substr(0, kExcerptChars * 2));
  text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }),
             text.end());
  if (text.size() <= kExcerptChars) return text;
  size_t cut = kExcerptChars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

Finding wrong(const std::string& code, Evidence evidence) {
  return make_damage_finding(code, "wrong_content", false, std::move(evidence));
}

// "HTTP/1.1 502 Bad Gateway\r\n...\r\n\r\n": the status, and the body after the headers.
std::string_view skip_http_headers(std::string_view s, std::string& status) {
  if (!starts_with(s, "HTTP/")) return s;
  size_t sp = s.find(' ');
  if (sp != std::string_view::npos && sp + 4 <= s.size()) status = std::string(s.substr(sp + 1, 3));
  size_t end = s.find("\r\n\r\n");
  if (end != std::string_view::npos) return s.substr(end + 4);
  end = s.find("\n\n");
  return end == std::string_view::npos ? std::string_view{} : s.substr(end + 2);
}

// An HTTP status written in a title or JSON message ("404 Not Found", "Error 500").
std::string status_in(const std::string& text) {
  for (size_t i = 0; i + 3 <= text.size(); ++i) {
    bool three = std::isdigit(static_cast<unsigned char>(text[i])) && std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
                 std::isdigit(static_cast<unsigned char>(text[i + 2]));
    bool alone = (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1]))) &&
                 (i + 3 == text.size() || !std::isalnum(static_cast<unsigned char>(text[i + 3])));
    if (three && alone && (text[i] == '4' || text[i] == '5')) return text.substr(i, 3);
  }
  return "";
}

// ---- HTML ----

std::string html_title(std::string_view head, const std::string& lowered) {
  size_t open = lowered.find("<title");
  if (open == std::string::npos) return "";
  size_t start = lowered.find('>', open);
  if (start == std::string::npos) return "";
  size_t end = lowered.find("</title", start);
  if (end == std::string::npos) end = std::min(lowered.size(), start + 1 + 200);
  return excerpt(head.substr(start + 1, end - start - 1));
}

bool any_of_words(const std::string& lowered, std::initializer_list<const char*> words) {
  return std::any_of(words.begin(), words.end(), [&](const char* w) { return lowered.find(w) != std::string::npos; });
}

// login: a form with a password field; error: an HTTP error status or error words in the title/heading.
std::string html_page_kind(const std::string& lowered, const std::string& title, const std::string& status) {
  if (lowered.find("type=\"password\"") != std::string::npos || lowered.find("type='password'") != std::string::npos ||
      lowered.find("type=password") != std::string::npos)
    return "login";
  const std::string t = lower(title);
  if (!status.empty() ||
      any_of_words(t, {"error", "not found", "forbidden", "unavailable", "bad gateway", "timeout", "time-out", "denied",
                       "lỗi", "không tìm thấy", "exception"}))
    return "error";
  if (any_of_words(t, {"login", "log in", "sign in", "đăng nhập"})) return "login";
  return "other";
}

std::optional<Finding> html_page(std::string_view head, std::string_view body, std::string http_status) {
  size_t i = 0;
  if (starts_with(body, "\xEF\xBB\xBF")) i = 3;
  while (i < body.size() && is_space(body[i])) ++i;
  const std::string lowered = lower(body.substr(i, kHeadWindow));
  if (!(starts_with(lowered, "<!doctype html") || starts_with(lowered, "<html") || starts_with(lowered, "<head") ||
        starts_with(lowered, "<body") || (starts_with(lowered, "<") && lowered.find("<html") != std::string::npos &&
                                          lowered.find("<html") < 1024)))
    return std::nullopt;
  Evidence ev{{"content", "html"}};
  std::string title = html_title(body.substr(i, kHeadWindow), lowered);
  std::string status = http_status.empty() ? status_in(title) : http_status;
  ev["page"] = html_page_kind(lowered, title, status);
  if (!title.empty()) ev["title"] = title;
  if (!status.empty()) ev["http_status"] = status;
  if (head.data() != body.data()) ev["http_headers"] = "true";
  ev["excerpt"] = excerpt(body.substr(i));
  return wrong("DAMAGE_HTML_PAGE", std::move(ev));
}

// ---- JSON ----

// The string value of "key" at the top of a small JSON text (no full parser: evidence only).
std::string json_string_value(std::string_view text, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\"";
  size_t at = text.find(needle);
  if (at == std::string_view::npos) return "";
  size_t colon = text.find(':', at + needle.size());
  if (colon == std::string_view::npos) return "";
  size_t v = colon + 1;
  while (v < text.size() && is_space(text[v])) ++v;
  if (v >= text.size()) return "";
  if (text[v] == '"') {
    size_t end = v + 1;
    while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
    return excerpt(text.substr(v + 1, std::min(end, text.size()) - v - 1));
  }
  size_t end = v;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-')) ++end;
  return std::string(text.substr(v, end - v));
}

std::optional<Finding> json_body(std::string_view body, std::string http_status) {
  size_t i = 0;
  if (starts_with(body, "\xEF\xBB\xBF")) i = 3;
  while (i < body.size() && is_space(body[i])) ++i;
  if (i >= body.size() || (body[i] != '{' && body[i] != '[')) return std::nullopt;
  // A JSON text opens with an object key or a value: `{"`, `{}`, `[{`, `["`, `[1`...
  size_t j = i + 1;
  while (j < body.size() && is_space(body[j])) ++j;
  if (j >= body.size()) return std::nullopt;
  const char next = body[j];
  bool json_like = body[i] == '{' ? (next == '"' || next == '}')
                                  : (next == '{' || next == '"' || next == '[' || next == ']' ||
                                     std::isdigit(static_cast<unsigned char>(next)));
  if (!json_like) return std::nullopt;
  std::string_view text = body.substr(i, kHeadWindow);
  Evidence ev{{"content", "json"}};
  std::string message;
  for (const char* key : {"message", "error_description", "error", "errorMessage", "msg", "title", "detail"}) {
    message = json_string_value(text, key);
    if (!message.empty()) break;
  }
  std::string status = http_status;
  for (const char* key : {"status", "statusCode", "code"}) {
    if (!status.empty()) break;
    std::string v = json_string_value(text, key);
    if (v.size() == 3 && (v[0] == '4' || v[0] == '5') && std::all_of(v.begin(), v.end(), ::isdigit)) status = v;
  }
  if (!message.empty()) ev["message"] = message;
  if (!status.empty()) ev["http_status"] = status;
  ev["excerpt"] = excerpt(text);
  return wrong("DAMAGE_JSON_BODY", std::move(ev));
}

// ---- ZIP / Office / OLE ----

std::string office_kind_of(const std::vector<diagnose::ZipEntry>& entries, std::string_view bytes) {
  bool content_types = false;
  for (const auto& e : entries) {
    if (e.name == "[Content_Types].xml") content_types = true;
    if (starts_with(e.name, "word/")) return "docx";
    if (starts_with(e.name, "xl/")) return "xlsx";
    if (starts_with(e.name, "ppt/")) return "pptx";
  }
  // OpenDocument: an uncompressed "mimetype" member first, its value right after the local header.
  if (!entries.empty() && entries.front().name == "mimetype") {
    std::string_view head = bytes.substr(0, 200);
    if (head.find("opendocument.text") != std::string_view::npos) return "odt";
    if (head.find("opendocument.spreadsheet") != std::string_view::npos) return "ods";
    return "opendocument";
  }
  return content_types ? "ooxml" : "";
}

std::optional<Finding> zip_file(std::string_view bytes) {
  if (!diagnose::ZipArchive::looks_like_zip(bytes.substr(0, 4))) return std::nullopt;
  std::vector<diagnose::ZipEntry> entries;
  bool readable = true;
  try {
    entries = diagnose::ZipArchive::from_bytes(bytes).entries();
  } catch (const Error&) {
    readable = false;  // cut off or damaged: still a ZIP by its magic number
  }
  Evidence ev;
  if (!readable) ev["archive"] = "unreadable";
  std::string office = office_kind_of(entries, bytes);
  if (!office.empty()) {
    ev["content"] = office;
    return wrong("DAMAGE_OFFICE_FILE", std::move(ev));
  }
  ev["content"] = "zip";
  ev["entries"] = std::to_string(entries.size());
  std::string pdfs;
  size_t pdf_count = 0;
  for (const auto& e : entries) {
    if (e.name.size() < 4 || lower(e.name.substr(e.name.size() - 4)) != ".pdf") continue;
    if (++pdf_count <= 3) pdfs += (pdfs.empty() ? "" : ", ") + e.name;
  }
  if (pdf_count) {
    ev["pdf_entries"] = std::to_string(pdf_count);
    ev["first_pdf_entries"] = pdfs;
  }
  return wrong("DAMAGE_ZIP_ARCHIVE", std::move(ev));
}

// Legacy Office (Word 97-2003 .doc, Excel .xls, PowerPoint .ppt): an OLE compound file whose directory
// names its main stream in UTF-16LE.
std::optional<Finding> ole_file(std::string_view bytes) {
  if (!starts_with(bytes, std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))) return std::nullopt;
  auto has_utf16 = [&](std::string_view ascii) {
    std::string wide;
    for (char c : ascii) {
      wide += c;
      wide += '\0';
    }
    return bytes.substr(0, 4u << 20).find(wide) != std::string_view::npos;
  };
  std::string kind = has_utf16("WordDocument") ? "doc" : has_utf16("Workbook") || has_utf16("Book") ? "xls"
                     : has_utf16("PowerPoint Document")                                             ? "ppt"
                                                                                                    : "ole";
  return wrong("DAMAGE_OFFICE_FILE", {{"content", kind}});
}

std::optional<Finding> image_file(std::string_view b) {
  if (b.size() < 4) return std::nullopt;
  const std::string_view box = b.size() >= 12 ? b.substr(4, 8) : std::string_view{};
  std::string kind;
  if (starts_with(b, "\x89PNG\r\n\x1A\n")) kind = "png";
  else if (starts_with(b, "\xFF\xD8\xFF")) kind = "jpeg";
  else if (starts_with(b, "GIF87a") || starts_with(b, "GIF89a")) kind = "gif";
  else if (starts_with(b, std::string_view("II*\0", 4)) || starts_with(b, std::string_view("MM\0*", 4))) kind = "tiff";
  else if (starts_with(b, "BM") && b.size() > 26) kind = "bmp";
  else if (starts_with(b, "RIFF") && box.size() == 8 && box.substr(4) == "WEBP") kind = "webp";
  else if (box == "ftypheic" || box == "ftypheix" || box == "ftypmif1") kind = "heic";
  if (kind.empty()) return std::nullopt;
  return wrong("DAMAGE_IMAGE_FILE", {{"content", kind}});
}

// Empty, or nothing but zero bytes / whitespace: storage allocated but never written.
std::optional<Finding> empty_file(std::string_view bytes) {
  if (bytes.empty()) return wrong("DAMAGE_EMPTY_FILE", {{"content", "empty"}, {"size", "0"}});
  bool zeros = std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == '\0'; });
  bool blank = !zeros && std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == '\0' || is_space(c); });
  if (!zeros && !blank) return std::nullopt;
  return wrong("DAMAGE_EMPTY_FILE", {{"content", zeros ? "zeros" : "whitespace"}, {"size", std::to_string(bytes.size())}});
}

}  // namespace

std::optional<Finding> find_wrong_content(std::string_view bytes) {
  // Containers first: their magic number opens the file, and a PDF stored inside shows "%PDF-" early.
  if (auto f = zip_file(bytes)) return f;
  if (auto f = ole_file(bytes)) return f;
  if (auto f = image_file(bytes)) return f;
  if (bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos) return std::nullopt;
  if (auto f = empty_file(bytes)) return f;
  std::string http_status;
  std::string_view body = skip_http_headers(bytes.substr(0, kHeadWindow + 4096), http_status);
  if (body.substr(0, 1024).find("%PDF-") != std::string_view::npos) return std::nullopt;
  if (auto f = html_page(bytes, body, http_status)) return f;
  if (auto f = json_body(body, http_status)) return f;
  return std::nullopt;
}

void detect_wrong_content(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out) {
  if (context.error_code.empty()) return;  // the file was read as a document: not the wrong content
  auto finding = find_wrong_content(bytes);
  if (!finding) return;
  finding->evidence["error"] = context.error_code;
  out.push_back({std::move(*finding), "", std::nullopt});
}

}  // namespace libsign::damage
