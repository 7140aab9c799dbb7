// The node's metrics (docs/operations.md, "Monitoring"), kept behind this interface so that
// no other layer includes prometheus-cpp: transport (net/) bumps counters and serves the
// text, the store reports its group-commit batches through store::WriteObserver (bridged in
// cli/), and values that are cheap to read but costly to push (queue depth, pending offers)
// are read when scraped.
//
// Everything here is thread-safe. The hot-path calls (a socket opened, a batch written, a
// message stored) touch atomics only: prometheus-cpp's counters and gauges are atomics, and
// the series they land in are looked up once, here, at construction.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::observability {

enum class SocketKind { agent, visitor };

// One labelled value of a gauge read at scrape time.
struct Sample {
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

class Metrics {
 public:
  // The rate limits counted by name (net/rate_limiter.hpp); any other name counts as "other".
  static constexpr const char* kRateLimits[] = {
      "login_per_ip",        "visitor_sessions_per_ip", "chat_requests_per_ip",
      "messages_per_socket", "messages_per_visitor",    "ws_upgrades_per_ip"};

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One answered HTTP request. `route` must come from route_label() (a bounded set).
  void http_request(std::string_view route, std::string_view method, int status, double seconds);
  void socket_opened(SocketKind kind);
  void socket_closed(SocketKind kind);
  void rate_limited(std::string_view limit);
  // A message stored for the first time (a retried one is not counted twice).
  void message_persisted();
  // One group-commit batch: `writer` names the writer ("sqlite", "postgresql-0", …), `jobs`
  // how many writes it held, `seconds` from its BEGIN to its COMMIT returning.
  void batch_written(std::string_view writer, std::size_t jobs, double seconds);
  // Fed by app::WebhookService's worker: each try, delivered or failed.
  void webhook_delivered();
  void webhook_failed();

  // A gauge whose samples `read` gives when scraped (it may block briefly: /metrics runs on
  // a worker thread). Register before serving.
  void gauge_at_scrape(std::string name, std::string help,
                       std::function<std::vector<Sample>()> read);

  // The Prometheus text exposition format (version 0.0.4).
  std::string scrape() const;
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::observability
