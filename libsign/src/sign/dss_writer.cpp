// The DSS writer: reads what the last revision's /DSS already holds (whatever its shape), adds what is
// missing as new streams, and rewrites only the containers that change — an indirect array, /VRI or
// /DSS in place, a direct one inside its holder. The change analysis (pdf/changes.cpp) classifies every
// object written here as an LTV update, so earlier signatures keep their modification level.
#include "sign/dss_writer.hpp"

#include "sign/pdf_form.hpp"


#include <algorithm>
#include <ctime>
#include <map>
#include <new>
#include <optional>
#include <set>

#include <openssl/evp.h>

#include "core/mapped_file.hpp"
#include "libsign/error.hpp"
#include "pdf/writer.hpp"
#include "sign/atomic_output.hpp"

namespace libsign::sign {
namespace {

using pdf::ObjPtr;
using pdf::Ref;

constexpr int kKinds = 3;
const char* const kArrayKey[kKinds] = {"Certs", "OCSPs", "CRLs"};  // in the DSS
const char* const kVriKey[kKinds] = {"Cert", "OCSP", "CRL"};       // in a VRI entry

const std::vector<std::string>& items_of(const ValidationData& data, int kind) {
  return kind == 0 ? data.certificates : kind == 1 ? data.ocsp_responses : data.crls;
}

// Length of the outer DER TLV at the start of `der` (definite length only); nullopt when there is none.
std::optional<size_t> tlv_length(std::string_view der) {
  if (der.size() < 2) return std::nullopt;
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(der[i]); };
  if ((byte(0) & 0x1f) == 0x1f) return std::nullopt;  // high tag numbers: not a ContentInfo
  size_t header = 2, length = byte(1);
  if (length == 0x80) return std::nullopt;  // indefinite (BER)
  if (length > 0x80) {
    size_t count = length & 0x7f;
    if (count > sizeof(size_t) || der.size() < 2 + count) return std::nullopt;
    length = 0;
    for (size_t i = 0; i < count; ++i) length = (length << 8) | byte(2 + i);
    header += count;
  }
  if (length > der.size() - header) return std::nullopt;
  return header + length;
}

std::string join(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? " " : "") + items[i];
  return out + "]";
}

// One of /Certs /OCSPs /CRLs.
struct StreamArray {
  bool present = false;            // the DSS had the key
  std::optional<Ref> own;          // the array is an indirect object (rewritten in place)
  std::vector<std::string> items;  // PDF syntax; existing items exactly as they were
  bool changed = false;
};

struct VriItem {
  std::string key;
  ObjPtr raw;        // as found (nullptr for a new entry)
  std::string text;  // PDF syntax of the value in the /VRI dictionary
};

class DssMerge {
 public:
  DssMerge(const pdf::Document& doc, pdf::IncrementalUpdate& update, long long now)
      : doc_(doc), last_(doc.last_revision()), update_(update), now_(now) {}

  void load(const ObjPtr& dss) {
    if (!dss) return;
    for (int k = 0; k < kKinds; ++k) load_array(dss->get(kArrayKey[k]), k);
    ObjPtr raw = dss->get("VRI");
    if (!raw) return;
    vri_present_ = true;
    ObjPtr vri = doc_.resolve(raw, last_);
    if (!vri || !vri->is_dict()) {
      vri_present_ = false;  // unusable: replaced by a direct dictionary
      return;
    }
    if (raw->is_ref()) vri_own_ = raw->as_ref();
    for (const auto& e : vri->entries()) vri_.push_back(VriItem{e.key, e.value, pdf::serialize(*e.value)});
  }

  void add_all(const ValidationData& data) {
    for (int k = 0; k < kKinds; ++k)
      for (const auto& der : items_of(data, k))
        if (!der.empty()) stream_for(k, der);
  }

  // The data of one signature (entries for the same key merged by the caller).
  void add_vri(const std::string& key, const ValidationData& data) {
    VriItem* item = nullptr;
    for (auto& v : vri_)
      if (v.key == key) item = &v;
    ObjPtr old = item ? doc_.resolve(item->raw, last_) : nullptr;
    if (old && !old->is_dict()) old = nullptr;

    bool changed = !old;  // a new entry is always written
    std::string body = "<<";
    if (old)
      for (const auto& e : old->entries())
        if (e.key != "Cert" && e.key != "OCSP" && e.key != "CRL" && e.key != "TU")
          body += "/" + e.key + " " + pdf::serialize(*e.value) + "\n";
    for (int k = 0; k < kKinds; ++k) {
      std::vector<std::string> list;
      std::set<Ref> listed;
      ObjPtr existing = old ? doc_.get(old, kVriKey[k], last_) : nullptr;
      if (existing && existing->is_array())
        for (const auto& x : existing->items()) {
          list.push_back(pdf::serialize(*x));
          if (x->is_ref()) listed.insert(x->as_ref());
        }
      for (const auto& der : items_of(data, k)) {
        if (der.empty()) continue;
        Ref ref = stream_for(k, der);
        if (listed.insert(ref).second) {
          list.push_back(pdf::to_string(ref));
          changed = true;
        }
      }
      if (!list.empty()) body += "/" + std::string(kVriKey[k]) + " " + join(list) + "\n";
    }
    if (!changed) return;
    body += "/TU " + pdf::literal_string(pdf_date(now_)) + ">>";

    if (!item) {
      vri_.push_back(VriItem{key, nullptr, ""});
      item = &vri_.back();
    }
    if (old && item->raw->is_ref()) {
      update_.put(item->raw->as_ref(), body);  // an indirect entry is rewritten in place
    } else {
      item->text = body;
      vri_changed_ = true;
    }
    changed_ = true;
  }

  bool changed() const { return changed_; }

  // Writes the rewritten arrays and /VRI (when indirect) and returns the DSS dictionary's new body.
  std::string dss_body(const ObjPtr& old_dss) {
    std::string body = "<<";
    if (old_dss) {
      for (const auto& e : old_dss->entries()) {
        bool ours = e.key == "VRI";
        for (int k = 0; k < kKinds; ++k) ours = ours || e.key == kArrayKey[k];
        if (!ours) body += "/" + e.key + " " + pdf::serialize(*e.value) + "\n";
      }
    } else {
      body += "/Type /DSS\n";
    }
    for (int k = 0; k < kKinds; ++k) {
      StreamArray& a = arrays_[k];
      if (!a.present && a.items.empty()) continue;
      if (a.own) {
        if (a.changed) update_.put(*a.own, join(a.items));
        body += "/" + std::string(kArrayKey[k]) + " " + pdf::to_string(*a.own) + "\n";
      } else {
        body += "/" + std::string(kArrayKey[k]) + " " + join(a.items) + "\n";
      }
    }
    if (vri_present_ || !vri_.empty()) {
      std::string vri = "<<";
      for (const auto& v : vri_) vri += "/" + v.key + " " + v.text + "\n";
      vri += ">>";
      if (vri_own_) {
        if (vri_changed_) update_.put(*vri_own_, vri);
        body += "/VRI " + pdf::to_string(*vri_own_) + "\n";
      } else {
        body += "/VRI " + vri + "\n";
      }
    }
    return body + ">>";
  }

 private:
  void load_array(const ObjPtr& raw, int kind) {
    if (!raw) return;
    StreamArray& a = arrays_[kind];
    a.present = true;
    ObjPtr array = doc_.resolve(raw, last_);
    std::vector<ObjPtr> items;
    if (array && array->is_array()) {
      if (raw->is_ref()) a.own = raw->as_ref();
      items = array->items();
    } else if (raw->is_ref() && array && array->is_stream()) {
      items.push_back(raw);  // a lone stream where an array belongs: kept, inside a new direct array
      a.changed = true;
    }
    for (const auto& item : items) {
      a.items.push_back(pdf::serialize(*item));
      if (!item->is_ref()) continue;
      try {
        ObjPtr stream = doc_.resolve(item, last_);
        if (stream && stream->is_stream()) by_content_[kind].emplace(doc_.stream_data(*stream, last_), item->as_ref());
      } catch (const Error&) {
        // Undecodable (unsupported filter, damaged): kept as it is, just not used for deduplication.
      }
    }
  }

  // The stream holding `der` in array `kind`: an existing one with the same content, or a new one.
  Ref stream_for(int kind, const std::string& der) {
    auto it = by_content_[kind].find(der);
    if (it != by_content_[kind].end()) return it->second;
    Ref ref = update_.allocate();
    update_.put_stream(ref, "/Filter /FlateDecode", deflate(std::string(der)));
    by_content_[kind].emplace(der, ref);
    arrays_[kind].items.push_back(pdf::to_string(ref));
    arrays_[kind].changed = true;
    changed_ = true;
    return ref;
  }

  const pdf::Document& doc_;
  size_t last_;
  pdf::IncrementalUpdate& update_;
  long long now_;
  StreamArray arrays_[kKinds];
  std::map<std::string, Ref> by_content_[kKinds];
  bool vri_present_ = false, vri_changed_ = false;
  std::optional<Ref> vri_own_;
  std::vector<VriItem> vri_;
  bool changed_ = false;
};


}  // namespace

std::string vri_key(std::string_view contents) {
  std::string_view der = contents.substr(0, tlv_length(contents).value_or(contents.size()));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(der.data(), der.size(), digest, &length, EVP_sha1(), nullptr);
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 15]);
  }
  return out;
}

std::string dss_update(const pdf::Document& doc, size_t base_offset, const ValidationData& all,
                       const std::vector<VriEntry>& vri, long long now_unix) {
  const size_t last = doc.last_revision();
  ObjPtr root = doc.trailer(last)->get("Root");
  if (!root || !root->is_ref()) throw Error(ErrorCategory::format, "PDF_MALFORMED", "the trailer has no indirect /Root");
  ObjPtr catalog = doc.catalog(last);

  ObjPtr dss_raw = catalog->get("DSS");
  ObjPtr dss = doc.resolve(dss_raw, last);
  if (dss && !dss->is_dict()) dss = nullptr;  // not a dictionary: replaced by a new DSS

  pdf::IncrementalUpdate update(doc);
  DssMerge merge(doc, update, now_unix);
  merge.load(dss);
  merge.add_all(all);
  // Several entries for one signature count as one.
  std::vector<std::pair<std::string, ValidationData>> by_key;
  for (const auto& entry : vri) {
    std::string key = vri_key(entry.contents_der);
    auto it = std::find_if(by_key.begin(), by_key.end(), [&](const auto& p) { return p.first == key; });
    if (it == by_key.end()) it = by_key.insert(by_key.end(), {key, ValidationData{}});
    for (int k = 0; k < kKinds; ++k) {
      const auto& from = items_of(entry.data, k);
      auto& to = k == 0 ? it->second.certificates : k == 1 ? it->second.ocsp_responses : it->second.crls;
      to.insert(to.end(), from.begin(), from.end());
    }
  }
  for (const auto& [key, data] : by_key) merge.add_vri(key, data);
  if (!merge.changed()) return {};

  std::string body = merge.dss_body(dss);
  if (dss && dss_raw->is_ref()) {
    update.put(dss_raw->as_ref(), body);  // the catalog stays as it is
  } else if (dss) {
    update.put(root->as_ref(), with_entry(*catalog, "DSS", body));
  } else {
    Ref dss_ref = update.allocate();
    update.put(dss_ref, body);
    update.put(root->as_ref(), with_entry(*catalog, "DSS", pdf::to_string(dss_ref)));
  }
  return update.render(base_offset);
}

std::string add_dss(std::string_view pdf, const ValidationData& all, const std::vector<VriEntry>& vri, long long now_unix) {
  pdf::Document doc = pdf::Document::open(pdf);
  const std::string separator = pdf::needs_separator(pdf) ? "\n" : "";
  std::string update = dss_update(doc, pdf.size() + separator.size(), all, vri, now_unix);
  std::string out(pdf);
  if (update.empty()) return out;
  out.reserve(pdf.size() + separator.size() + update.size());
  out += separator;
  out += update;
  return out;
}

void add_dss_file(const std::string& input, const std::string& output, const ValidationData& all,
                  const std::vector<VriEntry>& vri, long long now_unix, bool allow_overwrite) {
  if (input == output && !allow_overwrite)
    throw Error(ErrorCategory::usage, "OUTPUT_IS_INPUT", "the output would replace the input; choose another output file");
  core::MappedFile file(input);
  pdf::Document doc = pdf::Document::open(file.bytes());
  const std::string separator = pdf::needs_separator(file.bytes()) ? "\n" : "";
  std::string update = dss_update(doc, file.bytes().size() + separator.size(), all, vri, now_unix);
  AtomicOutput out(output);
  out.copy_from(file.fd(), file.bytes().size());
  if (!update.empty()) {
    out.write(separator);
    out.write(update);
  }
  out.commit();
}

}  // namespace libsign::sign
