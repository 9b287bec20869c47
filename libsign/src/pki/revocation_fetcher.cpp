#include "pki/revocation_fetcher.hpp"

#include <openssl/ocsp.h>

#include <fstream>
#include <sstream>

#include "core/encoding.hpp"
#include "pki/certificate.hpp"
#include "pki/revocation.hpp"

namespace libsign::pki {
namespace {

long long now_unix() { return core::to_unix(std::chrono::system_clock::now()); }

// Until when a fetched answer may be reused: its nextUpdate (OCSP or CRL), else one hour.
long long expiry_of(const std::string& body) {
  long long fallback = now_unix() + 3600;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(body.data());
  if (OcspRespPtr resp{d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(body.size()))}) {
    if (OCSP_response_status(resp.get()) != OCSP_RESPONSE_STATUS_SUCCESSFUL) return 0;  // never cache tryLater & co
    OcspBasicPtr basic(OCSP_response_get1_basic(resp.get()));
    if (!basic || OCSP_resp_count(basic.get()) < 1) return 0;
    ASN1_GENERALIZEDTIME *this_update = nullptr, *next_update = nullptr;
    OCSP_single_get0_status(OCSP_resp_get0(basic.get(), 0), nullptr, nullptr, &this_update, &next_update);
    ERR_clear_error();
    return next_update ? asn1_time_to_unix(next_update) : fallback;
  }
  p = reinterpret_cast<const unsigned char*>(body.data());
  if (CrlPtr crl{d2i_X509_CRL(nullptr, &p, static_cast<long>(body.size()))}) {
    ERR_clear_error();
    return X509_CRL_get0_nextUpdate(crl.get()) ? asn1_time_to_unix(X509_CRL_get0_nextUpdate(crl.get())) : fallback;
  }
  ERR_clear_error();
  return fallback;
}

std::string disk_name(const std::string& dir, const std::string& key) {
  unsigned char md[32];
  unsigned int len = 0;
  EVP_Digest(key.data(), key.size(), md, &len, EVP_sha256(), nullptr);
  return dir + "/" + core::to_hex(std::string_view(reinterpret_cast<char*>(md), len)) + ".der";
}

}  // namespace

RevocationFetcher::RevocationFetcher(const RevocationOptions& options)
    : options_(options), policy_{options.allow_loopback, options.allow_private, options.allowed_hosts} {}

Deadline RevocationFetcher::deadline_from_now() const { return std::chrono::steady_clock::now() + options_.total_timeout; }

void RevocationFetcher::add_counts(VerifierStats& stats) const {
  auto add = [](VerifierStats::ByKind& to, FetchKind kind, uint64_t n) {
    (kind == FetchKind::ocsp ? to.ocsp : kind == FetchKind::crl ? to.crl : to.ca_issuers) += n;
  };
  for (FetchKind kind : {FetchKind::ocsp, FetchKind::crl, FetchKind::ca_issuers}) {
    const Counters& c = counters_[static_cast<int>(kind)];
    add(stats.revocation_fetches, kind, c.fetches.load());
    add(stats.revocation_fetch_failures, kind, c.failures.load());
    add(stats.revocation_cache_hits, kind, c.cache_hits.load());
  }
}

std::optional<std::string> RevocationFetcher::cached(FetchKind kind, const std::string& key) {
  auto hit = [&](std::string body) {
    ++counters(kind).cache_hits;
    return std::optional<std::string>(std::move(body));
  };
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      if (it->second.expires > now_unix()) return hit(it->second.body);
      cache_.erase(it);
    }
  }
  if (options_.cache_dir.empty()) return std::nullopt;
  std::ifstream in(disk_name(options_.cache_dir, key), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream body;
  body << in.rdbuf();
  long long expires = expiry_of(body.str());
  if (expires <= now_unix()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mutex_);
  cache_[key] = {body.str(), expires};
  return hit(body.str());
}

void RevocationFetcher::remember(const std::string& key, const std::string& body) {
  long long expires = expiry_of(body);
  if (expires <= now_unix()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cache_[key] = {body, expires};
  }
  if (!options_.cache_dir.empty()) {
    // Write then rename: a reader never sees half a file.
    std::string path = disk_name(options_.cache_dir, key), temporary = path + ".tmp";
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (out.write(body.data(), static_cast<std::streamsize>(body.size())) && out.flush()) std::rename(temporary.c_str(), path.c_str());
  }
}

std::optional<std::string> RevocationFetcher::get(FetchKind kind, const std::string& key, const net::HttpRequest& request,
                                                  Deadline deadline, std::vector<FetchFailure>& failures) {
  if (auto hit = cached(kind, key)) return hit;
  std::shared_ptr<std::mutex> gate;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& slot = in_flight_[key];
    if (!slot) slot = std::make_shared<std::mutex>();
    gate = slot;
  }
  std::lock_guard<std::mutex> one_at_a_time(*gate);
  if (auto hit = cached(kind, key)) return hit;  // another thread fetched it meanwhile
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) {
    failures.push_back({request.url, "NETWORK_TIMEOUT", "the deadline for this document's fetches has passed"});
    return std::nullopt;
  }
  net::HttpRequest bounded = request;
  bounded.timeout = std::min(options_.request_timeout, left);
  bounded.max_response_bytes = options_.max_response_bytes;
  bounded.policy = policy_;
  try {
    ++counters(kind).fetches;
    net::HttpResponse response = net::http_request(bounded);
    if (response.status != 200) {
      ++counters(kind).failures;
      failures.push_back({request.url, "NETWORK_BAD_RESPONSE", "HTTP " + std::to_string(response.status)});
      return std::nullopt;
    }
    remember(key, response.body);
    return response.body;
  } catch (const Error& e) {
    ++counters(kind).failures;
    failures.push_back({request.url, e.code(), e.what()});
    return std::nullopt;
  }
}

std::optional<std::string> RevocationFetcher::ocsp(X509* cert, X509* issuer, Deadline deadline, std::vector<FetchFailure>& failures) {
  if (!enabled()) return std::nullopt;
  // Keyed by the certificate (issuer and serial); the request is built only when the cache misses.
  unsigned char fingerprint[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert, EVP_sha1(), fingerprint, &len);
  std::string id = core::to_hex(std::string_view(reinterpret_cast<char*>(fingerprint), len));
  for (const auto& url : ocsp_urls(cert)) {
    std::string key = "ocsp " + url + " " + id;
    if (auto hit = cached(FetchKind::ocsp, key)) return hit;
    net::HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.content_type = "application/ocsp-request";
    request.body = ocsp_request(cert, issuer);
    if (auto body = get(FetchKind::ocsp, key, request, deadline, failures)) return body;
  }
  return std::nullopt;
}

std::vector<std::string> RevocationFetcher::crls(X509* cert, Deadline deadline, std::vector<FetchFailure>& failures) {
  std::vector<std::string> out;
  if (!enabled()) return out;
  for (const auto& url : crl_urls(cert)) {
    net::HttpRequest request;
    request.method = "GET";
    request.url = url;
    if (auto body = get(FetchKind::crl, "crl " + url, request, deadline, failures)) {
      out.push_back(*body);
      break;  // one distribution point answering is enough
    }
  }
  return out;
}

std::vector<Cert> RevocationFetcher::issuers(X509* cert, Deadline deadline, std::vector<FetchFailure>& failures) {
  std::vector<Cert> out;
  if (!enabled()) return out;
  for (const auto& url : ca_issuer_urls(cert)) {
    net::HttpRequest request;
    request.method = "GET";
    request.url = url;
    if (auto body = get(FetchKind::ca_issuers, "ca " + url, request, deadline, failures)) {
      auto certs = parse_certificates(*body);
      out.insert(out.end(), certs.begin(), certs.end());
    }
  }
  return out;
}

}  // namespace libsign::pki
