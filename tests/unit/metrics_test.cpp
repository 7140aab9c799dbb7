// The metrics registry behind observability/metrics.hpp: what a scrape says after the calls
// transport and the store make.
#include "observability/metrics.hpp"

#include <gtest/gtest.h>

namespace parley::observability {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

TEST(Metrics, EveryFamilyIsThereBeforeAnythingHappens) {
  Metrics m;
  auto text = m.scrape();
  for (auto line : {"parley_messages_persisted_total 0", "parley_open_sockets{kind=\"agent\"} 0",
                    "parley_open_sockets{kind=\"visitor\"} 0",
                    "parley_webhook_deliveries_total 0", "parley_webhook_delivery_failures_total 0",
                    "parley_rate_limited_total{limit=\"login_per_ip\"} 0"}) {
    EXPECT_TRUE(has_line(text, line)) << line << "\n" << text;
  }
}

TEST(Metrics, CountsWhatIsReported) {
  Metrics m;
  m.message_persisted();
  m.message_persisted();
  m.socket_opened(SocketKind::visitor);
  m.socket_opened(SocketKind::visitor);
  m.socket_closed(SocketKind::visitor);
  m.socket_opened(SocketKind::agent);
  m.rate_limited("chat_requests_per_ip");
  m.rate_limited("made_up_limit");
  m.batch_written("sqlite", 3, 0.002);
  m.http_request("/api/v1/me", "GET", 401, 0.0004);
  m.gauge_at_scrape("parley_write_queue_depth", "queued writes",
                    [] { return std::vector<Sample>{{{}, 5}}; });
  auto text = m.scrape();
  for (auto line : {"parley_messages_persisted_total 2", "parley_open_sockets{kind=\"visitor\"} 1",
                    "parley_open_sockets{kind=\"agent\"} 1",
                    "parley_rate_limited_total{limit=\"chat_requests_per_ip\"} 1",
                    "parley_rate_limited_total{limit=\"other\"} 1",
                    "parley_group_commit_batch_size_count{writer=\"sqlite\"} 1",
                    "parley_group_commit_batch_size_sum{writer=\"sqlite\"} 3",
                    "parley_group_commit_duration_seconds_count{writer=\"sqlite\"} 1",
                    "parley_http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"401\"} 1",
                    "parley_http_request_duration_seconds_count{route=\"/api/v1/me\"} 1",
                    "parley_write_queue_depth 5"}) {
    EXPECT_TRUE(has_line(text, line)) << line << "\n" << text;
  }
  EXPECT_NE(std::string::npos, text.find("# TYPE parley_write_queue_depth gauge"));
}

}  // namespace
}  // namespace parley::observability
