// Whole-file rewrites after signing. The proof is the layout: a signature's /ByteRange was computed for
// the file as signed; a tool that rewrites the file moves every object, so the range no longer frames
// the /Contents string (which the tool copies unchanged) nor ends where a revision ends. The tool is
// named from the marks it leaves (header comment, /Producer, XMP), as evidence only.
#include "damage/rewrite.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/encoding.hpp"
#include "libsign/error.hpp"
#include "pdf/document.hpp"
#include "pdf/signatures.hpp"
#include "pdf/text.hpp"

namespace libsign::damage {
namespace {

constexpr size_t kMaxXmpBytes = 1u << 20;
constexpr size_t kMaxEvidenceChars = 120;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string clip(std::string s) {
  if (s.size() <= kMaxEvidenceChars) return s;
  size_t cut = kMaxEvidenceChars;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "...";
}

// The comment line right after "%PDF-x.y": producers write four or more bytes >= 0x80 there, and the
// choice is theirs (qpdf, Ghostscript and others each have their own).
std::string header_comment_hex(std::string_view bytes) {
  size_t at = bytes.substr(0, 1024).find("%PDF-");
  if (at == std::string_view::npos) return "";
  size_t eol = bytes.find_first_of("\r\n", at);
  if (eol == std::string_view::npos || eol > at + 16) return "";
  size_t next = eol;
  while (next < bytes.size() && next < eol + 2 && (bytes[next] == '\r' || bytes[next] == '\n')) ++next;
  if (next >= bytes.size() || bytes[next] != '%') return "";
  size_t end = next + 1;
  while (end < bytes.size() && end < next + 9 && bytes[end] != '\r' && bytes[end] != '\n') ++end;
  return core::to_hex(bytes.substr(next + 1, end - next - 1));
}

std::string tool_from_header(const std::string& hex) {
  if (hex == "bff7a2fe") return "qpdf";
  if (hex == "c7ec8fa2") return "Ghostscript";
  return "";
}

std::string string_value(const pdf::Document& doc, const pdf::ObjPtr& dict, std::string_view key, size_t rev) {
  if (!dict || !dict->has_dict()) return "";
  pdf::ObjPtr v = doc.get(dict, key, rev);
  if (!v || !v->is_string()) return "";
  return clip(pdf::text_to_utf8(v->as_string()));
}

// <pdf:Producer>X</pdf:Producer> or pdf:Producer="X" (both forms are written by real producers).
std::string xmp_value(std::string_view xmp, std::string_view name) {
  const std::string open = "<" + std::string(name) + ">";
  size_t at = xmp.find(open);
  if (at != std::string_view::npos) {
    size_t start = at + open.size();
    size_t end = xmp.find('<', start);
    if (end != std::string_view::npos) return clip(std::string(xmp.substr(start, end - start)));
  }
  const std::string attr = std::string(name) + "=";
  at = xmp.find(attr);
  if (at != std::string_view::npos && at + attr.size() < xmp.size()) {
    char quote = xmp[at + attr.size()];
    size_t start = at + attr.size() + 1;
    size_t end = xmp.find(quote, start);
    if ((quote == '"' || quote == '\'') && end != std::string_view::npos)
      return clip(std::string(xmp.substr(start, end - start)));
  }
  return "";
}

void read_xmp(const pdf::Document& doc, size_t rev, RewriteMarks& marks) {
  pdf::ObjPtr meta = doc.get(doc.catalog(rev), "Metadata", rev);
  if (!meta || !meta->is_stream()) return;
  pdf::ObjPtr length = doc.get(meta, "Length", rev);
  if (length && length->is_int() && length->as_int() > static_cast<int64_t>(kMaxXmpBytes)) return;
  std::string xmp = doc.stream_data(*meta, rev);
  if (xmp.size() > kMaxXmpBytes) xmp.resize(kMaxXmpBytes);
  marks.xmp_producer = xmp_value(xmp, "pdf:Producer");
  marks.xmp_creator_tool = xmp_value(xmp, "xmp:CreatorTool");
}

bool has_compressed_entries(const pdf::Document& doc) {
  for (const auto& r : doc.revisions())
    for (const auto& [num, e] : r.entries)
      if (e.type == pdf::XrefEntry::Type::Compressed) return true;
  return false;
}

// The /ByteRange a signer writes: [0 a b c] with a <= b. A rewriter copies it as it was; any other shape
// (two numbers, overlapping, not from 0) is a malformed or hostile signature, not a re-save.
bool signer_shaped(const std::vector<int64_t>& br) {
  return br.size() == 4 && br[0] == 0 && br[1] >= 0 && br[2] >= br[1] && br[3] >= 0;
}

// Codes that say the bytes around a signature moved (as opposed to bytes inside the signed ranges
// changing). BYTERANGE_INVALID counts only as "the range runs past the end of a shorter file".
bool layout_broken(const SignatureReport& s, size_t file_size) {
  if (!signer_shaped(s.byte_range)) return false;
  const bool past_end = static_cast<uint64_t>(s.byte_range[2]) + static_cast<uint64_t>(s.byte_range[3]) > file_size;
  return s.has_finding("BYTERANGE_HOLE_NOT_CONTENTS") || s.has_finding("BYTERANGE_NOT_REVISION_END") ||
         s.has_finding("SIGNATURE_IN_OBJECT_STREAM") || s.has_finding("CONTENTS_NOT_LOCATED") || (past_end && s.has_finding("BYTERANGE_INVALID"));
}

bool digest_failed(const SignatureReport& s) {
  return s.has_finding("DIGEST_MISMATCH") || s.has_finding("BYTERANGE_INVALID");
}

std::string range_text(const std::vector<int64_t>& br) {
  std::string out = "[";
  for (size_t i = 0; i < br.size(); ++i) out += (i ? " " : "") + std::to_string(br[i]);
  return out + "]";
}

std::string operations(const RewriteMarks& m) {
  std::string out;
  auto add = [&](const char* op) { out += (out.empty() ? "" : ", ") + std::string(op); };
  if (m.revisions == 1) add("single revision");
  if (m.linearized) add("linearized");
  if (m.object_streams) add("object streams");
  return out;
}

}  // namespace

std::string rewriting_tool_named(std::string_view text) {
  static const std::pair<const char*, const char*> kTools[] = {
      {"qpdf", "qpdf"},
      {"ghostscript", "Ghostscript"},
      {"pdftk", "pdftk"},
      {"pypdf", "pypdf"},
      {"mupdf", "MuPDF"},
      {"mutool", "MuPDF"},
      {"pdfsharp", "PDFsharp"},
      {"microsoft: print to pdf", "Microsoft Print to PDF"},
      {"microsoft print to pdf", "Microsoft Print to PDF"},
      {"skia/pdf", "Chrome print to PDF (Skia/PDF)"},
      {"cairo", "cairo print to PDF"},
      {"quartz pdfcontext", "macOS print to PDF (Quartz)"},
      {"ilovepdf", "iLovePDF"},
      {"smallpdf", "Smallpdf"},
      {"pdf-xchange", "PDF-XChange"},
      {"nitro", "Nitro PDF"},
      {"cutepdf", "CutePDF"},
      {"bullzip", "Bullzip PDF Printer"},
      {"pdfcreator", "PDFCreator"},
      {"dopdf", "doPDF"},
  };
  const std::string l = lower(text);
  for (const auto& [needle, name] : kTools)
    if (l.find(needle) != std::string::npos) return name;
  return "";
}

std::optional<RewriteMarks> read_rewrite_marks(std::string_view pdf_bytes) {
  try {
    pdf::Document doc = pdf::Document::open(pdf_bytes);
    RewriteMarks m;
    m.revisions = doc.revisions().size();
    const size_t last = doc.last_revision();
    m.xref_stream = doc.revisions().back().is_xref_stream;
    m.object_streams = has_compressed_entries(doc);
    size_t header = pdf_bytes.substr(0, 1024).find("%PDF-");
    m.linearized = header != std::string_view::npos &&
                   pdf_bytes.substr(header, 1024).find("/Linearized") != std::string_view::npos;
    m.header_comment = header_comment_hex(pdf_bytes);
    pdf::ObjPtr info = doc.get(doc.trailer(last), "Info", last);
    m.producer = string_value(doc, info, "Producer", last);
    m.creator = string_value(doc, info, "Creator", last);
    try {
      read_xmp(doc, last, m);
    } catch (const Error&) {
      // unreadable metadata: the other marks still count
    }
    for (const std::string* text : {&m.producer, &m.xmp_producer, &m.creator, &m.xmp_creator_tool}) {
      if (!m.tool.empty()) break;
      m.tool = rewriting_tool_named(*text);
    }
    if (m.tool.empty()) m.tool = tool_from_header(m.header_comment);
    return m;
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::optional<Finding> find_rewrite(std::string_view pdf_bytes, const DocumentReport& report) {
  const SignatureReport* first = nullptr;
  size_t moved = 0;
  for (const SignatureReport& s : report.signatures) {
    if (s.indication == Indication::total_passed || s.has_finding("CMS_MALFORMED")) continue;
    if (!layout_broken(s, pdf_bytes.size()) || !digest_failed(s)) continue;
    if (!first) first = &s;
    ++moved;
  }
  if (!first) return std::nullopt;
  auto marks = read_rewrite_marks(pdf_bytes);
  if (!marks) return std::nullopt;

  std::map<std::string, std::string> ev;
  ev["field"] = first->field_name;
  ev["signatures_moved"] = std::to_string(moved);
  ev["byte_range"] = range_text(first->byte_range);
  if (first->byte_range.size() == 4)
    // Unsigned: hostile ranges hold values up to INT64_MAX (a signed sum would overflow).
    ev["signed_length"] = std::to_string(static_cast<uint64_t>(first->byte_range[2]) + static_cast<uint64_t>(first->byte_range[3]));
  ev["file_size"] = std::to_string(pdf_bytes.size());
  // Where the signature value is now, against where the range expects it: it must still be in the
  // file (a cut file lost it) and somewhere else than the range's hole (else nothing moved).
  const std::vector<int64_t>& br = first->byte_range;
  bool moved_value = false;
  try {
    pdf::Document doc = pdf::Document::open(pdf_bytes);
    for (const auto& f : pdf::find_signatures(doc)) {
      if (f.field_name != first->field_name || f.byte_range != br) continue;
      moved_value = !f.contents_offsets_known || static_cast<int64_t>(f.contents_begin) != br[1] ||
                    static_cast<int64_t>(f.contents_end) != br[2];
      ev["contents_now_at"] = f.contents_offsets_known ? std::to_string(f.contents_begin) + ".." + std::to_string(f.contents_end)
                                                      : "inside an object stream";
      break;
    }
  } catch (const Error&) {
  }
  if (!moved_value) return std::nullopt;
  ev["revisions"] = std::to_string(marks->revisions);
  ev["xref"] = marks->xref_stream ? "stream" : "table";
  ev["linearized"] = marks->linearized ? "true" : "false";
  ev["object_streams"] = marks->object_streams ? "true" : "false";
  if (std::string ops = operations(*marks); !ops.empty()) ev["operations"] = ops;
  if (!marks->producer.empty()) ev["producer"] = marks->producer;
  if (!marks->creator.empty()) ev["creator"] = marks->creator;
  if (!marks->xmp_producer.empty()) ev["xmp_producer"] = marks->xmp_producer;
  if (!marks->xmp_creator_tool.empty()) ev["xmp_creator_tool"] = marks->xmp_creator_tool;
  if (!marks->header_comment.empty()) ev["header_comment"] = marks->header_comment;
  if (!marks->tool.empty()) ev["tool"] = marks->tool;
  return make_damage_finding("DAMAGE_REWRITTEN", "rewritten", false, std::move(ev));
}

void detect_rewrite(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out) {
  if (!context.report || context.report->format != "pdf") return;
  // Transfer damage (line ends, re-encoding, ...) also moves every byte; it was looked for first and,
  // when found, explains the failure. A file whose cross-reference had to be repaired was not written
  // by a PDF tool in one piece either.
  // One exception: a rewritten file is often shorter, so its signatures' ranges run past its end, which
  // the truncation detector reads as a cut. A cut file has lost its last signature value with its end;
  // here the value is still in the file, moved, and the file ends cleanly: the rewrite explains both.
  const bool only_truncation = !out.empty() && std::all_of(out.begin(), out.end(), [](const Damage& d) {
    auto c = d.finding.evidence.find("class");
    return c != d.finding.evidence.end() && c->second == "truncation";
  });
  if ((!out.empty() && !only_truncation) || context.report->has_finding("PDF_REPAIRED")) return;
  auto f = find_rewrite(bytes, *context.report);
  if (!f) return;
  if (only_truncation) out.clear();
  out.push_back({std::move(*f), "", std::nullopt});
}

}  // namespace libsign::damage
