// Line ends converted by a text-mode transfer (FTP ASCII mode, unix2dos, a sync service, a "text" upload):
// LF -> CRLF, CRLF -> LF, LF -> CR. Binary stream data makes this visible: an intact file with
// compressed streams has lone LFs and lone CRs at random, a converted one has none of one kind. The
// producer's offsets (startxref) say which candidate is the original; a file may have had both kinds of
// line end (CRLF text, random bytes in streams), so stream data is converted or kept as its declared
// /Length says.
#include <algorithm>

#include "damage/pdf_scan.hpp"
#include "damage/transfer.hpp"

namespace libsign::damage {
namespace {

enum class Direction { lf_to_crlf, crlf_to_lf, lf_to_cr };

struct EolCounts {
  size_t lone_lf = 0, crlf = 0, lone_cr = 0;
};

EolCounts count_eols(std::string_view s) {
  EolCounts n;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      if (i + 1 < s.size() && s[i + 1] == '\n') { ++n.crlf; ++i; }
      else ++n.lone_cr;
    } else if (s[i] == '\n') {
      ++n.lone_lf;
    }
  }
  return n;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "nnnnnnnnnn ggggg n" at `i`: a classic cross-reference entry, whose 2-byte EOL (" \n", " \r" or "\r\n")
// makes every entry exactly 20 bytes.
bool xref_entry_at(std::string_view s, size_t i) {
  if (i + 18 > s.size()) return false;
  for (size_t k = 0; k < 10; ++k)
    if (!is_digit(s[i + k])) return false;
  if (s[i + 10] != ' ') return false;
  for (size_t k = 11; k < 16; ++k)
    if (!is_digit(s[i + k])) return false;
  return s[i + 16] == ' ' && (s[i + 17] == 'n' || s[i + 17] == 'f');
}

// The converted EOL of an xref entry at `i` (just after its 18 characters): how many bytes it took in the
// damaged file and the 2 bytes it was. 0 when it does not look like a converted entry EOL.
size_t xref_eol(std::string_view s, size_t i, Direction dir, std::string& original) {
  std::string_view e = s.substr(i, 3);
  switch (dir) {
    case Direction::lf_to_crlf:
      if (e.substr(0, 3) == " \r\n") { original = " \n"; return 3; }
      if (e.substr(0, 2) == "\r\n") { original = "\r\n"; return 2; }
      break;
    case Direction::crlf_to_lf:
      if (e.substr(0, 2) == " \n") { original = " \n"; return 2; }
      if (e.substr(0, 1) == "\n") { original = "\r\n"; return 1; }
      break;
    case Direction::lf_to_cr:
      if (e.substr(0, 2) == " \r") { original = " \n"; return 2; }
      if (e.substr(0, 2) == "\r\r") { original = "\r\n"; return 2; }
      break;
  }
  return 0;
}

// Appends `seg` to `out` with the conversion undone (every EOL when `eols`, else none). Cross-reference
// entries always get back their exact 20 bytes, whatever EOL their producer chose.
void undo(std::string_view seg, Direction dir, bool eols, std::string& out) {
  bool line_start = true;
  for (size_t i = 0; i < seg.size(); ++i) {
    if (line_start && xref_entry_at(seg, i)) {
      std::string original;
      if (size_t used = xref_eol(seg, i + 18, dir, original)) {
        out.append(seg.substr(i, 18));
        out.append(original);
        i += 18 + used - 1;
        line_start = true;
        continue;
      }
    }
    char c = seg[i];
    line_start = c == '\n' || c == '\r';
    if (!eols) {
      out.push_back(c);
      continue;
    }
    switch (dir) {
      case Direction::lf_to_crlf:
        if (c == '\r' && i + 1 < seg.size() && seg[i + 1] == '\n') continue;  // drop the added CR
        break;
      case Direction::crlf_to_lf:
        if (c == '\n') out.push_back('\r');
        break;
      case Direction::lf_to_cr:
        if (c == '\r') c = '\n';
        break;
    }
    out.push_back(c);
  }
}

// Length of `seg` once undone.
size_t undone_size(std::string_view seg, Direction dir) {
  EolCounts n = count_eols(seg);
  switch (dir) {
    case Direction::lf_to_crlf: return seg.size() - n.crlf;
    case Direction::crlf_to_lf: return seg.size() + n.lone_lf;
    case Direction::lf_to_cr: return seg.size();
  }
  return seg.size();
}

enum class StreamRule { convert, keep, by_length };

bool near(size_t have, int64_t declared) { return have >= static_cast<size_t>(declared) && have <= static_cast<size_t>(declared) + 2; }

// Does the declared /Length say this stream's data was converted?
bool stream_was_converted(std::string_view seg, const StreamSpan& span, Direction dir) {
  if (!span.declared_length) return dir != Direction::crlf_to_lf;
  if (near(undone_size(seg, dir), *span.declared_length)) return true;
  if (near(seg.size(), *span.declared_length)) return false;
  return dir != Direction::crlf_to_lf;
}

std::string rebuild(std::string_view bytes, const std::vector<StreamSpan>& spans, Direction dir, bool text,
                    StreamRule rule) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 16);
  size_t pos = 0;
  for (const StreamSpan& span : spans) {
    undo(bytes.substr(pos, span.begin - pos), dir, text, out);
    std::string_view seg = bytes.substr(span.begin, span.end - span.begin);
    bool convert = rule == StreamRule::convert || (rule == StreamRule::by_length && stream_was_converted(seg, span, dir));
    if (convert) undo(seg, dir, true, out);
    else out.append(seg);
    pos = span.end;
  }
  undo(bytes.substr(pos), dir, text, out);
  return out;
}

// Cross-reference entries whose EOL makes them 19 or 21 bytes long instead of 20: left by a conversion.
size_t odd_xref_entries(std::string_view s) {
  size_t odd = 0;
  for (size_t p = s.find("xref"); p != std::string_view::npos; p = s.find("xref", p + 4)) {
    size_t i = p + 4;
    for (int lines = 0; lines < 4 && i < s.size(); ++lines) {  // "xref" EOL, "0 6" EOL: look a few lines on
      size_t eol = s.find_first_of("\r\n", i);
      if (eol == std::string_view::npos) break;
      i = eol;
      while (i < s.size() && (s[i] == '\r' || s[i] == '\n')) ++i;
      if (xref_entry_at(s, i)) {
        std::string_view e = s.substr(i + 18, 3);
        if (e.substr(0, 3) == " \r\n" || e.substr(0, 1) == "\n" || e.substr(0, 2) == "\r\r") ++odd;
        break;
      }
    }
  }
  return odd;
}

const char* name_of(Direction d) {
  switch (d) {
    case Direction::lf_to_crlf: return "lf_to_crlf";
    case Direction::crlf_to_lf: return "crlf_to_lf";
    case Direction::lf_to_cr: return "lf_to_cr";
  }
  return "";
}

}  // namespace

void detect_line_endings(std::string_view bytes, const FailureContext&, std::vector<Damage>& out) {
  if (pdf_header_offset(bytes, 1024) == kNone) return;
  if (bytes.size() > kMaxCandidateSource) return;  // several full-size candidates: too big
  // The producer's offsets fit and its xref entries are 20 bytes: line ends are as written.
  const size_t odd_entries = odd_xref_entries(bytes);
  if (startxref_fits(bytes) && odd_entries == 0) return;
  EolCounts n = count_eols(bytes);
  Direction dir;
  if (n.lone_lf == 0 && n.crlf > 0) dir = Direction::lf_to_crlf;
  else if (n.crlf == 0 && n.lone_lf > 0) dir = Direction::crlf_to_lf;
  else if (n.lone_lf == 0 && n.crlf == 0 && n.lone_cr > 0) dir = Direction::lf_to_cr;
  else return;
  std::vector<StreamSpan> spans = stream_spans(bytes);
  struct Plan { bool text; StreamRule rule; const char* method; };
  std::vector<Plan> plans;
  switch (dir) {
    case Direction::lf_to_crlf:
      plans = {{true, StreamRule::convert, "crlf-to-lf"}, {true, StreamRule::by_length, "crlf-to-lf-by-length"},
               {false, StreamRule::by_length, "crlf-to-lf-streams-only"}};
      break;
    case Direction::crlf_to_lf:
      plans = {{false, StreamRule::keep, "lf-to-crlf-xref-entries"}, {true, StreamRule::by_length, "lf-to-crlf-by-length"},
               {true, StreamRule::convert, "lf-to-crlf"}, {true, StreamRule::keep, "lf-to-crlf-text-only"}};
      break;
    case Direction::lf_to_cr:
      plans = {{true, StreamRule::convert, "cr-to-lf"}, {true, StreamRule::keep, "cr-to-lf-text-only"}};
      break;
  }
  std::vector<Damage> found;
  for (const Plan& plan : plans) {
    std::string candidate = rebuild(bytes, spans, dir, plan.text, plan.rule);
    if (candidate == bytes || !startxref_fits(candidate)) continue;
    bool duplicate = std::any_of(found.begin(), found.end(), [&](const Damage& d) { return *d.candidate == candidate; });
    if (duplicate) continue;
    std::map<std::string, std::string> evidence{
        {"direction", name_of(dir)},
        {"lone_lf", std::to_string(n.lone_lf)},
        {"crlf", std::to_string(n.crlf)},
        {"lone_cr", std::to_string(n.lone_cr)},
        {"odd_xref_entries", std::to_string(odd_entries)},
        {"size_change", std::to_string(static_cast<long long>(bytes.size()) - static_cast<long long>(candidate.size()))}};
    found.push_back({make_damage_finding("DAMAGE_LINE_ENDINGS", "line_endings", true, std::move(evidence)), plan.method,
                     std::move(candidate)});
  }
  for (Damage& d : found) out.push_back(std::move(d));
}

}  // namespace libsign::damage
