// Line ends converted by a text-mode transfer (FTP ASCII mode, unix2dos, a sync service, a "text" upload):
// LF -> CRLF, CRLF -> LF, LF -> CR. Binary stream data makes this visible: an intact file with
// compressed streams has lone LFs and lone CRs at random, a converted one has none of one kind. The
// producer's offsets (startxref) say which candidate is the original; a file may have had both kinds of
// line end (CRLF text, random bytes in streams), so stream data is converted or kept as its declared
// /Length says.
#include <algorithm>
#include <set>

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

// Does the declared /Length say this stream's data was converted? `ambiguous` is set when it says only
// part of it was: the data had line ends of its own, which a conversion cannot tell from the ones it made.
bool stream_was_converted(std::string_view seg, const StreamSpan& span, Direction dir, bool& ambiguous) {
  ambiguous = false;
  if (!span.declared_length) return dir != Direction::crlf_to_lf;
  if (near(undone_size(seg, dir), *span.declared_length)) return true;
  if (near(seg.size(), *span.declared_length)) return false;
  ambiguous = true;
  return dir != Direction::crlf_to_lf;
}

// How text (everything outside stream data) is treated: converted, kept, or per revision, as that
// revision's own startxref says (an update may use other line ends than the revision it extends).
enum class TextRule { convert, keep, per_revision };

// Ends of the revisions in the damaged bytes: just after each "%%EOF" and its EOL outside stream data.
std::vector<size_t> revision_ends(std::string_view bytes, const std::vector<StreamSpan>& spans) {
  std::vector<size_t> ends;
  size_t span = 0;
  for (size_t p = bytes.find("%%EOF"); p != std::string_view::npos && ends.size() < 4096; p = bytes.find("%%EOF", p + 5)) {
    while (span < spans.size() && spans[span].end <= p) ++span;
    if (span < spans.size() && spans[span].begin <= p) continue;  // inside stream data
    size_t end = p + 5;
    while (end < bytes.size() && (bytes[end] == '\r' || bytes[end] == '\n') && end < p + 7) ++end;
    ends.push_back(end);
  }
  if (ends.empty() || ends.back() < bytes.size()) ends.push_back(bytes.size());
  return ends;
}

class Rebuilder {
 public:
  Rebuilder(std::string_view bytes, const std::vector<StreamSpan>& spans, Direction dir, StreamRule rule)
      : bytes_(bytes), spans_(spans), dir_(dir), rule_(rule) {
    out_.reserve(bytes.size() + bytes.size() / 16);
  }

  size_t ambiguous_streams() const { return ambiguous_.size(); }

  std::string run(TextRule text) {
    if (text != TextRule::per_revision) {
      range(0, bytes_.size(), text == TextRule::convert);
      return std::move(out_);
    }
    size_t from = 0;
    for (size_t to : revision_ends(bytes_, spans_)) {
      auto startxref = last_startxref_value(bytes_.substr(from, to - from));
      const size_t mark = out_.size(), span_mark = span_;
      range(from, to, true);
      if (startxref && !xref_target_at(out_, *startxref)) {
        std::string converted = out_.substr(mark);
        out_.resize(mark);
        span_ = span_mark;
        range(from, to, false);
        if (!xref_target_at(out_, *startxref)) {  // neither fits: keep the conversion
          out_.resize(mark);
          out_ += converted;
        }
      }
      from = to;
    }
    return std::move(out_);
  }

 private:
  // [from, to) of the damaged bytes, stream data by the stream rule, text converted when `text`.
  void range(size_t from, size_t to, bool text) {
    size_t pos = from;
    for (; span_ < spans_.size() && spans_[span_].end <= to; ++span_) {
      const StreamSpan& span = spans_[span_];
      if (span.begin < pos) continue;
      undo(bytes_.substr(pos, span.begin - pos), dir_, text, out_);
      std::string_view data = bytes_.substr(span.begin, span.end - span.begin);
      bool ambiguous = false;
      bool convert = rule_ == StreamRule::convert ||
                     (rule_ == StreamRule::by_length && stream_was_converted(data, span, dir_, ambiguous));
      if (ambiguous) ambiguous_.insert(span.begin);
      if (convert) undo(data, dir_, true, out_);
      else out_.append(data);
      pos = span.end;
    }
    undo(bytes_.substr(pos, to - pos), dir_, text, out_);
  }

  std::string_view bytes_;
  const std::vector<StreamSpan>& spans_;
  Direction dir_;
  StreamRule rule_;
  std::string out_;
  size_t span_ = 0;
  std::set<size_t> ambiguous_;  // stream data whose own line ends cannot be told from converted ones
};

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
  if (!has_signature_text(bytes)) return;  // offsets alone are a weak sign: only where a signature broke
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
  struct Plan { TextRule text; StreamRule rule; const char* method; };
  using T = TextRule;
  using S = StreamRule;
  std::vector<Plan> plans;
  switch (dir) {
    case Direction::lf_to_crlf:
      plans = {{T::per_revision, S::by_length, "crlf-to-lf-per-revision"}, {T::convert, S::convert, "crlf-to-lf"},
               {T::keep, S::by_length, "crlf-to-lf-streams-only"}};
      break;
    case Direction::crlf_to_lf:
      plans = {{T::per_revision, S::by_length, "lf-to-crlf-per-revision"}, {T::keep, S::keep, "lf-to-crlf-xref-entries"},
               {T::convert, S::convert, "lf-to-crlf"}, {T::convert, S::keep, "lf-to-crlf-text-only"}};
      break;
    case Direction::lf_to_cr:
      plans = {{T::per_revision, S::convert, "cr-to-lf-per-revision"}, {T::convert, S::convert, "cr-to-lf"},
               {T::convert, S::keep, "cr-to-lf-text-only"}};
      break;
  }
  std::vector<Damage> found;
  size_t ambiguous = 0;
  std::map<std::string, std::string> evidence{{"direction", name_of(dir)},
                                               {"lone_lf", std::to_string(n.lone_lf)},
                                               {"crlf", std::to_string(n.crlf)},
                                               {"lone_cr", std::to_string(n.lone_cr)},
                                               {"odd_xref_entries", std::to_string(odd_entries)}};
  for (const Plan& plan : plans) {
    Rebuilder rebuilder(bytes, spans, dir, plan.rule);
    std::string candidate = rebuilder.run(plan.text);
    ambiguous = std::max(ambiguous, rebuilder.ambiguous_streams());
    if (candidate == bytes || !startxref_fits(candidate)) continue;
    bool duplicate = std::any_of(found.begin(), found.end(), [&](const Damage& d) { return *d.candidate == candidate; });
    if (duplicate) continue;
    auto e = evidence;
    e["size_change"] = std::to_string(static_cast<long long>(bytes.size()) - static_cast<long long>(candidate.size()));
    found.push_back({make_damage_finding("DAMAGE_LINE_ENDINGS", "line_endings", true, std::move(e)), plan.method,
                     std::move(candidate)});
  }
  if (found.empty()) {
    // No candidate fits the producer's offsets. Still a conversion when stream data says so: the
    // data had line ends of its own (no rebuild can tell them apart), or kilobytes of binary data
    // hold no lone LF at all (random bytes have one in 256).
    size_t binary = 0;
    for (const StreamSpan& span : spans) binary += span.end - span.begin;
    bool no_lone_lf = dir == Direction::lf_to_crlf && binary >= 4096;
    if (ambiguous == 0 && !no_lone_lf) return;
    evidence["ambiguous_streams"] = std::to_string(ambiguous);
    evidence["stream_bytes"] = std::to_string(binary);
    found.push_back({make_damage_finding("DAMAGE_LINE_ENDINGS", "line_endings", false, std::move(evidence)), "", std::nullopt});
  }
  for (Damage& d : found) out.push_back(std::move(d));
}

}  // namespace libsign::damage
