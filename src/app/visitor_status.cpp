// ChatService::agents_available: the widget's "is anyone there?" before it shows a form.
#include "app/chat_service.hpp"
#include "app/routing_policy.hpp"
#include "core/routing.hpp"
#include "store/store.hpp"

namespace parley::app {

namespace {
// Every page view of every visitor asks; one read a second answers them all. An agent who
// just went available is offered chats at once; the widget learns of them within a second.
constexpr core::Millis kAvailabilityFreshFor = 1000;
}  // namespace

bool ChatService::agents_available() {
  auto now = clock_();
  std::lock_guard lock(availability_mutex_);
  if (availability_read_at_ != 0 && now >= availability_read_at_ &&
      now - availability_read_at_ < kAvailabilityFreshFor) {
    return availability_;
  }
  auto loads = store_.agent_loads_at(now);
  availability_ = core::anyone_eligible(candidates_at(loads, now));
  availability_read_at_ = now;
  return availability_;
}

}  // namespace parley::app
