// The application services the network layer may use. net/ reaches the store only
// through these.
#pragma once

#include "app/agent_service.hpp"
#include "app/api_token_service.hpp"
#include "app/auth_service.hpp"
#include "app/chat_service.hpp"
#include "app/email_service.hpp"
#include "app/health.hpp"
#include "app/inbox_queries.hpp"
#include "app/meeting_service.hpp"
#include "app/people_service.hpp"
#include "app/presence.hpp"
#include "app/routing_admin.hpp"
#include "app/team_service.hpp"
#include "app/webhook_service.hpp"
#include "bus/event_bus.hpp"

namespace parley::net {

struct Services {
  app::AuthService& auth;
  app::AgentService& agents;
  app::ChatService& chats;
  app::InboxQueries& inbox;
  app::RoutingAdmin& routing;
  app::PeopleService& people;
  app::MeetingService& meetings;
  bus::EventBus& bus;
  app::Health& health;
  app::Presence& presence;
  app::TeamService& team;
  app::ApiTokenService& api_tokens;
  app::EmailService& email;
  app::WebhookService& webhooks;
};

inline constexpr const char* kSessionCookie = "parley_session";

}  // namespace parley::net
