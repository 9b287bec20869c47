#include "pdf/pages.hpp"

#include <set>

#include "pdf/limits.hpp"

namespace libsign::pdf {
namespace {

void walk(const Document& doc, size_t revision, const ObjPtr& node_ref, int depth, std::set<Ref>& seen, std::vector<Ref>& out) {
  if (!node_ref || !node_ref->is_ref() || depth > limits::kMaxNesting || !seen.insert(node_ref->as_ref()).second) return;
  ObjPtr node = doc.resolve(node_ref, revision);
  if (!node || !node->is_dict()) return;
  ObjPtr kids = doc.get(node, "Kids", revision);
  if (node->key_is_name("Type", "Page") || (!kids && node->has("Contents"))) {
    out.push_back(node_ref->as_ref());
    return;
  }
  if (!kids || !kids->is_array()) return;
  for (const auto& kid : kids->items()) walk(doc, revision, kid, depth + 1, seen, out);
}

}  // namespace

std::vector<Ref> page_list(const Document& doc, size_t revision) {
  std::vector<Ref> out;
  std::set<Ref> seen;
  walk(doc, revision, doc.catalog(revision)->get("Pages"), 0, seen, out);
  return out;
}

}  // namespace libsign::pdf
