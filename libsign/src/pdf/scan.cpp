#include "pdf/scan.hpp"

#include <algorithm>
#include <cstring>

#include "libsign/error.hpp"
#include "pdf/chars.hpp"
#include "pdf/limits.hpp"
#include "pdf/parser.hpp"

namespace libsign::pdf {

namespace {

size_t find_from(std::string_view file, std::string_view needle, size_t from) {
  if (from >= file.size()) return std::string_view::npos;
  const void* hit = memmem(file.data() + from, file.size() - from, needle.data(), needle.size());
  return hit ? static_cast<size_t>(static_cast<const char*>(hit) - file.data()) : std::string_view::npos;
}

bool regular_at(std::string_view file, size_t pos) {
  return pos < file.size() && is_regular(static_cast<unsigned char>(file[pos]));
}

// Reads the digits that end just before `end` (at most `max_digits`); returns their start, or npos.
size_t digits_before(std::string_view file, size_t end, size_t max_digits) {
  size_t q = end;
  while (q > 0 && end - q < max_digits && is_digit(static_cast<unsigned char>(file[q - 1]))) --q;
  if (q == end || (q > 0 && is_digit(static_cast<unsigned char>(file[q - 1])))) return std::string_view::npos;
  return q;
}

size_t skip_ws_back(std::string_view file, size_t end) {
  while (end > 0 && is_ws(static_cast<unsigned char>(file[end - 1]))) --end;
  return end;
}

bool inside(const std::vector<std::pair<size_t, size_t>>& ranges, size_t pos) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), std::make_pair(pos, SIZE_MAX));
  return it != ranges.begin() && pos < std::prev(it)->second;
}

}  // namespace

std::optional<size_t> FileScan::next_endstream(size_t from) const {
  auto it = std::lower_bound(endstreams.begin(), endstreams.end(), from);
  if (it == endstreams.end()) return std::nullopt;
  return *it;
}

std::optional<ScannedObject> FileScan::last_definition(uint32_t num, size_t begin, size_t end) const {
  auto it = by_number.find(num);
  if (it == by_number.end()) return std::nullopt;
  for (auto i = it->second.rbegin(); i != it->second.rend(); ++i) {
    const ScannedObject& o = objects[*i];
    if (o.offset >= begin && o.offset < end) return o;
  }
  return std::nullopt;
}

std::vector<size_t> find_keywords(std::string_view file, std::string_view keyword) {
  std::vector<size_t> out;
  bool needs_boundary_before = is_regular(static_cast<unsigned char>(keyword[0])) && keyword != "endstream";
  for (size_t pos = find_from(file, keyword, 0); pos != std::string_view::npos;
       pos = find_from(file, keyword, pos + 1)) {
    if (needs_boundary_before && pos > 0 && regular_at(file, pos - 1)) continue;
    if (regular_at(file, pos + keyword.size())) continue;
    out.push_back(pos);
  }
  return out;
}

std::optional<ObjectHeader> object_header_at(std::string_view file, size_t at) {
  if (at >= file.size()) return std::nullopt;
  Parser h(file, at);
  h.skip_ws();
  auto num = h.try_uint();
  h.skip_ws();
  auto gen = h.try_uint();
  h.skip_ws();
  if (!num || !gen || *num > limits::kMaxObjects || *gen > 65535 || !h.try_keyword("obj")) return std::nullopt;
  return ObjectHeader{Ref{static_cast<uint32_t>(*num), static_cast<uint16_t>(*gen)}, h.pos()};
}

std::optional<ScannedObject> object_header_before(std::string_view file, size_t obj_keyword) {
  size_t k = obj_keyword;
  if (k == 0 || !is_ws(static_cast<unsigned char>(file[k - 1]))) return std::nullopt;
  size_t gen_end = skip_ws_back(file, k);
  size_t gen_start = digits_before(file, gen_end, 5);
  if (gen_start == std::string_view::npos || gen_start == 0 || !is_ws(static_cast<unsigned char>(file[gen_start - 1])))
    return std::nullopt;
  size_t num_end = skip_ws_back(file, gen_start);
  size_t num_start = digits_before(file, num_end, 10);
  if (num_start == std::string_view::npos || (num_start > 0 && regular_at(file, num_start - 1))) return std::nullopt;
  uint64_t num = 0, gen = 0;
  for (size_t i = num_start; i < num_end; ++i) num = num * 10 + static_cast<uint64_t>(file[i] - '0');
  for (size_t i = gen_start; i < gen_end; ++i) gen = gen * 10 + static_cast<uint64_t>(file[i] - '0');
  if (num > limits::kMaxObjects || gen > 65535) return std::nullopt;
  return ScannedObject{Ref{static_cast<uint32_t>(num), static_cast<uint16_t>(gen)}, num_start, false};
}

FileScan scan_file(std::string_view file) {
  FileScan scan;
  scan.endstreams = find_keywords(file, "endstream");
  std::vector<std::pair<size_t, size_t>> stream_ranges;  // [data start, past endstream), ascending
  size_t pos = 0;
  while (true) {
    size_t k = find_from(file, "obj", pos);
    if (k == std::string_view::npos) break;
    pos = k + 3;
    if (regular_at(file, k + 3)) continue;
    auto header = object_header_before(file, k);
    if (!header) continue;
    try {
      // The reader's own object parser: stream data ends at /Length when that lands on "endstream", else at
      // the next "endstream", else (none after it) at /Length; the scan goes on after the object.
      Parser p(file, header->offset);
      auto ind = p.parse_indirect(nullptr, [&scan](size_t from) { return scan.next_endstream(from); });
      if (ind.object->is_stream()) {
        stream_ranges.emplace_back(ind.object->data_offset(), p.pos());
        header->is_stream = true;
      }
      pos = std::max(pos, p.pos());
    } catch (const Error&) {
      // Not a parsable object: keep the header (a reader may still want it) and go on after "obj".
    }
    scan.by_number[header->ref.num].push_back(scan.objects.size());
    scan.objects.push_back(*header);
  }
  for (size_t t : find_keywords(file, "trailer"))
    if (!inside(stream_ranges, t)) scan.trailers.push_back(t);
  for (size_t e : find_keywords(file, "%%EOF")) {
    if (inside(stream_ranges, e)) continue;
    size_t end = e + 5;
    if (end < file.size() && file[end] == '\r') ++end;
    if (end < file.size() && file[end] == '\n') ++end;
    scan.eofs.push_back(end);
  }
  return scan;
}

}  // namespace libsign::pdf
