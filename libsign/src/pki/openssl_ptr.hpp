// Owning smart pointers for the OpenSSL types the modules use.
#pragma once
#include <memory>
#include <string>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

namespace libsign::pki {

template <typename T, void (*Free)(T*)>
struct OsslDeleter {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using OsslPtr = std::unique_ptr<T, OsslDeleter<T, Free>>;

using X509Ptr = OsslPtr<X509, X509_free>;
using CrlPtr = OsslPtr<X509_CRL, X509_CRL_free>;
using CmsPtr = OsslPtr<CMS_ContentInfo, CMS_ContentInfo_free>;
using StorePtr = OsslPtr<X509_STORE, X509_STORE_free>;
using StoreCtxPtr = OsslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;
using OcspRespPtr = OsslPtr<OCSP_RESPONSE, OCSP_RESPONSE_free>;
using OcspBasicPtr = OsslPtr<OCSP_BASICRESP, OCSP_BASICRESP_free>;
using TstInfoPtr = OsslPtr<TS_TST_INFO, TS_TST_INFO_free>;
using PkeyCtxPtr = OsslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using MdCtxPtr = OsslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;

inline void free_x509_stack(STACK_OF(X509)* s) { sk_X509_pop_free(s, X509_free); }
using X509StackPtr = OsslPtr<STACK_OF(X509), free_x509_stack>;

// A shared certificate (X509 is reference counted; this keeps one reference).
using Cert = std::shared_ptr<X509>;
inline Cert share(X509* x) {  // takes ownership of one reference
  return Cert(x, X509_free);
}
inline Cert share_up_ref(X509* x) {
  X509_up_ref(x);
  return share(x);
}

// The last OpenSSL error as text (and clears the queue).
inline std::string openssl_error() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (!code) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

}  // namespace libsign::pki
