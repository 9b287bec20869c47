#include "pki/certificate.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>

#include "core/encoding.hpp"
#include "core/read_file.hpp"
#include "libsign/error.hpp"

namespace libsign::pki {
namespace {

using BioPtr = OsslPtr<BIO, BIO_free_all>;
using Pkcs7Ptr = OsslPtr<PKCS7, PKCS7_free>;

BioPtr memory_bio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

void append_pkcs7_certs(PKCS7* p7, std::vector<Cert>& out) {
  if (!p7 || !PKCS7_type_is_signed(p7) || !p7->d.sign) return;
  STACK_OF(X509)* certs = p7->d.sign->cert;
  for (int i = 0; i < sk_X509_num(certs); ++i) out.push_back(share_up_ref(sk_X509_value(certs, i)));
}

std::string name_to_utf8(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  // RFC 2253 order and escaping, but keep UTF-8 bytes as they are (Vietnamese names).
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

// "CCCD:001085012345" -> {"CCCD", "001085012345"}; the prefixes Vietnamese CAs put in UID.
void add_identifier(const std::string& value, std::map<std::string, std::string>& ids) {
  auto colon = value.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 8) return;
  std::string prefix = value.substr(0, colon);
  if (!std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) return;
  ids[prefix] = value.substr(colon + 1);
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

std::string entry_utf8(const X509_NAME_ENTRY* entry) {
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
  if (len < 0) return {};
  std::string value(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return value;
}

std::vector<Cert> parse_certificates(std::string_view data) {
  std::vector<Cert> out;
  if (data.find("-----BEGIN") != std::string_view::npos) {
    BioPtr bio = memory_bio(data);
    while (true) {
      char* name = nullptr;
      char* header = nullptr;
      unsigned char* body = nullptr;
      long len = 0;
      if (!PEM_read_bio(bio.get(), &name, &header, &body, &len)) break;
      std::string label = name;
      const unsigned char* p = body;
      if (label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE") {
        X509* x = label == "TRUSTED CERTIFICATE" ? d2i_X509_AUX(nullptr, &p, len) : d2i_X509(nullptr, &p, len);
        if (x) out.push_back(share(x));
      } else if (label == "PKCS7") {
        Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, len));
        append_pkcs7_certs(p7.get(), out);
      }
      OPENSSL_free(name);
      OPENSSL_free(header);
      OPENSSL_free(body);
    }
    ERR_clear_error();
    return out;
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(data.data());
  if (X509* x = d2i_X509(nullptr, &p, static_cast<long>(data.size()))) {
    out.push_back(share(x));
  } else {
    p = reinterpret_cast<const unsigned char*>(data.data());
    Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, static_cast<long>(data.size())));
    append_pkcs7_certs(p7.get(), out);
  }
  ERR_clear_error();
  return out;
}

std::vector<Cert> load_certificates(const std::string& path) {
  std::vector<Cert> out;
  if (is_directory(path)) {
    DIR* dir = ::opendir(path.c_str());
    if (!dir) throw Error(ErrorCategory::io, "INPUT_UNREADABLE", "cannot open folder '" + path + "'", errno);
    std::vector<std::string> names;
    while (dirent* e = ::readdir(dir)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
      std::string file = path + "/" + n;
      if (is_directory(file)) continue;
      auto certs = parse_certificates(core::read_file(file));
      out.insert(out.end(), certs.begin(), certs.end());
    }
    return out;  // a folder may legitimately hold other files (README, ...)
  }
  out = parse_certificates(core::read_file(path));
  if (out.empty())
    throw Error(ErrorCategory::format, "TRUST_FILE_INVALID", "no certificate could be read from '" + path + "'");
  return out;
}

long long asn1_time_to_unix(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || !ASN1_TIME_to_tm(t, &tm)) return 0;
  return static_cast<long long>(timegm(&tm));
}

bool is_self_signed(X509* cert) { return X509_self_signed(cert, 0) == 1; }

std::string der_of(X509* cert) {
  unsigned char* der = nullptr;
  int len = i2d_X509(cert, &der);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::string sha256_fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), md, &len);
  return core::to_hex(std::string_view(reinterpret_cast<char*>(md), len));
}

std::string certificate_digest_name(X509* cert) {
  int md_nid = NID_undef, pk_nid = NID_undef;
  if (!OBJ_find_sigid_algs(X509_get_signature_nid(cert), &md_nid, &pk_nid) || md_nid == NID_undef) return {};
  const char* sn = OBJ_nid2sn(md_nid);
  std::string name = sn ? sn : "";
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
  return name;  // "sha1", "sha256", "md5"
}

bool verifies_with(X509* cert, std::string_view data, std::string_view signature, const EVP_MD* md) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (!key) {
    ERR_clear_error();
    return false;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  bool ok = EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                             reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  ERR_clear_error();
  return ok;
}

int rsa_key_bits(X509* cert) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) return 0;
  return EVP_PKEY_get_bits(key);
}

std::string common_name(X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  return index < 0 ? std::string() : entry_utf8(X509_NAME_get_entry(subject, index));
}

CertificateInfo describe(X509* cert) {
  CertificateInfo info;
  const X509_NAME* subject = X509_get_subject_name(cert);
  info.subject = name_to_utf8(subject);
  info.issuer = name_to_utf8(X509_get_issuer_name(cert));
  for (int i = 0; i < X509_NAME_entry_count(subject); ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(subject, i);
    std::string value = entry_utf8(entry);
    switch (OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))) {
      case NID_commonName: info.common_name = value; break;
      case NID_organizationName: info.organization = value; break;
      case NID_organizationalUnitName: info.organizational_unit = value; break;
      case NID_title: info.title = value; break;
      case NID_localityName: info.locality = value; break;
      case NID_stateOrProvinceName: info.state = value; break;
      case NID_countryName: info.country = value; break;
      case NID_pkcs9_emailAddress: info.email = value; break;
      case NID_userId: add_identifier(value, info.identifiers); break;
      default: break;
    }
  }
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
  BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
  if (bn) {
    char* hex = BN_bn2hex(bn);
    info.serial_hex = hex;
    std::transform(info.serial_hex.begin(), info.serial_hex.end(), info.serial_hex.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    OPENSSL_free(hex);
    BN_free(bn);
  }
  info.not_before = core::iso_utc_unix(asn1_time_to_unix(X509_get0_notBefore(cert)));
  info.not_after = core::iso_utc_unix(asn1_time_to_unix(X509_get0_notAfter(cert)));
  info.sha256 = sha256_fingerprint(cert);
  if (EVP_PKEY* key = X509_get0_pubkey(cert)) {
    int id = EVP_PKEY_get_base_id(key);
    info.key_algorithm = id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "EC" : id == EVP_PKEY_ED25519 ? "Ed25519"
                       : id == EVP_PKEY_ED448 ? "Ed448" : id == EVP_PKEY_RSA_PSS ? "RSA-PSS" : OBJ_nid2sn(id);
    info.key_bits = EVP_PKEY_get_bits(key);
  }
  const char* sig = OBJ_nid2ln(X509_get_signature_nid(cert));
  info.signature_algorithm = sig ? sig : "";
  info.self_signed = is_self_signed(cert);
  ERR_clear_error();
  return info;
}

}  // namespace libsign::pki
