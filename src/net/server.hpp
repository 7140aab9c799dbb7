// The HTTP + WebSocket server: one port, one io_context per I/O thread, each connection on
// one of them, C++20 coroutines for the request loop.
//   /api/...  -> api_router     /ws -> websocket_session
//   /healthz  -> liveness        /readyz -> readiness     /metrics -> net/metrics_endpoint
//   everything else -> static files (web/dist)
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "net/client_address.hpp"
#include "net/rate_limiter.hpp"
#include "net/services.hpp"
#include "net/static_files.hpp"
#include "observability/metrics.hpp"

namespace parley::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port
  std::filesystem::path web_root = "web/dist";
  int threads = 4;
  // REST handlers run here, off the I/O threads (their store writes and calendar fetches
  // block); password hashing gets threads of its own at a lower priority, so a storm of
  // logins cannot starve live chats of CPU.
  int workers = 4;
  // Half the cores: a login storm may take at most half the machine, and only what the
  // chats leave (the hashing threads run at nice 19).
  int hash_workers = std::max(1u, std::thread::hardware_concurrency() / 2);

  // Slow and idle clients. A keep-alive connection may sit idle `idle_timeout` between
  // requests; once a request has begun its header must arrive within `header_timeout` and
  // its body within `body_timeout`. A WebSocket that has not authenticated within
  // `auth_timeout` is closed, and so is one from which nothing arrives for `ws_idle_timeout`;
  // one owed a replay whose writer makes no progress for `ws_write_stall` is cut off (it
  // resumes when it reconnects).
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds auth_timeout{10'000};
  std::chrono::milliseconds ws_idle_timeout{300'000};
  std::chrono::milliseconds ws_write_stall{30'000};
  int max_connections_per_ip = 256;  // 0: no cap; trusted proxies are never capped

  RateLimits limits;
  // Peers whose X-Forwarded-For / X-Forwarded-Proto are believed.
  std::vector<AddressRange> trusted_proxies;
  // The URL users reach Parley at; https:// makes the session cookie Secure.
  std::string public_url;

  // /metrics (net/metrics_endpoint.hpp). `metrics`: the registry the process fills (the
  // server keeps one of its own when null); `metrics_token`: the bearer token that reads it on
  // the main listener (empty: none); `metrics_listen`: a listener of its own that serves
  // /metrics only (unset: none; port 0 picks a free one).
  observability::Metrics* metrics = nullptr;
  std::string metrics_token;
  std::optional<std::pair<std::string, unsigned short>> metrics_listen;
};

class Server {
 public:
  Server(Services& services, ServerOptions options);
  ~Server();

  // Binds and starts accepting; returns the bound port. Throws on failure to bind.
  unsigned short start();
  // The metrics listener's bound port, once started (0: none).
  unsigned short metrics_port() const;
  // Serves on `threads` threads until stop() or SIGINT/SIGTERM; returns after all
  // threads have finished their current handler.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::net
