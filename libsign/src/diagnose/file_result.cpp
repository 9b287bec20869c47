// A verification report reduced to what the diagnosis needs, and its one-line JSON (state file).
#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "diagnose/json_numbers.hpp"
#include "libsign/catalog.hpp"
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
  if (!arrival.empty()) j["arrival"] = arrival;
  if (!damage.empty()) {
    json d = json::array();
    for (const auto& x : damage) d.push_back({{"code", x.code}, {"class", x.cls}, {"reversible", x.reversible}});
    j["damage"] = d;
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

FileResult FileResult::from_json(const std::string& line) {
  try {
    json j = json::parse(line);
    require_integral_numbers(j);
    FileResult f;
    f.path = j.at("path").get<std::string>();
    f.folder = j.at("folder").get<std::string>();
    f.size = j.at("size").get<uint64_t>();
    f.mtime = j.at("mtime").get<int64_t>();
    f.error = j.value("error", "");
    f.format = j.value("format", "");
    f.arrival = j.value("arrival", "");
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
    if (j.contains("damage"))  // absent in lines written before damage was recorded
      for (const auto& d : j["damage"])
        f.damage.push_back(Damage{d.at("code").get<std::string>(), d.at("class").get<std::string>(), d.at("reversible").get<bool>()});
    return f;
  } catch (const json::exception& e) {
    throw Error(ErrorCategory::format, "DIAGNOSE_JSON_INVALID", std::string("bad diagnose result line: ") + e.what());
  }
}

std::string FileResult::arrival_month() const {
  if (!arrival.empty()) return arrival;
  if (mtime <= 0) return "";
  std::time_t t = static_cast<std::time_t>(mtime);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
  return buf;
}

namespace {

// The Vietnamese messages of a row's problem codes, errors before warnings (then by code).
std::string messages_vi(const std::vector<std::string>& codes) {
  std::string errors, warnings;
  for (const auto& code : codes) {
    const CatalogEntry* e = find_catalog_entry(code);
    if (!e || e->severity == Severity::info) continue;
    std::string& into = e->severity == Severity::error ? errors : warnings;
    into += (into.empty() ? "" : " ") + std::string(e->message_vi);
  }
  return errors + (errors.empty() || warnings.empty() ? "" : " ") + warnings;
}

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
  return "\xEF\xBB\xBF"  // UTF-8 BOM: Excel on Windows reads the file as UTF-8
         "path,folder,format,signature,indication,sub_indication,codes,signer,organization,issuer_ca,pki,signing_month,error,"
         "message_vi,arrival_month,damage\n";
}

std::string csv_rows(const FileResult& f) {
  std::string out;
  const std::string arrival = f.arrival_month();
  std::string damage;  // damage classes, on the file's first row (as document-level findings)
  for (const auto& d : f.damage)
    if ((";" + damage + ";").find(";" + d.cls + ";") == std::string::npos) damage += (damage.empty() ? "" : ";") + d.cls;
  bool first = true;
  for (const auto& r : f.rows) {
    std::string codes;
    for (const auto& c : r.codes) codes += (codes.empty() ? "" : ";") + c;
    const std::string message = messages_vi(r.codes);
    const std::string no_damage;
    for (const std::string* v : std::initializer_list<const std::string*>{&f.path, &f.folder, &f.format, &r.signature, &r.indication, &r.sub_indication, &codes, &r.signer,
                                 &r.organization, &r.issuer_ca, &r.pki, &r.month, &f.error, &message, &arrival})
      out += csv_field(*v) + ",";
    out += csv_field(first ? damage : no_damage) + "\n";
    first = false;
  }
  return out;
}

}  // namespace libsign::diagnose
