// The `parley serve` settings for slow clients, abuse and proxies (docs/api.md, "Limits"):
// declared on the CLI subcommand, then turned into net::ServerOptions with a clear error
// for a value that makes no sense.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "net/server.hpp"

namespace parley::cli {

struct HardeningFlags {
  int workers = 4;
  double idle_timeout = 60, header_timeout = 10, body_timeout = 30, auth_timeout = 10,
         ws_idle_timeout = 300, ws_write_stall = 30;
  int max_connections_per_ip = 256;
  std::vector<std::string> trusted_proxies;
  std::vector<std::string> rate_limits;  // NAME=COUNT/SECONDS or NAME=off
  std::string public_url;
};

void add_hardening_flags(CLI::App& serve, HardeningFlags& flags);

// Fills `options`; false (with the reason on stderr) when a value is invalid.
bool apply_hardening_flags(const HardeningFlags& flags, net::ServerOptions& options);

}  // namespace parley::cli
