#include "sign/pdf_form.hpp"

#include <zlib.h>

#include <new>

#include "core/encoding.hpp"
#include "libsign/error.hpp"

namespace libsign::sign {

std::string pdf_date(long long unix_seconds) { return core::format_unix(unix_seconds, "D:%Y%m%d%H%M%SZ"); }

std::string deflate(const std::string& data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()),
                static_cast<uLong>(data.size()), Z_BEST_COMPRESSION) != Z_OK)
    throw std::bad_alloc();  // compressBound() leaves only running out of memory
  out.resize(size);
  return out;
}

std::string with_entry(const pdf::Object& dict, const std::string& key, const std::string& value) {
  std::string out = "<<";
  for (const auto& e : dict.entries())
    if (e.key != key) out += "/" + e.key + " " + pdf::serialize(*e.value) + "\n";
  return out + "/" + key + " " + value + ">>";
}

std::string array_with(const pdf::Object* array, pdf::Ref extra) {
  std::string out = "[";
  if (array)
    for (const auto& item : array->items()) out += pdf::serialize(*item) + " ";
  return out + pdf::to_string(extra) + "]";
}

void register_widget(pdf::IncrementalUpdate& update, const pdf::Document& doc, pdf::Ref widget,
                     std::optional<pdf::Ref> new_on_page, const std::map<std::string, std::string>& catalog_entries) {
  const size_t last = doc.last_revision();
  if (new_on_page) {
    pdf::ObjPtr page = doc.object(*new_on_page, last);
    pdf::ObjPtr annots = page->get("Annots");
    if (annots && annots->is_ref()) {
      pdf::ObjPtr array = doc.resolve(annots, last);
      update.put(annots->as_ref(), array_with(array && array->is_array() ? array.get() : nullptr, widget));
    } else {
      update.put(*new_on_page, with_entry(*page, "Annots", array_with(annots && annots->is_array() ? annots.get() : nullptr, widget)));
    }
  }
  auto form_with_field = [&](const pdf::Object* form) {
    std::string out = "<<";
    long long flags = 0;
    if (form)
      for (const auto& e : form->entries()) {
        if (e.key == "SigFlags") {
          pdf::ObjPtr v = doc.resolve(e.value, last);
          if (v && v->is_int()) flags = v->as_int();
          continue;
        }
        if (e.key != "Fields" || !new_on_page) out += "/" + e.key + " " + pdf::serialize(*e.value) + "\n";
      }
    if (new_on_page) {
      pdf::ObjPtr fields = form ? form->get("Fields") : nullptr;
      if (fields && fields->is_ref()) {
        pdf::ObjPtr array = doc.resolve(fields, last);
        update.put(fields->as_ref(), array_with(array && array->is_array() ? array.get() : nullptr, widget));
        out += "/Fields " + pdf::to_string(fields->as_ref()) + "\n";
      } else {
        out += "/Fields " + array_with(fields && fields->is_array() ? fields.get() : nullptr, widget) + "\n";
      }
    }
    return out + "/SigFlags " + std::to_string(flags | 3) + ">>";
  };
  pdf::ObjPtr root = doc.trailer(last)->get("Root");
  if (!root || !root->is_ref()) throw Error(ErrorCategory::format, "PDF_MALFORMED", "the trailer has no indirect /Root");
  pdf::ObjPtr catalog = doc.catalog(last);
  pdf::ObjPtr form_entry = catalog->get("AcroForm");
  std::map<std::string, std::string> changes = catalog_entries;
  if (form_entry && form_entry->is_ref()) {
    pdf::ObjPtr form = doc.resolve(form_entry, last);
    update.put(form_entry->as_ref(), form_with_field(form && form->is_dict() ? form.get() : nullptr));
  } else {
    changes["AcroForm"] = form_with_field(form_entry && form_entry->is_dict() ? form_entry.get() : nullptr);
  }
  if (changes.empty()) return;
  std::string out = "<<";
  for (const auto& e : catalog->entries())
    if (!changes.count(e.key)) out += "/" + e.key + " " + pdf::serialize(*e.value) + "\n";
  for (const auto& [key, value] : changes) out += "/" + key + " " + value + "\n";
  update.put(root->as_ref(), out + ">>");
}

}  // namespace libsign::sign
