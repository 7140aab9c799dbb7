// Use cases of an agent's own availability and settings, and of the team's live status:
// the toggle, the settings page, and telling the agent (all tabs) and admins whenever an
// effective status changes.
#pragma once

#include <vector>

#include "app/clock.hpp"
#include "app/ports.hpp"
#include "bus/event_bus.hpp"
#include "core/availability.hpp"
#include "core/result.hpp"

namespace parley::app {

class AgentService {
 public:
  AgentService(store::Store& store, bus::EventBus& bus, Clock clock)
      : store_(store), bus_(bus), clock_(std::move(clock)) {}

  core::EffectiveStatus status(const core::Agent& agent) const;

  // The toggle: an override from now until the next block boundary or local midnight.
  core::Result<core::Agent> set_availability(const core::Agent& agent, bool available);
  // bad_request for an unknown time zone, an invalid schedule, max_chats outside 1..1000.
  core::Result<core::Agent> update_settings(const core::Agent& agent, core::AgentSettings settings);
  // Every agent, for admins only (forbidden otherwise).
  core::Result<std::vector<core::Agent>> list_agents(const core::Agent& viewer);

  // Sends the agent's current status to them and to admins, and stores when it next changes.
  void publish_status(const core::Agent& agent, bool schedule_next_check = true);

 private:
  store::Store& store_;
  bus::EventBus& bus_;
  Clock clock_;
};

}  // namespace parley::app
