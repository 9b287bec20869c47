#include "cms/archive_timestamp.hpp"

#include <algorithm>

#include "cms/digests.hpp"
#include "core/der_reader.hpp"
#include "core/der_writer.hpp"

namespace libsign::cms {
namespace {

namespace der = core::der;

constexpr uint8_t kSequence = 0x30, kSet = 0x31, kOid = 0x06, kInteger = 0x02, kOctetString = 0x04;
constexpr uint8_t kContext0 = 0xa0, kContext1 = 0xa1;

// The children of a constructed element; nullopt when one of them is malformed.
std::optional<std::vector<core::DerElement>> children(std::string_view content) {
  std::vector<core::DerElement> out;
  core::DerReader reader(content);
  while (!reader.empty()) {
    auto e = reader.next();
    if (!e) return std::nullopt;
    out.push_back(*e);
  }
  return out;
}

std::optional<core::DerElement> single(std::string_view bytes) {
  core::DerReader reader(bytes);
  return reader.next();
}

std::vector<std::string_view> wholes(std::string_view content, bool& ok) {
  std::vector<std::string_view> out;
  auto items = children(content);
  if (!items) {
    ok = false;
    return out;
  }
  for (const auto& i : *items) out.push_back(i.whole);
  return out;
}

std::string hash(std::string_view bytes, const EVP_MD* md) { return digest_bytes(bytes, md); }

void append_unique(std::vector<std::string>& list, std::string item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += i;
  return out;
}

// The hash of each element of a hash index list, in the order the index lists them.
std::string octet_list(const std::vector<std::string>& hashes) {
  std::vector<std::string> items;
  for (const auto& h : hashes) items.push_back(der::octet_string(h));
  return der::sequence(items);
}

std::optional<std::vector<std::string>> read_octet_list(const core::DerElement& list) {
  if (list.tag != kSequence) return std::nullopt;
  auto items = children(list.content);
  if (!items) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& i : *items) {
    if (i.tag != kOctetString) return std::nullopt;
    out.emplace_back(i.content);
  }
  return out;
}

// Each entry of `wanted` must equal a distinct entry of `present`.
std::optional<size_t> first_unmatched(const std::vector<std::string>& wanted, std::vector<std::string> present) {
  for (size_t i = 0; i < wanted.size(); ++i) {
    auto it = std::find(present.begin(), present.end(), wanted[i]);
    if (it == present.end()) return i;
    present.erase(it);
  }
  return std::nullopt;
}

std::vector<std::string> attribute_hashes(const SignerParts& signer, const EVP_MD* md, bool v3) {
  std::vector<std::string> out;
  for (const auto& a : signer.unsigned_attributes) {
    if (!v3) {
      out.push_back(hash(a.whole, md));
      continue;
    }
    // v3: one entry per value, over attrType followed by that AttributeValue.
    for (const auto& v : a.values) out.push_back(hash(std::string(a.type) + std::string(v), md));
  }
  return out;
}

std::vector<std::string> element_hashes(const std::vector<std::string_view>& elements, const EVP_MD* md) {
  std::vector<std::string> out;
  for (const auto& e : elements) out.push_back(hash(e, md));
  return out;
}

}  // namespace

bool AttributeParts::is(const char* dotted_oid) const { return type == der::oid(dotted_oid); }

std::optional<SignedDataParts> read_signed_data_parts(std::string_view bytes) {
  auto info = single(bytes);
  if (!info || info->tag != kSequence) return std::nullopt;
  auto info_fields = children(info->content);
  if (!info_fields || info_fields->size() != 2 || (*info_fields)[0].tag != kOid || (*info_fields)[1].tag != kContext0)
    return std::nullopt;
  if ((*info_fields)[0].whole != der::oid("1.2.840.113549.1.7.2")) return std::nullopt;
  auto signed_data = single((*info_fields)[1].content);
  if (!signed_data || signed_data->tag != kSequence) return std::nullopt;
  auto fields = children(signed_data->content);
  if (!fields || fields->size() < 4) return std::nullopt;

  SignedDataParts parts;
  parts.content_info_type = (*info_fields)[0].whole;
  const auto& f = *fields;
  if (f[0].tag != kInteger || f[0].content.size() != 1 || f[1].tag != kSet || f[2].tag != kSequence) return std::nullopt;
  parts.version = static_cast<unsigned char>(f[0].content[0]);
  parts.digest_algorithms = f[1].whole;
  parts.encap_content_info = f[2].whole;
  auto encap = children(f[2].content);
  if (!encap || encap->empty() || (*encap)[0].tag != kOid) return std::nullopt;
  parts.content_type = (*encap)[0].whole;
  bool ok = true;
  size_t i = 3;
  if (i < f.size() && f[i].tag == kContext0) parts.certificates = wholes(f[i++].content, ok);
  if (i < f.size() && f[i].tag == kContext1) parts.crls = wholes(f[i++].content, ok);
  if (i + 1 != f.size() || f[i].tag != kSet) return std::nullopt;
  parts.signer_infos = wholes(f[i].content, ok);
  if (!ok || parts.signer_infos.empty()) return std::nullopt;
  return parts;
}

std::optional<SignerParts> read_signer_parts(std::string_view signer_info) {
  auto si = single(signer_info);
  if (!si || si->tag != kSequence) return std::nullopt;
  auto fields = children(si->content);
  if (!fields || fields->size() < 5) return std::nullopt;
  SignerParts parts;
  const core::DerElement& last = fields->back();
  bool has_unsigned = last.tag == kContext1;
  // The signed fields run from the SignerInfo's first field to the end of `signature`.
  const char* begin = fields->front().whole.data();
  const core::DerElement& signature = (*fields)[fields->size() - (has_unsigned ? 2 : 1)];
  if (signature.tag != kOctetString) return std::nullopt;
  parts.signed_fields = std::string_view(begin, static_cast<size_t>(signature.whole.data() + signature.whole.size() - begin));
  if (!has_unsigned) return parts;
  auto attrs = children(last.content);
  if (!attrs) return std::nullopt;
  for (const auto& a : *attrs) {
    auto pieces = children(a.content);
    if (a.tag != kSequence || !pieces || pieces->size() != 2 || (*pieces)[0].tag != kOid || (*pieces)[1].tag != kSet)
      return std::nullopt;
    AttributeParts attr{(*pieces)[0].whole, {}, a.whole};
    bool ok = true;
    attr.values = wholes((*pieces)[1].content, ok);
    if (!ok) return std::nullopt;
    parts.unsigned_attributes.push_back(std::move(attr));
  }
  return parts;
}

std::string attribute(const char* dotted_oid, std::string_view value_der) {
  return der::sequence({der::oid(dotted_oid), der::set({std::string(value_der)})});
}

std::string append_to_signed_data(const SignedDataParts& parts, const SignedDataAdditions& add) {
  std::vector<std::string> certificates(parts.certificates.begin(), parts.certificates.end());
  for (const auto& c : add.certificates) append_unique(certificates, c);
  std::vector<std::string> crls(parts.crls.begin(), parts.crls.end());
  for (const auto& c : add.crls) append_unique(crls, c);
  for (const auto& o : add.ocsp_responses) append_unique(crls, der::context(1, der::oid(kOidOcspResponseInfo) + o));
  bool other_format = std::any_of(crls.begin(), crls.end(), [](const std::string& c) { return static_cast<uint8_t>(c[0]) == kContext1; });
  int version = other_format ? std::max(parts.version, 5) : parts.version;

  std::string signer_infos;
  for (size_t i = 0; i < parts.signer_infos.size(); ++i) {
    std::string_view si = parts.signer_infos[i];
    if (static_cast<int>(i) != add.signer_index || !add.unsigned_attribute) {
      signer_infos += si;
      continue;
    }
    auto signer = read_signer_parts(si);
    if (!signer) return {};
    std::string attributes;
    for (const auto& a : signer->unsigned_attributes) attributes += a.whole;
    attributes += *add.unsigned_attribute;
    signer_infos += der::tlv(kSequence, std::string(signer->signed_fields) + der::context(1, attributes));
  }

  std::string body = der::integer(version);
  body += parts.digest_algorithms;
  body += parts.encap_content_info;
  if (!certificates.empty()) body += der::context(0, joined(certificates));
  if (!crls.empty()) body += der::context(1, joined(crls));
  body += der::tlv(kSet, signer_infos);
  return der::tlv(kSequence, std::string(parts.content_info_type) + der::context(0, der::tlv(kSequence, body)));
}

std::string make_ats_hash_index_v3(const SignedDataParts& parts, const SignerParts& signer, const EVP_MD* md) {
  std::vector<std::string> items;
  if (EVP_MD_get_type(md) != NID_sha256) {
    char dotted[80];
    OBJ_obj2txt(dotted, sizeof dotted, OBJ_nid2obj(EVP_MD_get_type(md)), 1);
    items.push_back(der::algorithm(dotted, false));
  }
  items.push_back(octet_list(element_hashes(parts.certificates, md)));
  items.push_back(octet_list(element_hashes(parts.crls, md)));
  items.push_back(octet_list(attribute_hashes(signer, md, true)));
  return der::sequence(items);
}

std::optional<AtsHashIndex> parse_ats_hash_index(std::string_view value_der, bool v3) {
  auto top = single(value_der);
  if (!top || top->tag != kSequence) return std::nullopt;
  auto fields = children(top->content);
  if (!fields || (fields->size() != 3 && fields->size() != 4)) return std::nullopt;
  AtsHashIndex index;
  index.v3 = v3;
  index.der = top->whole;
  index.md = digest_by_name("sha256");
  size_t i = 0;
  if (fields->size() == 4) {
    auto alg = children((*fields)[0].content);
    if ((*fields)[0].tag != kSequence || !alg || alg->empty() || (*alg)[0].tag != kOid) return std::nullopt;
    const unsigned char* p = reinterpret_cast<const unsigned char*>((*alg)[0].whole.data());
    ASN1_OBJECT* obj = d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>((*alg)[0].whole.size()));
    index.md = obj ? digest_by_object(obj) : nullptr;
    ASN1_OBJECT_free(obj);
    i = 1;
  }
  auto certs = read_octet_list((*fields)[i]);
  auto crls = read_octet_list((*fields)[i + 1]);
  auto attrs = read_octet_list((*fields)[i + 2]);
  if (!certs || !crls || !attrs) return std::nullopt;
  index.certificates = std::move(*certs);
  index.crls = std::move(*crls);
  index.unsigned_attributes = std::move(*attrs);
  return index;
}

std::optional<AtsHashIndex> ats_hash_index_of(std::string_view token_der) {
  auto parts = read_signed_data_parts(token_der);
  if (!parts) return std::nullopt;
  auto signer = read_signer_parts(parts->signer_infos.front());
  if (!signer) return std::nullopt;
  for (bool v3 : {true, false}) {
    for (const auto& a : signer->unsigned_attributes) {
      if (a.is(v3 ? kOidAtsHashIndexV3 : kOidAtsHashIndex) && a.values.size() == 1) return parse_ats_hash_index(a.values[0], v3);
    }
  }
  return std::nullopt;
}

std::optional<std::string> unmatched_index_entry(const AtsHashIndex& index, const SignedDataParts& parts,
                                                 const SignerParts& signer) {
  if (auto i = first_unmatched(index.certificates, element_hashes(parts.certificates, index.md)))
    return "certificate " + std::to_string(*i);
  if (auto i = first_unmatched(index.crls, element_hashes(parts.crls, index.md))) return "crl " + std::to_string(*i);
  if (auto i = first_unmatched(index.unsigned_attributes, attribute_hashes(signer, index.md, index.v3)))
    return "unsigned attribute " + std::to_string(*i);
  return std::nullopt;
}

std::string ats_v3_imprint_input(const SignedDataParts& parts, const SignerParts& signer, std::string_view content_digest,
                                 std::string_view hash_index_der) {
  std::string out(parts.content_type);
  out += content_digest;
  out += signer.signed_fields;
  out += hash_index_der;
  return out;
}

}  // namespace libsign::cms
