#include "cli/metrics_options.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "net/log.hpp"

namespace parley::cli {

namespace {

constexpr std::size_t kMinTokenLength = 16;

// The store's batches, reported into the metrics (store/monitoring_store.hpp).
class BatchesToMetrics : public store::WriteObserver {
 public:
  BatchesToMetrics(observability::Metrics& metrics, store::Store& store)
      : metrics_(metrics), store_(store) {
    store_.observe_writes(this);
  }
  ~BatchesToMetrics() override { store_.observe_writes(nullptr); }
  void batch_written(std::string_view writer, std::size_t jobs, double seconds) override {
    metrics_.batch_written(writer, jobs, seconds);
  }

 private:
  observability::Metrics& metrics_;
  store::Store& store_;
};

bool parse_listen(const std::string& text, std::string& host, unsigned short& port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    std::size_t used = 0;
    std::string digits = text.substr(colon + 1);
    int p = std::stoi(digits, &used);
    if (used != digits.size() || p < 0 || p > 65535) return false;
    port = static_cast<unsigned short>(p);
  } catch (...) {
    return false;
  }
  return true;
}

}  // namespace

void add_metrics_flags(CLI::App& serve, MetricsFlags& f) {
  serve.add_option("--metrics-token-file", f.token_file,
                   "File whose first line (16+ characters) is the bearer token that reads "
                   "/metrics on the main listener; without it (or --metrics-listen) /metrics "
                   "is 404");
  serve.add_option("--metrics-listen", f.listen,
                   "HOST:PORT of a listener of its own that serves /metrics and nothing else "
                   "(no token needed there; keep it on a network only the monitoring reaches)");
}

bool apply_metrics_flags(const MetricsFlags& f, net::ServerOptions& o) {
  if (!f.token_file.empty()) {
    std::ifstream in(f.token_file);
    if (!in) {
      std::cerr << "parley: cannot read the metrics token file " << f.token_file << ": "
                << std::strerror(errno) << "\n";
      return false;
    }
    std::string token;
    std::getline(in, token);
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\t')) {
      token.pop_back();
    }
    if (token.size() < kMinTokenLength) {
      std::cerr << "parley: the metrics token in " << f.token_file << " must be at least "
                << kMinTokenLength << " characters on its first line (e.g. `openssl rand -hex 32`)\n";
      return false;
    }
    o.metrics_token = token;
  }
  if (!f.listen.empty()) {
    std::string host;
    unsigned short port = 0;
    if (!parse_listen(f.listen, host, port)) {
      std::cerr << "parley: --metrics-listen must be HOST:PORT, got '" << f.listen << "'\n";
      return false;
    }
    o.metrics_listen = std::make_pair(host, port);
  }
  return true;
}

std::shared_ptr<void> feed_metrics(observability::Metrics& metrics, store::Store& store,
                                   app::ChatService& chats) {
  chats.on_message_stored([&metrics] { metrics.message_persisted(); });
  metrics.gauge_at_scrape(
      "parley_write_queue_depth",
      "Writes queued for this node's group-commit writers, not yet in a batch",
      [&store] {
        return std::vector<observability::Sample>{
            {{}, static_cast<double>(store.write_queue_depth())}};
      });
  metrics.gauge_at_scrape(
      "parley_pending_offers",
      "Chat requests waiting for an agent to accept them (all nodes: read from the database)",
      [&store]() -> std::vector<observability::Sample> {
        try {
          return {{{}, static_cast<double>(store.count_pending_offers())}};
        } catch (const std::exception& e) {
          // The database is away: the scrape still answers, without this gauge.
          net::log_warn("metrics: pending offers not read", {{"error", e.what()}});
          return {};
        }
      });
  return std::make_shared<BatchesToMetrics>(metrics, store);
}

}  // namespace parley::cli
