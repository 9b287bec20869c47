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
    std::vector<const std::string*> keys;
    collect(ref, keys, *obj, 0);
  }
  std::vector<const std::string*> keys;
  collect(kTrailerHolder, keys, *doc.trailer(revision), 0);
}

void RefGraph::collect(Ref holder, std::vector<const std::string*>& keys, const Object& obj, int depth) {
  if (depth > limits::kMaxNesting) return;
  if (depth == 0) holder_is_array_ = obj.kind() == Kind::Array;
  switch (obj.kind()) {
    case Kind::Ref: {
      Referrer r{holder, keys.empty() || holder_is_array_ ? std::string() : *keys.front(), std::string()};
      for (const std::string* k : keys) r.path += (r.path.empty() ? "" : "/") + *k;
      by_target_[obj.as_ref()].push_back(std::move(r));
      break;
    }
    case Kind::Array:
      for (const auto& x : obj.items()) collect(holder, keys, *x, depth + 1);
      break;
    case Kind::Dict:
    case Kind::Stream:
      for (const auto& e : obj.entries()) {
        keys.push_back(&e.key);
        collect(holder, keys, *e.value, depth + 1);
        keys.pop_back();
      }
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
