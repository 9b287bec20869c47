// Reading the option dictionaries of the Python API (revocation=, tsa=, validation=, and the internal
// dictionaries libsign/__init__.py hands to _core). Every key must be known and every value of the
// right kind: anything else raises libsign.UsageError (OPTION_UNKNOWN / OPTION_INVALID) naming the
// parameter and the key, instead of being ignored or surfacing as pybind11's bare RuntimeError.
#pragma once
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <initializer_list>
#include <string>
#include <vector>

#include "libsign/libsign.hpp"

namespace libsign::python {

namespace py = pybind11;

class OptionDict {
 public:
  // `value`: a dict or None (no options). `parameter`: how the caller wrote it, e.g. "revocation".
  OptionDict(const py::handle& value, std::string parameter, std::initializer_list<const char*> known);

  bool has(const char* key) const;  // present and not None
  py::object value(const char* key) const { return dict_[key]; }
  std::string text(const char* key) const;  // "" when absent
  bool flag(const char* key, bool fallback) const;
  std::vector<std::string> texts(const char* key) const;  // a str alone counts as one item
  std::chrono::milliseconds seconds(const char* key, std::chrono::milliseconds fallback) const;
  // The value cast to T; a value of another kind raises OPTION_INVALID saying what was `expected`.
  template <class T>
  T get(const char* key, const char* expected) const {
    try {
      return dict_[key].template cast<T>();
    } catch (const py::cast_error&) {
      throw invalid(key, expected);
    }
  }
  // A nested dictionary, checked the same way.
  OptionDict nested(const char* key, std::initializer_list<const char*> known) const;
  const std::string& parameter() const { return parameter_; }
  // "revocation['online']" for messages.
  std::string name_of(const char* key) const;
  Error invalid(const char* key, const std::string& expected) const;

 private:
  py::dict dict_;
  std::string parameter_;
};

// The keys of revocation= (make_verifier, verify*, diagnose, validation['revocation']).
RevocationOptions revocation_options(const py::handle& value, const std::string& parameter = "revocation");
// The keys of tsa= (a dict; the Python layer turns a URL string into {"url": ...}).
TsaOptions tsa_options(const py::handle& value, const std::string& parameter = "tsa");
// validation= of sign_pdf (B-LT/B-LTA) and extend_*: trust_profile, profiles_dir, trust, revocation.
VerifyOptions validation_options(const py::handle& value, const std::string& parameter = "validation");

}  // namespace libsign::python
