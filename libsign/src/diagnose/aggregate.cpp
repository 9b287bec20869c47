// Streamed, mergeable counting of FileResults. Every list is ordered by data (never by arrival), so
// merging chunk aggregates in any grouping gives the aggregate of one run, byte for byte.
#include <algorithm>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "diagnose/json_numbers.hpp"
#include "diagnose/titles.hpp"
#include "libsign/catalog.hpp"
#include "libsign/diagnose.hpp"
#include "libsign/version.hpp"

namespace libsign::diagnose {

using nlohmann::json;

namespace {

const char* const kDimensions[] = {"issuer_ca", "pki", "organization", "month", "portal", "folder", "format"};
constexpr const char* kNone = "(none)";

// Info findings (TIMESTAMP_VALID, REVOCATION_GOOD, ...) are counted but are not causes.
bool is_problem(const std::string& code) {
  const CatalogEntry* e = find_catalog_entry(code);
  return !e || e->severity != Severity::info;
}

int indication_rank(const std::string& indication) {
  if (indication == "TOTAL_FAILED") return 0;
  if (indication == "ERROR") return 1;
  if (indication == "INDETERMINATE") return 2;
  return 3;
}

bool worse(const Example& a, const Example& b) {
  return std::make_tuple(indication_rank(a.indication), a.path, a.signature) <
         std::make_tuple(indication_rank(b.indication), b.path, b.signature);
}

void keep_min(std::string& mine, const std::string& other) {
  if (!other.empty() && (mine.empty() || other < mine)) mine = other;
}
void keep_max(std::string& mine, const std::string& other) {
  if (!other.empty() && other > mine) mine = other;
}

std::string value_or_none(const std::string& v) { return v.empty() ? kNone : v; }

std::string portal_of(std::string folder) {
  while (!folder.empty() && folder[0] == '/') folder.erase(0, 1);
  if (folder.empty() || folder == ".") return ".";
  return folder.substr(0, folder.find('/'));
}

// Ranking group of a recurring code: errors, then warnings, then warnings the settings caused.
int severity_group(const std::string& code, const Settings& settings) {
  const CatalogEntry* e = find_catalog_entry(code);
  if (!e || e->severity == Severity::error) return 0;
  return caused_by_settings(code, settings.revocation) ? 2 : 1;
}

void add_cell(DamageCell& into, const DamageCell& c) {
  into.files += c.files;
  into.damaged += c.damaged;
  for (const auto& [cls, n] : c.classes) into.classes[cls] += n;
}

json cell_json(const DamageCell& c) { return {{"files", c.files}, {"damaged", c.damaged}, {"classes", c.classes}}; }

void merge_field(std::string& mine, const std::string& other) {
  if (mine.empty()) mine = other;
  else if (!other.empty() && other != mine) mine = "mixed";
}

// The damage section: raw cells (folder x month of arrival, what merge needs) and views of them.
json damage_json(const std::map<std::string, std::map<std::string, DamageCell>>& arrivals,
                 const std::map<std::string, DamageClassStats>& classes) {
  auto key = [](const std::string& month) { return month.empty() ? std::string(kNone) : month; };
  uint64_t damaged = 0, arrived = 0;
  std::map<std::string, DamageCell> by_folder, by_portal, by_month;
  std::map<std::string, std::pair<std::string, std::string>> class_months;  // first, last month
  std::map<std::pair<std::string, std::string>, std::pair<std::string, uint64_t>> onset;  // (folder, class) -> since, files
  json raw = json::object();
  for (const auto& [folder, months] : arrivals) {
    json per_month = json::object();
    for (const auto& [month, c] : months) {
      per_month[key(month)] = cell_json(c);
      damaged += c.damaged;
      arrived += c.files;
      add_cell(by_folder[folder], c);
      add_cell(by_portal[portal_of(folder)], c);
      add_cell(by_month[key(month)], c);
      for (const auto& [cls, n] : c.classes) {
        keep_min(class_months[cls].first, month);
        keep_max(class_months[cls].second, month);
        auto& o = onset[{folder, cls}];
        keep_min(o.first, month);
        o.second += n;
      }
    }
    raw[folder] = per_month;
  }
  json d;
  d["files"] = arrived;
  d["damaged"] = damaged;
  d["arrivals"] = raw;
  json by_class = json::object();
  for (const auto& [cls, st] : classes)
    by_class[cls] = {{"files", st.files}, {"reversible", st.reversible}, {"codes", st.codes},
                     {"first_month", class_months[cls].first}, {"last_month", class_months[cls].second},
                     {"title_en", damage_class_title(cls, false)}, {"title_vi", damage_class_title(cls, true)}};
  d["by_class"] = by_class;
  for (const auto& [name, view] : {std::pair{"by_folder", &by_folder}, {"by_portal", &by_portal}, {"by_month", &by_month}}) {
    json v = json::object();
    for (const auto& [k, c] : *view)  // every month (the chart's denominators); folders with damage only
      if (c.damaged || view == &by_month) v[k] = cell_json(c);
    d[name] = v;
  }
  // Since when each folder has each class: the first month of arrival it was seen, and how many of
  // the files that arrived there since then have it. Most files first.
  std::vector<json> onsets;
  for (const auto& [fc, o] : onset) {
    uint64_t since_files = 0;
    for (const auto& [month, c] : arrivals.at(fc.first))
      if (o.first.empty() || month >= o.first) since_files += c.files;
    onsets.push_back({{"folder", fc.first}, {"class", fc.second}, {"since", o.first}, {"files", o.second},
                      {"arrived_since", since_files}});
  }
  std::sort(onsets.begin(), onsets.end(), [](const json& a, const json& b) {
    uint64_t an = a["files"], bn = b["files"];
    if (an != bn) return an > bn;
    return std::make_pair(a["folder"].get<std::string>(), a["class"].get<std::string>()) <
           std::make_pair(b["folder"].get<std::string>(), b["class"].get<std::string>());
  });
  d["onsets"] = onsets;
  return d;
}

}  // namespace

Settings Settings::of(const VerifyOptions& o) {
  Settings s;
  s.trust_profile = o.trust_profile.empty() ? "vn-all" : o.trust_profile;
  for (const auto& p : o.trust_paths) {
    std::string name = p.substr(p.find_last_of('/') == std::string::npos ? 0 : p.find_last_of('/') + 1);
    s.trust_files += (s.trust_files.empty() ? "" : ", ") + name;
  }
  s.revocation = o.revocation.online ? "online" : "offline";
  s.revocation_policy = o.revocation.require ? "required" : "optional";
  s.validation_time = o.at ? format_time(*o.at) : "now";
  s.libsign_version = libsign::version;
  return s;
}

void Settings::merge(const Settings& o) {
  merge_field(trust_profile, o.trust_profile);
  merge_field(trust_files, o.trust_files);
  merge_field(revocation, o.revocation);
  merge_field(revocation_policy, o.revocation_policy);
  merge_field(validation_time, o.validation_time);
  merge_field(libsign_version, o.libsign_version);
}

bool Settings::operator==(const Settings& o) const {
  return std::tie(trust_profile, trust_files, revocation, revocation_policy, validation_time, libsign_version) ==
         std::tie(o.trust_profile, o.trust_files, o.revocation, o.revocation_policy, o.validation_time, o.libsign_version);
}

void Aggregate::add_example(const std::string& code, Example example) {
  auto& list = examples_[code];
  if (list.size() >= examples_per_code_ && (examples_per_code_ == 0 || !worse(example, list.back()))) return;
  list.insert(std::upper_bound(list.begin(), list.end(), example, worse), std::move(example));
  if (list.size() > examples_per_code_) list.pop_back();
}

void Aggregate::add(const FileResult& f) {
  ++files_;
  if (!f.error.empty()) ++unreadable_;
  std::set<std::string> file_codes;
  for (const auto& r : f.rows) {
    ++rows_;
    if (!r.signature.empty()) ++signatures_;
    else if (f.error.empty()) ++unsigned_;
    ++by_indication_[r.indication];
    if (!r.sub_indication.empty()) ++by_sub_indication_[r.sub_indication];
    const std::string values[] = {r.issuer_ca, r.pki, r.organization, r.month, portal_of(f.folder), f.folder, f.format};
    for (size_t d = 0; d < std::size(kDimensions); ++d) {
      Bucket& b = breakdowns_[kDimensions[d]][value_or_none(values[d])];
      ++b.rows;
      if (r.indication != "TOTAL_PASSED") ++b.not_passed;
      for (const auto& code : r.codes)
        if (is_problem(code)) ++b.codes[code];
    }
    for (const auto& code : r.codes) {
      CodeStats& s = by_code_[code];
      ++s.rows;
      keep_min(s.first_month, r.month);
      keep_max(s.last_month, r.month);
      file_codes.insert(code);
      if (!is_problem(code)) continue;
      auto ev = r.evidence.find(code);
      add_example(code, Example{f.path, r.signature, r.indication, r.sub_indication,
                                ev == r.evidence.end() ? std::map<std::string, std::string>{} : ev->second});
    }
  }
  for (const auto& code : file_codes) ++by_code_[code].files;

  // Damage, by the month the file arrived (its mtime), not the month it was signed.
  DamageCell& cell = arrivals_[f.folder][f.arrival_month()];
  ++cell.files;
  std::set<std::string> classes;
  std::map<std::string, bool> reversible;  // per class: any of its findings reversible
  std::set<std::string> damage_codes;
  for (const auto& d : f.damage) {
    classes.insert(d.cls);
    reversible[d.cls] = reversible[d.cls] || d.reversible;
    if (damage_codes.insert(d.code).second) ++damage_classes_[d.cls].codes[d.code];
  }
  if (!classes.empty()) ++cell.damaged;
  for (const auto& cls : classes) {
    ++cell.classes[cls];
    DamageClassStats& st = damage_classes_[cls];
    ++st.files;
    if (reversible[cls]) ++st.reversible;
  }
}

void Aggregate::merge(const Aggregate& o) {
  complete_ = complete_ && o.complete_;
  files_ += o.files_;
  rows_ += o.rows_;
  signatures_ += o.signatures_;
  unreadable_ += o.unreadable_;
  unsigned_ += o.unsigned_;
  for (const auto& [k, v] : o.by_indication_) by_indication_[k] += v;
  for (const auto& [k, v] : o.by_sub_indication_) by_sub_indication_[k] += v;
  for (const auto& [code, s] : o.by_code_) {
    CodeStats& mine = by_code_[code];
    mine.rows += s.rows;
    mine.files += s.files;
    keep_min(mine.first_month, s.first_month);
    keep_max(mine.last_month, s.last_month);
  }
  for (const auto& [dim, buckets] : o.breakdowns_)
    for (const auto& [value, b] : buckets) {
      Bucket& mine = breakdowns_[dim][value];
      mine.rows += b.rows;
      mine.not_passed += b.not_passed;
      for (const auto& [code, n] : b.codes) mine.codes[code] += n;
    }
  for (const auto& [code, list] : o.examples_)
    for (const auto& e : list) add_example(code, e);
  settings_.merge(o.settings_);
  for (const auto& [folder, months] : o.arrivals_)
    for (const auto& [month, c] : months) add_cell(arrivals_[folder][month], c);
  for (const auto& [cls, st] : o.damage_classes_) {
    DamageClassStats& mine = damage_classes_[cls];
    mine.files += st.files;
    mine.reversible += st.reversible;
    for (const auto& [code, n] : st.codes) mine.codes[code] += n;
  }
}

std::string Aggregate::to_json(int indent, const std::string& run_json) const {
  json j;
  j["schema"] = "libsign-diagnose/1";
  j["complete"] = complete_;
  j["run"] = json::parse(run_json.empty() ? "{}" : run_json);
  j["totals"] = {{"files", files_}, {"rows", rows_}, {"signatures", signatures_},
                 {"files_unreadable", unreadable_}, {"files_without_signature", unsigned_}};
  j["by_indication"] = by_indication_;
  j["by_sub_indication"] = by_sub_indication_;
  json codes = json::object();
  for (const auto& [code, s] : by_code_) {
    const CatalogEntry* e = find_catalog_entry(code);
    codes[code] = {{"rows", s.rows}, {"files", s.files}, {"first_month", s.first_month}, {"last_month", s.last_month},
                   {"severity", e ? to_string(e->severity) : "error"}};
  }
  j["by_code"] = codes;

  j["settings"] = {{"trust_profile", settings_.trust_profile}, {"trust_files", settings_.trust_files},
                   {"revocation", settings_.revocation}, {"revocation_policy", settings_.revocation_policy},
                   {"validation_time", settings_.validation_time}, {"libsign_version", settings_.libsign_version}};

  // Recurring causes: severity first (errors, warnings, then warnings the settings caused, such as
  // REVOCATION_NOT_CHECKED offline), then most rows, most files, code.
  std::vector<std::pair<std::string, CodeStats>> ranked;
  for (const auto& [code, s] : by_code_)
    if (is_problem(code)) ranked.emplace_back(code, s);
  std::sort(ranked.begin(), ranked.end(), [this](const auto& a, const auto& b) {
    return std::make_tuple(severity_group(a.first, settings_), b.second.rows, b.second.files, a.first) <
           std::make_tuple(severity_group(b.first, settings_), a.second.rows, a.second.files, b.first);
  });
  json recurring = json::array();
  for (const auto& [code, s] : ranked) {
    const CatalogEntry* e = find_catalog_entry(code);
    const CatalogCause* c = find_catalog_cause(code);
    json r = {{"code", code}, {"rows", s.rows}, {"files", s.files}, {"first_month", s.first_month}, {"last_month", s.last_month},
              {"severity", e ? to_string(e->severity) : "error"},
              {"message_en", e ? e->message_en : ""}, {"message_vi", e ? e->message_vi : ""},
              {"cause_en", c ? c->cause_en : ""}, {"cause_vi", c ? c->cause_vi : ""},
              {"hint_en", e ? e->hint_en : ""}, {"hint_vi", e ? e->hint_vi : ""},
              {"title_en", code_title(code, false)}, {"title_vi", code_title(code, true)},
              {"caused_by_settings", severity_group(code, settings_) == 2}};
    // Where it recurs most: the top folders and issuing CAs for this code.
    for (const char* dim : {"folder", "issuer_ca"}) {
      std::vector<std::pair<uint64_t, std::string>> top;
      auto it = breakdowns_.find(dim);
      if (it != breakdowns_.end())
        for (const auto& [value, b] : it->second) {
          auto n = b.codes.find(code);
          if (n != b.codes.end()) top.emplace_back(n->second, value);
        }
      std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
      if (top.size() > 3) top.resize(3);
      json list = json::array();
      for (const auto& [n, value] : top) list.push_back({{"value", value}, {"rows", n}});
      r[std::string("top_") + dim] = list;
    }
    recurring.push_back(std::move(r));
  }
  j["recurring"] = recurring;

  json breakdowns = json::object();
  for (const char* dim : kDimensions) {
    json d = json::object();
    auto it = breakdowns_.find(dim);
    if (it != breakdowns_.end())
      for (const auto& [value, b] : it->second) d[value] = {{"rows", b.rows}, {"not_passed", b.not_passed}, {"codes", b.codes}};
    breakdowns[dim] = d;
  }
  j["breakdowns"] = breakdowns;

  json examples = json::object();
  for (const auto& [code, list] : examples_) {
    json l = json::array();
    for (const auto& e : list)
      l.push_back({{"path", e.path}, {"signature", e.signature}, {"indication", e.indication},
                   {"sub_indication", e.sub_indication}, {"evidence", e.evidence}});
    examples[code] = l;
  }
  j["examples_per_code"] = examples_per_code_;
  j["examples"] = examples;
  j["damage"] = damage_json(arrivals_, damage_classes_);
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

Aggregate Aggregate::from_json(const std::string& text) {
  try {
    json j = json::parse(text);
    require_integral_numbers(j, "run");
    if (j.value("schema", "") != "libsign-diagnose/1")
      throw Error(ErrorCategory::format, "DIAGNOSE_JSON_INVALID", "not a libsign-diagnose/1 document");
    Aggregate a(j.at("examples_per_code").get<size_t>());
    a.complete_ = j.at("complete").get<bool>();
    const json& t = j.at("totals");
    a.files_ = t.at("files");
    a.rows_ = t.at("rows");
    a.signatures_ = t.at("signatures");
    a.unreadable_ = t.at("files_unreadable");
    a.unsigned_ = t.at("files_without_signature");
    a.by_indication_ = j.at("by_indication").get<std::map<std::string, uint64_t>>();
    a.by_sub_indication_ = j.at("by_sub_indication").get<std::map<std::string, uint64_t>>();
    for (const auto& [code, s] : j.at("by_code").items())
      a.by_code_[code] = CodeStats{s.at("rows"), s.at("files"), s.at("first_month"), s.at("last_month")};
    for (const auto& [dim, values] : j.at("breakdowns").items())
      for (const auto& [value, b] : values.items())
        a.breakdowns_[dim][value] = Bucket{b.at("rows"), b.at("not_passed"), b.at("codes").get<std::map<std::string, uint64_t>>()};
    if (j.contains("settings")) {  // absent in reports written before settings were recorded
      const json& st = j["settings"];
      a.settings_ = Settings{st.value("trust_profile", ""), st.value("trust_files", ""), st.value("revocation", ""),
                             st.value("revocation_policy", ""), st.value("validation_time", ""), st.value("libsign_version", "")};
    }
    if (j.contains("damage")) {
      for (const auto& [folder, months] : j["damage"].at("arrivals").items())
        for (const auto& [month, c] : months.items())
          a.arrivals_[folder][month == kNone ? "" : month] =
              DamageCell{c.at("files"), c.at("damaged"), c.at("classes").get<std::map<std::string, uint64_t>>()};
      for (const auto& [cls, st] : j["damage"].at("by_class").items())
        a.damage_classes_[cls] = DamageClassStats{st.at("files"), st.at("reversible"), st.at("codes").get<std::map<std::string, uint64_t>>()};
    }
    for (const auto& [code, list] : j.at("examples").items())
      for (const auto& e : list)
        a.examples_[code].push_back(Example{e.at("path"), e.at("signature"), e.at("indication"), e.at("sub_indication"),
                                            e.at("evidence").get<std::map<std::string, std::string>>()});
    return a;
  } catch (const json::exception& e) {
    throw Error(ErrorCategory::format, "DIAGNOSE_JSON_INVALID", std::string("bad libsign-diagnose/1 JSON: ") + e.what());
  }
}

}  // namespace libsign::diagnose
