#include "pdf/refgraph.hpp"

#include <set>

#include "pdf/limits.hpp"

namespace libsign::pdf {

std::vector<Ref> in_use_objects(const Document& doc, size_t revision) {
  std::set<uint32_t> nums;
  for (size_t i = 0; i <= revision; ++i)
    for (const auto& kv : doc.revisions()[i].entries) nums.insert(kv.first);
  std::vector<Ref> out;
  for (uint32_t n : nums) {
    if (n == 0) continue;
    auto e = doc.entry(n, revision);
    if (!e || e->type == XrefEntry::Type::Free) continue;
    out.push_back(Ref{n, e->type == XrefEntry::Type::InFile ? e->gen : uint16_t{0}});
  }
  return out;
}

RefGraph::RefGraph(const Document& doc, size_t revision) : objects_(in_use_objects(doc, revision)) {
  for (Ref ref : objects_) {
    ObjPtr obj = doc.object(ref, revision);
    if (obj->is_stream() && (obj->key_is_name("Type", "XRef") || obj->key_is_name("Type", "ObjStm"))) continue;
    collect(ref, "", "", *obj, 0);
  }
  collect(kTrailerHolder, "", "", *doc.trailer(revision), 0);
}

void RefGraph::collect(Ref holder, const std::string& key, const std::string& path, const Object& obj, int depth) {
  if (depth > limits::kMaxNesting) return;
  switch (obj.kind()) {
    case Kind::Ref: by_target_[obj.as_ref()].push_back(Referrer{holder, key, path}); break;
    case Kind::Array:
      for (const auto& x : obj.items()) collect(holder, key, path, *x, depth + 1);
      break;
    case Kind::Dict:
    case Kind::Stream:
      for (const auto& e : obj.entries())
        collect(holder, depth == 0 ? e.key : key, path.empty() ? e.key : path + "/" + e.key, *e.value, depth + 1);
      break;
    default: break;
  }
}

const std::vector<Referrer>& RefGraph::referrers(Ref target) const {
  static const std::vector<Referrer> none;
  auto it = by_target_.find(target);
  return it == by_target_.end() ? none : it->second;
}

}  // namespace libsign::pdf
