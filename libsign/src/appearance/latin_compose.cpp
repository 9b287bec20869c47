#include "appearance/latin_compose.hpp"

#include <algorithm>
#include <vector>

namespace libsign::appearance {
namespace {

int combining_class(char32_t c) { return c >= 0x300 && c < 0x370 ? kCombiningClass0300[c - 0x300] : 0; }

char32_t lookup(char32_t base, char32_t mark) {
  const ComposePair* end = kLatinCompose + kLatinComposeCount;
  const ComposePair* it = std::lower_bound(kLatinCompose, end, ComposePair{base, mark, 0}, [](const ComposePair& a, const ComposePair& b) {
    return a.base != b.base ? a.base < b.base : a.mark < b.mark;
  });
  return it != end && it->base == base && it->mark == mark ? it->composed : 0;
}

}  // namespace

std::u32string compose_latin(const std::u32string& text, const std::function<bool(char32_t)>& usable) {
  std::u32string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t base = text[i++];
    std::size_t end = i;
    while (end < text.size() && combining_class(text[end]) != 0) ++end;
    std::u32string marks = text.substr(i, end - i);
    i = end;
    std::stable_sort(marks.begin(), marks.end(), [](char32_t a, char32_t b) { return combining_class(a) < combining_class(b); });
    // Compose as NFC would, remembering each step; then keep the longest chain of steps whose letter
    // is usable (intermediate letters need not be: the font may have ễ but not ê).
    std::vector<char32_t> bases;     // base after each composition step
    std::vector<bool> consumed(marks.size(), false);
    std::vector<std::size_t> step_mark;  // which mark each step consumed
    char32_t current = base;
    int blocking = -1;  // combining class of the last mark that stayed
    for (std::size_t k = 0; k < marks.size(); ++k) {
      const int cc = combining_class(marks[k]);
      const char32_t c = blocking < cc ? lookup(current, marks[k]) : 0;
      if (c != 0) {
        current = c;
        bases.push_back(c);
        step_mark.push_back(k);
      } else {
        blocking = cc;
      }
    }
    std::size_t steps = bases.size();
    while (steps > 0 && !usable(bases[steps - 1])) --steps;
    if (steps > 0) base = bases[steps - 1];
    for (std::size_t k = 0; k < steps; ++k) consumed[step_mark[k]] = true;
    std::u32string kept;
    for (std::size_t k = 0; k < marks.size(); ++k)
      if (!consumed[k]) kept.push_back(marks[k]);
    out.push_back(base);
    out += kept;
  }
  return out;
}

}  // namespace libsign::appearance
