// Rows <-> the webhook shapes (core/webhook.hpp, store/webhook_store.hpp) for both adapters;
// the column lists name the aliases e (endpoints), d (deliveries), o (outbox), t (attempts).
#pragma once

#include "core/webhook.hpp"
#include "store/webhook_store.hpp"

namespace parley::store {

inline constexpr const char* kWebhookEndpointColumns =
    "e.id, e.url, e.events, e.secret, e.active, e.created_at";  // 6
inline constexpr const char* kWebhookEndpointColumnsBare =
    "id, url, events, secret, active, created_at";
inline constexpr const char* kWebhookEventColumns =
    "o.id, o.type, o.conversation_id, o.seq, o.meeting_id, o.person_id, o.created_at";  // 7
inline constexpr const char* kWebhookDeliveryColumns =
    "d.id, d.outbox_id, d.endpoint_id, o.type, d.conversation_id, d.status, d.attempts, "
    "d.created_at, d.next_attempt_at";  // 9
inline constexpr const char* kWebhookAttemptColumns =
    "t.delivery_id, t.attempt, t.at, t.http_status, t.error, t.snippet";  // 6

template <class Row>
core::WebhookEndpoint read_webhook_endpoint(const Row& s, int i = 0) {
  core::WebhookEndpoint e;
  e.id = s.int64(i);
  e.url = s.text(i + 1);
  e.events = core::decode_webhook_events(s.text(i + 2));
  e.secret = s.text(i + 3);
  e.active = s.flag(i + 4);
  e.created_at = s.int64(i + 5);
  return e;
}

template <class Row>
WebhookEvent read_webhook_event(const Row& s, int i = 0) {
  WebhookEvent o;
  o.id = s.int64(i);
  o.type = s.text(i + 1);
  o.conversation_id = s.opt_int64(i + 2);
  o.seq = s.opt_int64(i + 3);
  o.meeting_id = s.opt_int64(i + 4);
  o.person_id = s.opt_int64(i + 5);
  o.created_at = s.int64(i + 6);
  return o;
}

template <class Row>
core::WebhookDelivery read_webhook_delivery(const Row& s, int i = 0) {
  core::WebhookDelivery d;
  d.id = s.int64(i);
  d.outbox_id = s.int64(i + 1);
  d.endpoint_id = s.int64(i + 2);
  d.event = s.text(i + 3);
  d.conversation_id = s.opt_int64(i + 4);
  d.status = core::delivery_status_from_string(s.text(i + 5)).value_or(core::DeliveryStatus::pending);
  d.attempts = static_cast<int>(s.int64(i + 6));
  d.created_at = s.int64(i + 7);
  d.next_attempt_at = s.int64(i + 8);
  return d;
}

// (delivery id, attempt) of a webhook_attempts row.
template <class Row>
std::pair<core::Id, core::DeliveryAttempt> read_webhook_attempt(const Row& s, int i = 0) {
  core::DeliveryAttempt a;
  a.attempt = static_cast<int>(s.int64(i + 1));
  a.at = s.int64(i + 2);
  auto status = s.opt_int64(i + 3);
  if (status) a.http_status = static_cast<int>(*status);
  a.error = s.text(i + 4);
  a.snippet = s.text(i + 5);
  return {s.int64(i), a};
}

}  // namespace parley::store
