// libsign pdf — where a changed object sits, in words a person can check against the paper: the page it
// belongs to and what kind of object it is (page content, annotation, form field, page added…).
#pragma once
#include <cstddef>
#include <vector>

#include "pdf/changes.hpp"
#include "pdf/document.hpp"
#include "pdf/roles.hpp"

namespace libsign::pdf {

// Fills `kind` and `page` of each of `objects`, the changes of revision `cur` against `prev` (whose roles
// are `old_roles` and `new_roles`). Pages count from 1 in the signed view (`prev`), except an added page,
// numbered in the new view. Bounded: only the known paths from each page (contents, resources one level
// down, annotations) are walked.
void locate_changes(const Document& doc, size_t prev, size_t cur, const ViewRoles& old_roles,
                    const ViewRoles& new_roles, std::vector<ChangedObject>& objects);

}  // namespace libsign::pdf
