// Step 8: what changed after the signed revision, and whether the signature allows it.
// Certification signatures allow up to their DocMDP P; anything unexplained (OTHER) is never a pass.
// A change no signature allows fails the signature (TOTAL_FAILED / FORMAT_FAILURE), as Adobe Reader,
// pyHanko and EU DSS judge it; docs/change-analysis.md says why this sub-indication.
#include <algorithm>
#include <set>

#include "pdf/changes.hpp"
#include "validate/context.hpp"

namespace libsign::validate {
namespace {

ModificationLevel convert(pdf::ModificationLevel level) {
  switch (level) {
    case pdf::ModificationLevel::None: return ModificationLevel::none;
    case pdf::ModificationLevel::LtvUpdates: return ModificationLevel::ltv_updates;
    case pdf::ModificationLevel::FormFilling: return ModificationLevel::form_filling;
    case pdf::ModificationLevel::Annotations: return ModificationLevel::annotations;
    case pdf::ModificationLevel::Other: return ModificationLevel::other;
  }
  return ModificationLevel::other;
}

// The most a DocMDP permission allows (ISO 32000-2 §12.8.2.2; LTV updates are always allowed, PAdES).
ModificationLevel allowed_by(int p) {
  return p == 1 ? ModificationLevel::ltv_updates : p == 2 ? ModificationLevel::form_filling : ModificationLevel::annotations;
}

// "page 1: page_content; page 3: page_added; form_field": the places of the objects changed at `level`,
// once each, for a person (the text report words them in the reader's language from the same data).
std::string changes_in_words(const SignatureReport& r, ModificationLevel level) {
  std::set<std::pair<int, std::string>> seen;
  std::string out;
  for (const auto& m : r.modifications)
    for (const auto& o : m.objects) {
      if (o.level != level || !seen.insert({o.page, o.kind}).second) continue;
      if (!out.empty()) out += "; ";
      out += (o.page > 0 ? "page " + std::to_string(o.page) + ": " : std::string()) + o.kind;
    }
  return out;
}

}  // namespace

void check_modifications(SignatureContext& ctx, int docmdp_p) {
  SignatureReport& r = ctx.report;
  if (r.revision < 0) {
    ctx.check("modifications", CheckStatus::skipped, "the signed revision is unknown");
    return;
  }
  if (ctx.doc->has_trailing_data()) {
    size_t end = ctx.doc->revisions().back().end_offset;
    ctx.add("UNSIGNED_DATA_AFTER_LAST_REVISION", {{"offset", std::to_string(end)},
                                                  {"bytes", std::to_string(ctx.doc->file_size() - end)}});
    ctx.verdict.indeterminate(SubIndication::sig_constraints_failure);
    r.modification_level = ModificationLevel::other;
  }
  if (r.coverage == Coverage::entire_file) {
    ctx.check("modifications", CheckStatus::passed, "nothing was added after signing");
    return;
  }
  ModificationLevel worst = ModificationLevel::none;
  std::string other_objects;
  for (const auto& rc : pdf::analyse_changes(*ctx.doc, static_cast<size_t>(r.revision))) {
    RevisionModification m;
    m.revision = static_cast<int>(rc.revision);
    m.level = convert(rc.level);
    // An update may change a million objects: the report lists the most severe ones and counts the rest.
    std::vector<const pdf::ChangedObject*> listed;
    for (const auto& o : rc.objects) listed.push_back(&o);
    std::stable_sort(listed.begin(), listed.end(), [](const auto* a, const auto* b) { return a->level > b->level; });
    if (listed.size() > RevisionModification::kMaxListedObjects) {
      m.objects_omitted = static_cast<int>(listed.size() - RevisionModification::kMaxListedObjects);
      listed.resize(RevisionModification::kMaxListedObjects);
    }
    for (const auto* o : listed) {
      m.objects.push_back({pdf::to_string(o->ref), o->description, convert(o->level), o->kind, o->page});
      // The description already starts with the object ("4 0 R: ..." or "trailer: ...").
      if (o->level == pdf::ModificationLevel::Other && other_objects.size() < 400)
        other_objects += (other_objects.empty() ? "" : "; ") + o->description;
    }
    worst = std::max(worst, m.level);
    r.modifications.push_back(std::move(m));
  }
  // A later xref entry that points a number at the bytes of another object (how shadow attacks redirect
  // content) is a change by itself, whatever the reader then falls back to; so is a later object stream
  // that cannot be read (what it holds, another reader may show).
  for (const auto& repair : ctx.doc->repairs()) {
    bool hides_content = repair.kind == "xref-mismatch" || repair.kind == "object-stream-unreadable";
    if (!hides_content || !repair.revision || static_cast<int>(*repair.revision) <= r.revision) continue;
    worst = ModificationLevel::other;
    if (other_objects.size() < 400) other_objects += (other_objects.empty() ? "" : "; ") + repair.detail;
    for (auto& m : r.modifications)
      if (m.revision == static_cast<int>(*repair.revision)) {
        m.level = ModificationLevel::other;
        m.objects.push_back({"xref", repair.detail, ModificationLevel::other});
      }
  }
  r.modification_level = std::max(r.modification_level, worst);
  std::map<std::string, std::string> evidence = {{"level", to_string(worst)}, {"revisions_after", std::to_string(r.modifications.size())}};
  if (r.modification_level == ModificationLevel::other && worst != ModificationLevel::other) {
    ctx.check("modifications", CheckStatus::failed, "unsigned data after the last revision");
    return;
  }
  if (worst == ModificationLevel::other) {
    evidence["objects"] = other_objects;
    evidence["changes"] = changes_in_words(r, ModificationLevel::other);
    ctx.add("MODIFIED_AFTER_SIGNING", evidence);
    ctx.verdict.fail(SubIndication::format_failure);
    ctx.check("modifications", CheckStatus::failed, "changes after signing that no signature allows");
    return;
  }
  if (docmdp_p > 0 && worst > allowed_by(docmdp_p)) {
    evidence["docmdp_p"] = std::to_string(docmdp_p);
    evidence["changes"] = changes_in_words(r, worst);
    ctx.add("DOCMDP_VIOLATION", evidence);
    ctx.verdict.fail(SubIndication::format_failure);
    ctx.check("modifications", CheckStatus::failed, "changes exceed the DocMDP permission P=" + std::to_string(docmdp_p));
    return;
  }
  if (worst == ModificationLevel::ltv_updates) ctx.add("MODIFIED_LTV_UPDATES", evidence);
  if (worst == ModificationLevel::form_filling) ctx.add("MODIFIED_FORM_FILLING", evidence);
  if (worst == ModificationLevel::annotations) ctx.add("MODIFIED_ANNOTATIONS", evidence);
  ctx.check("modifications", worst == ModificationLevel::annotations ? CheckStatus::warning : CheckStatus::passed,
            std::string("later revisions: ") + to_string(worst));
}

}  // namespace libsign::validate
