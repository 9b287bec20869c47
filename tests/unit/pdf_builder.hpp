// Test helper: writes small PDFs (classic tables, xref streams with PNG predictors, object streams,
// incremental updates) and keeps track of the byte offsets.
#pragma once
#include <zlib.h>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace pdftest {

inline std::string deflate(const std::string& in) {
  uLongf len = compressBound(static_cast<uLong>(in.size()));
  std::string out(len, '\0');
  if (compress(reinterpret_cast<Bytef*>(&out[0]), &len, reinterpret_cast<const Bytef*>(in.data()),
               static_cast<uLong>(in.size())) != Z_OK)
    throw std::runtime_error("compress failed");
  out.resize(len);
  return out;
}

class Builder {
 public:
  explicit Builder(std::string header = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n") : data(std::move(header)) {}

  std::string data;

  // "num 0 obj body endobj"
  void obj(uint32_t num, const std::string& body, uint16_t gen = 0) {
    entries_[num] = Entry{1, data.size(), gen};
    data += std::to_string(num) + " " + std::to_string(gen) + " obj\n" + body + "\nendobj\n";
  }
  void stream(uint32_t num, const std::string& extra_dict, const std::string& content) {
    obj(num, "<< /Length " + std::to_string(content.size()) + " " + extra_dict + " >>\nstream\n" + content + "\nendstream");
  }
  void free_obj(uint32_t num, uint16_t next_gen = 1) { entries_[num] = Entry{0, 0, next_gen}; }

  // An object stream holding `objects` (number, body); their xref entries become compressed entries.
  void objstm(uint32_t num, const std::vector<std::pair<uint32_t, std::string>>& objects) {
    std::string header, body;
    for (size_t i = 0; i < objects.size(); ++i) {
      header += std::to_string(objects[i].first) + " " + std::to_string(body.size()) + " ";
      body += objects[i].second + "\n";
    }
    std::string raw = header + body;
    std::string z = deflate(raw);
    obj(num, "<< /Type /ObjStm /N " + std::to_string(objects.size()) + " /First " + std::to_string(header.size()) +
                 " /Filter /FlateDecode /Length " + std::to_string(z.size()) + " >>\nstream\n" + z + "\nendstream");
    for (size_t i = 0; i < objects.size(); ++i) entries_[objects[i].first] = Entry{2, num, static_cast<uint16_t>(i)};
  }

  // Classic table for the objects written since the last section; returns the xref offset.
  size_t xref_table(uint32_t size, const std::string& trailer_extra = "/Root 1 0 R") {
    size_t at = data.size();
    data += "xref\n";
    if (first_) entries_.emplace(0, Entry{0, 0, 65535});
    auto it = entries_.begin();
    while (it != entries_.end()) {
      auto run_end = it;
      uint32_t start = it->first, count = 0;
      while (run_end != entries_.end() && run_end->first == start + count) ++run_end, ++count;
      data += std::to_string(start) + " " + std::to_string(count) + "\n";
      for (; it != run_end; ++it) {
        char line[32];
        std::snprintf(line, sizeof line, "%010zu %05u %c \n", it->second.type == 1 ? it->second.a : size_t{0},
                      it->second.gen, it->second.type == 1 ? 'n' : 'f');
        data += line;
      }
    }
    data += "trailer\n<< /Size " + std::to_string(size) + " " + trailer_extra + prev_() + " >>\n";
    finish_(at);
    return at;
  }

  // Xref stream (object `num`) with /W [1 4 2], FlateDecode and the PNG Up predictor. With `hybrid_part`,
  // it only lists the compressed entries, is not followed by startxref, and the caller then writes the table
  // with "/XRefStm <returned offset>".
  size_t xref_stream(uint32_t num, uint32_t size, const std::string& trailer_extra = "/Root 1 0 R", bool hybrid_part = false) {
    size_t at = data.size();
    std::map<uint32_t, Entry> sel;
    if (hybrid_part) {
      for (auto it = entries_.begin(); it != entries_.end();)
        if (it->second.type == 2) sel.insert(*it), it = entries_.erase(it);
        else ++it;
    } else {
      entries_[num] = Entry{1, at, 0};
      if (first_) entries_.emplace(0, Entry{0, 0, 65535});
      sel = entries_;
    }
    std::string rows, index;
    std::string prev_row(7, '\0');
    auto it = sel.begin();
    while (it != sel.end()) {
      auto run_end = it;
      uint32_t start = it->first, count = 0;
      while (run_end != sel.end() && run_end->first == start + count) ++run_end, ++count;
      index += std::to_string(start) + " " + std::to_string(count) + " ";
      for (; it != run_end; ++it) {
        uint64_t f2 = it->second.type == 0 ? 0 : it->second.a;
        uint64_t f3 = it->second.gen;
        std::string row(7, '\0');
        row[0] = static_cast<char>(it->second.type);
        for (int i = 0; i < 4; ++i) row[1 + i] = static_cast<char>((f2 >> (8 * (3 - i))) & 0xFF);
        row[5] = static_cast<char>((f3 >> 8) & 0xFF);
        row[6] = static_cast<char>(f3 & 0xFF);
        rows.push_back('\x02');  // PNG "Up"
        for (int i = 0; i < 7; ++i) rows.push_back(static_cast<char>(row[i] - prev_row[i]));
        prev_row = row;
      }
    }
    std::string z = deflate(rows);
    data += std::to_string(num) + " 0 obj\n<< /Type /XRef /Size " + std::to_string(size) + " /W [1 4 2] /Index [" + index +
            "] /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> /Length " + std::to_string(z.size()) + " " +
            trailer_extra + (hybrid_part ? std::string() : prev_()) + " >>\nstream\n" + z + "\nendstream\nendobj\n";
    if (!hybrid_part) finish_(at);
    return at;
  }

  size_t last_xref() const { return last_xref_; }

 private:
  struct Entry {
    int type;  // 0 free, 1 in file, 2 compressed
    size_t a;  // offset or object stream number
    uint16_t gen;  // generation or index
  };
  std::string prev_() const { return first_ ? "" : " /Prev " + std::to_string(last_xref_); }
  void finish_(size_t at) {
    data += "startxref\n" + std::to_string(at) + "\n%%EOF\n";
    last_xref_ = at;
    first_ = false;
    entries_.clear();
  }
  std::map<uint32_t, Entry> entries_;
  size_t last_xref_ = 0;
  bool first_ = true;
};

// A one-page document with a signed signature field: 1 catalog, 2 pages, 3 page, 4 contents,
// 5 AcroForm, 6 field+widget "Sig1", 7 signature value, 8 its appearance. Classic xref, /Size 9.
inline Builder signed_base() {
  Builder b;
  b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>");
  b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [6 0 R] >>");
  b.stream(4, "", "BT /F1 12 Tf (Hello) Tj ET");
  b.obj(5, "<< /Fields [6 0 R] /SigFlags 3 >>");
  b.obj(6, "<< /FT /Sig /T (Sig1) /Type /Annot /Subtype /Widget /Rect [0 0 10 10] /P 3 0 R /AP << /N 8 0 R >> /V 7 0 R >>");
  b.obj(7, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 20 30] "
           "/Contents <3082AABB> /M (D:20240101000000Z) /Reason (Test) >>");
  b.stream(8, "/Type /XObject /Subtype /Form /BBox [0 0 10 10]", "");
  b.xref_table(9);
  return b;
}

}  // namespace pdftest
