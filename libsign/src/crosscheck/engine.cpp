#include "crosscheck/engine.hpp"

#include <botan/ber_dec.h>
#include <botan/bigint.h>
#include <botan/certstor.h>
#include <botan/der_enc.h>
#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/locking_allocator.h>
#include <botan/pubkey.h>
#include <botan/version.h>
#include <botan/x509path.h>

#include <set>

namespace libsign::crosscheck {
namespace {

const std::map<std::string, std::string>& hash_oids() {
  static const std::map<std::string, std::string> m = {
      {"1.2.840.113549.2.5", "MD5"},         {"1.3.14.3.2.26", "SHA-1"},
      {"2.16.840.1.101.3.4.2.4", "SHA-224"}, {"2.16.840.1.101.3.4.2.1", "SHA-256"},
      {"2.16.840.1.101.3.4.2.2", "SHA-384"}, {"2.16.840.1.101.3.4.2.3", "SHA-512"},
      {"2.16.840.1.101.3.4.2.8", "SHA-3(256)"}, {"2.16.840.1.101.3.4.2.9", "SHA-3(384)"},
      {"2.16.840.1.101.3.4.2.10", "SHA-3(512)"},
  };
  return m;
}

// RSA PKCS#1 v1.5 signature OIDs (the digest comes from digestAlgorithm, as CMS says).
const std::set<std::string>& rsa_pkcs1_oids() {
  static const std::set<std::string> s = {"1.2.840.113549.1.1.1", "1.2.840.113549.1.1.4", "1.2.840.113549.1.1.5",
                                          "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13",
                                          "1.2.840.113549.1.1.14"};
  return s;
}
const std::set<std::string>& ecdsa_oids() {
  static const std::set<std::string> s = {"1.2.840.10045.2.1", "1.2.840.10045.4.1", "1.2.840.10045.4.3.1",
                                          "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4"};
  return s;
}
const char* kRsaPss = "1.2.840.113549.1.1.10";
const char* kMgf1 = "1.2.840.113549.1.1.8";

// RSASSA-PSS-params (RFC 4055) as Botan's EMSA4 name; "" when not expressible (MGF1 hash differs).
std::string pss_emsa(const std::vector<uint8_t>& params) {
  std::string hash = "SHA-1", mgf_hash = "SHA-1";
  size_t salt = 20;
  Botan::BER_Decoder outer(params);
  Botan::BER_Decoder seq = outer.start_cons(Botan::SEQUENCE);
  while (seq.more_items()) {
    Botan::BER_Object field = seq.get_next_object();
    Botan::BER_Decoder inner(field);
    if (field.is_a(0, Botan::ASN1_Tag(Botan::CONTEXT_SPECIFIC | Botan::CONSTRUCTED))) {
      Botan::AlgorithmIdentifier alg;
      inner.decode(alg);
      hash = hash_of_oid(alg.get_oid().to_string());
    } else if (field.is_a(1, Botan::ASN1_Tag(Botan::CONTEXT_SPECIFIC | Botan::CONSTRUCTED))) {
      Botan::AlgorithmIdentifier mgf;
      inner.decode(mgf);
      if (mgf.get_oid().to_string() != kMgf1) return "";
      Botan::BER_Decoder mgf_params(mgf.get_parameters());
      Botan::AlgorithmIdentifier mgf_alg;
      mgf_params.decode(mgf_alg);
      mgf_hash = hash_of_oid(mgf_alg.get_oid().to_string());
    } else if (field.is_a(2, Botan::ASN1_Tag(Botan::CONTEXT_SPECIFIC | Botan::CONSTRUCTED))) {
      inner.decode(salt);
    }
  }
  if (hash.empty() || hash != mgf_hash) return "";
  return "EMSA4(" + hash + ",MGF1," + std::to_string(salt) + ")";
}

Conclusion run_verifier(const Botan::X509_Certificate& signer, const Botan::Public_Key* given, const std::string& emsa,
                        Botan::Signature_Format format, const std::vector<std::string_view>& message, const uint8_t* sig,
                        size_t sig_len) {
  std::unique_ptr<Botan::Public_Key> loaded;
  const Botan::Public_Key* key = given;
  if (!key) {
    try {
      loaded = signer.load_subject_public_key();
      key = loaded.get();
    } catch (const std::exception& e) {
      return {Outcome::unsupported, std::string("Botan cannot load the signer's key: ") + e.what()};
    }
  }
  std::unique_ptr<Botan::PK_Verifier> verifier;
  try {
    verifier = std::make_unique<Botan::PK_Verifier>(*key, emsa, format);
  } catch (const std::exception& e) {
    return {Outcome::unsupported, emsa + " with a " + key->algo_name() + " key: " + e.what()};
  }
  try {
    for (auto piece : message) verifier->update(reinterpret_cast<const uint8_t*>(piece.data()), piece.size());
    if (verifier->check_signature(sig, sig_len)) return {Outcome::valid, emsa + " verifies"};
    return {Outcome::invalid, emsa + " does not verify"};
  } catch (const std::exception& e) {
    return {Outcome::invalid, emsa + ": " + e.what()};
  }
}

bool is_time_status(Botan::Certificate_Status_Code c) {
  return c == Botan::Certificate_Status_Code::CERT_HAS_EXPIRED || c == Botan::Certificate_Status_Code::CERT_NOT_YET_VALID;
}

// Identity of a certificate for the cache key: its signed part and signature as Botan read them.
void add_identity(Botan::HashFunction& h, const Botan::X509_Certificate& c) {
  h.update(c.tbs_data());
  h.update(c.signature());
  h.update(static_cast<uint8_t>(0));
}

}  // namespace

std::string engine_name() { return "botan " + Botan::short_version_string(); }

std::string hash_of_oid(const std::string& oid) {
  auto it = hash_oids().find(oid);
  return it == hash_oids().end() ? "" : it->second;
}

std::string hash_of_name(const std::string& name) {
  static const std::map<std::string, std::string> m = {{"md5", "MD5"},         {"sha1", "SHA-1"},
                                                       {"sha224", "SHA-224"}, {"sha256", "SHA-256"},
                                                       {"sha384", "SHA-384"}, {"sha512", "SHA-512"},
                                                       {"sha3-256", "SHA-3(256)"}, {"sha3-384", "SHA-3(384)"},
                                                       {"sha3-512", "SHA-3(512)"}};
  auto it = m.find(name);
  return it == m.end() ? "" : it->second;
}

std::vector<uint8_t> digest(const std::string& hash, const std::vector<std::string_view>& pieces) {
  auto h = Botan::HashFunction::create_or_throw(hash);
  for (auto p : pieces) h->update(reinterpret_cast<const uint8_t*>(p.data()), p.size());
  return h->final_stdvec();
}

Conclusion verify_cms_signature(const Botan::X509_Certificate& signer, const Botan::Public_Key* key, const std::string& signature_oid,
                                const std::vector<uint8_t>& signature_params, const std::string& digest_oid,
                                const std::vector<std::string_view>& message, const std::vector<uint8_t>& signature) {
  const std::string hash = hash_of_oid(digest_oid);
  if (hash.empty()) return {Outcome::unsupported, "digest algorithm " + digest_oid + " unknown to the cross-check"};
  std::string emsa;
  Botan::Signature_Format format = Botan::IEEE_1363;
  if (rsa_pkcs1_oids().count(signature_oid)) {
    emsa = "EMSA3(" + hash + ")";
  } else if (ecdsa_oids().count(signature_oid)) {
    emsa = "EMSA1(" + hash + ")";
    format = Botan::DER_SEQUENCE;
  } else if (signature_oid == "1.3.101.112") {
    emsa = "Pure";  // Ed25519 (RFC 8419): the message itself, no separate digest
  } else if (signature_oid == kRsaPss) {
    try {
      emsa = pss_emsa(signature_params);
    } catch (const std::exception& e) {
      return {Outcome::invalid, std::string("RSASSA-PSS parameters unreadable by Botan: ") + e.what()};
    }
    if (emsa.empty()) return {Outcome::unsupported, "RSASSA-PSS with an MGF other than MGF1 over the same hash"};
  } else {
    return {Outcome::unsupported, "signature algorithm " + signature_oid + " unknown to the cross-check"};
  }
  return run_verifier(signer, key, emsa, format, message, signature.data(), signature.size());
}

Conclusion verify_xml_signature(const Botan::X509_Certificate& signer, const Botan::Public_Key* key, const std::string& method_uri,
                                std::string_view message, const std::vector<uint8_t>& signature) {
  static const std::map<std::string, std::pair<std::string, std::string>> methods = {
      {"http://www.w3.org/2000/09/xmldsig#rsa-sha1", {"EMSA3", "SHA-1"}},
      {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha224", {"EMSA3", "SHA-224"}},
      {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", {"EMSA3", "SHA-256"}},
      {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", {"EMSA3", "SHA-384"}},
      {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", {"EMSA3", "SHA-512"}},
      {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1", {"EMSA1", "SHA-1"}},
      {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224", {"EMSA1", "SHA-224"}},
      {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", {"EMSA1", "SHA-256"}},
      {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", {"EMSA1", "SHA-384"}},
      {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", {"EMSA1", "SHA-512"}},
  };
  auto it = methods.find(method_uri);
  if (it == methods.end()) return {Outcome::unsupported, "SignatureMethod " + method_uri + " unknown to the cross-check"};
  const std::string emsa = it->second.first + "(" + it->second.second + ")";
  if (it->second.first == "EMSA3")
    return run_verifier(signer, key, emsa, Botan::IEEE_1363, {message}, signature.data(), signature.size());
  // XML-DSig's ECDSA value is r||s. libsign (like xmlsec) splits any even length in halves, so values
  // padded beyond the curve's size (seen from Java) verify; Botan's IEEE 1363 form wants the exact
  // size, so the halves are given to it as the DER form instead.
  if (signature.empty() || signature.size() % 2 != 0) return {Outcome::invalid, "ECDSA value of odd length"};
  const size_t half = signature.size() / 2;
  std::vector<uint8_t> der;
  Botan::DER_Encoder(der)
      .start_cons(Botan::SEQUENCE)
      .encode(Botan::BigInt::decode(signature.data(), half))
      .encode(Botan::BigInt::decode(signature.data() + half, half))
      .end_cons();
  return run_verifier(signer, key, emsa, Botan::DER_SEQUENCE, {message}, der.data(), der.size());
}

struct BotanTrust::Store {
  Botan::Certificate_Store_In_Memory anchors;
};

void make_botan_memory_pool() { Botan::mlock_allocator::instance(); }

BotanTrust::BotanTrust(const std::vector<std::vector<uint8_t>>& anchors, const std::vector<std::vector<uint8_t>>& intermediates)
    : store_(std::make_unique<Store>()) {
  for (const auto& der : anchors) {
    try {
      store_->anchors.add_certificate(Botan::X509_Certificate(der));
      ++anchor_count_;
    } catch (const std::exception&) {
      // An anchor Botan cannot read: paths through it are Botan's "not trusted" (a disagreement shows it).
    }
  }
  for (const auto& der : intermediates) {
    try {
      intermediates_.emplace_back(der);
    } catch (const std::exception&) {
    }
  }
}

BotanTrust::~BotanTrust() = default;

PathConclusion BotanTrust::validate(const Botan::X509_Certificate& leaf, const std::vector<Botan::X509_Certificate>& extra,
                                    long long at_unix) const {
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  add_identity(*h, leaf);
  for (const auto& c : extra) add_identity(*h, c);
  h->update(std::to_string(at_unix));
  const std::string key = Botan::hex_encode(h->final());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
  }

  // A signer certificate that is itself a trust anchor (a self-signed certificate given with --trust)
  // is trusted directly by OpenSSL; Botan 2 builds no path for it. The same direct trust here, with
  // its self-signature and validity checked, so that the difference is not reported as a disagreement.
  if (leaf.is_self_signed() && store_->anchors.certificate_known(leaf)) {
    PathConclusion direct;
    const Botan::X509_Time at(std::chrono::system_clock::from_time_t(static_cast<time_t>(at_unix)));
    direct.time_problem = at < leaf.not_before() || at > leaf.not_after();
    try {
      std::unique_ptr<Botan::Public_Key> public_key = leaf.load_subject_public_key();
      direct.trusted = leaf.check_signature(*public_key);
      direct.detail = direct.trusted ? "the signer certificate is itself a trust anchor"
                                     : "the trusted self-signed signer certificate's signature does not verify";
    } catch (const std::exception& e) {
      direct.unsupported = true;  // a key algorithm Botan 2 lacks (Ed448): it cannot judge, not "untrusted"
      direct.detail = std::string("Botan cannot load the trusted signer certificate's key: ") + e.what();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (cache_.size() >= kMaxCached) cache_.clear();
    cache_.emplace(key, direct);
    return direct;
  }
  std::vector<Botan::X509_Certificate> end_certs{leaf};
  end_certs.insert(end_certs.end(), extra.begin(), extra.end());
  end_certs.insert(end_certs.end(), intermediates_.begin(), intermediates_.end());
  // libsign's policy judges weak hashes and keys in its policy step, not in the path: the path here
  // accepts what OpenSSL's path validation accepts (no key-size floor, MD5 to SHA-3), so that a
  // difference is a disagreement, not a policy choice.
  const std::set<std::string> hashes = {"MD5", "SHA-1", "SHA-160", "SHA-224", "SHA-256", "SHA-384", "SHA-512",
                                        "SHA-3(256)", "SHA-3(384)", "SHA-3(512)"};
  Botan::Path_Validation_Restrictions restrictions(false, 0, false, hashes);
  std::vector<Botan::Certificate_Store*> roots{&store_->anchors};
  PathConclusion out;
  try {
    auto result = Botan::x509_path_validate(end_certs, restrictions, roots, "", Botan::Usage_Type::UNSPECIFIED,
                                            std::chrono::system_clock::from_time_t(static_cast<time_t>(at_unix)));
    bool errors = false;
    std::string first_error;
    for (const auto& statuses : result.all_statuses()) {
      for (auto code : statuses) {
        if (code < Botan::Certificate_Status_Code::FIRST_ERROR_STATUS) continue;
        if (is_time_status(code)) {
          out.time_problem = true;
        } else if (code == Botan::Certificate_Status_Code::SIGNATURE_ALGO_UNKNOWN) {
          out.unsupported = true;  // e.g. an Ed448 CA: Botan 2 cannot check it
        } else if (!errors) {
          errors = true;
          first_error = Botan::Path_Validation_Result::status_string(code);
        }
      }
    }
    out.trusted = !result.cert_path().empty() && !errors && !out.unsupported;
    out.detail = out.unsupported ? "a certificate of the path is signed with an algorithm Botan does not know"
               : out.trusted ? (out.time_problem ? "path to an anchor; a certificate is outside its validity period"
                                                 : "path to an anchor")
                             : (errors ? first_error : result.result_string());
  } catch (const std::exception& e) {
    out.detail = std::string("Botan path validation failed: ") + e.what();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_.emplace(key, out);
  return out;
}

Botan::X509_Certificate BotanTrust::certificate(const std::vector<uint8_t>& der) const {
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  h->update(der);
  const std::string k = Botan::hex_encode(h->final());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = certificates_.find(k);
    if (it != certificates_.end()) return it->second;
  }
  Botan::X509_Certificate cert(der);  // throws for what Botan refuses: never cached
  std::lock_guard<std::mutex> lock(mutex_);
  if (certificates_.size() >= kMaxCached) certificates_.clear();
  certificates_.emplace(k, cert);
  return cert;
}

std::shared_ptr<const Botan::Public_Key> BotanTrust::public_key(const Botan::X509_Certificate& cert) const {
  const std::vector<uint8_t>& spki = cert.subject_public_key_info();
  const std::string k(spki.begin(), spki.end());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = keys_.find(k);
    if (it != keys_.end()) return it->second;
  }
  std::shared_ptr<const Botan::Public_Key> key;
  try {
    key = cert.load_subject_public_key();
  } catch (const std::exception&) {
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (keys_.size() >= kMaxCached) keys_.clear();
  keys_.emplace(k, key);
  return key;
}

std::vector<Botan::X509_Certificate> parse_certificates(const std::vector<std::string>& ders, std::vector<std::string>* errors) {
  std::vector<Botan::X509_Certificate> out;
  for (const auto& der : ders) {
    try {
      out.emplace_back(std::vector<uint8_t>(der.begin(), der.end()));
    } catch (const std::exception& e) {
      if (errors) errors->push_back(e.what());
    }
  }
  return out;
}

}  // namespace libsign::crosscheck
