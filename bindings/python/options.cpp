#include "options.hpp"

#include <algorithm>

namespace libsign::python {

OptionDict::OptionDict(const py::handle& value, std::string parameter, std::initializer_list<const char*> known)
    : parameter_(std::move(parameter)) {
  if (value.is_none()) return;
  if (!py::isinstance<py::dict>(value))
    throw Error(ErrorCategory::usage, "OPTION_INVALID", (parameter_.empty() ? std::string("options") : parameter_) +
                                                            ": expected a dict, got " +
                                                            std::string(py::str(value.get_type().attr("__name__"))));
  dict_ = py::reinterpret_borrow<py::dict>(value);
  for (const auto& item : dict_) {
    std::string key = py::str(item.first);
    bool found = std::any_of(known.begin(), known.end(), [&](const char* k) { return key == k; });
    if (found) continue;
    std::string list;
    for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
    throw Error(ErrorCategory::usage, "OPTION_UNKNOWN",
                (parameter_.empty() ? std::string("options") : parameter_) + ": unknown key '" + key + "' (known: " + list + ")");
  }
}

std::string OptionDict::name_of(const char* key) const {
  return parameter_.empty() ? std::string(key) : parameter_ + "['" + key + "']";
}

Error OptionDict::invalid(const char* key, const std::string& expected) const {
  std::string got = py::str(dict_[key].get_type().attr("__name__"));
  return Error(ErrorCategory::usage, "OPTION_INVALID", name_of(key) + ": expected " + expected + ", got " + got);
}

bool OptionDict::has(const char* key) const { return dict_.contains(key) && !dict_[key].is_none(); }

std::string OptionDict::text(const char* key) const {
  if (!has(key)) return {};
  if (!py::isinstance<py::str>(dict_[key])) throw invalid(key, "a str");
  return dict_[key].cast<std::string>();
}

bool OptionDict::flag(const char* key, bool fallback) const {
  if (!has(key)) return fallback;
  if (!py::isinstance<py::bool_>(dict_[key]) && !py::isinstance<py::int_>(dict_[key])) throw invalid(key, "True or False");
  return dict_[key].cast<bool>();
}

std::vector<std::string> OptionDict::texts(const char* key) const {
  if (!has(key)) return {};
  py::object value = dict_[key];
  if (py::isinstance<py::str>(value)) return {value.cast<std::string>()};
  py::object fspath = py::module_::import("os").attr("fspath");
  std::vector<std::string> out;
  try {
    for (const auto& item : value) out.push_back(py::str(fspath(item)));
  } catch (const py::error_already_set&) {
    throw invalid(key, "a str or a list of str / paths");
  }
  return out;
}

std::chrono::milliseconds OptionDict::seconds(const char* key, std::chrono::milliseconds fallback) const {
  if (!has(key)) return fallback;
  double s = get<double>(key, "a number of seconds");
  if (!(s > 0)) throw invalid(key, "a positive number of seconds");
  return std::chrono::milliseconds(static_cast<long long>(s * 1000));
}

OptionDict OptionDict::nested(const char* key, std::initializer_list<const char*> known) const {
  return OptionDict(has(key) ? py::handle(dict_[key]) : py::handle(py::none()), name_of(key), known);
}

RevocationOptions revocation_options(const py::handle& value, const std::string& parameter) {
  OptionDict d(value, parameter, {"online", "allow_hosts", "allow_private", "required", "timeout", "deadline", "cache_dir"});
  RevocationOptions r;
  r.online = d.flag("online", r.online);
  r.allowed_hosts = d.texts("allow_hosts");
  r.allow_private = d.flag("allow_private", r.allow_private);
  r.require = d.flag("required", r.require);
  r.request_timeout = d.seconds("timeout", r.request_timeout);
  r.total_timeout = d.seconds("deadline", r.total_timeout);
  r.cache_dir = d.text("cache_dir");
  return r;
}

TsaOptions tsa_options(const py::handle& value, const std::string& parameter) {
  OptionDict t(value, parameter, {"url", "username", "password_env", "password_file", "timeout", "trust", "profiles_dir", "trust_profile"});
  TsaOptions tsa;
  tsa.url = t.text("url");
  if (tsa.url.empty()) throw Error(ErrorCategory::usage, "TSA_URL_MISSING", parameter + ": give the TSA's url");
  tsa.username = t.text("username");
  if (t.has("password_env")) tsa.password_env = t.text("password_env");
  if (t.has("password_file")) tsa.password_file = t.text("password_file");
  tsa.timeout = t.seconds("timeout", tsa.timeout);
  tsa.trust_paths = t.texts("trust");
  tsa.profile_dirs = t.texts("profiles_dir");
  if (t.has("trust_profile")) tsa.trust_profile = t.text("trust_profile");
  return tsa;
}

VerifyOptions validation_options(const py::handle& value, const std::string& parameter) {
  OptionDict v(value, parameter, {"trust_profile", "profiles_dir", "trust", "revocation"});
  VerifyOptions o;
  if (v.has("trust_profile")) o.trust_profile = v.text("trust_profile");
  o.profile_dirs = v.texts("profiles_dir");
  o.trust_paths = v.texts("trust");
  if (v.has("revocation")) o.revocation = revocation_options(v.value("revocation"), v.name_of("revocation"));
  return o;
}

}  // namespace libsign::python
