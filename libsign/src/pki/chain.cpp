#include "pki/chain.hpp"

#include "pki/certificate.hpp"

namespace libsign::pki {
namespace {

struct Collected {
  bool leaf_expired = false, leaf_not_yet_valid = false, ca_time_invalid = false;
  int error = 0, depth = -1;
};

// Time problems are recorded and verification goes on, so the rest of the path is still judged;
// anything else stops it.
int verify_callback(int ok, X509_STORE_CTX* ctx) {
  if (ok) return 1;
  auto* c = static_cast<Collected*>(X509_STORE_CTX_get_app_data(ctx));
  int err = X509_STORE_CTX_get_error(ctx);
  int depth = X509_STORE_CTX_get_error_depth(ctx);
  if (err == X509_V_ERR_CERT_HAS_EXPIRED || err == X509_V_ERR_CERT_NOT_YET_VALID) {
    if (depth == 0) {
      (err == X509_V_ERR_CERT_HAS_EXPIRED ? c->leaf_expired : c->leaf_not_yet_valid) = true;
    } else {
      c->ca_time_invalid = true;
    }
    return 1;
  }
  if (c->error == 0) {
    c->error = err;
    c->depth = depth;
  }
  return 0;
}

struct Attempt {
  bool verified = false;
  Collected collected;
  std::vector<Cert> chain;
};

Attempt attempt(X509_STORE* trusted, STACK_OF(X509)* untrusted, X509* leaf, long long at_unix) {
  Attempt result;
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || !X509_STORE_CTX_init(ctx.get(), trusted, leaf, untrusted)) return result;
  X509_STORE_CTX_set_app_data(ctx.get(), &result.collected);
  X509_STORE_CTX_set_verify_cb(ctx.get(), verify_callback);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(at_unix));
  result.verified = X509_verify_cert(ctx.get()) == 1 && result.collected.error == 0;
  if (STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(ctx.get())) {
    for (int i = 0; i < sk_X509_num(built); ++i) result.chain.push_back(share_up_ref(sk_X509_value(built, i)));
  }
  ERR_clear_error();
  return result;
}

bool is_missing_issuer(int err) {
  return err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY || err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT;
}
bool is_untrusted_root(int err) {
  return err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN || err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT;
}

// The certificates that came with the signature, then the known intermediates.
X509StackPtr untrusted_pool(const std::vector<Cert>& extra, STACK_OF(X509)* known) {
  X509StackPtr pool(sk_X509_new_null());
  auto push = [&](X509* c) {
    X509_up_ref(c);
    sk_X509_push(pool.get(), c);
  };
  for (const auto& c : extra) push(c.get());
  for (int i = 0; i < sk_X509_num(known); ++i) push(sk_X509_value(known, i));
  return pool;
}

}  // namespace

ChainResult validate_chain(const TrustStore& store, X509* leaf, const std::vector<Cert>& extra, long long at_unix) {
  ChainResult result;
  Attempt first = attempt(store.trusted(), untrusted_pool(extra, store.intermediates()).get(), leaf, at_unix);
  result.chain = first.chain;
  result.leaf_expired = first.collected.leaf_expired;
  result.leaf_not_yet_valid = first.collected.leaf_not_yet_valid;
  result.ca_time_invalid = first.collected.ca_time_invalid;
  result.error = first.collected.error;
  result.error_depth = first.collected.depth;
  if (first.verified) {
    result.status = ChainStatus::ok;
    if (!result.chain.empty()) result.anchor_profile = store.profile_of(result.chain.back().get());
    result.detail = "path to a trusted anchor built";
    return result;
  }
  // Would another known profile have accepted it? Then the cause is the profile, not the chain.
  Attempt other = attempt(store.all_known(), untrusted_pool(extra, store.intermediates(true)).get(), leaf, at_unix);
  if (other.verified && !other.chain.empty()) {
    result.status = ChainStatus::wrong_pki;
    result.chain = other.chain;
    result.anchor_profile = store.profile_of(other.chain.back().get());
    result.detail = "the path ends at an anchor of profile '" + result.anchor_profile + "', not '" +
                    store.selected_profile() + "'";
    return result;
  }
  if (is_missing_issuer(result.error)) {
    result.status = ChainStatus::incomplete;
  } else if (is_untrusted_root(result.error)) {
    result.status = ChainStatus::untrusted_root;
  } else {
    result.status = ChainStatus::invalid;
  }
  result.detail = X509_verify_cert_error_string(result.error);
  return result;
}

}  // namespace libsign::pki
