#include "bus/local_bus.hpp"

#include <algorithm>

namespace parley::bus {

std::string conversation_topic(core::Id id) { return "conversation:" + std::to_string(id); }
std::string agent_topic(core::Id id) { return "agent:" + std::to_string(id); }
std::string visitor_topic(core::Id id) { return "visitor:" + std::to_string(id); }

void LocalBus::publish(const std::string& topic, EventPtr event) {
  std::vector<std::shared_ptr<Subscriber>> receivers;
  {
    std::lock_guard lock(mutex_);
    auto it = topics_.find(topic);
    if (it == topics_.end()) return;
    auto& subs = it->second;
    std::erase_if(subs, [](const auto& weak) { return weak.expired(); });
    for (auto& weak : subs) {
      if (auto s = weak.lock()) receivers.push_back(std::move(s));
    }
    if (subs.empty()) topics_.erase(it);
  }
  // Deliver outside the lock: a subscriber may subscribe or publish in response.
  for (auto& r : receivers) r->deliver(event);
}

void LocalBus::subscribe(const std::string& topic, std::weak_ptr<Subscriber> subscriber) {
  std::lock_guard lock(mutex_);
  auto& subs = topics_[topic];
  auto target = subscriber.lock();
  bool already = std::any_of(subs.begin(), subs.end(),
                             [&](const auto& w) { return w.lock() == target; });
  if (!already) subs.push_back(std::move(subscriber));
}

void LocalBus::unsubscribe(const std::string& topic, const Subscriber* subscriber) {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  std::erase_if(it->second, [&](const auto& w) {
    auto s = w.lock();
    return !s || s.get() == subscriber;
  });
  if (it->second.empty()) topics_.erase(it);
}

void LocalBus::resync_all() {
  std::vector<std::shared_ptr<Subscriber>> everyone;
  {
    std::lock_guard lock(mutex_);
    for (auto& [topic, subs] : topics_) {
      for (auto& weak : subs) {
        if (auto s = weak.lock()) everyone.push_back(std::move(s));
      }
    }
  }
  std::sort(everyone.begin(), everyone.end());
  everyone.erase(std::unique(everyone.begin(), everyone.end()), everyone.end());
  for (auto& s : everyone) s->resync();
}

}  // namespace parley::bus
