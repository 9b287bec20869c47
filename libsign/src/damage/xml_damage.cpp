// XML e-form damage, proven by repair: each known damage is undone on a copy of the parsed document and
// the references whose digest failed are processed again; only a repair that makes them all hold is
// reported. The repaired document, serialised, is the candidate original (its SignedInfo and signature
// value are judged by the recovery step, which verifies the candidate as a whole).
#include "damage/xml_damage.hpp"

#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "appearance/latin_compose.hpp"
#include "appearance/utf8.hpp"
#include "cms/digests.hpp"
#include "core/encoding.hpp"
#include "pki/certificate.hpp"
#include "libsign/error.hpp"
#include "xml/dsig.hpp"
#include "xml/xml_doc.hpp"

namespace libsign::damage {
namespace {

using Evidence = std::map<std::string, std::string>;

constexpr size_t kExcerptBytes = 40;
constexpr size_t kMaxPrefixCandidates = 8;
// Each repair costs one copy of the document and one canonicalisation per failing part: bound both.
constexpr size_t kMaxFailingParts = 4;
constexpr size_t kMaxRepairBytes = 16u << 20;

// Code points of bytes 0x80..0x9F (0 = byte not defined), then 0xA0..0xFF where they differ from Latin-1.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};
constexpr char16_t kCp1258High[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0, 0x2039, 0x0152, 0, 0, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0, 0x203A, 0x0153, 0, 0, 0x0178};
// Windows-1258 bytes 0xA0..0xFF that are not their Latin-1 character.
constexpr std::pair<unsigned char, char16_t> kCp1258Vietnamese[] = {
    {0xC3, 0x0102}, {0xCC, 0x0300}, {0xD0, 0x0110}, {0xD2, 0x0309}, {0xD5, 0x01A0}, {0xDD, 0x01AF}, {0xDE, 0x0303},
    {0xE3, 0x0103}, {0xEC, 0x0301}, {0xF0, 0x0111}, {0xF2, 0x0323}, {0xF5, 0x01A1}, {0xFD, 0x01B0}, {0xFE, 0x20AB}};

std::string utf8_of(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

std::string utf8_of(const std::u32string& text) {
  std::string out;
  for (char32_t c : text) out += utf8_of(c);
  return out;
}

// The character a code page gives byte b (0 when undefined). Undefined 0x80..0x9F bytes are read as C1
// controls by the decoders that make mojibake (.NET, Latin-1), so they map to themselves.
char32_t codepage_char(unsigned char b, bool cp1258) {
  if (b < 0x80) return b;
  if (b < 0xA0) {
    char16_t c = (cp1258 ? kCp1258High : kCp1252High)[b - 0x80];
    return c ? c : b;
  }
  if (cp1258)
    for (const auto& [byte, c] : kCp1258Vietnamese)
      if (byte == b) return c;
  return b;
}

// Strict UTF-8 check (no overlongs, no surrogates); counts multi-byte sequences.
bool valid_utf8(std::string_view s, size_t* multibyte) {
  size_t i = 0, count = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    if (len == 2 && c < 0xC2) return false;
    if (len == 3) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) return false;
    }
    if (len == 4) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90)) return false;
    }
    if (len > 1) ++count;
    i += len;
  }
  if (multibyte) *multibyte = count;
  return true;
}

// ---- the document, references, repairs ----

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

struct RefId {
  size_t signature = 0, reference = 0;
};

std::vector<xmlNode*> signatures_of(xmlDoc* doc) { return xml::find_all(doc, xml::kDsigNs, "Signature"); }

std::optional<xml::ReferenceResult> process(xmlDoc* doc, RefId id) {
  std::vector<xmlNode*> sigs = signatures_of(doc);
  if (id.signature >= sigs.size()) return std::nullopt;
  xmlNode* signed_info = xml::first_child(sigs[id.signature], xml::kDsigNs, "SignedInfo");
  if (!signed_info) return std::nullopt;
  std::vector<xmlNode*> refs = xml::children(signed_info, xml::kDsigNs, "Reference");
  if (id.reference >= refs.size()) return std::nullopt;
  xml::ProcessOptions po;
  po.enveloped_only = true;  // forensics never run XPath transforms: bounded cost on hostile input
  return xml::process_reference(doc, sigs[id.signature], refs[id.reference], po);
}

// Whether the signature value of signature `index` verifies over its canonical SignedInfo with a
// certificate of its own KeyInfo (crypto only: trust is the verifier's job). nullopt: not checkable.
std::optional<bool> signed_info_holds(xmlDoc* doc, size_t index, std::string* canonical) {
  std::vector<xmlNode*> sigs = signatures_of(doc);
  if (index >= sigs.size()) return std::nullopt;
  xml::ParsedSignature ps = xml::parse_signature(sigs[index]);
  if (!ps.malformed.empty() || !ps.c14n || !ps.algorithm || ps.certificates.empty()) return std::nullopt;
  const EVP_MD* md = cms::digest_by_name(ps.algorithm->digest);
  if (!md) return std::nullopt;
  std::string value = ps.signature_value;
  if (ps.algorithm->key == "ec") value = xml::ecdsa_raw_to_der(value).value_or(std::string());
  std::string c = xml::canonical_signed_info(doc, ps);
  bool ok = false;
  for (const auto& cert : ps.certificates) {
    EVP_PKEY* key = cert ? X509_get0_pubkey(cert.get()) : nullptr;
    if (!key) continue;  // a key OpenSSL cannot decode verifies nothing
    int id = EVP_PKEY_get_base_id(key);
    if ((ps.algorithm->key == "rsa") != (id == EVP_PKEY_RSA)) continue;
    if (pki::verifies_with(cert.get(), c, value, md)) ok = true;
  }
  if (canonical) *canonical = std::move(c);
  return ok;
}

// A reference whose digest failed, or (signed_info) a signature value that failed over SignedInfo.
struct Failing {
  bool signed_info = false;
  RefId id;
  std::string canonical;  // as received
  std::string element;
};

std::vector<Failing> failing_parts(xmlDoc* doc, bool with_signed_info) {
  std::vector<Failing> out;
  std::vector<xmlNode*> sigs = signatures_of(doc);
  for (size_t s = 0; s < sigs.size() && s < 8; ++s) {
    xmlNode* signed_info = xml::first_child(sigs[s], xml::kDsigNs, "SignedInfo");
    if (!signed_info) continue;
    size_t count = xml::children(signed_info, xml::kDsigNs, "Reference").size();
    for (size_t r = 0; r < count && r < 16; ++r) {
      auto result = process(doc, {s, r});
      if (result && result->status == xml::RefStatus::digest_mismatch)
        out.push_back({false, {s, r}, result->canonical, result->target ? xml::node_path(result->target) : ""});
    }
    std::string canonical;
    if (with_signed_info && signed_info_holds(doc, s, &canonical) == false)
      out.push_back({true, {s, 0}, canonical, xml::node_path(signed_info)});
  }
  return out;
}

std::vector<Failing> failing_references(xmlDoc* doc) { return failing_parts(doc, false); }

// The canonical form of `f` in `doc` when it now holds; nullopt when it still fails.
std::optional<std::string> holds_now(xmlDoc* doc, const Failing& f) {
  if (f.signed_info) {
    std::string canonical;
    if (signed_info_holds(doc, f.id.signature, &canonical) != true) return std::nullopt;
    return canonical;
  }
  auto r = process(doc, f.id);
  if (!r || r->status != xml::RefStatus::ok) return std::nullopt;
  return r->canonical;
}

bool is_blank(const xmlChar* s) {
  if (!s) return true;
  for (; *s; ++s)
    if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return false;
  return true;
}

bool has_element_child(const xmlNode* n) {
  for (const xmlNode* c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) return true;
  return false;
}

bool is_signature(const xmlNode* n) { return xml::is_element(n, xml::kDsigNs, "Signature"); }

// Whitespace-only text between elements (indentation) removed; inside ds:Signature too when asked.
size_t strip_indentation(xmlNode* node, bool inside_signatures) {
  size_t removed = 0;
  const bool mixed = has_element_child(node);
  for (xmlNode* c = node->children; c;) {
    xmlNode* next = c->next;
    if (c->type == XML_TEXT_NODE && mixed && is_blank(c->content)) {
      xmlUnlinkNode(c);
      xmlFreeNode(c);
      ++removed;
    } else if (c->type == XML_ELEMENT_NODE && (inside_signatures || !is_signature(c))) {
      removed += strip_indentation(c, inside_signatures);
    }
    c = next;
  }
  return removed;
}

// Applies `fix` to every text node and attribute value; counts the nodes it changed.
size_t rewrite_texts(xmlNode* node, const std::function<std::string(std::string_view)>& fix) {
  size_t changed = 0;
  for (xmlNode* c = node; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) {
        std::string now = fix(reinterpret_cast<const char*>(c->content));
        if (!now.empty() && now != reinterpret_cast<const char*>(c->content)) {
          xmlNodeSetContentLen(c, nullptr, 0);
          xmlNodeAddContentLen(c, reinterpret_cast<const xmlChar*>(now.data()), static_cast<int>(now.size()));
          ++changed;
        }
      }
    } else if (c->type == XML_ELEMENT_NODE) {
      for (xmlAttr* a = c->properties; a; a = a->next) {
        xmlChar* value = xmlNodeListGetString(c->doc, a->children, 1);
        if (!value) continue;
        std::string now = fix(reinterpret_cast<const char*>(value));
        if (!now.empty() && now != reinterpret_cast<const char*>(value)) {
          xmlSetNsProp(c, a->ns, a->name, reinterpret_cast<const xmlChar*>(now.c_str()));
          ++changed;
        }
        xmlFree(value);
      }
      changed += rewrite_texts(c->children, fix);
    }
  }
  return changed;
}

// Namespace declarations of `href` given `prefix` ("" = default namespace) everywhere; refused when an
// attribute uses the namespace (an attribute cannot take the default namespace) or the prefix is taken.
size_t rename_prefix(xmlNode* node, const std::string& href, const std::string& prefix, bool* refused) {
  size_t renamed = 0;
  for (xmlNode* c = node; c && !*refused; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    for (xmlNs* ns = c->nsDef; ns; ns = ns->next) {
      const std::string h = ns->href ? reinterpret_cast<const char*>(ns->href) : "";
      const std::string p = ns->prefix ? reinterpret_cast<const char*>(ns->prefix) : "";
      if (h != href && p == prefix) *refused = true;  // the new prefix is bound to another namespace here
      if (h != href || p == prefix) continue;
      if (ns->prefix) xmlFree(const_cast<xmlChar*>(ns->prefix));
      ns->prefix = prefix.empty() ? nullptr : xmlStrdup(reinterpret_cast<const xmlChar*>(prefix.c_str()));
      ++renamed;
    }
    for (xmlAttr* a = c->properties; a; a = a->next)
      if (a->ns && a->ns->href && href == reinterpret_cast<const char*>(a->ns->href) && prefix.empty()) *refused = true;
    renamed += rename_prefix(c->children, href, prefix, refused);
  }
  return renamed;
}

// Namespaces declared in the document with the prefixes they are declared with.
void declared_namespaces(xmlNode* node, std::map<std::string, std::set<std::string>>& out) {
  for (xmlNode* c = node; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    for (xmlNs* ns = c->nsDef; ns; ns = ns->next)
      if (ns->href) out[reinterpret_cast<const char*>(ns->href)].insert(ns->prefix ? reinterpret_cast<const char*>(ns->prefix) : "");
    declared_namespaces(c->children, out);
  }
}

// ---- evidence ----

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u == '\n') out += "\\n";
    else if (u == '\r') out += "\\r";
    else if (u == '\t') out += "\\t";
    else if (u < 0x20) out += '.';
    else out += c;
  }
  size_t multibyte = 0;
  if (!valid_utf8(out, &multibyte)) {  // cut inside a sequence: drop the broken ends
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80)) out.pop_back();
    size_t start = 0;
    while (start < out.size() && (static_cast<unsigned char>(out[start]) & 0xC0) == 0x80) ++start;
    out.erase(0, start);
  }
  return out;
}

// What changed in the canonical form of one reference: where they first differ and a short excerpt of each.
void describe_change(const std::string& received, const std::string& original, const std::string& element, Evidence& ev) {
  size_t at = 0;
  while (at < received.size() && at < original.size() && received[at] == original[at]) ++at;
  size_t from = at > 10 ? at - 10 : 0;
  ev["element"] = element;
  ev["canonical_first_difference"] = std::to_string(at);
  ev["canonical_size_received"] = std::to_string(received.size());
  ev["canonical_size_original"] = std::to_string(original.size());
  ev["received_excerpt"] = printable(std::string_view(received).substr(from, kExcerptBytes));
  ev["original_excerpt"] = printable(std::string_view(original).substr(from, kExcerptBytes));
}

Doc copy_of(xmlDoc* doc) { return Doc(xmlCopyDoc(doc, 1)); }

// Runs `repair` on a copy; when it changed something and every failing reference then holds, adds the
// damage with the evidence of the first reference's change.
bool try_repair(xmlDoc* doc, const std::vector<Failing>& failing, const std::string& code, const std::string& cls,
                const std::string& method, Evidence ev, const std::function<size_t(xmlDoc*)>& repair,
                const char* count_key, std::vector<Damage>& out) {
  Doc copy = copy_of(doc);
  if (!copy) return false;
  size_t changed = repair(copy.get());
  if (changed == 0) return false;
  // Proof: every failing reference holds again. A SignedInfo that still fails does not refute it (a
  // re-indented signature template cannot be put back byte for byte) but is said in the evidence;
  // when only SignedInfo failed, it must hold again.
  std::vector<std::optional<std::string>> now;
  size_t references = 0, signed_infos_failed = 0, signed_infos_repaired = 0, shown = failing.size();
  for (size_t i = 0; i < failing.size(); ++i) {
    now.push_back(holds_now(copy.get(), failing[i]));
    if (failing[i].signed_info) {
      ++signed_infos_failed;
      if (now.back()) ++signed_infos_repaired;
    } else {
      if (!now.back()) return false;
      ++references;
    }
    if (now.back() && (shown == failing.size() || (failing[shown].signed_info && !failing[i].signed_info))) shown = i;
  }
  if (references == 0 && signed_infos_repaired == 0) return false;
  ev[count_key] = std::to_string(changed);
  ev["references_repaired"] = std::to_string(references);
  if (signed_infos_failed)
    ev["signed_info"] = signed_infos_repaired == signed_infos_failed ? "repaired" : "still_fails";
  describe_change(failing[shown].canonical, *now[shown], failing[shown].element, ev);
  Damage d{make_damage_finding(code, cls, true, std::move(ev)), method, xml::serialize(copy.get())};
  out.push_back(std::move(d));
  return true;
}

void find_dom_damage(xmlDoc* doc, std::vector<Damage>& out) {
  std::vector<Failing> failing = failing_parts(doc, true);
  if (failing.empty()) return;
  if (failing.size() > kMaxFailingParts) failing.resize(kMaxFailingParts);
  const std::string declared = doc->encoding ? reinterpret_cast<const char*>(doc->encoding) : "";

  // Pretty-printing: indentation added between elements. Two candidates: the signature element kept as
  // received (its own template may have had line breaks) or stripped too.
  auto strip = [&](bool inside, std::vector<Damage>& into) {
    return try_repair(doc, failing, "DAMAGE_XML_REFORMATTED", "xml_reformatted",
                      inside ? "xml-strip-indentation-all" : "xml-strip-indentation", {},
                      [inside](xmlDoc* d) { return strip_indentation(xmlDocGetRootElement(d), inside); },
                      "whitespace_nodes_removed", into);
  };
  std::vector<Damage> outside, all;
  if (strip(false, outside)) {
    const auto& e = outside.front().finding.evidence;
    bool signed_info_fails = e.count("signed_info") && e.at("signed_info") == "still_fails";
    if (signed_info_fails && strip(true, all) && all.front().finding.evidence.at("signed_info") == "repaired")
      outside = std::move(all);
    out.push_back(std::move(outside.front()));
  } else if (strip(true, all)) {
    out.push_back(std::move(all.front()));
  }

  // Re-encoding: mojibake of either code page, or decomposed Vietnamese.
  for (const char* cp : {"windows-1252", "windows-1258"}) {
    Evidence ev{{"encoding", cp}, {"direction", "utf8_read_as_single_byte"}};
    if (!declared.empty()) ev["declared_encoding"] = declared;
    std::string codepage = cp;
    if (try_repair(doc, failing, "DAMAGE_XML_REENCODED", "xml_reencoded", std::string("xml-undo-") + cp, ev,
                   [codepage](xmlDoc* d) {
                     return rewrite_texts(xmlDocGetRootElement(d),
                                          [&](std::string_view t) { return undo_mojibake(t, codepage); });
                   },
                   "text_nodes_repaired", out))
      break;
  }
  {
    Evidence ev{{"encoding", "decomposed"}, {"direction", "nfd"}};
    if (!declared.empty()) ev["declared_encoding"] = declared;
    try_repair(doc, failing, "DAMAGE_XML_REENCODED", "xml_reencoded", "xml-compose-nfc", ev,
               [](xmlDoc* d) { return rewrite_texts(xmlDocGetRootElement(d), [](std::string_view t) { return compose_vietnamese(t); }); },
               "text_nodes_repaired", out);
  }

  // Namespace prefixes: one namespace at a time, given the default namespace or a usual prefix.
  std::map<std::string, std::set<std::string>> namespaces;
  declared_namespaces(xmlDocGetRootElement(doc), namespaces);
  size_t tried = 0;
  for (const auto& entry : namespaces) {
    const std::string& href = entry.first;  // a named variable: lambdas cannot capture structured bindings in C++17
    const std::set<std::string>& prefixes = entry.second;
    if (href == "http://www.w3.org/XML/1998/namespace") continue;
    std::vector<std::string> candidates = {""};
    if (href == xml::kDsigNs) candidates.push_back("ds");
    else candidates.insert(candidates.end(), {"ns0", "ns1", "inv"});
    for (const std::string& prefix : candidates) {
      if (prefixes.count(prefix) && prefixes.size() == 1) continue;
      if (++tried > kMaxPrefixCandidates) return;
      std::string from;
      for (const auto& p : prefixes) from += (from.empty() ? "" : " ") + (p.empty() ? std::string("(default)") : p);
      Evidence ev{{"namespace", href}, {"prefix_received", from}, {"prefix_original", prefix.empty() ? "(default)" : prefix}};
      bool refused = false;
      if (try_repair(doc, failing, "DAMAGE_XML_PREFIXES", "xml_prefixes", "xml-prefix", ev,
                     [&](xmlDoc* d) {
                       size_t n = rename_prefix(xmlDocGetRootElement(d), href, prefix, &refused);
                       return refused ? 0 : n;
                     },
                     "declarations_renamed", out))
        return;
    }
  }
}

// ---- raw bytes: BOM, Base64, single-byte text under a UTF-8 declaration ----

std::optional<Doc> parse_quietly(std::string_view bytes) {
  try {
    xml::DocPtr d = xml::parse(bytes);
    return Doc(d.release());
  } catch (const Error&) {
    return std::nullopt;
  }
}

bool looks_like_xml(std::string_view s) {
  size_t i = 0;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  return i < s.size() && s[i] == '<';
}

// The candidate is an XML document whose references hold (or that has no failing reference).
bool candidate_holds(std::string_view candidate) {
  auto doc = parse_quietly(candidate);
  return doc && failing_parts(doc->get(), true).empty();
}

// The first Base64 characters decode to XML, or to Base64 text again (a second layer).
bool base64_prefix_promising(std::string_view text) {
  std::string prefix;
  for (char c : text.substr(0, 256)) {
    if (c == ' ' || c == '\r' || c == '\n' || c == '\t') continue;
    prefix += c;
    if (prefix.size() == 64) break;
  }
  auto head = core::base64_decode(prefix.substr(0, prefix.size() / 4 * 4));
  if (!head || head->empty()) return false;
  if (looks_like_xml(*head)) return true;
  return std::all_of(head->begin(), head->end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=' || c == '\r' || c == '\n';
  });
}

void find_byte_damage(std::string_view bytes, bool parsed, std::vector<Damage>& out) {
  // Several byte order marks, or one where the parser refused the file.
  size_t boms = 0;
  while (bytes.substr(boms * 3, 3) == "\xEF\xBB\xBF") ++boms;
  if (boms >= 2 || (boms == 1 && !parsed)) {
    std::string candidate(bytes.substr(boms * 3));
    if (looks_like_xml(candidate) && candidate_holds(candidate))
      out.push_back({make_damage_finding("DAMAGE_XML_BOM", "leading_bytes", true, {{"byte_order_marks", std::to_string(boms)}}),
                     "xml-strip-bom", candidate});
  }
  if (parsed) return;
  // The whole file Base64 (once or twice).
  std::string_view text = bytes;
  std::string decoded;
  for (int depth = 1; depth <= 2 && !text.empty() && !looks_like_xml(text); ++depth) {
    if (!base64_prefix_promising(text)) break;  // junk costs a few bytes of work, not a full decode
    auto d = core::base64_decode(text);
    if (!d) break;
    decoded = std::move(*d);
    text = decoded;
    if (looks_like_xml(text) && candidate_holds(text)) {
      out.push_back({make_damage_finding("DAMAGE_XML_BASE64", "base64", true,
                                         {{"layers", std::to_string(depth)}, {"decoded_size", std::to_string(decoded.size())}}),
                     "xml-base64", decoded});
      return;
    }
  }
  // Single-byte text under a UTF-8 declaration: the writer kept the declaration, not the encoding.
  size_t multibyte = 0;
  if (!looks_like_xml(bytes) || valid_utf8(bytes, &multibyte)) return;
  for (bool cp1258 : {false, true}) {
    std::string candidate;
    for (char c : bytes) candidate += utf8_of(codepage_char(static_cast<unsigned char>(c), cp1258));
    candidate = compose_vietnamese(candidate);
    if (!candidate_holds(candidate)) continue;
    out.push_back({make_damage_finding("DAMAGE_XML_REENCODED", "xml_reencoded", true,
                                       {{"encoding", cp1258 ? "windows-1258" : "windows-1252"},
                                        {"direction", "utf8_written_as_single_byte"}}),
                   cp1258 ? "xml-from-windows-1258" : "xml-from-windows-1252", candidate});
    return;
  }
}

}  // namespace

std::string undo_mojibake(std::string_view text, std::string_view codepage) {
  const bool cp1258 = codepage == "windows-1258";
  std::u32string chars = appearance::decode_utf8(text);
  std::string bytes;
  bool high = false;
  for (char32_t c : chars) {
    if (c < 0x80) {
      bytes += static_cast<char>(c);
      continue;
    }
    high = true;
    int found = -1;
    for (int b = 0x80; b <= 0xFF && found < 0; ++b)
      if (codepage_char(static_cast<unsigned char>(b), cp1258) == c) found = b;
    if (found < 0) return "";
    bytes += static_cast<char>(found);
  }
  size_t multibyte = 0;
  if (!high || !valid_utf8(bytes, &multibyte) || multibyte == 0) return "";
  return bytes;
}

std::string compose_vietnamese(std::string_view text) {
  bool marks = false;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    unsigned char a = static_cast<unsigned char>(text[i]), b = static_cast<unsigned char>(text[i + 1]);
    if ((a == 0xCC && b >= 0x80) || (a == 0xCD && b >= 0x80 && b < 0xB0)) marks = true;  // U+0300..U+036F
  }
  if (!marks) return std::string(text);
  // NFC: decompose fully first (Ê + dot below must become E + dot below + circumflex), then compose.
  static const std::unordered_map<char32_t, std::pair<char32_t, char32_t>> kDecompose = [] {
    std::unordered_map<char32_t, std::pair<char32_t, char32_t>> m;
    for (size_t i = 0; i < appearance::kLatinComposeCount; ++i)
      m[appearance::kLatinCompose[i].composed] = {appearance::kLatinCompose[i].base, appearance::kLatinCompose[i].mark};
    return m;
  }();
  std::u32string decomposed;
  std::function<void(char32_t)> push = [&](char32_t c) {
    auto it = kDecompose.find(c);
    if (it == kDecompose.end()) {
      decomposed += c;
      return;
    }
    push(it->second.first);
    decomposed += it->second.second;
  };
  for (char32_t c : appearance::decode_utf8(text)) push(c);
  return utf8_of(appearance::compose_latin(decomposed, [](char32_t) { return true; }));
}

std::vector<Damage> find_xml_damage(std::string_view bytes) {
  std::vector<Damage> out;
  auto doc = parse_quietly(bytes);
  find_byte_damage(bytes, doc.has_value(), out);
  if (doc && bytes.size() <= kMaxRepairBytes) find_dom_damage(doc->get(), out);
  return out;
}

void detect_xml_damage(std::string_view bytes, const FailureContext& context, std::vector<Damage>& out) {
  const bool xml_report = context.report && context.report->format == "xml";
  const bool unread = !context.report && !context.error_code.empty() &&
                      (context.format == "xml" || context.format.empty() || context.error_code.rfind("XML_", 0) == 0);
  if (!xml_report && !unread) return;
  // Base64 and leading bytes are also transfer classes: one finding per class, the earlier detector's.
  std::set<std::string> classes;
  for (const Damage& d : out) classes.insert(d.finding.evidence.count("class") ? d.finding.evidence.at("class") : "");
  for (Damage& d : find_xml_damage(bytes))
    if (!classes.count(d.finding.evidence.at("class"))) out.push_back(std::move(d));
}

}  // namespace libsign::damage
