// Signers over keys held in files: PKCS#12 and PEM. The key stays inside an EVP_PKEY (freed with
// the signer, OpenSSL clears key material on free); no password or key byte is ever logged.
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>


#include "cms/digests.hpp"
#include "core/read_file.hpp"
#include "libsign/sign.hpp"
#include "pki/certificate.hpp"

namespace libsign {
namespace {

using PkeyPtr = pki::OsslPtr<EVP_PKEY, EVP_PKEY_free>;
using BioPtr = pki::OsslPtr<BIO, BIO_free_all>;

class KeySigner final : public Signer {
 public:
  KeySigner(PkeyPtr key, std::vector<std::string> certificates) : key_(std::move(key)), certificates_(std::move(certificates)) {}

  const std::vector<std::string>& certificates() const override { return certificates_; }

  std::string sign(std::string_view data, const std::string& digest) const override {
    const EVP_MD* md = cms::digest_by_name(digest);
    if (!md) throw Error(ErrorCategory::usage, "DIGEST_ALGORITHM_UNSUPPORTED", "unsupported digest " + digest);
    pki::MdCtxPtr ctx(EVP_MD_CTX_new());
    size_t len = 0;
    if (EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
      throw Error(ErrorCategory::crypto_backend, "SIGNING_FAILED", "the key could not sign: " + pki::openssl_error());
    std::string out(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
      throw Error(ErrorCategory::crypto_backend, "SIGNING_FAILED", "the key could not sign: " + pki::openssl_error());
    out.resize(len);
    return out;
  }

  std::string key_type() const override { return EVP_PKEY_get_base_id(key_.get()) == EVP_PKEY_EC ? "ec" : "rsa"; }
  size_t max_signature_size() const override { return static_cast<size_t>(EVP_PKEY_get_size(key_.get())); }

 private:
  PkeyPtr key_;
  std::vector<std::string> certificates_;
};

// The key must be the certificate's: a mix-up would produce signatures nobody can verify.
void check_pair(EVP_PKEY* key, X509* cert) {
  if (X509_check_private_key(cert, key) != 1) {
    ERR_clear_error();
    throw Error(ErrorCategory::usage, "KEY_CERT_MISMATCH", "the private key does not belong to the certificate");
  }
  int id = EVP_PKEY_get_base_id(key);
  if (id != EVP_PKEY_RSA && id != EVP_PKEY_EC)
    throw Error(ErrorCategory::usage, "KEY_TYPE_UNSUPPORTED", "only RSA and EC keys can sign");
}

std::unique_ptr<Signer> make_signer(PkeyPtr key, X509* cert, const std::vector<pki::Cert>& chain) {
  check_pair(key.get(), cert);
  std::vector<std::string> certificates{pki::der_of(cert)};
  for (const auto& c : chain)
    if (X509_cmp(c.get(), cert) != 0) certificates.push_back(pki::der_of(c.get()));
  return std::make_unique<KeySigner>(std::move(key), std::move(certificates));
}

}  // namespace

std::unique_ptr<Signer> load_pkcs12_signer(const std::string& path, const Secret& password) {
  std::string data = core::read_file(path, "PKCS#12 file");
  BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  pki::OsslPtr<PKCS12, PKCS12_free> p12(d2i_PKCS12_bio(bio.get(), nullptr));
  if (!p12) {
    ERR_clear_error();
    throw Error(ErrorCategory::format, "KEY_FILE_INVALID", "'" + path + "' is not a PKCS#12 file");
  }
  if (PKCS12_verify_mac(p12.get(), password.reveal().c_str(), static_cast<int>(password.reveal().size())) != 1) {
    ERR_clear_error();
    throw Error(ErrorCategory::usage, "KEY_PASSWORD_WRONG", "wrong password for the PKCS#12 file '" + path + "'");
  }
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  if (PKCS12_parse(p12.get(), password.reveal().c_str(), &key, &cert, &ca) != 1 || !key || !cert) {
    ERR_clear_error();
    EVP_PKEY_free(key);
    X509_free(cert);
    sk_X509_pop_free(ca, X509_free);
    throw Error(ErrorCategory::format, "KEY_FILE_INVALID", "'" + path + "' holds no usable key and certificate");
  }
  PkeyPtr owned_key(key);
  pki::Cert owned_cert = pki::share(cert);
  std::vector<pki::Cert> chain;
  for (int i = 0; i < sk_X509_num(ca); ++i) chain.push_back(pki::share_up_ref(sk_X509_value(ca, i)));
  sk_X509_pop_free(ca, X509_free);
  return make_signer(std::move(owned_key), owned_cert.get(), chain);
}

std::unique_ptr<Signer> load_pem_signer(const std::string& key_path, const std::string& cert_path,
                                        const std::vector<std::string>& chain_paths, const Secret& key_password) {
  std::string key_data = core::read_file(key_path, "key file");
  BioPtr bio(BIO_new_mem_buf(key_data.data(), static_cast<int>(key_data.size())));
  // An empty passphrase callback result makes OpenSSL fail on encrypted keys instead of prompting.
  std::string pass = key_password.reveal();
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, pass.empty() ? const_cast<char*>("") : pass.data());
  OPENSSL_cleanse(pass.data(), pass.size());
  if (!key) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(key_data.data());
    key = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(key_data.size()));
  }
  OPENSSL_cleanse(key_data.data(), key_data.size());
  if (!key) {
    ERR_clear_error();
    throw Error(ErrorCategory::usage, "KEY_PASSWORD_WRONG",
                "cannot read the private key '" + key_path + "' (damaged, or encrypted with another password)");
  }
  PkeyPtr owned_key(key);
  std::vector<pki::Cert> leaf = pki::load_certificates(cert_path);
  std::vector<pki::Cert> chain;
  for (const auto& path : chain_paths) {
    auto certs = pki::load_certificates(path);
    chain.insert(chain.end(), certs.begin(), certs.end());
  }
  return make_signer(std::move(owned_key), leaf.front().get(), chain);
}

}  // namespace libsign
