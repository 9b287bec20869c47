#include "pdf/objects.hpp"

#include <algorithm>
#include <set>

namespace libsign::pdf {

std::vector<Ref> object_refs(const Document& doc, size_t revision) {
  const auto& revisions = doc.revisions();
  std::set<uint32_t> numbers;
  for (size_t r = 0; r <= revision && r < revisions.size(); ++r)
    for (const auto& [num, entry] : revisions[r].entries) numbers.insert(num);
  std::vector<Ref> out;
  out.reserve(numbers.size());
  for (uint32_t num : numbers) {
    if (num == 0) continue;
    std::optional<XrefEntry> e = doc.entry(num, revision);
    if (!e || e->type == XrefEntry::Type::Free) continue;
    out.push_back(Ref{num, e->type == XrefEntry::Type::InFile ? e->gen : uint16_t{0}});
  }
  return out;
}

std::optional<size_t> revision_defining(const Document& doc, uint32_t num, size_t revision) {
  const auto& revisions = doc.revisions();
  for (size_t r = std::min(revision + 1, revisions.size()); r-- > 0;)
    if (revisions[r].entries.count(num)) return r;
  return std::nullopt;
}

RawSpans::RawSpans(const Document& doc) : file_(doc.bytes()) {
  for (const auto& rev : doc.revisions()) {
    starts_.push_back(rev.xref_offset);
    if (rev.has_xref_stm) starts_.push_back(rev.xref_stm_offset);
    for (const auto& [num, e] : rev.entries)
      if (e.type == XrefEntry::Type::InFile) starts_.push_back(static_cast<size_t>(e.offset));
  }
  std::sort(starts_.begin(), starts_.end());
  starts_.erase(std::unique(starts_.begin(), starts_.end()), starts_.end());
}

std::string_view RawSpans::from(size_t offset) const {
  if (offset >= file_.size()) return {};
  auto next = std::upper_bound(starts_.begin(), starts_.end(), offset);
  size_t end = next == starts_.end() ? file_.size() : std::min(*next, file_.size());
  return file_.substr(offset, end - offset);
}

}  // namespace libsign::pdf
