// pybind11 bindings: libsign._core. The friendly API lives in the libsign package (__init__.py).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <set>
#include <tuple>

#include "libsign/libsign.hpp"
#include "libsign/pkcs11.hpp"
#include "options.hpp"
#include "report_docs.hpp"

namespace py = pybind11;

void bind_diagnose(py::module_& m);  // diagnose_bindings.cpp

namespace {

// Raise the Python exception class of the package (libsign._errors) that matches the category.
void translate(const libsign::Error& e) {
  py::object errors = py::module_::import("libsign._errors");
  py::object cls = errors.attr("class_for")(libsign::to_string(e.category()));
  py::object instance = cls(e.what(), e.code(), libsign::to_string(e.category()), e.native_code());
  if (!e.diagnosis().empty()) instance.attr("diagnosis") = py::cast(e.diagnosis());  // wrong content (docs/damage.md)
  PyErr_SetObject(cls.ptr(), instance.ptr());
}

libsign::DocumentReport verify_any(const libsign::Verifier& v, const py::object& source, const std::string& label) {
  if (py::isinstance<py::bytes>(source) || py::isinstance<py::bytearray>(source) || py::isinstance<py::memoryview>(source)) {
    py::buffer_info info = py::buffer(source).request();
    std::string_view bytes(static_cast<const char*>(info.ptr), static_cast<size_t>(info.size * info.itemsize));
    py::gil_scoped_release release;  // `source` stays referenced by the caller's frame
    return v.verify_pdf(bytes, label);
  }
  std::string path = py::str(py::module_::import("os").attr("fspath")(source));
  py::gil_scoped_release release;
  return v.verify_pdf_file(path);
}

libsign::Secret secret_from(const std::optional<std::string>& value, const std::optional<std::string>& env,
                            const std::optional<std::string>& file) {
  if (value) return libsign::Secret::from_string(*value);
  if (env) return libsign::Secret::from_env(*env);
  if (file) return libsign::Secret::from_file(*file);
  return libsign::Secret();
}

using libsign::python::OptionDict;
using libsign::python::revocation_options;

// The dictionaries below are built by libsign/__init__.py from keyword arguments; options.hpp checks
// their keys and value kinds.
std::optional<libsign::TsaOptions> tsa_of(const OptionDict& o) {
  if (!o.has("tsa")) return std::nullopt;
  py::object tsa = o.value("tsa");
  if (py::isinstance<py::str>(tsa)) tsa = py::dict(py::arg("url") = tsa);
  return libsign::python::tsa_options(tsa, o.name_of("tsa"));
}

std::optional<std::chrono::system_clock::time_point> time_of(const OptionDict& o, const char* key) {
  std::string text = o.text(key);
  if (text.empty()) return std::nullopt;
  return libsign::parse_time(text);
}

// Keys: level ("B-B"/"B-T"), tsa (dict), enveloping, pem, signing_time.
libsign::CmsSignOptions cms_sign_options(const py::dict& dict) {
  OptionDict o(dict, "", {"level", "tsa", "enveloping", "pem", "signing_time"});
  libsign::CmsSignOptions options;
  std::string level = o.text("level");
  if (level == "B-T") options.level = libsign::CadesLevel::b_t;
  else if (!level.empty() && level != "B-B")
    throw libsign::Error(libsign::ErrorCategory::usage, "LEVEL_UNSUPPORTED", "CMS signatures are made at B-B or B-T");
  options.tsa = tsa_of(o);
  if (options.tsa) options.level = libsign::CadesLevel::b_t;
  options.enveloping = o.flag("enveloping", false);
  options.pem = o.flag("pem", false);
  options.signing_time = time_of(o, "signing_time");
  return options;
}

// A path (str / os.PathLike) or None; bytes-like objects are not paths.
bool is_bytes_like(const py::object& o) {
  return py::isinstance<py::bytes>(o) || py::isinstance<py::bytearray>(o) || py::isinstance<py::memoryview>(o);
}
std::string_view view_of(const py::object& o, py::buffer_info& info) {
  info = py::buffer(o).request();
  return std::string_view(static_cast<const char*>(info.ptr), static_cast<size_t>(info.size * info.itemsize));
}
std::string path_of(const py::object& o) { return py::str(py::module_::import("os").attr("fspath")(o)); }

// Any format (PDF, XML, CMS), from a path or bytes.
libsign::DocumentReport verify_detected(const libsign::Verifier& v, const py::object& source, const std::string& label) {
  if (is_bytes_like(source)) {
    py::buffer_info info;
    std::string_view bytes = view_of(source, info);
    py::gil_scoped_release release;
    return v.verify(bytes, label);
  }
  std::string path = path_of(source);
  py::gil_scoped_release release;
  return v.verify_file(path);
}

// A CMS signature (path or bytes) with its detached content (path, bytes or None).
libsign::DocumentReport verify_cms_signature(const libsign::Verifier& v, const py::object& signature, const py::object& content,
                                             const std::string& label) {
  if (!is_bytes_like(signature)) {
    std::string sig_path = path_of(signature);
    if (content.is_none() || !is_bytes_like(content)) {
      std::string content_path = content.is_none() ? "" : path_of(content);
      py::gil_scoped_release release;
      return v.verify_cms_file(sig_path, content_path);
    }
    std::string sig = py::module_::import("pathlib").attr("Path")(sig_path).attr("read_bytes")().cast<std::string>();
    py::buffer_info info;
    std::string_view data = view_of(content, info);
    py::gil_scoped_release release;
    return v.verify_cms(sig, data, label.empty() ? sig_path : label);
  }
  py::buffer_info sig_info, data_info;
  std::string_view sig = view_of(signature, sig_info);
  std::optional<std::string_view> data;
  std::string data_copy;
  if (!content.is_none()) {
    if (is_bytes_like(content)) {
      data = view_of(content, data_info);
    } else {
      data_copy = py::module_::import("pathlib").attr("Path")(path_of(content)).attr("read_bytes")().cast<std::string>();
      data = data_copy;
    }
  }
  py::gil_scoped_release release;
  return v.verify_cms(sig, data, label);
}

py::dict request_dict(const libsign::ExternalRequest& request) {
  py::dict out;
  out["state"] = request.state;
  out["data_to_sign"] = py::bytes(request.data_to_sign);
  out["digest"] = py::bytes(request.digest);
  out["digest_algorithm"] = request.digest_algorithm;
  return out;
}

// visible=: a tuple (page, x, y, width, height) in points, or a dict with those keys (page defaults to 1)
// and seal_image, signature_image, font (paths), preset ("standard" | "decree30"), frame (bool).
libsign::VisibleSignature visible_signature(const py::handle& value) {
  const auto invalid = [](const std::string& why) {
    return libsign::Error(libsign::ErrorCategory::usage, "OPTION_INVALID", "visible: " + why);
  };
  libsign::VisibleSignature v;
  if (!py::isinstance<py::dict>(value)) {
    if (!py::isinstance<py::sequence>(value) || py::isinstance<py::str>(value) || py::len(value) != 5)
      throw invalid("expected (page, x, y, width, height) or a dict");
    try {
      auto t = value.cast<std::tuple<int, double, double, double, double>>();
      std::tie(v.page, v.x, v.y, v.width, v.height) = t;
    } catch (const py::cast_error&) {
      throw invalid("expected (page, x, y, width, height) as numbers");
    }
    return v;
  }
  static const std::set<std::string> known = {"page", "x", "y", "width", "height", "seal_image", "signature_image",
                                              "font", "preset", "frame"};
  py::dict d = py::reinterpret_borrow<py::dict>(value);
  for (const auto& item : d) {
    std::string key = py::str(item.first);
    if (!known.count(key))
      throw libsign::Error(libsign::ErrorCategory::usage, "OPTION_UNKNOWN", "visible: unknown key '" + key + "'");
  }
  const auto number = [&](const char* key, double& out) {
    if (!d.contains(key) || d[key].is_none()) return;
    if (!py::isinstance<py::int_>(d[key]) && !py::isinstance<py::float_>(d[key])) throw invalid(std::string(key) + " must be a number");
    out = d[key].cast<double>();
  };
  const auto path = [&](const char* key) {
    if (!d.contains(key) || d[key].is_none()) return std::string();
    return py::str(py::module_::import("os").attr("fspath")(d[key])).cast<std::string>();
  };
  double page = 1;
  number("page", page);
  v.page = static_cast<int>(page);
  number("x", v.x);
  number("y", v.y);
  number("width", v.width);
  number("height", v.height);
  v.image_path = path("seal_image");
  v.signature_image_path = path("signature_image");
  v.font_path = path("font");
  if (d.contains("frame") && !d["frame"].is_none()) v.frame = py::bool_(d["frame"]);
  if (d.contains("preset") && !d["preset"].is_none()) {
    std::string preset = py::str(d["preset"]);
    if (preset == "decree30") v.preset = libsign::AppearancePreset::decree30;
    else if (preset != "standard") throw invalid("preset must be 'standard' or 'decree30', not '" + preset + "'");
  }
  return v;
}

// Keys: level, tsa, certify, field, visible, reason, location, contact, image, font, signing_time, validation.
libsign::SignOptions sign_options(const py::dict& dict) {
  OptionDict o(dict, "", {"level", "tsa", "certify", "field", "visible", "reason", "location", "contact", "image", "font",
                          "signing_time", "validation"});
  libsign::SignOptions options;
  std::string level = o.text("level");
  if (level == "B-T") options.level = libsign::PadesLevel::b_t;
  else if (level == "B-LT") options.level = libsign::PadesLevel::b_lt;
  else if (level == "B-LTA") options.level = libsign::PadesLevel::b_lta;
  else if (!level.empty() && level != "B-B")
    throw libsign::Error(libsign::ErrorCategory::usage, "LEVEL_UNSUPPORTED", "level: expected B-B, B-T, B-LT or B-LTA, got " + level);
  options.tsa = tsa_of(o);
  if (options.tsa && options.level == libsign::PadesLevel::b_b) options.level = libsign::PadesLevel::b_t;
  if (o.has("certify")) options.certify = o.get<int>("certify", "1, 2 or 3 (DocMDP P)");
  options.field_name = o.text("field");
  options.reason = o.text("reason");
  options.location = o.text("location");
  options.contact_info = o.text("contact");
  if (o.has("visible")) options.visible = visible_signature(o.value("visible"));
  if (o.has("image") || o.has("font")) {
    if (!options.visible) options.visible = libsign::VisibleSignature{};
    options.visible->image_path = o.text("image");
    options.visible->font_path = o.text("font");
  }
  options.signing_time = time_of(o, "signing_time");
  if (o.has("validation")) options.validation = libsign::python::validation_options(o.value("validation"), "validation");
  return options;
}

// XML e-forms. Keys: signature, target, canonical (bool), canonical_limit, enveloped_only (bool).
libsign::XmlVerifyOptions xml_verify_options(const py::dict& dict) {
  OptionDict o(dict, "options", {"signature", "target", "canonical", "canonical_limit", "enveloped_only"});
  libsign::XmlVerifyOptions x;
  x.signature = o.text("signature");
  x.target_id = o.text("target");
  x.include_canonical = o.flag("canonical", x.include_canonical);
  if (o.has("canonical_limit")) x.canonical_limit = o.get<size_t>("canonical_limit", "a number of bytes");
  x.enveloped_only = o.flag("enveloped_only", x.enveloped_only);
  return x;
}

libsign::DocumentReport verify_xml_any(const libsign::Verifier& v, const py::object& source, const py::dict& options,
                                       const std::string& label) {
  libsign::XmlVerifyOptions o = xml_verify_options(options);
  if (py::isinstance<py::bytes>(source) || py::isinstance<py::bytearray>(source) || py::isinstance<py::memoryview>(source)) {
    py::buffer_info info = py::buffer(source).request();
    std::string_view bytes(static_cast<const char*>(info.ptr), static_cast<size_t>(info.size * info.itemsize));
    py::gil_scoped_release release;
    return v.verify_xml(bytes, o, label);
  }
  std::string path = py::str(py::module_::import("os").attr("fspath")(source));
  py::gil_scoped_release release;
  return v.verify_xml_file(path, o);
}

// Keys: target, parent, c14n (exc|c14n|c14n11), xades (none|B-B|B-T), signing_time, signature_id,
// einvoice_signing_time (bool), tsa (as for PDFs).
libsign::XmlSignOptions xml_sign_options(const py::dict& dict) {
  OptionDict o(dict, "", {"target", "parent", "c14n", "xades", "signing_time", "signature_id", "einvoice_signing_time", "tsa"});
  libsign::XmlSignOptions x;
  x.target_id = o.text("target");
  x.parent = o.text("parent");
  std::string c = o.text("c14n");
  if (c == "c14n") x.c14n = libsign::XmlC14n::inclusive;
  else if (c == "c14n11") x.c14n = libsign::XmlC14n::inclusive11;
  else if (!c.empty() && c != "exc") throw libsign::Error(libsign::ErrorCategory::usage, "XML_OPTION_INVALID", "c14n must be exc, c14n or c14n11");
  std::string level = o.text("xades");
  if (level == "B-B") x.xades = libsign::XadesLevel::b_b;
  else if (level == "B-T") x.xades = libsign::XadesLevel::b_t;
  else if (!level.empty() && level != "none") throw libsign::Error(libsign::ErrorCategory::usage, "XML_OPTION_INVALID", "xades must be none, B-B or B-T");
  x.signature_id = o.text("signature_id");
  if (auto t = time_of(o, "signing_time")) x.signing_time = *t;
  x.einvoice_signing_time = o.flag("einvoice_signing_time", x.einvoice_signing_time);
  x.tsa = tsa_of(o);
  if (x.tsa) x.xades = libsign::XadesLevel::b_t;
  return x;
}
}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "libsign native core";
  m.attr("__version__") = libsign::version;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const libsign::Error& e) {
      translate(e);
    }
  });

  py::class_<libsign::Finding>(m, "Finding")
      .def_readonly("code", &libsign::Finding::code)
      .def_property_readonly("severity", [](const libsign::Finding& f) { return libsign::to_string(f.severity); })
      .def_readonly("message_en", &libsign::Finding::message_en)
      .def_readonly("message_vi", &libsign::Finding::message_vi)
      .def_readonly("hint_en", &libsign::Finding::hint_en)
      .def_readonly("hint_vi", &libsign::Finding::hint_vi)
      .def_readonly("evidence", &libsign::Finding::evidence);

  py::class_<libsign::Check>(m, "Check")
      .def_readonly("step", &libsign::Check::step)
      .def_property_readonly("status", [](const libsign::Check& c) { return libsign::to_string(c.status); })
      .def_readonly("detail", &libsign::Check::detail);

  py::class_<libsign::CertificateInfo>(m, "CertificateInfo")
      .def_readonly("subject", &libsign::CertificateInfo::subject)
      .def_readonly("issuer", &libsign::CertificateInfo::issuer)
      .def_readonly("common_name", &libsign::CertificateInfo::common_name)
      .def_readonly("organization", &libsign::CertificateInfo::organization)
      .def_readonly("organizational_unit", &libsign::CertificateInfo::organizational_unit)
      .def_readonly("title", &libsign::CertificateInfo::title)
      .def_readonly("locality", &libsign::CertificateInfo::locality)
      .def_readonly("state", &libsign::CertificateInfo::state)
      .def_readonly("country", &libsign::CertificateInfo::country)
      .def_readonly("email", &libsign::CertificateInfo::email)
      .def_readonly("identifiers", &libsign::CertificateInfo::identifiers)
      .def_readonly("serial", &libsign::CertificateInfo::serial_hex)
      .def_readonly("not_before", &libsign::CertificateInfo::not_before)
      .def_readonly("not_after", &libsign::CertificateInfo::not_after)
      .def_readonly("sha256", &libsign::CertificateInfo::sha256)
      .def_readonly("key_algorithm", &libsign::CertificateInfo::key_algorithm)
      .def_readonly("key_bits", &libsign::CertificateInfo::key_bits)
      .def_readonly("signature_algorithm", &libsign::CertificateInfo::signature_algorithm)
      .def_readonly("self_signed", &libsign::CertificateInfo::self_signed)
      .def_readonly("trust_profile", &libsign::CertificateInfo::trust_profile);

  py::class_<libsign::TimestampInfo>(m, "TimestampInfo")
      .def_readonly("present", &libsign::TimestampInfo::present)
      .def_readonly("valid", &libsign::TimestampInfo::valid)
      .def_readonly("gen_time", &libsign::TimestampInfo::gen_time)
      .def_readonly("tsa", &libsign::TimestampInfo::tsa)
      .def_readonly("detail", &libsign::TimestampInfo::detail);

  py::class_<libsign::RevocationInfo>(m, "RevocationInfo")
      .def_readonly("source", &libsign::RevocationInfo::source)
      .def_readonly("status", &libsign::RevocationInfo::status)
      .def_readonly("produced_at", &libsign::RevocationInfo::produced_at)
      .def_readonly("revocation_time", &libsign::RevocationInfo::revocation_time)
      .def_readonly("reason", &libsign::RevocationInfo::reason)
      .def_readonly("crls", &libsign::RevocationInfo::crls)
      .def_readonly("ocsp_responses", &libsign::RevocationInfo::ocsp_responses);

  py::class_<libsign::ManifestReference>(m, "ManifestReference")
      .def_readonly("manifest", &libsign::ManifestReference::manifest)
      .def_readonly("manifest_signed", &libsign::ManifestReference::manifest_signed)
      .def_readonly("uri", &libsign::ManifestReference::uri)
      .def_readonly("element", &libsign::ManifestReference::element)
      .def_readonly("status", &libsign::ManifestReference::status)
      .def_readonly("digest_algorithm", &libsign::ManifestReference::digest_algorithm)
      .def_readonly("detail", &libsign::ManifestReference::detail);

  py::class_<libsign::ModifiedObject>(m, "ModifiedObject")
      .def_readonly("object", &libsign::ModifiedObject::object)
      .def_readonly("description", &libsign::ModifiedObject::description)
      .def_property_readonly("level", [](const libsign::ModifiedObject& o) { return libsign::to_string(o.level); });

  py::class_<libsign::RevisionModification>(m, "RevisionModification")
      .def_readonly("revision", &libsign::RevisionModification::revision)
      .def_property_readonly("level", [](const libsign::RevisionModification& r) { return libsign::to_string(r.level); })
      .def_readonly("objects", &libsign::RevisionModification::objects)
      .def_readonly("objects_omitted", &libsign::RevisionModification::objects_omitted);

  py::class_<libsign::CrossCheckItem>(m, "CrossCheckItem")
      .def_readonly("item", &libsign::CrossCheckItem::item)
      .def_readonly("libsign", &libsign::CrossCheckItem::libsign)
      .def_readonly("botan", &libsign::CrossCheckItem::botan)
      .def_readonly("result", &libsign::CrossCheckItem::result)
      .def_readonly("detail", &libsign::CrossCheckItem::detail);
  py::class_<libsign::CrossCheck>(m, "CrossCheck")
      .def_readonly("engine", &libsign::CrossCheck::engine)
      .def_readonly("result", &libsign::CrossCheck::result)
      .def_readonly("compared", &libsign::CrossCheck::compared)
      .def_readonly("note", &libsign::CrossCheck::note);

  py::class_<libsign::SignatureReport>(m, "SignatureReport")
      .def_readonly("id", &libsign::SignatureReport::id)
      .def_readonly("field_name", &libsign::SignatureReport::field_name)
      .def_readonly("field_names", &libsign::SignatureReport::field_names)
      .def_property_readonly("found_via", [](const libsign::SignatureReport& s) -> py::object {
        if (s.found_via.empty()) return py::none();
        return py::str(s.found_via);
      })
      .def_readonly("kind", &libsign::SignatureReport::kind)
      .def_property_readonly("indication", [](const libsign::SignatureReport& s) { return libsign::to_string(s.indication); })
      .def_property_readonly("sub_indication", [](const libsign::SignatureReport& s) -> py::object {
        if (s.sub_indication == libsign::SubIndication::none) return py::none();
        return py::str(libsign::to_string(s.sub_indication));
      })
      .def_readonly("signer", &libsign::SignatureReport::signer)
      .def_readonly("chain", &libsign::SignatureReport::chain)
      .def_readonly("signing_time", &libsign::SignatureReport::signing_time)
      .def_readonly("timestamp", &libsign::SignatureReport::timestamp)
      .def_readonly("archive_timestamps", &libsign::SignatureReport::archive_timestamps)
      .def_readonly("subfilter", &libsign::SignatureReport::subfilter)
      .def_readonly("digest_algorithm", &libsign::SignatureReport::digest_algorithm)
      .def_readonly("signature_algorithm", &libsign::SignatureReport::signature_algorithm)
      .def_readonly("byte_range", &libsign::SignatureReport::byte_range)
      .def_readonly("revision", &libsign::SignatureReport::revision)
      .def_property_readonly("coverage", [](const libsign::SignatureReport& s) { return libsign::to_string(s.coverage); })
      .def_property_readonly("modification_level",
                             [](const libsign::SignatureReport& s) { return libsign::to_string(s.modification_level); })
      .def_readonly("modifications", &libsign::SignatureReport::modifications)
      .def_readonly("docmdp_permission", &libsign::SignatureReport::docmdp_permission)
      .def_readonly("reason", &libsign::SignatureReport::reason)
      .def_readonly("location", &libsign::SignatureReport::location)
      .def_readonly("contact_info", &libsign::SignatureReport::contact_info)
      .def_readonly("name", &libsign::SignatureReport::name)
      .def_readonly("revocation", &libsign::SignatureReport::revocation)
      .def_readonly("manifest_references", &libsign::SignatureReport::manifest_references)
      .def_readonly("cross_check", &libsign::SignatureReport::cross_check)
      .def_readonly("checks", &libsign::SignatureReport::checks)
      .def_readonly("findings", &libsign::SignatureReport::findings)
      .def("has_finding", &libsign::SignatureReport::has_finding, py::arg("code"),
           "True when this signature has a finding with this code.")
      .def_property_readonly("finding_codes", [](const libsign::SignatureReport& s) {
        std::vector<std::string> codes;
        for (const auto& f : s.findings) codes.push_back(f.code);
        return codes;
      });

  py::class_<libsign::DocumentReport>(m, "DocumentReport")
      .def_readonly("path", &libsign::DocumentReport::path)
      .def_readonly("format", &libsign::DocumentReport::format)
      .def_readonly("sha256", &libsign::DocumentReport::sha256)
      .def_readonly("size", &libsign::DocumentReport::size)
      .def_readonly("revisions", &libsign::DocumentReport::revisions)
      .def_property_readonly("indication", [](const libsign::DocumentReport& d) { return libsign::to_string(d.indication); })
      .def_property_readonly("sub_indication", [](const libsign::DocumentReport& d) -> py::object {
        if (d.sub_indication == libsign::SubIndication::none) return py::none();
        return py::str(libsign::to_string(d.sub_indication));
      })
      .def_readonly("validation_time", &libsign::DocumentReport::validation_time)
      .def_readonly("trust_profile", &libsign::DocumentReport::trust_profile)
      .def_readonly("signatures", &libsign::DocumentReport::signatures)
      .def_readonly("findings", &libsign::DocumentReport::findings)
      .def_property_readonly("inner", [](const libsign::DocumentReport& d) -> py::object {
        if (!d.inner) return py::none();
        return py::cast(*d.inner);  // a copy: the nested report of a .p7m's enclosed PDF/XML
      })
      .def_property_readonly("recovered", [](const libsign::DocumentReport& d) -> py::object {
        if (!d.recovered) return py::none();
        return py::cast(*d.recovered);  // a copy: the original rebuilt from damaged bytes (docs/damage.md)
      })
      .def_readonly("recovery_method", &libsign::DocumentReport::recovery_method)
      .def_property_readonly("worst_indication", [](const libsign::DocumentReport& d) { return libsign::to_string(d.worst_indication()); })
      .def("has_finding", &libsign::DocumentReport::has_finding, py::arg("code"),
           "True when the document or any of its signatures (not the inner layer) has a finding with this code.")
      .def("to_json", &libsign::DocumentReport::to_json, py::arg("indent") = 2,
           "The libsign-report/1 JSON (docs/report-schema.md); indent: spaces per level.")
      .def("to_text", &libsign::DocumentReport::to_text, py::arg("lang") = "en",
           "The report as a clerk reads it; lang: 'en' or 'vi'.");

  py::class_<libsign::Verifier>(m, "Verifier", R"(A reusable verifier: the trust store is parsed once and the revocation cache is
shared by every call (and by threads: the GIL is released while verifying). Build it with
libsign.make_verifier(); the arguments are those of make_verifier with lists for paths.)")
      .def(py::init([](const std::string& trust_profile, const std::vector<std::string>& profile_dirs,
                       const std::vector<std::string>& trust, const std::string& at, const py::object& revocation,
                       bool verify_inner, bool cross_check) {
             libsign::VerifyOptions o;
             o.trust_profile = trust_profile;
             o.profile_dirs = profile_dirs;
             o.trust_paths = trust;
             if (!at.empty()) o.at = libsign::parse_time(at);
             o.revocation = revocation_options(revocation);
             o.verify_inner = verify_inner;
             o.cross_check = cross_check;
             return libsign::Verifier(o);
           }),
           py::arg("trust_profile") = "vn-all", py::arg("profile_dirs") = std::vector<std::string>{},
           py::arg("trust") = std::vector<std::string>{}, py::arg("at") = "", py::arg("revocation") = py::none(),
           py::arg("verify_inner") = true, py::arg("cross_check") = true,
           R"(trust_profile: vn-gov, vn-public, vn-all, none or a profile folder name; profile_dirs: folders of
profiles; trust: certificate files (self-signed ones are trust anchors); at: validation time (ISO 8601,
"" = now); revocation: dict (online=False, required=True, allow_hosts, allow_private, timeout, deadline,
cache_dir; docs/revocation.md); verify_inner: also verify the PDF/XML inside a .p7m; cross_check: re-check
every signature with Botan (docs/security.md).)")
      .def("verify_pdf", &verify_any, py::arg("source"), py::arg("label") = "",
           "Verify a PDF. source: a path or bytes; label: the report's path for bytes. Returns a DocumentReport.")
      .def("verify", &verify_detected, py::arg("source"), py::arg("label") = "",
           "Verify a PDF, XML e-form or CMS signature, the format detected from the content. source: a path or bytes; "
           "label: the report's path for bytes.")
      .def("verify_cms", &verify_cms_signature, py::arg("signature"), py::arg("content") = py::none(), py::arg("label") = "",
           "Verify a CMS/CAdES signature (path or bytes). content: what a detached signature signs (path, bytes or None); "
           "label: the report's path for bytes.")
      .def("verify_xml", &verify_xml_any, py::arg("source"), py::arg("options") = py::dict(), py::arg("label") = "",
           "Verify an XML e-form (path or bytes). options: dict with signature, target, canonical, canonical_limit, "
           "enveloped_only (see libsign.verify_xml); label: the report's path for bytes.")
      .def("stats", [](const libsign::Verifier& v) { return libsign::python::stats_dict(v.stats()); },
           "This verifier's counters since it was built: revocation_fetches, revocation_fetch_failures and "
           "revocation_cache_hits (each a dict ocsp/crl/ca_issuers), chain_cache_hits, chain_cache_misses.")
      .def("__repr__", [](const libsign::Verifier& v) { return libsign::python::verifier_repr(v.options()); });

  py::class_<libsign::Signer, std::shared_ptr<libsign::Signer>>(m, "Signer")
      .def_property_readonly("certificates", [](const libsign::Signer& s) {
        std::vector<py::bytes> out;
        for (const auto& c : s.certificates()) out.emplace_back(c);
        return out;
      })
      .def_property_readonly("key_type", &libsign::Signer::key_type);

  // Recovery of a file damaged in transit (docs/damage.md): the original only when its signatures verify.
  m.def("recover_bytes", [](const libsign::Verifier& v, const py::bytes& data, const std::string& label) {
    std::string_view view = data;
    libsign::RecoveredOriginal r;
    {
      py::gil_scoped_release release;
      r = libsign::recover(v, view, label);
    }
    return py::make_tuple(py::bytes(r.bytes), r.method, r.report);
  }, py::arg("verifier"), py::arg("data"), py::arg("label"), "Internal: see the libsign package.");
  m.def("recover_file", [](const libsign::Verifier& v, const std::string& input, const std::string& output, bool overwrite) {
    py::gil_scoped_release release;
    return libsign::recover_file(v, input, output, overwrite);
  }, py::arg("verifier"), py::arg("input"), py::arg("output"), py::arg("overwrite"), "Internal: see the libsign package.");

  m.def("load_pkcs12",
        [](const std::string& path, const std::optional<std::string>& password, const std::optional<std::string>& password_env,
           const std::optional<std::string>& password_file) {
          libsign::Secret secret = secret_from(password, password_env, password_file);
          return std::shared_ptr<libsign::Signer>(libsign::load_pkcs12_signer(path, secret));
        },
        py::arg("path"), py::kw_only(), py::arg("password") = py::none(), py::arg("password_env") = py::none(),
        py::arg("password_file") = py::none(),
        R"(A Signer from a PKCS#12 file (.p12/.pfx). path: the file; the password from one of password (a str),
password_env (the name of an environment variable holding it) or password_file (a file whose first
line is it); none for an unprotected file. UsageError KEY_PASSWORD_WRONG, FormatError KEY_FILE_INVALID.)");
  m.def("load_pem",
        [](const std::string& key, const std::string& cert, const std::vector<std::string>& chain,
           const std::optional<std::string>& password, const std::optional<std::string>& password_env,
           const std::optional<std::string>& password_file) {
          libsign::Secret secret = secret_from(password, password_env, password_file);
          return std::shared_ptr<libsign::Signer>(libsign::load_pem_signer(key, cert, chain, secret));
        },
        py::arg("key"), py::arg("cert"), py::arg("chain") = std::vector<std::string>{}, py::kw_only(),
        py::arg("password") = py::none(), py::arg("password_env") = py::none(), py::arg("password_file") = py::none(),
        R"(A Signer from PEM files. key: the private key (PEM or DER); cert: its certificate; chain: CA certificate
files to embed; password, password_env, password_file: as for load_pkcs12, for an encrypted key.)");
  m.def("sign_pdf_bytes", [](const py::bytes& data, const libsign::Signer& signer, const py::dict& options) {
    std::string_view view = data;
    libsign::SignOptions o = sign_options(options);
    std::string out;
    {
      py::gil_scoped_release release;
      out = libsign::sign_pdf(view, signer, o);
    }
    return py::bytes(out);
  }, py::arg("data"), py::arg("signer"), py::arg("options"), "Internal: see the libsign package.");
  m.def("sign_pdf_file", [](const std::string& input, const std::string& output, const libsign::Signer& signer,
                            const py::dict& options, bool overwrite) {
    libsign::SignOptions o = sign_options(options);
    py::gil_scoped_release release;
    libsign::sign_pdf_file(input, output, signer, o, overwrite);
  }, py::arg("input"), py::arg("output"), py::arg("signer"), py::arg("options"), py::arg("overwrite"), "Internal: see the libsign package.");

  m.def("sign_xml_bytes", [](const py::bytes& data, const libsign::Signer& signer, const py::dict& options) {
    std::string_view view = data;
    libsign::XmlSignOptions o = xml_sign_options(options);
    std::string out;
    {
      py::gil_scoped_release release;
      out = libsign::sign_xml(view, signer, o);
    }
    return py::bytes(out);
  }, py::arg("data"), py::arg("signer"), py::arg("options"), "Internal: see the libsign package.");
  m.def("sign_xml_file", [](const std::string& input, const std::string& output, const libsign::Signer& signer,
                            const py::dict& options, bool overwrite) {
    libsign::XmlSignOptions o = xml_sign_options(options);
    py::gil_scoped_release release;
    libsign::sign_xml_file(input, output, signer, o, overwrite);
  }, py::arg("input"), py::arg("output"), py::arg("signer"), py::arg("options"), py::arg("overwrite"), "Internal: see the libsign package.");
  m.def("prepare_external_xml_bytes", [](const py::bytes& data, const std::vector<py::bytes>& certificates, const py::dict& o) {
    std::vector<std::string> ders(certificates.begin(), certificates.end());
    libsign::XmlSignOptions options = xml_sign_options(o);
    std::string_view view = data;
    libsign::ExternalRequest request;
    {
      py::gil_scoped_release release;
      request = libsign::prepare_external_xml(view, ders, options);
    }
    return request_dict(request);
  }, py::arg("data"), py::arg("certificates"), py::arg("options"), "Internal: see the libsign package.");
  m.def("finish_external_xml_bytes", [](const py::bytes& data, const std::string& state, const py::bytes& signature,
                                        const py::dict& o, double max_age_seconds) {
    libsign::XmlSignOptions parsed = xml_sign_options(o);
    std::string_view view = data;
    std::string sig = signature;
    std::string out;
    {
      py::gil_scoped_release release;
      out = libsign::finish_external_xml(view, state, sig, parsed.tsa,
                                         std::chrono::seconds(static_cast<long long>(max_age_seconds)));
    }
    return py::bytes(out);
  }, py::arg("data"), py::arg("state"), py::arg("signature"), py::arg("options"), py::arg("max_age"), "Internal: see the libsign package.");
  m.def("xml_subject_name", [](const py::bytes& der) { return libsign::xml_subject_name(std::string(der)); }, py::arg("der"),
        "The RFC 2253 subject name of a DER certificate, as XML-DSig writes it.");
  m.def("sign_cms_bytes", [](const py::bytes& data, const libsign::Signer& signer, const py::dict& options) {
    std::string_view view = data;
    libsign::CmsSignOptions o = cms_sign_options(options);
    std::string out;
    {
      py::gil_scoped_release release;
      out = libsign::sign_cms(view, signer, o);
    }
    return py::bytes(out);
  }, py::arg("data"), py::arg("signer"), py::arg("options"), "Internal: see the libsign package.");
  m.def("sign_cms_file", [](const std::string& input, const std::string& output, const libsign::Signer& signer,
                            const py::dict& options, bool overwrite) {
    libsign::CmsSignOptions o = cms_sign_options(options);
    py::gil_scoped_release release;
    libsign::sign_cms_file(input, output, signer, o, overwrite);
  }, py::arg("input"), py::arg("output"), py::arg("signer"), py::arg("options"), py::arg("overwrite"), "Internal: see the libsign package.");
  m.def("extract_cms_content", [](const py::bytes& data) { return py::bytes(libsign::extract_cms_content(std::string_view(data))); },
        py::arg("data"), "Internal: see libsign.extract_cms_content.");
  m.def("detect_format", [](const py::bytes& data) { return libsign::detect_format(std::string_view(data)); },
        py::arg("data"), "Internal: see libsign.detect_format.");

  auto extend_bytes = [](auto extend) {
    return [extend](const py::bytes& data, const py::dict& o) {
      std::string_view view = data;
      libsign::ExtendOptions options;
      libsign::SignOptions parsed = sign_options(o);
      options.to = parsed.level == libsign::PadesLevel::b_lta ? libsign::PadesLevel::b_lta : libsign::PadesLevel::b_lt;
      options.tsa = parsed.tsa;
      options.validation = parsed.validation;
      std::string out;
      {
        py::gil_scoped_release release;
        out = extend(view, options);
      }
      return py::bytes(out);
    };
  };
  m.def("extend_pdf_bytes", extend_bytes([](std::string_view v, const libsign::ExtendOptions& o) { return libsign::extend_pdf(v, o); }),
        py::arg("data"), py::arg("options"), "Internal: see libsign.extend_pdf.");
  m.def("extend_xml_bytes", extend_bytes([](std::string_view v, const libsign::ExtendOptions& o) { return libsign::extend_xml(v, o); }),
        py::arg("data"), py::arg("options"), "Internal: see libsign.extend_xml.");

  m.def("extend_cms_bytes", [](const py::bytes& signature, std::optional<py::bytes> content, const py::dict& o) {
    std::string_view view = signature;
    std::optional<std::string> data;
    if (content) data = std::string(*content);
    libsign::ExtendOptions options;
    libsign::SignOptions parsed = sign_options(o);
    options.to = parsed.level == libsign::PadesLevel::b_lta ? libsign::PadesLevel::b_lta : libsign::PadesLevel::b_lt;
    options.tsa = parsed.tsa;
    options.validation = parsed.validation;
    std::string out;
    {
      py::gil_scoped_release release;
      out = libsign::extend_cms(view, data ? std::optional<std::string_view>(*data) : std::nullopt, options);
    }
    return py::bytes(out);
  }, py::arg("signature"), py::arg("content"), py::arg("options"), "Internal: see the libsign package.");

  m.def("prepare_external_bytes", [](const py::bytes& data, const std::vector<py::bytes>& certificates, const py::dict& o) {
    std::vector<std::string> ders(certificates.begin(), certificates.end());
    libsign::SignOptions options = sign_options(o);
    std::string_view view = data;
    libsign::ExternalRequest request;
    {
      py::gil_scoped_release release;
      request = libsign::prepare_external_signature(view, ders, options);
    }
    return request_dict(request);
  }, py::arg("data"), py::arg("certificates"), py::arg("options"), "Internal: see the libsign package.");
  m.def("prepare_external_cms_bytes", [](const py::bytes& data, const std::vector<py::bytes>& certificates, const py::dict& o) {
    std::vector<std::string> ders(certificates.begin(), certificates.end());
    libsign::CmsSignOptions options = cms_sign_options(o);
    std::string_view view = data;
    libsign::ExternalRequest request;
    {
      py::gil_scoped_release release;
      request = libsign::prepare_external_cms(view, ders, options);
    }
    return request_dict(request);
  }, py::arg("data"), py::arg("certificates"), py::arg("options"), "Internal: see the libsign package.");
  m.def("finish_external_cms_bytes", [](const py::bytes& data, const std::string& state, const py::bytes& signature,
                                        const py::dict& o, double max_age_seconds) {
    libsign::CmsSignOptions parsed = cms_sign_options(o);
    std::string_view view = data;
    std::string sig = signature;
    std::string out;
    {
      py::gil_scoped_release release;
      out = libsign::finish_external_cms(view, state, sig, parsed.tsa, std::chrono::seconds(static_cast<long long>(max_age_seconds)));
    }
    return py::bytes(out);
  }, py::arg("data"), py::arg("state"), py::arg("signature"), py::arg("options"), py::arg("max_age"), "Internal: see the libsign package.");
  m.def("finish_external_bytes", [](const py::bytes& data, const std::string& state, const py::bytes& signature,
                                    const py::dict& o, double max_age_seconds) {
    libsign::SignOptions parsed = sign_options(o);
    std::string_view view = data;
    std::string sig = signature;
    std::string out;
    {
      py::gil_scoped_release release;
      out = libsign::finish_external_signature(view, state, sig, parsed.tsa,
                                               std::chrono::seconds(static_cast<long long>(max_age_seconds)));
    }
    return py::bytes(out);
  }, py::arg("data"), py::arg("state"), py::arg("signature"), py::arg("options"), py::arg("max_age"), "Internal: see the libsign package.");

  m.def("load_pkcs11",
        [](const std::string& module, const std::string& token_label, const std::string& token_serial,
           const std::string& key_label, const std::string& key_id, const std::string& uri,
           const std::vector<std::string>& chain, const std::optional<std::string>& pin,
           const std::optional<std::string>& pin_env, const std::optional<std::string>& pin_file, bool pin_pad) {
          libsign::Pkcs11Options o;
          o.module_path = module;
          o.token_label = token_label;
          o.token_serial = token_serial;
          o.key_label = key_label;
          o.key_id_hex = key_id;
          o.uri = uri;
          o.chain_paths = chain;
          o.protected_authentication_path = pin_pad;
          libsign::Secret secret = secret_from(pin, pin_env, pin_file);
          py::gil_scoped_release release;  // a token may take a while (or wait for a PIN pad)
          return std::shared_ptr<libsign::Signer>(libsign::load_pkcs11_signer(o, secret));
        },
        py::arg("module") = "", py::kw_only(), py::arg("token_label") = "", py::arg("token_serial") = "",
        py::arg("key_label") = "", py::arg("key_id") = "", py::arg("uri") = "", py::arg("chain") = std::vector<std::string>{},
        py::arg("pin") = py::none(), py::arg("pin_env") = py::none(), py::arg("pin_file") = py::none(), py::arg("pin_pad") = false,
        R"(A Signer on a PKCS#11 token (USB token, HSM, SoftHSM; docs/pkcs11.md). module: the PKCS#11 library;
token_label, token_serial: which token; key_label, key_id (hex): which key; uri: a pkcs11: URI instead;
chain: CA certificate files to embed; pin, pin_env, pin_file: the user PIN as for load_pkcs12's password;
pin_pad: the token's own PIN pad asks for it. The GIL is released while the token works.)");
  m.def("list_tokens", [](const std::string& module) -> py::list {
    py::list out;
    for (const auto& t : libsign::list_tokens(module)) {
      py::dict d;
      d["slot"] = t.slot_id;
      d["label"] = t.label;
      d["serial"] = t.serial;
      d["manufacturer"] = t.manufacturer;
      d["model"] = t.model;
      d["pin_locked"] = t.pin_locked;
      d["pin_count_low"] = t.pin_count_low;
      py::list keys, certs;
      for (const auto& k : t.keys) keys.append(py::dict(py::arg("label") = k.label, py::arg("id") = k.id_hex, py::arg("type") = k.type,
                                                         py::arg("bits") = k.bits, py::arg("has_certificate") = k.has_certificate));
      for (const auto& c : t.certificates)
        certs.append(py::dict(py::arg("label") = c.label, py::arg("id") = c.id_hex, py::arg("subject") = c.subject_cn,
                              py::arg("issuer") = c.issuer_cn, py::arg("not_after") = c.not_after, py::arg("der") = py::bytes(c.der)));
      d["keys"] = keys;
      d["certificates"] = certs;
      out.append(d);
    }
    return out;
  }, py::arg("module"),
        "The tokens a PKCS#11 module sees, as dicts: slot, label, serial, manufacturer, model, pin_locked, pin_count_low, "
        "keys (label, id, type, bits, has_certificate) and certificates (label, id, subject, issuer, not_after, der). "
        "module: the PKCS#11 library path.");
  m.def("load_certificates_der", [](const std::string& path) {
    std::vector<py::bytes> out;
    for (const auto& der : libsign::load_certificates_der(path)) out.emplace_back(der);
    return out;
  }, py::arg("path"), "Internal: see the libsign package.");

  m.def("explain", [](const std::string& code) -> py::object {
    const libsign::CatalogEntry* e = libsign::find_catalog_entry(code);
    if (!e) return py::none();
    py::dict d;
    d["code"] = e->code;
    d["severity"] = libsign::to_string(e->severity);
    d["message_en"] = e->message_en;
    d["message_vi"] = e->message_vi;
    d["hint_en"] = e->hint_en;
    d["hint_vi"] = e->hint_vi;
    const libsign::CatalogCause* c = libsign::find_catalog_cause(code);
    d["cause_en"] = c ? c->cause_en : "";
    d["cause_vi"] = c ? c->cause_vi : "";
    return std::move(d);
  }, py::arg("code"),
        "The catalog entry of a finding or error code as a dict (code, severity, message_en, message_vi, hint_en, hint_vi, "
        "cause_en, cause_vi), or None for an unknown code.");
  m.def("finding_codes", [] {
    std::vector<std::string> codes;
    for (const auto& e : libsign::findings_catalog()) codes.push_back(e.code);
    return codes;
  }, "Every code of the findings catalog (docs/errors.md).");
  m.def("inspect_pdf", [](const py::bytes& data) { return libsign::inspect_pdf_json(std::string(data)); },
        py::arg("data"), "The structure of a PDF as JSON (libsign inspect).");
  bind_diagnose(m);
  libsign::python::document_classes(m);
}
