// Canonical composition of Latin letters with combining marks (a small, table-driven part of NFC).
// Vietnamese typed in "decomposed" form (e + U+0302 + U+0303) must use the font's precomposed glyph (ễ):
// without GPOS positioning, stacked combining marks render badly.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace libsign::appearance {

struct ComposePair {
  char32_t base, mark, composed;
};
extern const ComposePair kLatinCompose[];  // sorted by (base, mark)
extern const std::size_t kLatinComposeCount;
extern const unsigned char kCombiningClass0300[0x70];

// Composes base + marks where the result is accepted by `usable` (e.g. "the font has this glyph").
// Marks are first put in canonical order; a mark that cannot compose stays, and blocks later marks
// of the same or lower combining class, as NFC does.
std::u32string compose_latin(const std::u32string& text, const std::function<bool(char32_t)>& usable);

}  // namespace libsign::appearance
