#include "app/agent_service.hpp"

#include "app/agent_status.hpp"
#include "core/language.hpp"
#include "store/store.hpp"

namespace parley::app {

core::EffectiveStatus AgentService::status(const core::Agent& agent) const {
  return status_of(agent, clock_());
}

void AgentService::publish_status(const core::Agent& agent, bool schedule_next_check) {
  auto s = status(agent);
  if (schedule_next_check) store_.schedule_status_check(agent.id, s.until);
  auto event = std::make_shared<bus::Event>(bus::AgentStatusChanged{agent, s}, std::nullopt);
  bus_.publish(bus::agent_topic(agent.id), event);
  bus_.publish(bus::kAgentsTopic, event);
}

core::Result<core::Agent> AgentService::set_availability(const core::Agent& agent, bool available) {
  auto updated = store_.set_availability_override(agent.id, available, clock_());
  if (!updated) return updated.error();
  publish_status(*updated);
  return updated;
}

core::Result<core::Agent> AgentService::update_settings(const core::Agent& agent,
                                                        core::AgentSettings settings) {
  if (!is_known_time_zone(settings.time_zone)) {
    return core::bad_request("unknown time zone: " + settings.time_zone);
  }
  if (auto ok = core::validate_schedule(settings.schedule); !ok) return ok.error();
  if (settings.max_chats < 1 || settings.max_chats > 1000) {
    return core::bad_request("max_chats must be between 1 and 1000");
  }
  if (!core::is_language_setting(settings.language)) {
    return core::bad_request("language must be \"sv\", \"en\" or \"\" (the browser's)");
  }
  auto updated = store_.update_agent_settings(agent.id, settings);
  if (!updated) return updated.error();
  publish_status(*updated);
  return updated;
}

core::Result<std::vector<core::Agent>> AgentService::list_agents(const core::Agent& viewer) {
  if (viewer.role != core::Role::admin) return core::forbidden("only admins see every agent");
  return store_.list_agents();
}

}  // namespace parley::app
