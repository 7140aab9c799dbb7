// The event bus port: publish an event to a topic, and every live subscriber of that
// topic receives it. Local (in-process) now; Redis pub/sub when several nodes run.
//
// Topics: "conversation:<id>" (its event log and typing), "inbox" (status changes of
// any conversation; agents filter by visibility), "agent:<id>" (requests offered to one
// agent, their own status), "visitor:<id>" (status changes of a visitor's chats),
// "agents" (every agent's status, for admins).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "bus/event.hpp"

namespace parley::bus {

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Called from the publisher's thread; implementations hand the event to their own
  // executor and must not block.
  virtual void deliver(const EventPtr& event) = 0;
  // The bus may have lost events (Redis was unreachable for a while): read the store for
  // whatever this subscriber follows. Called from a bus thread; must not block.
  virtual void resync() {}
};

class EventBus {
 public:
  virtual ~EventBus() = default;
  virtual void publish(const std::string& topic, EventPtr event) = 0;
  // Subscriptions are weak: a subscriber that has gone away is dropped on next publish.
  virtual void subscribe(const std::string& topic, std::weak_ptr<Subscriber> subscriber) = 0;
  virtual void unsubscribe(const std::string& topic, const Subscriber* subscriber) = 0;
  // Why events cannot reach the other nodes right now (for /healthz), or nullopt.
  virtual std::optional<std::string> unavailable() const { return std::nullopt; }
};

std::string conversation_topic(core::Id id);
std::string agent_topic(core::Id id);
std::string visitor_topic(core::Id id);
inline constexpr const char* kInboxTopic = "inbox";
inline constexpr const char* kAgentsTopic = "agents";

}  // namespace parley::bus
