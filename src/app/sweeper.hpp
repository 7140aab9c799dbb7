// Fires the stored deadlines: lapsed offers (re-route or fallback), idle chats (end for
// inactivity), agents whose effective status changes by itself (tell them and admins).
// Deadlines live in the database, so they survive a restart; each is claimed by a
// conditional update, so it fires once even when several nodes sweep.
#pragma once

#include "app/agent_service.hpp"
#include "app/chat_service.hpp"
#include "app/clock.hpp"
#include "app/ports.hpp"

namespace parley::app {

class Sweeper {
 public:
  Sweeper(store::Store& store, ChatService& chats, AgentService& agents, Clock clock)
      : store_(store), chats_(chats), agents_(agents), clock_(std::move(clock)) {}

  static constexpr int kBatch = 100;

  // One pass over everything due now. Returns how many deadlines it handled.
  int tick();

 private:
  store::Store& store_;
  ChatService& chats_;
  AgentService& agents_;
  Clock clock_;
};

}  // namespace parley::app
