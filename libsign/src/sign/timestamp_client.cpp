#include "sign/timestamp_client.hpp"

#include "cms/digests.hpp"
#include <openssl/rand.h>
#include <openssl/ts.h>

#include <chrono>

#include "cms/timestamp.hpp"
#include "core/encoding.hpp"
#include "net/http.hpp"
#include "pki/chain.hpp"
#include "pki/trust_store.hpp"

namespace libsign::sign {
namespace {

using TsReqPtr = pki::OsslPtr<TS_REQ, TS_REQ_free>;
using TsRespPtr = pki::OsslPtr<TS_RESP, TS_RESP_free>;

[[noreturn]] void invalid(const std::string& why) {
  throw Error(ErrorCategory::network, "TSA_RESPONSE_INVALID", "the time-stamping authority's answer is not usable: " + why);
}

// A timestamp query (RFC 3161 §2.4.1) asking for the TSA certificate, with a fresh nonce.
std::string make_query(const std::string& digest, std::string& nonce_out) {
  TsReqPtr req(TS_REQ_new());
  TS_REQ_set_version(req.get(), 1);
  pki::OsslPtr<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free> imprint(TS_MSG_IMPRINT_new());
  pki::OsslPtr<X509_ALGOR, X509_ALGOR_free> alg(X509_ALGOR_new());
  X509_ALGOR_set0(alg.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
  TS_MSG_IMPRINT_set_algo(imprint.get(), alg.get());
  TS_MSG_IMPRINT_set_msg(imprint.get(), reinterpret_cast<unsigned char*>(const_cast<char*>(digest.data())),
                         static_cast<int>(digest.size()));
  TS_REQ_set_msg_imprint(req.get(), imprint.get());
  unsigned char nonce_bytes[8];
  RAND_bytes(nonce_bytes, sizeof nonce_bytes);
  nonce_bytes[0] &= 0x7f;
  pki::OsslPtr<BIGNUM, BN_free> bn(BN_bin2bn(nonce_bytes, sizeof nonce_bytes, nullptr));
  pki::OsslPtr<ASN1_INTEGER, ASN1_INTEGER_free> nonce(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  TS_REQ_set_nonce(req.get(), nonce.get());
  TS_REQ_set_cert_req(req.get(), 1);
  nonce_out.assign(reinterpret_cast<char*>(nonce_bytes), sizeof nonce_bytes);
  unsigned char* der = nullptr;
  int len = i2d_TS_REQ(req.get(), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len > 0 ? len : 0));
  OPENSSL_free(der);
  return out;
}

std::string authorization(const TsaOptions& options) {
  if (options.username.empty()) return {};
  Secret password = options.password_env ? Secret::from_env(*options.password_env)
                    : options.password_file ? Secret::from_file(*options.password_file)
                                            : Secret();
  std::string pair = options.username + ":" + password.reveal();
  std::string header = "Basic " + net::base64(pair);
  OPENSSL_cleanse(pair.data(), pair.size());
  return header;
}

void check_nonce(TS_RESP* response, const std::string& nonce) {
  TS_TST_INFO* info = TS_RESP_get_tst_info(response);
  const ASN1_INTEGER* got = info ? TS_TST_INFO_get_nonce(info) : nullptr;
  if (!got) invalid("the token has no nonce");
  pki::OsslPtr<BIGNUM, BN_free> bn(ASN1_INTEGER_to_BN(got, nullptr));
  unsigned char bytes[16] = {};
  int len = bn ? BN_bn2binpad(bn.get(), bytes, static_cast<int>(nonce.size())) : -1;
  if (len != static_cast<int>(nonce.size()) || std::string(reinterpret_cast<char*>(bytes), nonce.size()) != nonce)
    invalid("the nonce does not match the request (a replayed answer?)");
}

void check_tsa(const TsaOptions& options, const cms::TimestampToken& token) {
  VerifyOptions trust_options;
  trust_options.trust_profile = options.trust_profile;
  trust_options.profile_dirs = options.profile_dirs;
  trust_options.trust_paths = options.trust_paths;
  pki::TrustStore trust(trust_options);
  long long now = core::to_unix(std::chrono::system_clock::now());
  pki::ChainResult chain = pki::validate_chain(trust, token.tsa_certificate.get(), token.certificates, now);
  if (chain.status != pki::ChainStatus::ok || chain.leaf_expired || chain.leaf_not_yet_valid || chain.ca_time_invalid)
    throw Error(ErrorCategory::network, "TSA_UNTRUSTED",
                "the time-stamping authority's certificate is not trusted: " + chain.detail);
}

}  // namespace

std::string request_timestamp(const TsaOptions& options, std::string_view data) {
  return request_timestamp_for_digest(options, cms::digest_bytes(data, EVP_sha256()));
}

std::string request_timestamp_for_digest(const TsaOptions& options, const std::string& digest) {
  std::string nonce;
  net::HttpRequest request;
  request.url = options.url;
  request.content_type = "application/timestamp-query";
  request.body = make_query(digest, nonce);
  request.authorization = authorization(options);
  request.timeout = options.timeout;
  request.max_response_bytes = 256 * 1024;
  net::HttpResponse response = net::http_post(request);
  if (response.status == 401 || response.status == 403)
    throw Error(ErrorCategory::network, "TSA_REJECTED", "the time-stamping authority refused the credentials (HTTP " +
                                                            std::to_string(response.status) + ")");
  if (response.status != 200)
    throw Error(ErrorCategory::network, "TSA_REJECTED", "the time-stamping authority answered HTTP " + std::to_string(response.status));

  const unsigned char* p = reinterpret_cast<const unsigned char*>(response.body.data());
  TsRespPtr parsed(d2i_TS_RESP(nullptr, &p, static_cast<long>(response.body.size())));
  if (!parsed) invalid("not a TimeStampResp");
  long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(parsed.get())));
  if (status != 0 && status != 1)
    throw Error(ErrorCategory::network, "TSA_REJECTED", "the time-stamping authority declined (PKIStatus " + std::to_string(status) + ")");
  PKCS7* token_p7 = TS_RESP_get_token(parsed.get());
  if (!token_p7) invalid("no token");
  check_nonce(parsed.get(), nonce);
  unsigned char* der = nullptr;
  int len = i2d_PKCS7(token_p7, &der);
  std::string token_der(reinterpret_cast<char*>(der), static_cast<size_t>(len > 0 ? len : 0));
  OPENSSL_free(der);

  cms::TimestampToken token = cms::read_timestamp_token(token_der);
  if (!token.parsed || !token.signature_valid) invalid(token.error);
  if (token.imprint != digest) invalid("the token covers other data");
  if (!token.tsa_key_usage_ok) invalid("the TSA certificate lacks the timeStamping key purpose");
  check_tsa(options, token);
  ERR_clear_error();
  return token_der;
}

}  // namespace libsign::sign
