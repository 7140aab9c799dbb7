// The admin-tunable numbers of the chat life cycle (SPEC: "every one of them is a setting").
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/types.hpp"

namespace parley::core {

struct ChatPolicy {
  Millis accept_timeout = 100'000;      // how long one agent has to accept an offer
  Millis inactivity_timeout = 600'000;  // no message from either side for this long ends a chat
  int max_offers = 3;                   // offers per request before the visitor gets the fallback
  int history_days = 90;                // the visitor activity history shown to agents (SPEC §2)
  std::string fallback_message =
      "Sorry, no agent is available right now. Leave us your question by email and we will "
      "get back to you.";
  // Host names whose URLs (calendar feeds) may reach internal addresses: an on-premises
  // calendar server. Lower-case names, see core/address_policy. Empty: public hosts only.
  std::vector<std::string> fetch_allowed_hosts;
  // The visitor's reasonable hours, in minutes of the VISITOR's local day: a meeting slot
  // offered in the widget starts and ends within them (core::within_local_hours).
  int visitor_day_start = 8 * 60;
  int visitor_day_end = 20 * 60;
  bool operator==(const ChatPolicy&) const = default;
};

// Bounds: accept 5 s..1 h, inactivity 5 s..24 h, 1..20 offers, a 1..1000-byte message,
// 1..3650 days of history, fetch_allowed_hosts as validate_fetch_allowed_hosts says.
Status validate_chat_policy(const ChatPolicy& policy);

// The oldest activity time an agent sees at `now`: history_days before it, inclusive.
inline Millis history_since(const ChatPolicy& policy, Millis now) {
  return now - static_cast<Millis>(policy.history_days) * 24 * 3600 * 1000;
}

}  // namespace parley::core
