// libsign pdf — walks the AcroForm field tree of one revision view (/Kids, inherited /FT and /V, qualified names).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "pdf/document.hpp"

namespace libsign::pdf {

struct FormField {
  std::optional<Ref> ref;     // the terminal field's object (nullopt: a direct dictionary)
  ObjPtr dict;                // the field dictionary (merged with its widget when they are one object)
  std::string name;           // fully qualified: "parent.child"
  std::string type;           // inherited /FT without slash ("Sig", "Tx", ...), empty when none
  ObjPtr value;               // inherited /V as written (may be a reference); nullptr when none
  std::vector<Ref> widgets;   // indirect widget annotations (the field itself when merged)
};

// Terminal fields reachable from the catalog's /AcroForm /Fields in the view of `revision`.
// Loops and nesting deeper than limits::kMaxNesting are skipped, not followed.
std::vector<FormField> form_fields(const Document& doc, size_t revision);

// Fields reached only through the pages' /Annots in the view of `revision`: widget annotations that
// are not among `known` (usually form_fields of that revision), nor widgets of one of them. The field is
// the widget itself when it has a /T or no /Parent, else its /Parent; the name, /FT and /V are inherited
// up the /Parent chain. Several widgets of one field give one FormField. Page order, then /Annots order.
std::vector<FormField> annotation_only_fields(const Document& doc, size_t revision, const std::vector<FormField>& known);

}  // namespace libsign::pdf
