// The end of the file is missing (an upload size limit, an interrupted download): no %%EOF at the end,
// or signatures whose ByteRange reaches past the last byte. Not reversible: the missing bytes are gone.
#include <algorithm>

#include "damage/pdf_scan.hpp"
#include "damage/transfer.hpp"

namespace libsign::damage {

void detect_truncation(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out) {
  if (pdf_header_offset(bytes, 1024) == kNone) return;
  // What this adds to the reader's INPUT_TRUNCATED is about signatures: none left in the bytes, nothing to add.
  if (!has_signature_text(bytes)) return;
  // A tail of zeros written by a download that preallocated the file is part of the cut.
  size_t end = bytes.size();
  while (end > 0 && bytes[end - 1] == '\0') --end;
  size_t zero_tail = bytes.size() - end;
  std::string_view kept = bytes.substr(0, end);
  size_t eof = end_of_last_eof_marker(kept);
  bool ends_cleanly = eof != kNone && kept.substr(eof).find_first_not_of(" \t\r\n") == std::string_view::npos;
  int64_t furthest = 0;
  size_t ranges = 0, outside = 0;
  for (const ByteRangeText& r : byte_ranges(kept)) {
    ++ranges;
    furthest = std::max(furthest, r.end());
    if (r.end() > static_cast<int64_t>(end)) ++outside;
  }
  // Ending with a complete revision is no cut (a cut after an earlier revision takes the later /ByteRange
  // with it); a /ByteRange past the end of such a file means bytes went missing inside: another class.
  if (ends_cleanly) return;
  if (!ends_cleanly && eof != kNone && outside == 0) {
    // After the last %%EOF: bytes that are no PDF update are trailing bytes (their own detector); an
    // update is cut only when reading failed.
    std::string_view tail = kept.substr(eof);
    bool update = tail.find(" obj") != std::string_view::npos || tail.find("xref") != std::string_view::npos;
    if (!update || context.error_code.empty()) return;
  }
  std::map<std::string, std::string> evidence{{"size", std::to_string(bytes.size())},
                                               {"signatures", std::to_string(ranges)},
                                               {"signatures_outside", std::to_string(outside)},
                                               {"signed_part_intact", outside == 0 ? "true" : "false"}};
  if (furthest > static_cast<int64_t>(end)) evidence["missing_at_least"] = std::to_string(furthest - static_cast<int64_t>(end));
  if (zero_tail) evidence["zero_tail"] = std::to_string(zero_tail);
  if (eof != kNone) evidence["last_complete_revision_end"] = std::to_string(eof);
  out.push_back({make_damage_finding("DAMAGE_TRUNCATED", "truncation", false, std::move(evidence)), "", std::nullopt});
}

}  // namespace libsign::damage
