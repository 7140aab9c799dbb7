// Looking a host name up with a deadline, for the clients that reach out (net/guarded_fetch,
// net/smtp_client). The system resolver (getaddrinfo) cannot be cancelled, so it runs on a
// helper thread that the caller stops waiting for at the deadline; the thread ends with the
// lookup (the resolver's own timeouts bound it). Asio's asynchronous resolver would make the
// io_context's teardown wait for it instead.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <string>
#include <vector>

namespace parley::net {

struct HostLookup {
  enum class Outcome { resolved, timed_out, failed };
  Outcome outcome = Outcome::failed;
  std::vector<boost::asio::ip::tcp::endpoint> endpoints;  // resolved: at least one
  std::string detail;                                     // failed: why, for the log
};

HostLookup lookup_host(const std::string& host, const std::string& port,
                       std::chrono::steady_clock::time_point deadline);

}  // namespace parley::net
