// libsign pdf — discovery of signature values (/FT /Sig fields with /V) across all revisions: fields in the
// /AcroForm tree, fields reached only through the pages' /Annots, and signature dictionaries no field names.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pdf/document.hpp"

namespace libsign::pdf {

struct SignatureField {
  std::string field_name;            // fully qualified ("parent.child"), UTF-8; the first of field_names
  std::vector<std::string> field_names;  // every field whose /V is this value (newest view seen); >1: shared
  // Where the newest view seen found it: "acroform" (some field of it is in /AcroForm /Fields),
  // "page-annots" (only through a page's /Annots) or "unreferenced" (no field; find_unreferenced_signature_values).
  std::string found_via = "acroform";
  std::optional<Ref> field_ref;      // nullopt when the field is a direct dictionary
  std::optional<Ref> value_ref;      // nullopt when /V is a direct dictionary
  std::string type;                  // /Type of the value: "Sig", "DocTimeStamp" or empty
  std::string filter;                // e.g. "Adobe.PPKLite"
  std::string subfilter;             // e.g. "ETSI.CAdES.detached"

  std::vector<int64_t> byte_range;   // integers of /ByteRange as written, any count
  bool has_byte_range = false;
  bool byte_range_all_integers = false;  // false: some entry was not an integer (it is left out of byte_range)

  std::string contents;              // decoded /Contents bytes
  bool has_contents = false;
  bool contents_hex = false;         // written as a hex string <...>
  bool contents_offsets_known = false;  // the value dict lies directly in the file and /Contents is direct
  size_t contents_begin = 0;         // file offset of '<' (or '(')
  size_t contents_end = 0;           // file offset just past '>' (or ')')
  bool value_in_object_stream = false;

  std::string signing_time;          // /M, raw PDF date text
  std::string name, reason, location, contact_info;  // UTF-8

  size_t revision_introduced = 0;    // first revision whose view has this value
  size_t revision_last_seen = 0;     // last revision whose view has it
  bool present_in_last_revision = false;

  bool is_certification = false;     // /Reference has a /TransformMethod /DocMDP entry
  int docmdp_permissions = 0;        // P of that entry (default 2); 0 when not a certification signature
  bool catalog_perms_docmdp = false; // catalog /Perms /DocMDP points at this value (last revision view)
};

// Every signature value in the document, ordered by revision_introduced then form order (the /AcroForm
// tree, then the pages' /Annots), including values whose field was removed by a later revision
// (present_in_last_revision = false). A value that several fields share is one entry with all their names.
std::vector<SignatureField> find_signatures(const Document& doc);

// Signature dictionaries among the objects of the last revision view that no field of any revision uses as
// its /V (i.e. not in `found`, the result of find_signatures) and that the catalog's /Perms does not name
// (usage-rights signatures). A signature dictionary: /Type /Sig or /DocTimeStamp, or /ByteRange, /Contents
// and /Filter together. found_via is "unreferenced", no field names; revision_introduced is the revision
// whose xref wrote the object. Objects that cannot be parsed are skipped: nothing refers to them.
std::vector<SignatureField> find_unreferenced_signature_values(const Document& doc,
                                                               const std::vector<SignatureField>& found);

// Qualified names of /FT /Sig fields without /V in the last revision (in /AcroForm, then only in /Annots).
std::vector<std::string> find_empty_signature_fields(const Document& doc);

}  // namespace libsign::pdf
