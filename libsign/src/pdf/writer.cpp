#include "pdf/writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "pdf/errors.hpp"
#include "pdf/limits.hpp"

namespace libsign::pdf {
namespace {

bool regular_name_char(unsigned char c) {
  return c > 32 && c < 127 && c != '#' && c != '/' && c != '(' && c != ')' && c != '<' && c != '>' && c != '[' &&
         c != ']' && c != '{' && c != '}' && c != '%';
}

std::string name(std::string_view n) {
  std::string out = "/";
  for (unsigned char c : n) {
    if (regular_name_char(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "#%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string real(double v) {
  if (!std::isfinite(v)) v = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

}  // namespace

std::string hex_string(std::string_view bytes) {
  static const char* digits = "0123456789ABCDEF";
  std::string out = "<";
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out + ">";
}

namespace {

void write(const Object& o, std::string& out, int depth) {
  if (depth > 64) fail("PDF_MALFORMED", "object nested too deeply to write");
  switch (o.kind()) {
    case Kind::Null: out += "null"; break;
    case Kind::Bool: out += o.as_bool() ? "true" : "false"; break;
    case Kind::Int: out += std::to_string(o.as_int()); break;
    case Kind::Real: out += real(o.as_number()); break;
    case Kind::String: out += o.hex_string() ? hex_string(o.as_string()) : literal_string(o.as_string()); break;
    case Kind::Name: out += name(o.as_name()); break;
    case Kind::Ref: out += to_string(o.as_ref()); break;
    case Kind::Array:
      out += "[";
      for (size_t i = 0; i < o.items().size(); ++i) {
        if (i) out += " ";
        write(*o.items()[i], out, depth + 1);
      }
      out += "]";
      break;
    case Kind::Dict:
      out += "<<";
      for (const auto& e : o.entries()) {
        out += name(e.key) + " ";
        write(*e.value, out, depth + 1);
        out += "\n";
      }
      out += ">>";
      break;
    case Kind::Stream:
      fail("PDF_MALFORMED", "a stream cannot be written as a direct object");
  }
}

}  // namespace

std::string serialize(const Object& object) {
  std::string out;
  write(object, out, 0);
  return out;
}

std::string literal_string(std::string_view bytes) {
  std::string out = "(";
  for (unsigned char c : bytes) {
    if (c == '(' || c == ')' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 32 || c > 126) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + ")";
}

std::string text_string(std::string_view utf8) {
  bool ascii = true;
  for (unsigned char c : utf8) ascii &= c >= 32 && c < 127;
  if (ascii) return literal_string(utf8);
  // UTF-16BE with a byte order mark, as hex: readable by every PDF reader.
  std::string utf16 = "\xFE\xFF";
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    uint32_t cp = 0xFFFD;
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + n <= utf8.size()) {
      cp = n == 1 ? c : c & (0x7F >> n);
      bool ok = n > 1 || c < 0x80;
      for (size_t k = 1; k < n; ++k) {
        unsigned char cc = static_cast<unsigned char>(utf8[i + k]);
        ok &= (cc & 0xC0) == 0x80;
        cp = (cp << 6) | (cc & 0x3F);
      }
      if (!ok) {
        cp = 0xFFFD;
        n = 1;
      }
    }
    i += n;
    auto unit = [&](uint32_t u) {
      utf16.push_back(static_cast<char>(u >> 8));
      utf16.push_back(static_cast<char>(u & 0xFF));
    };
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return hex_string(utf16);
}

bool needs_separator(std::string_view pdf) { return pdf.empty() || (pdf.back() != '\n' && pdf.back() != '\r'); }

IncrementalUpdate::IncrementalUpdate(const Document& doc) : doc_(doc) {
  // An update chains to the previous xref section: there must be one that other readers can follow.
  if (doc.reconstructed())
    fail("PDF_MALFORMED", "the file's cross-reference is broken (libsign had to rebuild it to read the file); an update "
                          "appended to it would not be readable by other tools. Re-save the unsigned file first "
                          "(e.g. qpdf in.pdf out.pdf); a file that already carries signatures must be obtained again");
  if (doc.trailer(doc.last_revision())->has("Encrypt"))
    fail("PDF_ENCRYPTED", "signing an encrypted document is not supported; sign the unencrypted original");
  ObjPtr size = doc.trailer(doc.last_revision())->get("Size");
  next_number_ = size && size->is_int() && size->as_int() > 0 && size->as_int() <= static_cast<int64_t>(limits::kMaxObjects)
                     ? static_cast<uint32_t>(size->as_int())
                     : 1;
  // /Size can be understated in sloppy files: never reuse a number any revision defines.
  for (const auto& rev : doc.revisions())
    if (!rev.entries.empty()) next_number_ = std::max(next_number_, rev.entries.rbegin()->first + 1);
}

Ref IncrementalUpdate::allocate() { return Ref{next_number_++, 0}; }

void IncrementalUpdate::put(Ref ref, const std::string& body) { objects_[ref] = body; }

void IncrementalUpdate::put_stream(Ref ref, const std::string& dict_entries, const std::string& data) {
  objects_[ref] = "<<" + dict_entries + " /Length " + std::to_string(data.size()) + ">>\nstream\n" + data + "\nendstream";
}

std::string IncrementalUpdate::render(size_t base, std::map<Ref, size_t>* object_offsets) const {
  const size_t last = doc_.last_revision();
  const Revision& previous = doc_.revisions()[last];
  std::string out;
  std::map<Ref, size_t> offsets;
  for (const auto& [ref, body] : objects_) {
    offsets[ref] = base + out.size();
    out += std::to_string(ref.num) + " " + std::to_string(ref.gen) + " obj\n" + body + "\nendobj\n";
  }
  uint32_t size = next_number_;
  // The new trailer keeps what identifies the document (/Root, /Info, /ID) and chains to the previous section.
  std::string trailer_entries;
  for (const auto& e : previous.trailer->entries()) {
    static const char* dropped[] = {"Size", "Prev", "XRefStm", "Type", "W", "Index", "Length", "Filter", "DecodeParms"};
    if (std::find(std::begin(dropped), std::end(dropped), e.key) != std::end(dropped)) continue;
    trailer_entries += "/" + e.key + " " + serialize(*e.value) + "\n";
  }
  trailer_entries += "/Prev " + std::to_string(previous.xref_offset) + "\n";

  // Subsections of consecutive object numbers.
  std::vector<std::pair<uint32_t, std::vector<size_t>>> runs;
  auto add_entry = [&](uint32_t num, size_t offset) {
    if (runs.empty() || runs.back().first + runs.back().second.size() != num) runs.push_back({num, {}});
    runs.back().second.push_back(offset);
  };
  size_t xref_offset = base + out.size();
  if (previous.is_xref_stream) {
    // A file that uses cross-reference streams gets one in its update too.
    Ref self{size, 0};
    size += 1;
    for (const auto& [ref, offset] : offsets) add_entry(ref.num, offset);
    add_entry(self.num, xref_offset);
    std::string index, data;
    for (const auto& run : runs) {
      index += std::to_string(run.first) + " " + std::to_string(run.second.size()) + " ";
      for (size_t offset : run.second) {
        data.push_back('\x01');
        for (int shift = 32; shift >= 0; shift -= 8) data.push_back(static_cast<char>((offset >> shift) & 0xFF));
        data.append("\0\0", 2);
      }
    }
    index.pop_back();
    out += std::to_string(self.num) + " 0 obj\n<</Type /XRef /W [1 5 2] /Index [" + index + "] /Size " + std::to_string(size) +
           "\n" + trailer_entries + "/Length " + std::to_string(data.size()) + ">>\nstream\n" + data + "\nendstream\nendobj\n";
    out += "startxref\n" + std::to_string(xref_offset) + "\n%%EOF\n";
  } else {
    for (const auto& [ref, offset] : offsets) add_entry(ref.num, offset);
    out += "xref\n";
    for (const auto& run : runs) {
      out += std::to_string(run.first) + " " + std::to_string(run.second.size()) + "\n";
      for (size_t offset : run.second) {
        char line[32];
        std::snprintf(line, sizeof line, "%010zu 00000 n\r\n", offset);
        out += line;
      }
    }
    out += "trailer\n<</Size " + std::to_string(size) + "\n" + trailer_entries + ">>\nstartxref\n" + std::to_string(xref_offset) +
           "\n%%EOF\n";
  }
  if (object_offsets) *object_offsets = offsets;
  return out;
}

}  // namespace libsign::pdf
