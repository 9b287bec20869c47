// libsign pdf — the structural role of objects in one revision view (catalog, form, pages, DSS, ...),
// found by walking only the known paths from the trailer. Used by the change analysis.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "pdf/document.hpp"
#include "pdf/fields.hpp"

namespace libsign::pdf {

struct ViewRoles {
  std::optional<Ref> catalog;        // trailer /Root when indirect
  std::optional<Ref> acroform;       // catalog /AcroForm when indirect
  std::optional<Ref> fields_array;   // AcroForm /Fields when indirect
  std::optional<Ref> dr;             // AcroForm /DR when indirect
  std::set<Ref> dr_objects;          // every object reachable from AcroForm /DR (fonts, descriptors, font files...)
  std::optional<Ref> info;           // trailer /Info
  std::optional<Ref> extensions;     // catalog /Extensions when indirect
  std::optional<Ref> metadata;       // catalog /Metadata
  std::optional<Ref> dss;            // catalog /DSS when indirect
  std::set<Ref> dss_objects;         // arrays, streams and dictionaries under the DSS (/Certs /OCSPs /CRLs /VRI)
  std::set<Ref> pages;               // page objects
  std::map<Ref, Ref> annots_arrays;  // indirect /Annots array -> its page
  std::vector<FormField> fields;
  std::map<Ref, size_t> field_of;    // field or widget ref -> index in `fields`
  std::map<Ref, Ref> ap_owner;       // indirect /AP dictionary or appearance stream -> the widget using it
  // Signature widgets listed in a page's /Annots but not reached from /AcroForm /Fields (poppler's pdfsig
  // writes these when the AcroForm is a direct dictionary) -> their inherited /V as written (may be nullptr).
  std::map<Ref, ObjPtr> annots_only_sig_widgets;
};

ViewRoles collect_roles(const Document& doc, size_t revision);

}  // namespace libsign::pdf
