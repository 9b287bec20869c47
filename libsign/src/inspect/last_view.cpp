#include "inspect/last_view.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "libsign/error.hpp"
#include "pdf/limits.hpp"
#include "pdf/text.hpp"

namespace libsign::inspect {
namespace {
using nlohmann::json;

std::string error_text(const std::exception& e) {
  if (const auto* err = dynamic_cast<const Error*>(&e)) return err->code() + ": " + err->what();
  return e.what();
}

// Counts the leaves of the page tree as readers do: a page listed twice counts twice, a direct page
// dictionary counts, a node that is its own ancestor (a loop) is skipped. pdf::page_list would not
// do: it lists each page object once, for change analysis.
class PageCounter {
 public:
  PageCounter(const pdf::Document& doc, size_t revision) : doc_(doc), revision_(revision) {}

  size_t count(const pdf::ObjPtr& root) {
    walk(root, 0);
    return pages_;
  }

 private:
  static constexpr size_t kMaxVisits = 1u << 20;  // a tree sharing subtrees must not explode
  // Deeper than pdf::limits::kMaxNesting: producers (and qpdf's tests) nest /Pages a hundred levels
  // deep, and readers follow them. Each level is one small stack frame.
  static constexpr int kMaxDepth = 1024;

  void walk(const pdf::ObjPtr& item, int depth) {
    if (!item || depth > kMaxDepth) return;
    if (++visits_ > kMaxVisits) throw Error(ErrorCategory::format, "PDF_MALFORMED", "page tree has too many nodes");
    bool indirect = item->is_ref();
    if (indirect && std::find(path_.begin(), path_.end(), item->as_ref()) != path_.end()) return;
    pdf::ObjPtr node = doc_.resolve(item, revision_);
    if (!node || !node->is_dict()) return;
    pdf::ObjPtr kids = doc_.get(node, "Kids", revision_);
    if (node->key_is_name("Type", "Page") || !kids || !kids->is_array()) {
      if (!node->key_is_name("Type", "Pages")) ++pages_;
      return;
    }
    if (indirect) path_.push_back(item->as_ref());
    for (const auto& kid : kids->items()) walk(kid, depth + 1);
    if (indirect) path_.pop_back();
  }

  const pdf::Document& doc_;
  size_t revision_;
  std::vector<pdf::Ref> path_;  // the indirect /Pages nodes above the current one
  size_t pages_ = 0, visits_ = 0;
};

constexpr size_t kProbeWork = size_t{64} << 20;  // lookups x revisions for numbers no xref lists

json producer(const pdf::Document& doc, size_t last) {
  try {
    pdf::ObjPtr info = doc.get(doc.trailer(last), "Info", last);
    pdf::ObjPtr value = info && info->is_dict() ? doc.get(info, "Producer", last) : nullptr;
    if (value && value->is_string()) return pdf::text_to_utf8(value->as_string());
  } catch (const std::exception&) {
    // An unreadable /Info is not worth more than "unknown" here.
  }
  return nullptr;
}

// The numbers to look up in the last view: every number an xref section up to the last revision
// lists and, when the reader had to repair the file, the numbers below /Size that no section lists
// (a damaged xref may have lost entries the reader then finds by scanning the file).
std::set<uint32_t> candidate_numbers(const pdf::Document& doc, size_t last) {
  std::set<uint32_t> numbers;
  for (size_t r = 0; r <= last; ++r)
    for (const auto& entry : doc.revisions()[r].entries)
      if (entry.first != 0) numbers.insert(entry.first);  // 0 heads the free list, never an object
  if (doc.repairs().empty() && !doc.reconstructed()) return numbers;
  uint32_t upper = numbers.empty() ? 1 : *numbers.rbegin() + 1;
  pdf::ObjPtr size = doc.trailer(last) ? doc.trailer(last)->get("Size") : nullptr;
  if (size && size->is_int() && size->as_int() > upper)
    upper = static_cast<uint32_t>(std::min<int64_t>(size->as_int(), pdf::limits::kMaxObjects));
  // Each lookup walks the revisions: bound the work a hostile /Size can ask for.
  size_t budget = kProbeWork / (last + 1);
  for (uint32_t num = 1; num < upper && budget > 0; ++num, --budget) numbers.insert(num);
  return numbers;
}

// Looked up in the last view: the objects that resolve to something other than null, and the
// numbers whose lookup fails (the reader gives up on the object).
json objects(const pdf::Document& doc, size_t last) {
  json present = json::array(), unreadable = json::array();
  for (uint32_t num : candidate_numbers(doc, last)) {
    std::optional<pdf::XrefEntry> entry = doc.entry(num, last);
    if (entry && entry->type == pdf::XrefEntry::Type::Free) continue;
    uint16_t gen = entry && entry->type == pdf::XrefEntry::Type::InFile ? entry->gen : 0;
    try {
      pdf::ObjPtr obj = doc.object(pdf::Ref{num, gen}, last);
      if (obj && !obj->is_null()) present.push_back(num);
    } catch (const std::exception&) {
      unreadable.push_back(num);
    }
  }
  return {{"count", present.size()}, {"numbers", present}, {"unreadable", unreadable}};
}

}  // namespace

json last_view_summary(const pdf::Document& doc) {
  size_t last = doc.last_revision();
  json out = {{"index", last}, {"producer", producer(doc, last)}, {"pages", nullptr}, {"pages_error", nullptr}};
  try {
    out["pages"] = PageCounter(doc, last).count(doc.catalog(last)->get("Pages"));
  } catch (const std::exception& e) {
    out["pages_error"] = error_text(e);
  }
  out["objects"] = objects(doc, last);
  return out;
}

}  // namespace libsign::inspect
