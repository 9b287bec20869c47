// libsign pdf — what each incremental update after a signed revision changed, classified against a whitelist.
// See README.md in this directory for the rules.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "pdf/document.hpp"

namespace libsign::pdf {

// Ordered: a revision's level is the highest level of its objects.
enum class ModificationLevel { None, LtvUpdates, FormFilling, Annotations, Other };
const char* to_string(ModificationLevel level);

struct ChangedObject {
  Ref ref;                  // {0,0} for the trailer
  std::string description;  // what changed; for Other it names the object and the key
  ModificationLevel level;
  // Where it sits (change_places.hpp): page_content, page_resources, page, page_added, page_removed,
  // page_tree, annotation, form_field, signature, form, validation_data, metadata, document, other.
  std::string kind = "other";
  int page = 0;  // 1-based page it belongs to; 0 when it belongs to no one page
};

struct RevisionChanges {
  size_t revision;
  ModificationLevel level;
  std::vector<ChangedObject> objects;
};

// One entry per revision after `signed_revision` (compared with the revision before it).
std::vector<RevisionChanges> analyse_changes(const Document& doc, size_t signed_revision);

// Worst level over all entries (None when there are none).
ModificationLevel overall_level(const std::vector<RevisionChanges>& changes);

}  // namespace libsign::pdf
