// Whether this node can serve, for load balancers (docs/api.md, "Health and readiness"):
//   problems()  — what /healthz reports: the database answers and, in a cluster, the event
//                 bus is connected (a read, no write);
//   not_ready() — what /readyz reports: the database takes a committed write (a probe
//                 through the same writer as every other write) and the bus is connected.
// A load balancer stops sending traffic to a node that cannot work and sends it again once
// the node has recovered by itself.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/ports.hpp"
#include "bus/event_bus.hpp"

namespace parley::app {

class Health {
 public:
  // A write probe's answer is reused for this long: /readyz needs no authentication, and a
  // flood of it must not become a flood of commits.
  static constexpr std::chrono::milliseconds kProbeReuse{1000};

  Health(store::Store& store, bus::EventBus& bus, Clock clock = system_now)
      : store_(store), bus_(bus), clock_(std::move(clock)) {}
  // Empty when every dependency answers; otherwise one reason per one that does not.
  std::vector<std::string> problems();
  // Empty when this node can take traffic; otherwise one reason per thing that stops it.
  std::vector<std::string> not_ready();

 private:
  std::optional<std::string> probe_write();

  store::Store& store_;
  bus::EventBus& bus_;
  Clock clock_;
  std::mutex probe_mutex_;  // one probe at a time; the others wait for its answer
  std::optional<std::chrono::steady_clock::time_point> probed_at_;
  std::optional<std::string> probe_failure_;
};

}  // namespace parley::app
