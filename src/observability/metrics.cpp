#include "observability/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <map>
#include <mutex>

namespace parley::observability {

namespace {
using prometheus::Histogram;

// Batches hold 1 to 1024 jobs (the writers' kMaxBatch).
const Histogram::BucketBoundaries kBatchSizes = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
// A commit is an fsync (SQLite) or a round trip and a WAL flush (PostgreSQL): 0.5 ms to seconds.
const Histogram::BucketBoundaries kCommitSeconds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                    0.05,   0.1,   0.25,   0.5,   1,     2.5};
// An HTTP answer: most are a read or a write (about a millisecond); logins hash a password.
const Histogram::BucketBoundaries kHttpSeconds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                  0.1,   0.25,   0.5,   1,    2.5,   5};

struct ScrapeGauge {
  std::string name, help;
  std::function<std::vector<Sample>()> read;
};
}  // namespace

struct Metrics::Impl {
  prometheus::Registry registry;
  prometheus::Family<prometheus::Gauge>& sockets =
      prometheus::BuildGauge()
          .Name("parley_open_sockets")
          .Help("Open WebSocket connections of this node, by kind (agent or visitor; "
                "authenticated sockets only)")
          .Register(registry);
  prometheus::Gauge& agent_sockets = sockets.Add({{"kind", "agent"}});
  prometheus::Gauge& visitor_sockets = sockets.Add({{"kind", "visitor"}});
  prometheus::Counter& messages = prometheus::BuildCounter()
                                      .Name("parley_messages_persisted_total")
                                      .Help("Chat messages committed to the database by this node")
                                      .Register(registry)
                                      .Add({});
  prometheus::Family<Histogram>& batch_size =
      prometheus::BuildHistogram()
          .Name("parley_group_commit_batch_size")
          .Help("Writes per group-commit batch, by writer")
          .Register(registry);
  prometheus::Family<Histogram>& commit_seconds =
      prometheus::BuildHistogram()
          .Name("parley_group_commit_duration_seconds")
          .Help("Time from a group-commit batch's BEGIN until its COMMIT returned, by writer")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& http_requests =
      prometheus::BuildCounter()
          .Name("parley_http_requests_total")
          .Help("HTTP requests answered, by route (path pattern), method and status")
          .Register(registry);
  prometheus::Family<Histogram>& http_seconds =
      prometheus::BuildHistogram()
          .Name("parley_http_request_duration_seconds")
          .Help("Time from a request's arrival until its answer was written, by route")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& refusals =
      prometheus::BuildCounter()
          .Name("parley_rate_limited_total")
          .Help("Requests, sockets and messages refused by a rate limit, by limit")
          .Register(registry);
  prometheus::Counter& webhooks_delivered =
      prometheus::BuildCounter()
          .Name("parley_webhook_deliveries_total")
          .Help("Webhook deliveries acknowledged by their endpoint (2xx)")
          .Register(registry)
          .Add({});
  prometheus::Counter& webhooks_failed =
      prometheus::BuildCounter()
          .Name("parley_webhook_delivery_failures_total")
          .Help("Webhook delivery attempts that failed (no answer, or not 2xx; each retry counts)")
          .Register(registry)
          .Add({});
  std::map<std::string, prometheus::Counter*, std::less<>> refusal_by_limit;

  std::mutex gauges_mutex;
  std::vector<ScrapeGauge> gauges;

  Impl() {
    for (const char* name : kRateLimits) refusal_by_limit[name] = &refusals.Add({{"limit", name}});
    refusal_by_limit["other"] = &refusals.Add({{"limit", "other"}});
  }
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::http_request(std::string_view route, std::string_view method, int status,
                           double seconds) {
  std::string r(route);
  impl_->http_requests
      .Add({{"route", r}, {"method", std::string(method)}, {"status", std::to_string(status)}})
      .Increment();
  impl_->http_seconds.Add({{"route", r}}, kHttpSeconds).Observe(seconds);
}

void Metrics::socket_opened(SocketKind kind) {
  (kind == SocketKind::agent ? impl_->agent_sockets : impl_->visitor_sockets).Increment();
}

void Metrics::socket_closed(SocketKind kind) {
  (kind == SocketKind::agent ? impl_->agent_sockets : impl_->visitor_sockets).Decrement();
}

void Metrics::rate_limited(std::string_view limit) {
  auto it = impl_->refusal_by_limit.find(limit);
  if (it == impl_->refusal_by_limit.end()) it = impl_->refusal_by_limit.find("other");
  it->second->Increment();
}

void Metrics::message_persisted() { impl_->messages.Increment(); }

void Metrics::batch_written(std::string_view writer, std::size_t jobs, double seconds) {
  prometheus::Labels labels{{"writer", std::string(writer)}};
  impl_->batch_size.Add(labels, kBatchSizes).Observe(static_cast<double>(jobs));
  impl_->commit_seconds.Add(labels, kCommitSeconds).Observe(seconds);
}

void Metrics::webhook_delivered() { impl_->webhooks_delivered.Increment(); }
void Metrics::webhook_failed() { impl_->webhooks_failed.Increment(); }

void Metrics::gauge_at_scrape(std::string name, std::string help,
                              std::function<std::vector<Sample>()> read) {
  std::lock_guard lock(impl_->gauges_mutex);
  impl_->gauges.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::scrape() const {
  auto families = impl_->registry.Collect();
  std::vector<ScrapeGauge> gauges;
  {
    std::lock_guard lock(impl_->gauges_mutex);
    gauges = impl_->gauges;
  }
  for (const auto& g : gauges) {
    prometheus::MetricFamily family{g.name, g.help, prometheus::MetricType::Gauge, {}};
    for (const auto& sample : g.read()) {
      prometheus::ClientMetric m;
      for (const auto& [name, value] : sample.labels) m.label.push_back({name, value});
      m.gauge.value = sample.value;
      family.metric.push_back(std::move(m));
    }
    families.push_back(std::move(family));
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace parley::observability
