// The last step of every signature: the Botan cross-check (docs/security.md). Botan reads the CMS
// (or the XML signature's certificates) again from the raw bytes and judges the digest, the
// signature value and the certificate path on its own; each conclusion is set beside libsign's
// (OpenSSL's). A difference is ENGINE_DISAGREEMENT and keeps the signature from TOTAL_PASSED.
#include <openssl/x509.h>

#include <botan/base64.h>

#include "crosscheck/cms_reader.hpp"
#include "crosscheck/engine.hpp"
#include "validate/context.hpp"
#include "validate/verifier_impl.hpp"
#include "validate/xml_steps.hpp"
#include "xml/xml_doc.hpp"

namespace libsign {

Verifier::Impl::Impl(const VerifyOptions& o) : options(o), trust(o), fetcher(o.revocation) {
  crosscheck::make_botan_memory_pool();
}
Verifier::Impl::~Impl() = default;

namespace {
std::vector<uint8_t> der_of(X509* cert) {
  std::vector<uint8_t> out;
  int n = i2d_X509(cert, nullptr);
  if (n <= 0) return out;
  out.resize(static_cast<size_t>(n));
  unsigned char* p = out.data();
  i2d_X509(cert, &p);
  return out;
}
}  // namespace

const crosscheck::BotanTrust* Verifier::Impl::botan() const {
  if (!options.cross_check) return nullptr;
  std::call_once(botan_once_, [this] {
    // The anchors and intermediates are the Verifier's own configuration, not document input: they
    // are handed to Botan as OpenSSL holds them (DER), once per Verifier.
    std::vector<std::vector<uint8_t>> anchors, intermediates;
    STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(trust.trusted());
    for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
      if (X509* c = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i))) anchors.push_back(der_of(c));
    }
    STACK_OF(X509)* known = trust.intermediates();
    for (int i = 0; i < sk_X509_num(known); ++i) intermediates.push_back(der_of(sk_X509_value(known, i)));
    botan_ = std::make_unique<crosscheck::BotanTrust>(anchors, intermediates);
  });
  return botan_.get();
}

namespace validate {
namespace {

using crosscheck::Outcome;

std::string word(Outcome o, const char* valid, const char* invalid) {
  return o == Outcome::valid ? valid : o == Outcome::invalid ? invalid : "unsupported";
}

void compare(CrossCheck& cc, const std::string& item, const std::string& libsign, const std::string& botan,
             const std::string& detail) {
  std::string result = botan == "unsupported" || libsign == "unsupported" ? "unsupported"
                       : botan == libsign                                ? "agree"
                                                                         : "disagree";
  cc.compared.push_back({item, libsign, botan, result, detail});
}

void add_note(CrossCheck& cc, const std::string& note) { cc.note += (cc.note.empty() ? "" : "; ") + note; }

// Overall result, and the finding and verdict for each disagreement.
template <typename Add>
void settle(CrossCheck& cc, Verdict& verdict, Add&& add) {
  bool agree = false, disagree = false;
  for (const auto& it : cc.compared) {
    if (it.result == "agree") agree = true;
    if (it.result != "disagree") continue;
    disagree = true;
    add("ENGINE_DISAGREEMENT", {{"item", it.item}, {"libsign", it.libsign}, {"botan", it.botan},
                                {"engine", cc.engine}, {"detail", it.detail}});
    // Neither engine is taken as the truth: a signature one of them refuses is not proven, so a
    // pass becomes INDETERMINATE (a failure stays a failure: Verdict keeps the first failure).
    verdict.indeterminate(it.item == "path" ? SubIndication::certificate_chain_general_failure : SubIndication::none);
  }
  cc.result = disagree ? "disagree" : agree ? "agree" : "unsupported";
  add_note(cc, "revocation is not cross-checked");
}

std::string path_word(bool trusted, bool time_problem) {
  return !trusted ? "not_trusted" : time_problem ? "trusted_outside_validity" : "trusted";
}

std::string botan_path(const crosscheck::PathConclusion& p) {
  return p.unsupported ? "unsupported" : path_word(p.trusted, p.time_problem);
}

std::string libsign_path(const pki::ChainResult& c) {
  return path_word(c.status == pki::ChainStatus::ok, c.leaf_expired || c.leaf_not_yet_valid || c.ca_time_invalid);
}

std::vector<Botan::X509_Certificate> botan_copies(const crosscheck::BotanTrust& cross, const std::vector<pki::Cert>& certs) {
  std::vector<Botan::X509_Certificate> out;
  for (const auto& c : certs) {
    try {
      out.push_back(cross.certificate(der_of(c.get())));
    } catch (const std::exception&) {
    }
  }
  return out;
}

// A serial number's magnitude without leading zero bytes, so both engines' forms compare equal.
std::vector<uint8_t> without_leading_zeros(std::vector<uint8_t> serial) {
  while (serial.size() > 1 && serial[0] == 0) serial.erase(serial.begin());
  return serial;
}

std::vector<uint8_t> serial_of(X509* cert) {
  const ASN1_INTEGER* s = X509_get0_serialNumber(cert);
  return without_leading_zeros(std::vector<uint8_t>(s->data, s->data + s->length));
}

std::vector<uint8_t> botan_serial(const Botan::X509_Certificate& c) { return without_leading_zeros(c.serial_number()); }

// The certificate Botan uses as the signer: its own match of the SignerIdentifier; failing that the
// one certificate with libsign's signer's serial number (libsign accepts a serial-only match); last,
// libsign's signer re-encoded (a signer from the trust store's pool).
std::optional<Botan::X509_Certificate> botan_signer(const crosscheck::BotanTrust& cross, const crosscheck::BotanSignedData& bsd, const crosscheck::BotanSignerInfo& si,
                                                    X509* libsign_signer, CrossCheck& cc) {
  if (const auto* c = crosscheck::find_signer(si, bsd.certificates)) return *c;
  if (!libsign_signer) return std::nullopt;
  const Botan::X509_Certificate* by_serial = nullptr;
  int matches = 0;
  const std::vector<uint8_t> serial = serial_of(libsign_signer);
  for (const auto& c : bsd.certificates) {
    if (botan_serial(c) == serial) {
      by_serial = &c;
      ++matches;
    }
  }
  if (matches == 1) return *by_serial;
  try {
    add_note(cc, "signer certificate not among the certificates Botan read from the CMS: libsign's, re-encoded");
    return cross.certificate(der_of(libsign_signer));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The bytes libsign digests: a PDF signature's byte ranges (adbe.pkcs7.sha1: the encapsulated digest),
// an enveloping CMS's content, a detached one's file.
std::vector<std::string_view> content_pieces(const SignatureContext& ctx, const crosscheck::BotanSignedData& bsd) {
  const bool pdf_ranges = ctx.field && ctx.field->subfilter != "adbe.pkcs7.sha1";
  if (bsd.has_econtent && !pdf_ranges) return {std::string_view(reinterpret_cast<const char*>(bsd.econtent.data()), bsd.econtent.size())};
  std::vector<std::string_view> pieces;
  if (!ctx.source) return pieces;
  for (const auto& [offset, length] : ctx.ranges) pieces.push_back(ctx.source->bytes.substr(offset, length));
  return pieces;
}

void compare_cms(SignatureContext& ctx, const crosscheck::BotanSignedData& bsd, const crosscheck::BotanSignerInfo& si) {
  CrossCheck& cc = ctx.report.cross_check;
  const cms::SignedData& sd = *ctx.signed_data;
  const bool content_known = bsd.has_econtent || !ctx.ranges.empty();
  const std::vector<std::string_view> content = content_known ? content_pieces(ctx, bsd) : std::vector<std::string_view>{};

  // The digest of the signed bytes against messageDigest, each engine from its own parse.
  if (!content_known) {
    add_note(cc, "the signed content is not known: digest not compared");
  } else if (sd.has_signed_attributes && sd.message_digest && !ctx.content_digest.empty()) {
    std::string libsign = *sd.message_digest == ctx.content_digest ? "match" : "mismatch";
    std::string hash = crosscheck::hash_of_oid(si.digest_oid);
    std::string botan, detail;
    if (hash.empty()) {
      botan = "unsupported";
      detail = "digest algorithm " + si.digest_oid + " unknown to the cross-check";
    } else if (!si.message_digest) {
      botan = "mismatch";
      detail = "Botan finds no messageDigest in the signed attributes";
    } else {
      botan = crosscheck::digest(hash, content) == *si.message_digest ? "match" : "mismatch";
      detail = hash + " of the signed bytes " + (botan == "match" ? "equals" : "differs from") + " messageDigest";
    }
    compare(cc, "digest", libsign, botan, detail);
  }

  // The signature value with the signer's key, over the signed attributes as they are in the file.
  if (ctx.signature_check) {
    std::string libsign = *ctx.signature_check == cms::SignatureCheck::valid     ? "valid"
                          : *ctx.signature_check == cms::SignatureCheck::invalid ? "invalid"
                                                                                 : "unsupported";
    auto signer = botan_signer(*ctx.cross, bsd, si, ctx.signer.get(), cc);
    if (!signer) {
      compare(cc, "signature", libsign, "invalid", "Botan finds no usable signer certificate");
    } else {
      std::vector<std::string_view> message =
          si.has_signed_attrs
              ? std::vector<std::string_view>{std::string_view(reinterpret_cast<const char*>(si.signed_attrs.data()), si.signed_attrs.size())}
              : content;
      auto key = ctx.cross->public_key(*signer);
      auto c = crosscheck::verify_cms_signature(*signer, key.get(), si.signature_oid, si.signature_params, si.digest_oid, message, si.signature);
      compare(cc, "signature", libsign, word(c.outcome, "valid", "invalid"), c.detail);
    }
  }

  // The certificate path at the same time with the same anchors and intermediates.
  if (ctx.chain_built && ctx.signer) {
    auto signer = botan_signer(*ctx.cross, bsd, si, ctx.signer.get(), cc);
    if (signer) {
      std::vector<Botan::X509_Certificate> extra = bsd.certificates;
      std::vector<pki::Cert> others = sd.certificate_values;  // CAdES certValues: outside what Botan reads
      others.insert(others.end(), ctx.dss_certs.begin(), ctx.dss_certs.end());
      others.insert(others.end(), ctx.fetched_certs.begin(), ctx.fetched_certs.end());
      for (auto& c : botan_copies(*ctx.cross, others)) extra.push_back(std::move(c));
      auto p = ctx.cross->validate(*signer, extra, ctx.validation_time);
      compare(cc, "path", libsign_path(ctx.chain), botan_path(p), p.detail);
    }
  }
  for (const auto& e : bsd.certificate_errors) add_note(cc, "a certificate Botan refuses: " + e);
}

}  // namespace

void begin_cross_check(CrossCheck& cc, bool on) {
  cc = {};
  if (!on) return;
  cc.engine = crosscheck::engine_name();
  cc.result = "unsupported";
  cc.note = "libsign stopped before the signature value: nothing to compare";
}

void cross_check(SignatureContext& ctx) {
  CrossCheck& cc = ctx.report.cross_check;
  cc = {};
  if (!ctx.cross) return;
  cc.engine = crosscheck::engine_name();
  if (ctx.report.kind == "document-timestamp") {
    cc.result = "unsupported";
    cc.note = "document timestamps are not cross-checked";
    return;
  }
  std::string error;
  std::optional<crosscheck::BotanSignedData> bsd;
  if (!ctx.cms_der.empty())
    bsd = crosscheck::read_signed_data(ctx.cms_der, &error,
                                       [&](const std::vector<uint8_t>& der) { return ctx.cross->certificate(der); });
  const bool botan_reads = bsd && static_cast<size_t>(ctx.signer_index) < bsd->signers.size();
  if (bsd && !botan_reads) error = "no SignerInfo number " + std::to_string(ctx.signer_index + 1);
  if (!ctx.cms_der.empty() && botan_reads != ctx.signed_data.has_value()) {
    compare(cc, "structure", ctx.signed_data ? "readable" : "unreadable", botan_reads ? "readable" : "unreadable",
            botan_reads ? "Botan reads the CMS" : "Botan: " + error);
  } else if (botan_reads) {
    compare_cms(ctx, *bsd, bsd->signers[static_cast<size_t>(ctx.signer_index)]);
  } else {
    add_note(cc, "neither engine reads the CMS");
  }
  settle(cc, ctx.verdict, [&](const std::string& code, std::map<std::string, std::string> e) { ctx.add(code, std::move(e)); });
}

namespace {

void collect_certificate_texts(const xmlNode* n, std::vector<std::string>& out) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (xml::is_element(c, xml::kDsigNs, "X509Certificate")) out.push_back(xml::text(c));
    else collect_certificate_texts(c, out);
  }
}

// The KeyInfo certificates decoded by Botan (Base64 and DER); the one with libsign's signer's serial.
std::optional<Botan::X509_Certificate> xml_signer(const crosscheck::BotanTrust& cross, const XmlSignatureState& st, CrossCheck& cc,
                                                  std::vector<Botan::X509_Certificate>& all) {
  std::vector<std::string> texts;
  if (const xmlNode* key_info = st.sig.node) collect_certificate_texts(key_info, texts);
  for (const auto& t : texts) {
    try {
      auto der = Botan::base64_decode(t, true);
      all.push_back(cross.certificate(std::vector<uint8_t>(der.begin(), der.end())));
    } catch (const std::exception& e) {
      add_note(cc, std::string("a KeyInfo certificate Botan refuses: ") + e.what());
    }
  }
  if (!st.signer) return std::nullopt;
  const std::vector<uint8_t> serial = serial_of(st.signer.get());
  for (const auto& c : all)
    if (botan_serial(c) == serial) return c;
  return std::nullopt;
}

}  // namespace

void cross_check_xml(SignatureContext& ctx, const XmlSignatureState& st) {
  CrossCheck& cc = st.report.cross_check;
  cc = {};
  if (!ctx.cross) return;
  cc.engine = crosscheck::engine_name();
  // Reference digests: Botan's hash of the bytes libsign's transforms produced (Botan has no XML).
  std::string libsign_refs = "match", botan_refs = "match", detail;
  bool any = false;
  for (const auto& r : st.references) {
    if (r.status != xml::RefStatus::ok && r.status != xml::RefStatus::digest_mismatch) continue;
    std::string hash = crosscheck::hash_of_name(r.digest);
    if (hash.empty()) continue;
    any = true;
    if (r.status == xml::RefStatus::digest_mismatch) libsign_refs = "mismatch";
    std::vector<uint8_t> expected;
    try {
      auto d = Botan::base64_decode(r.expected_b64, true);
      expected.assign(d.begin(), d.end());
    } catch (const std::exception&) {
    }
    if (crosscheck::digest(hash, {r.canonical}) != expected) {
      botan_refs = "mismatch";
      if (detail.empty()) detail = "reference '" + r.uri + "': " + hash + " differs from DigestValue";
    }
  }
  if (any) compare(cc, "digest", libsign_refs, botan_refs, detail.empty() ? "every reference digest equals its DigestValue" : detail);
  add_note(cc, "XML canonicalisation and transforms are libsign's (Botan has none)");

  std::vector<Botan::X509_Certificate> certs;
  auto signer = xml_signer(*ctx.cross, st, cc, certs);
  if (st.signature_valid) {
    std::string libsign = *st.signature_valid ? "valid" : "invalid";
    if (!signer) {
      compare(cc, "signature", libsign, "invalid", "Botan finds no KeyInfo certificate with the signer's serial number");
    } else {
      std::vector<uint8_t> value(st.sig.signature_value.begin(), st.sig.signature_value.end());
      auto key = ctx.cross->public_key(*signer);
      auto c = crosscheck::verify_xml_signature(*signer, key.get(), st.sig.signature_method_uri, st.canonical_signed_info, value);
      compare(cc, "signature", libsign, word(c.outcome, "valid", "invalid"), c.detail);
    }
  }
  if (ctx.chain_built && signer) {
    std::vector<pki::Cert> others = ctx.embedded_certs;  // XAdES values and KeyInfo, as libsign read them
    for (auto& c : botan_copies(*ctx.cross, others)) certs.push_back(std::move(c));
    auto p = ctx.cross->validate(*signer, certs, ctx.validation_time);
    compare(cc, "path", libsign_path(ctx.chain), botan_path(p), p.detail);
  }
  settle(cc, ctx.verdict, [&](const std::string& code, std::map<std::string, std::string> e) { ctx.add(code, std::move(e)); });
}

}  // namespace validate
}  // namespace libsign
