// libsign damage — what the systems in between did to a signed XML e-form: pretty-printing (whitespace
// added), re-encoding (Vietnamese UTF-8 read as Windows-1252/1258 and written back, or decomposed into
// combining marks), namespace prefixes rewritten, a BOM added, the whole file left in Base64.
// Each class is proven, not guessed: the damage is undone on a copy of the document and the failing
// ds:Reference digests must then match. Evidence says what changed in the canonical form.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "damage/detector.hpp"

namespace libsign::damage {

// Reversing "UTF-8 bytes decoded as a single-byte code page, written again as UTF-8". `codepage` is
// "windows-1252" (Latin-1 included) or "windows-1258". Empty when `text` is not such mojibake (some
// character has no byte in the code page, or the bytes are not UTF-8 with a multi-byte sequence).
std::string undo_mojibake(std::string_view text, std::string_view codepage);

// Vietnamese letters in decomposed form (base + combining marks, as Windows-1258 and some keyboards
// write them) composed to precomposed letters (NFC for Latin). Returns `text` unchanged when it has none.
std::string compose_vietnamese(std::string_view text);

// Every XML damage class proven on `bytes` (an XML document or something that was one), with a
// candidate original for each (the repaired document, serialised). Bounded: at most a handful of
// repairs, each one copy of the document and one canonicalisation per failing reference.
std::vector<Damage> find_xml_damage(std::string_view bytes);

// Detector (damage.cpp): XML that failed to parse, or whose signature failed integrity.
void detect_xml_damage(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out);

}  // namespace libsign::damage
