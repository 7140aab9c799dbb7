// The in-process event bus of a single-node Parley.
#pragma once

#include <mutex>
#include <unordered_map>
#include <vector>

#include "bus/event_bus.hpp"

namespace parley::bus {

class LocalBus final : public EventBus {
 public:
  void publish(const std::string& topic, EventPtr event) override;
  void subscribe(const std::string& topic, std::weak_ptr<Subscriber> subscriber) override;
  void unsubscribe(const std::string& topic, const Subscriber* subscriber) override;
  // Tells every live subscriber, once each, to resync.
  void resync_all();

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::weak_ptr<Subscriber>>> topics_;
};

}  // namespace parley::bus
