#include "net/http.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <cstring>

#include "core/encoding.hpp"
#include "libsign/error.hpp"

namespace libsign::net {
namespace {

using Clock = std::chrono::steady_clock;

struct Url {
  std::string host, port = "80", path = "/";
};

Url parse_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0)
    throw Error(ErrorCategory::usage, "URL_INVALID", "only http:// URLs are supported: '" + url + "'");
  std::string rest = url.substr(scheme.size());
  Url out;
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) out.path = rest.substr(slash);
  if (authority.find('@') != std::string::npos)
    throw Error(ErrorCategory::usage, "URL_INVALID", "credentials in a URL are not accepted; use the options");
  size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    out.port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
  }
  if (!authority.empty() && authority.front() == '[' && authority.back() == ']') authority = authority.substr(1, authority.size() - 2);
  out.host = authority;
  if (out.host.empty() || out.port.empty() || out.port.find_first_not_of("0123456789") != std::string::npos)
    throw Error(ErrorCategory::usage, "URL_INVALID", "cannot read the URL '" + url + "'");
  return out;
}

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

[[noreturn]] void timeout(const std::string& what) {
  throw Error(ErrorCategory::network, "NETWORK_TIMEOUT", what + ": no answer within the deadline");
}

// Waits until `fd` is ready for `events` or the deadline passes.
void wait_for(int fd, short events, Clock::time_point deadline, const std::string& what) {
  while (true) {
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, remaining_ms(deadline));
    if (rc > 0) return;
    if (rc == 0) timeout(what);
    if (errno != EINTR) throw Error(ErrorCategory::network, "NETWORK_UNREACHABLE", what + ": " + std::strerror(errno), errno);
  }
}

// getaddrinfo() cannot be interrupted, and a slow name server could hold a fetch past the
// document's deadline: it runs on its own thread, which is left to finish alone on a timeout.
addrinfo* resolve(const Url& url, Clock::time_point deadline, const std::string& what) {
  struct Lookup {
    std::mutex mutex;
    std::condition_variable done;
    bool finished = false, abandoned = false;
    int rc = 0;
    addrinfo* result = nullptr;
  };
  auto lookup = std::make_shared<Lookup>();
  std::thread([lookup, host = url.host, port = url.port] {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* result = nullptr;
    int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &result);
    std::lock_guard<std::mutex> lock(lookup->mutex);
    if (lookup->abandoned) {
      if (result) ::freeaddrinfo(result);
      return;
    }
    lookup->rc = rc;
    lookup->result = result;
    lookup->finished = true;
    lookup->done.notify_one();
  }).detach();
  std::unique_lock<std::mutex> lock(lookup->mutex);
  if (!lookup->done.wait_until(lock, deadline, [&] { return lookup->finished; })) {
    lookup->abandoned = true;
    timeout(what + " (resolving " + url.host + ")");
  }
  if (lookup->rc != 0)
    throw Error(ErrorCategory::network, "NETWORK_UNREACHABLE", what + ": cannot resolve " + url.host + ": " + gai_strerror(lookup->rc));
  return lookup->result;
}

bool in_v4(uint32_t addr, uint32_t net, int bits) { return bits == 0 || (addr >> (32 - bits)) == (net >> (32 - bits)); }

// Whether connecting to `a` is allowed by the policy (checked on every resolved address, so a
// host name pointing at an internal address is refused too).
bool address_allowed(const sockaddr* a, const HostPolicy& policy) {
  bool loopback = false, internal = false;
  if (a->sa_family == AF_INET) {
    uint32_t v = ntohl(reinterpret_cast<const sockaddr_in*>(a)->sin_addr.s_addr);
    loopback = in_v4(v, 0x7f000000, 8);
    internal = in_v4(v, 0x0a000000, 8) || in_v4(v, 0xac100000, 12) || in_v4(v, 0xc0a80000, 16) || in_v4(v, 0x64400000, 10) ||
               in_v4(v, 0xa9fe0000, 16) || in_v4(v, 0, 8);
  } else if (a->sa_family == AF_INET6) {
    const unsigned char* b = reinterpret_cast<const sockaddr_in6*>(a)->sin6_addr.s6_addr;
    static const unsigned char one[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    loopback = std::memcmp(b, one, 16) == 0;
    bool mapped_v4 = std::all_of(b, b + 10, [](unsigned char c) { return c == 0; }) && b[10] == 0xff && b[11] == 0xff;
    internal = (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || mapped_v4;  // ULA, link-local, v4-mapped
  } else {
    return false;
  }
  if (loopback) return policy.allow_loopback;
  if (internal) return policy.allow_private;
  return true;
}

int connect_to(const Url& url, const HostPolicy& policy, Clock::time_point deadline, const std::string& what) {
  // A host named in the allowed list is allowed whatever its address class (that is what naming it means).
  bool listed = std::find(policy.allowed_hosts.begin(), policy.allowed_hosts.end(), url.host) != policy.allowed_hosts.end();
  if (!policy.allowed_hosts.empty() && !listed)
    throw Error(ErrorCategory::network, "HOST_NOT_ALLOWED", what + ": the host " + url.host + " is not in the allowed list");
  addrinfo* found = resolve(url, deadline, what);
  std::string last_error = "no address";
  for (addrinfo* a = found; a; a = a->ai_next) {
    if (!listed && !address_allowed(a->ai_addr, policy)) {
      ::freeaddrinfo(found);
      throw Error(ErrorCategory::network, "HOST_NOT_ALLOWED",
                  what + ": " + url.host + " is a loopback, private or link-local address, which is not allowed");
    }
  }
  for (addrinfo* a = found; a; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0 || errno == EINPROGRESS) {
      try {
        wait_for(fd, POLLOUT, deadline, what);
      } catch (...) {
        ::close(fd);
        ::freeaddrinfo(found);
        throw;
      }
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0) {
        ::freeaddrinfo(found);
        return fd;
      }
      last_error = std::strerror(err);
    } else {
      last_error = std::strerror(errno);
    }
    ::close(fd);
  }
  ::freeaddrinfo(found);
  throw Error(ErrorCategory::network, "NETWORK_UNREACHABLE", what + ": cannot connect to " + url.host + ":" + url.port + ": " + last_error);
}

}  // namespace

std::string base64(std::string_view bytes) { return core::base64_encode(bytes); }

HttpResponse http_request(const HttpRequest& request) {
  const std::string what = request.method + " " + request.url;
  Url url = parse_url(request.url);
  auto deadline = Clock::now() + request.timeout;
  Socket socket(connect_to(url, request.policy, deadline, what));

  std::string message = request.method + " " + url.path + " HTTP/1.0\r\nHost: " + url.host + "\r\nConnection: close\r\n";
  if (request.method == "POST")
    message += "Content-Type: " + request.content_type + "\r\nContent-Length: " + std::to_string(request.body.size()) + "\r\n";
  if (!request.authorization.empty()) message += "Authorization: " + request.authorization + "\r\n";
  message += "\r\n" + request.body;
  for (size_t sent = 0; sent < message.size();) {
    wait_for(socket.fd(), POLLOUT, deadline, what);
    ssize_t n = ::send(socket.fd(), message.data() + sent, message.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR)
      throw Error(ErrorCategory::network, "NETWORK_UNREACHABLE", what + ": " + std::strerror(errno), errno);
    if (n > 0) sent += static_cast<size_t>(n);
  }

  std::string raw;
  const size_t limit = request.max_response_bytes + 16 * 1024;  // body limit plus room for headers
  char buffer[16384];
  while (true) {
    wait_for(socket.fd(), POLLIN, deadline, what);
    ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      throw Error(ErrorCategory::network, "NETWORK_UNREACHABLE", what + ": " + std::strerror(errno), errno);
    }
    raw.append(buffer, static_cast<size_t>(n));
    if (raw.size() > limit) throw Error(ErrorCategory::network, "NETWORK_BAD_RESPONSE", what + ": response too large");
  }

  size_t header_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/", 0) != 0 || header_end == std::string::npos)
    throw Error(ErrorCategory::network, "NETWORK_BAD_RESPONSE", what + ": not an HTTP response");
  HttpResponse response;
  response.status = std::atoi(raw.c_str() + raw.find(' ') + 1);
  std::string headers = raw.substr(0, header_end);
  for (size_t pos = 0; (pos = headers.find("\r\n", pos)) != std::string::npos;) {
    pos += 2;
    size_t end = headers.find("\r\n", pos);
    std::string line = headers.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    std::string lower = line;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.rfind("content-type:", 0) == 0) {
      response.content_type = line.substr(13);
      response.content_type.erase(0, response.content_type.find_first_not_of(' '));
    }
  }
  response.body = raw.substr(header_end + 4);
  if (response.body.size() > request.max_response_bytes)
    throw Error(ErrorCategory::network, "NETWORK_BAD_RESPONSE", what + ": response too large");
  return response;
}

}  // namespace libsign::net
