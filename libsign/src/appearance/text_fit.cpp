#include "appearance/text_fit.hpp"

#include <algorithm>
#include <cmath>

#include "appearance/utf8.hpp"

namespace libsign::appearance {
namespace {

constexpr double kEpsilon = 1e-6;

bool is_combining(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
         (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F);
}

// U+00A0 is not among them: it keeps words together (the caller draws it as a space).
bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// A letter with the combining marks that follow it, as UTF-8: the smallest piece a line may be cut into.
std::vector<std::string> clusters_of(std::string_view utf8) {
  std::vector<std::string> out;
  for (char32_t c : decode_utf8(utf8)) {
    if (out.empty() || !is_combining(c)) out.emplace_back();
    append_utf8(out.back(), c);
  }
  return out;
}

std::vector<std::string> words_of(std::string_view utf8) {
  std::vector<std::string> words(1);
  for (char32_t c : decode_utf8(utf8)) {
    if (is_space(c)) {
      if (!words.back().empty()) words.emplace_back();
    } else {
      append_utf8(words.back(), c);
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

std::string trim_right(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::vector<std::vector<std::string>> wrap_all(const std::vector<std::string>& paragraphs, double width, double size,
                                               const Measure& measure, bool split_long_words) {
  std::vector<std::vector<std::string>> out;
  for (const auto& p : paragraphs) out.push_back(wrap_paragraph(p, width, size, measure, split_long_words));
  return out;
}

bool lines_fit_width(const std::vector<std::vector<std::string>>& wrapped, double width, double size, const Measure& measure) {
  for (const auto& lines : wrapped)
    for (const auto& l : lines)
      if (measure(l) * size > width + kEpsilon) return false;
  return true;
}

std::size_t count_lines(const std::vector<std::vector<std::string>>& wrapped) {
  std::size_t n = 0;
  for (const auto& lines : wrapped) n += lines.size();
  return n;
}

// `line` shortened (by characters) until it fits with the ellipsis after it; empty when even the
// ellipsis alone does not fit.
std::string with_ellipsis(const std::string& line, double width, double size, const Measure& measure, const std::string& ellipsis) {
  std::vector<std::string> clusters = clusters_of(line);
  for (;;) {
    std::string text;
    for (const auto& c : clusters) text += c;
    text = trim_right(text) + ellipsis;
    if (measure(text) * size <= width + kEpsilon) return text;
    if (clusters.empty()) return {};
    clusters.pop_back();
  }
}

}  // namespace

double block_height(std::size_t lines, double size, const FitOptions& options) {
  if (lines == 0) return 0;
  return size * (options.ascent + options.descent + static_cast<double>(lines - 1) * options.line_height);
}

std::vector<std::string> wrap_paragraph(std::string_view utf8, double width, double size, const Measure& measure,
                                        bool split_long_words) {
  const auto fits = [&](const std::string& text) { return measure(text) * size <= width + kEpsilon; };
  std::vector<std::string> lines;
  std::string current;
  for (const std::string& word : words_of(utf8)) {
    const std::string candidate = current.empty() ? word : current + " " + word;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (!current.empty()) lines.push_back(current);
    current.clear();
    if (fits(word) || !split_long_words) {
      current = word;
      continue;
    }
    for (const std::string& cluster : clusters_of(word)) {  // a word longer than a whole line
      if (current.empty() || fits(current + cluster)) {
        current += cluster;
      } else {
        lines.push_back(current);
        current = cluster;
      }
    }
  }
  if (!current.empty()) lines.push_back(current);
  return lines;
}

FittedText fit_text(const std::vector<std::string>& paragraphs, double width, double height, const Measure& measure,
                    const FitOptions& options) {
  const double min_size = std::max(options.min_size, kMinFontSize);
  const double max_size = std::max(options.max_size, min_size);
  const double step = options.step > 0 ? options.step : 0.25;
  FittedText out;

  // Largest size first, min_size always tried last; words split between letters only when no size
  // fits without that.
  for (bool split : {false, true}) {
    for (int i = 0;; ++i) {
      const double size = std::max(min_size, max_size - i * step);
      auto wrapped = wrap_all(paragraphs, width, size, measure, split);
      if (lines_fit_width(wrapped, width, size, measure) && block_height(count_lines(wrapped), size, options) <= height + kEpsilon) {
        out.fits = true;
        out.size = size;
        out.split = split && !lines_fit_width(wrap_all(paragraphs, width, size, measure, false), width, size, measure);
        for (auto& lines : wrapped) out.lines.insert(out.lines.end(), lines.begin(), lines.end());
        return out;
      }
      if (size <= min_size) break;
    }
  }

  // Nothing fits whole: cut at min_size.
  const double size = min_size;
  auto wrapped = wrap_all(paragraphs, width, size, measure, true);
  std::size_t max_lines = 0;
  while (block_height(max_lines + 1, size, options) <= height + kEpsilon) ++max_lines;
  if (max_lines == 0 || !lines_fit_width(wrapped, width, size, measure)) return out;

  std::vector<bool> cut(wrapped.size(), false);
  while (count_lines(wrapped) > max_lines) {
    std::size_t longest = 0;
    for (std::size_t i = 0; i < wrapped.size(); ++i)
      if (wrapped[i].size() >= wrapped[longest].size()) longest = i;
    if (wrapped[longest].size() > 1) {
      wrapped[longest].pop_back();
      cut[longest] = true;
      continue;
    }
    // Every paragraph is down to one line: drop the last ones; the one before them shows the cut.
    std::size_t last = wrapped.size();
    while (last > 0 && wrapped[last - 1].empty()) --last;
    wrapped[last - 1].clear();
    cut[last - 1] = false;
    for (std::size_t k = last - 1; k-- > 0;)
      if (!wrapped[k].empty()) {
        cut[k] = true;
        break;
      }
  }
  for (std::size_t i = 0; i < wrapped.size(); ++i) {
    if (!cut[i] || wrapped[i].empty()) continue;
    std::string shortened = with_ellipsis(wrapped[i].back(), width, size, measure, options.ellipsis);
    if (shortened.empty()) return out;
    wrapped[i].back() = shortened;
  }
  out.fits = true;
  out.truncated = true;
  out.split = !lines_fit_width(wrap_all(paragraphs, width, size, measure, false), width, size, measure);
  out.size = size;
  for (auto& lines : wrapped) out.lines.insert(out.lines.end(), lines.begin(), lines.end());
  return out;
}

}  // namespace libsign::appearance
