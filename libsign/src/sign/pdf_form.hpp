// Small PDF editing steps shared by the signer, the document timestamp and the DSS writer.
#pragma once
#include <map>
#include <optional>
#include <string>

#include "pdf/document.hpp"
#include "pdf/writer.hpp"

namespace libsign::sign {

std::string pdf_date(long long unix_seconds);                                   // D:YYYYMMDDHHmmSSZ
std::string deflate(const std::string& data);                                   // zlib, best compression
std::string with_entry(const pdf::Object& dict, const std::string& key, const std::string& value);  // a copy of `dict`
std::string array_with(const pdf::Object* array, pdf::Ref extra);               // a copy of `array` (or []) + extra

// Makes a signature widget part of the document: for a new field, appended to its page's /Annots
// and to the form's /Fields; in every case /SigFlags gets SignaturesExist | AppendOnly (other bits
// kept). `catalog_entries` are set in the catalog too (e.g. /Perms for a certification). Writes the
// changed objects (page or /Annots array, /AcroForm or catalog, /Fields array) into `update`.
void register_widget(pdf::IncrementalUpdate& update, const pdf::Document& doc, pdf::Ref widget,
                     std::optional<pdf::Ref> new_on_page, const std::map<std::string, std::string>& catalog_entries = {});

}  // namespace libsign::sign
