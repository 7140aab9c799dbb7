// The HTTP + WebSocket server: one port, an io_context run by several threads, each
// connection on its own strand, C++20 coroutines for the request loop.
//   /api/...  -> api_router     /ws -> websocket_session
//   /healthz  -> liveness        everything else -> static files (web/dist)
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "net/services.hpp"
#include "net/static_files.hpp"

namespace parley::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port
  std::filesystem::path web_root = "web/dist";
  int threads = 4;
};

class Server {
 public:
  Server(Services& services, ServerOptions options);
  ~Server();

  // Binds and starts accepting; returns the bound port. Throws on failure to bind.
  unsigned short start();
  // Serves on `threads` threads until stop() or SIGINT/SIGTERM; returns after all
  // threads have finished their current handler.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::net
