// Which agents have the Inbox open, across every node. Routing offers a chat only to an agent
// with a live connection somewhere (nobody else could be told of it), and an offer to an agent
// who has gone moves on without waiting out its accept window.
//
// Each node reports the agents it holds sockets for, with an expiry, every kHeartbeat; an
// agent is online while some node's report for them has not expired. A node that dies stops
// reporting, so its agents go offline within kExpiry. An agent who reloads the Inbox, or whose
// socket moves to another node, is back well within kExpiry and never looks offline.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "app/clock.hpp"
#include "app/ports.hpp"
#include "core/types.hpp"

namespace parley::app {

class Presence {
 public:
  static constexpr core::Millis kHeartbeat = 5'000;
  static constexpr core::Millis kExpiry = 15'000;

  Presence(store::Store& store, std::string node_id, Clock clock)
      : store_(store), node_id_(std::move(node_id)), clock_(std::move(clock)) {}

  // A socket of this agent authenticated on this node. The first one is reported at once:
  // a chat requested right after the agent's `hello` must find them online. If that report
  // fails (the database is away) it throws and the socket is not counted.
  void connected(core::Id agent_id);
  // A socket of this agent closed. Nothing is written: the report lapses by itself once no
  // heartbeat renews it.
  void disconnected(core::Id agent_id);
  // Renews the report of every agent with a socket on this node (every kHeartbeat).
  void heartbeat();

  const std::string& node_id() const { return node_id_; }

 private:
  store::Store& store_;
  const std::string node_id_;
  Clock clock_;
  std::mutex mutex_;
  std::unordered_map<core::Id, int> sockets_;  // agent -> open sockets on this node
};

}  // namespace parley::app
