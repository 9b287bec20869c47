// libsign-serve: the HTTP API for portals (`libsign serve` runs this program; docs/service.md).
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <iostream>
#include <thread>

#include <openssl/crypto.h>

#include <httplib.h>

#include "../error_output.hpp"
#include "libsign/version.hpp"
#include "pool.hpp"
#include "routes.hpp"

namespace {

using namespace libsign;
using namespace libsign::serve;

std::atomic<int> g_listen_fd{-1};
std::atomic<bool> g_signalled{false};

// Waits for SIGTERM/SIGINT (blocked in every thread, taken here with sigwait), then drains: the
// listening socket stops accepting (accept fails, the server loop ends), connections already
// accepted are served to the end, responses say "Connection: close", and listen() returns once
// the worker pool has run every queued connection.
void wait_for_signal(Service& service, httplib::Server& server) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal = 0;
  sigwait(&set, &signal);
  g_signalled.store(true);
  service.draining.store(true);
  service.log->note("draining", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  int fd = g_listen_fd.load();
  if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
  else server.stop();
}

int run(Settings& settings) {
  auto [host, port] = split_listen(settings.listen);
  const bool tls = !settings.tls_cert.empty() || !settings.tls_key.empty();
  if (tls && (settings.tls_cert.empty() || settings.tls_key.empty()))
    throw Error(ErrorCategory::usage, "USAGE_INVALID", "TLS needs both --tls-cert and --tls-key");
  if (!tls && !is_loopback(host) && !settings.insecure_listen)
    throw Error(ErrorCategory::usage, "USAGE_INVALID",
                "plain HTTP on " + host + " would carry tokens and documents unencrypted: give --tls-cert/--tls-key, listen on "
                "127.0.0.1, or --insecure-listen behind a TLS proxy");
  if (settings.token_file.empty()) throw Error(ErrorCategory::usage, "USAGE_INVALID", "give --token-file FILE");

  Service service;
  service.settings = settings;
  service.tokens = Tokens::load(settings.token_file);
  service.log = std::make_unique<AccessLog>(settings.access_log);
  service.verifiers = std::make_unique<Verifiers>(settings.verify_options());
  service.verifiers->get(settings.verify_options());  // the default trust configuration is built now: errors stop the start
  service.keys = KeyStore::load(settings.keys);

  std::unique_ptr<httplib::Server> server;
  if (tls) {
    server = std::make_unique<httplib::SSLServer>(settings.tls_cert.c_str(), settings.tls_key.c_str());
    if (!server->is_valid())
      throw Error(ErrorCategory::usage, "USAGE_INVALID", "the TLS certificate or key cannot be used (PEM files, matching pair)");
  } else {
    server = std::make_unique<httplib::Server>();
  }
  const size_t threads = settings.threads ? settings.threads : std::max<size_t>(8, 2 * std::thread::hardware_concurrency());
  const size_t queue = settings.max_queue;
  server->new_task_queue = [threads, queue] { return new BoundedPool(threads, queue); };
  // The library writes headers and body separately: with Nagle's algorithm the body waits for the
  // client's delayed ACK, ~40 ms per keep-alive request (measured). TCP_NODELAY is inherited by
  // accepted sockets.
  server->set_tcp_nodelay(true);
  server->set_payload_max_length(settings.max_body);
  server->set_read_timeout(settings.read_timeout, 0);
  server->set_write_timeout(settings.write_timeout, 0);
  server->set_keep_alive_timeout(settings.keep_alive_timeout);
  server->set_keep_alive_max_count(std::max<size_t>(1, settings.keep_alive_requests));
  server->set_socket_options([](int fd) {  // the listening socket: kept for the SIGTERM drain
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    g_listen_fd.store(fd);
  });
  install(*server, service);

  if (!server->bind_to_port(host, port))
    throw Error(ErrorCategory::usage, "USAGE_INVALID", "cannot listen on " + settings.listen + " (in use, or not an address of this machine)");
  // The port actually bound (port 0 asks the kernel for a free one: tests use that).
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  int bound = port;
  if (::getsockname(g_listen_fd.load(), reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    bound = ntohs(addr.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  service.log->note("listening", std::string(tls ? "https://" : "http://") + (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
                                     ":" + std::to_string(bound) + " libsign " + libsign::version + ", " +
                                     std::to_string(threads) + " threads, " + std::to_string(service.tokens.size()) + " tokens");

  std::thread signals([&] { wait_for_signal(service, *server); });
  server->listen_after_bind();  // returns when the drain has finished every accepted connection
  service.draining.store(true);
  if (!g_signalled.load()) {
    // listen ended without a signal (the socket failed): wake the signal thread so it can end.
    pthread_kill(signals.native_handle(), SIGTERM);
  }
  signals.join();
  service.log->note("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr);
  // Signals are taken by one thread with sigwait; every thread started from here inherits the mask.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // a client that goes away must not end the service

  CLI::App app{"libsign serve: the HTTP API for portals (verify, sign, diagnose); docs/service.md"};
  app.set_version_flag("--version", libsign::version);
  Settings settings;
  add_flags(app, settings);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    libsign::cli::print_error(std::cerr, "serve", "USAGE_INVALID", e.what(), "en");
    return 3;
  }
  try {
    apply_config_file(app, settings);
    return run(settings);
  } catch (const Error& e) {
    libsign::cli::print_error(std::cerr, "serve", e.code(), e.what(), "en");
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "libsign serve: unexpected error: " << e.what() << "\n";
    return 3;
  }
}
