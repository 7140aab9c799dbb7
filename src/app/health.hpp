// Whether this node can serve: its database answers and, in a cluster, its event bus is
// connected. What /healthz reports, so a load balancer stops sending traffic to a node that
// cannot work and sends it again once the node has recovered by itself.
#pragma once

#include <string>
#include <vector>

#include "app/ports.hpp"
#include "bus/event_bus.hpp"

namespace parley::app {

class Health {
 public:
  Health(store::Store& store, bus::EventBus& bus) : store_(store), bus_(bus) {}
  // Empty when every dependency answers; otherwise one reason per one that does not.
  std::vector<std::string> problems();

 private:
  store::Store& store_;
  bus::EventBus& bus_;
};

}  // namespace parley::app
