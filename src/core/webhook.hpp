// Webhooks (issue 14): an admin registers endpoints (a URL, the events it wants, a secret
// Parley made) and every event they asked for is POSTed to them, signed, at least once and in
// order per conversation. The rules here are pure: which events exist, how a chosen list is
// checked, and when a failed delivery is tried again or given up.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/types.hpp"

namespace parley::core {

// Every event an endpoint may ask for, in a stable order (the UI's checkboxes, the docs).
// message.created is opt-in: an endpoint gets it only when it lists it, like any other.
const std::vector<std::string>& webhook_event_names();

// The events an admin chose: at least one, each known, none twice (order kept).
Result<std::vector<std::string>> parse_webhook_events(const std::vector<std::string>& names);

// The events as stored: " a b c " (a space on both sides of each name, so the database can
// ask "does this endpoint want X" with instr(events, ' X ') in a trigger).
std::string encode_webhook_events(const std::vector<std::string>& events);
std::vector<std::string> decode_webhook_events(std::string_view stored);

// A URL an endpoint may have: http or https, a host, at most 2,000 characters. (Where it
// resolves to is the guarded client's question, asked on saving and on every delivery.)
Status validate_webhook_url(std::string_view url);

struct WebhookEndpoint {
  Id id = 0;
  std::string url;
  std::vector<std::string> events;
  std::string secret;  // the HMAC key; shown to admins, never in a delivery
  bool active = true;
  Millis created_at = 0;
};

enum class DeliveryStatus { pending, delivered, failed };
const char* to_string(DeliveryStatus s);
std::optional<DeliveryStatus> delivery_status_from_string(std::string_view s);

// One try of one delivery, as the log shows it.
struct DeliveryAttempt {
  int attempt = 0;  // 1 for the first try
  Millis at = 0;
  std::optional<int> http_status;  // the answer's status; none when there was no answer
  std::string error;               // why it did not count ("timed out", "answered 500", ...)
  std::string snippet;             // the start of the answer's body, at most kWebhookSnippetBytes
};

// One event for one endpoint: delivered once (2xx), retried, or failed for good.
struct WebhookDelivery {
  Id id = 0;
  Id outbox_id = 0;  // the event's id: the same for every endpoint and every retry
  Id endpoint_id = 0;
  std::string event;
  std::optional<Id> conversation_id;
  DeliveryStatus status = DeliveryStatus::pending;
  int attempts = 0;
  Millis created_at = 0;
  Millis next_attempt_at = 0;
  std::vector<DeliveryAttempt> log;  // newest first
};

inline constexpr std::size_t kWebhookSnippetBytes = 1024;
// How long a sender keeps a claimed delivery before another node may send it again.
inline constexpr Millis kWebhookLease = 30'000;

// Retries: base x 1, 3, 6, 30, 60, 180, 360 (10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h
// with the default base of 10 s), then every 360 x base; a delivery is given up once its next
// try would fall after kWebhookGiveUpFactor x base (24 h by default) from its start (the
// event, or the admin's "redeliver").
inline constexpr Millis kWebhookDefaultBase = 10'000;
inline constexpr Millis kWebhookGiveUpFactor = 8'640;
// The delay before try `attempts_made + 1`, after `attempts_made` failed ones (>= 1).
Millis webhook_retry_delay(int attempts_made, Millis base);
// When to try again after `attempts_made` failures, the last at `now`; nullopt: give up.
std::optional<Millis> webhook_next_attempt(Millis started_at, Millis now, int attempts_made,
                                           Millis base);

// At most `max` bytes of `body`, cut at a UTF-8 character boundary.
std::string webhook_snippet(std::string_view body, std::size_t max = kWebhookSnippetBytes);

}  // namespace parley::core
