// `parley serve`'s monitoring: the --metrics-token-file and --metrics-listen flags (who may
// read /metrics, net/metrics_endpoint.hpp), and the wiring that feeds the metrics from the
// store and the chat service, which know nothing of them.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "app/chat_service.hpp"
#include "net/server.hpp"
#include "observability/metrics.hpp"
#include "store/store.hpp"

namespace parley::cli {

struct MetricsFlags {
  std::string token_file;  // empty: no bearer access to /metrics
  std::string listen;      // HOST:PORT of a listener that serves /metrics only; empty: none
};

void add_metrics_flags(CLI::App& serve, MetricsFlags& flags);

// Reads the token file (its first line, at least 16 characters) and parses the listener;
// false (with the reason on stderr) when either is unusable.
bool apply_metrics_flags(const MetricsFlags& flags, net::ServerOptions& options);

// Feeds `metrics` from the store (group-commit batches, the write queue, pending offers) and
// the chat service (messages stored). Keep the result alive while the store runs; it stops
// the store's reports when destroyed.
std::shared_ptr<void> feed_metrics(observability::Metrics& metrics, store::Store& store,
                                   app::ChatService& chats);

}  // namespace parley::cli
