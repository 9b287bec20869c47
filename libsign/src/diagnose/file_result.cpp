// A verification report reduced to what the diagnosis needs, and its one-line JSON (state file).
#include <nlohmann/json.hpp>

#include "libsign/diagnose.hpp"

namespace libsign::diagnose {

using nlohmann::json;

std::string FileResult::to_json() const {
  json rows_json = json::array();
  for (const auto& r : rows) {
    json j = {{"sig", r.signature}, {"ind", r.indication}, {"sub", r.sub_indication}, {"codes", r.codes}};
    // Only non-empty values: a state line per file stays short.
    auto put = [&](const char* key, const std::string& v) { if (!v.empty()) j[key] = v; };
    put("signer", r.signer);
    put("org", r.organization);
    put("ca", r.issuer_ca);
    put("pki", r.pki);
    put("month", r.month);
    if (!r.evidence.empty()) j["evidence"] = r.evidence;
    rows_json.push_back(std::move(j));
  }
  json j = {{"path", path}, {"folder", folder}, {"size", size}, {"mtime", mtime}, {"rows", rows_json}};
  if (!error.empty()) j["error"] = error;
  if (!format.empty()) j["format"] = format;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

FileResult FileResult::from_json(const std::string& line) {
  try {
    json j = json::parse(line);
    FileResult f;
    f.path = j.at("path").get<std::string>();
    f.folder = j.at("folder").get<std::string>();
    f.size = j.at("size").get<uint64_t>();
    f.mtime = j.at("mtime").get<int64_t>();
    f.error = j.value("error", "");
    f.format = j.value("format", "");
    for (const auto& r : j.at("rows")) {
      Row row;
      row.signature = r.at("sig").get<std::string>();
      row.indication = r.at("ind").get<std::string>();
      row.sub_indication = r.at("sub").get<std::string>();
      row.codes = r.at("codes").get<std::vector<std::string>>();
      row.signer = r.value("signer", "");
      row.organization = r.value("org", "");
      row.issuer_ca = r.value("ca", "");
      row.pki = r.value("pki", "");
      row.month = r.value("month", "");
      if (r.contains("evidence")) row.evidence = r["evidence"].get<decltype(row.evidence)>();
      f.rows.push_back(std::move(row));
    }
    return f;
  } catch (const json::exception& e) {
    throw Error(ErrorCategory::format, "DIAGNOSE_JSON_INVALID", std::string("bad diagnose result line: ") + e.what());
  }
}

namespace {

std::string csv_field(const std::string& v) {
  // Quote always when needed; a leading =,+,-,@ is neutralised so spreadsheets do not run formulas.
  std::string s = v;
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) s = "'" + s;
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string csv_header() {
  return "path,folder,format,signature,indication,sub_indication,codes,signer,organization,issuer_ca,pki,signing_month,error\n";
}

std::string csv_rows(const FileResult& f) {
  std::string out;
  for (const auto& r : f.rows) {
    std::string codes;
    for (const auto& c : r.codes) codes += (codes.empty() ? "" : ";") + c;
    for (const std::string* v : std::initializer_list<const std::string*>{&f.path, &f.folder, &f.format, &r.signature, &r.indication, &r.sub_indication, &codes, &r.signer,
                                 &r.organization, &r.issuer_ca, &r.pki, &r.month})
      out += csv_field(*v) + ",";
    out += csv_field(f.error) + "\n";
  }
  return out;
}

}  // namespace libsign::diagnose
