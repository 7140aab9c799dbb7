// The Store port, webhooks (core/webhook.hpp): the admin's endpoints, and the outbox.
//
// Outbox rows are never written by a call of this port: database triggers write them in the
// transaction of the change that caused them (a message or life-cycle event appended to a
// conversation, a meeting booked, moved or cancelled, a person inserted or changed), with one
// delivery row per active endpoint that asked for that event. So an event exists exactly when
// its change committed, and a crash between the two cannot happen.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/webhook.hpp"
#include "store/store_common.hpp"

namespace parley::store {

// One event of the outbox: ids into the data it is about and when it happened. The payload
// is written from current data when it is sent.
struct WebhookEvent {
  Id id = 0;
  std::string type;  // "chat.ended", ...
  std::optional<Id> conversation_id;
  std::optional<std::int64_t> seq;  // the conversation event that caused it
  std::optional<Id> meeting_id;
  std::optional<Id> person_id;
  Millis created_at = 0;
};

// A delivery this node claimed: send it, then report with finish_webhook_attempt.
struct ClaimedDelivery {
  Id delivery_id = 0;
  int attempt = 0;         // this try's number (1 for the first)
  Millis started_at = 0;   // the event's time, or the admin's redeliver: the 24 h count from here
  core::WebhookEndpoint endpoint;
  WebhookEvent event;
};

struct WebhookAttemptResult {
  Id delivery_id = 0;
  std::string claimed_by;
  core::DeliveryAttempt attempt;
  core::DeliveryStatus status = core::DeliveryStatus::pending;  // after this try
  Millis next_attempt_at = 0;                                    // when still pending
};

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  // `endpoint.id` is ignored; returns it with its id.
  virtual core::WebhookEndpoint create_webhook(const core::WebhookEndpoint& endpoint) = 0;
  virtual std::vector<core::WebhookEndpoint> list_webhooks() = 0;
  virtual std::optional<core::WebhookEndpoint> find_webhook(Id id) = 0;
  // Changes url, events and active (not the secret); nullopt when there is no such endpoint.
  virtual std::optional<core::WebhookEndpoint> update_webhook(const core::WebhookEndpoint& endpoint) = 0;
  virtual bool set_webhook_secret(Id id, std::string_view secret) = 0;
  // Deletes the endpoint, its deliveries and their log; false when there was none.
  virtual bool delete_webhook(Id id) = 0;

  // The newest `limit` deliveries of an endpoint, each with its attempts (newest first).
  virtual std::vector<core::WebhookDelivery> webhook_deliveries(Id endpoint_id, int limit) = 0;
  // Sends a delivery again from now (pending, due now, 24 h from now), whatever its status;
  // false when the endpoint has no such delivery.
  virtual bool redeliver_webhook(Id endpoint_id, Id delivery_id, Millis now) = 0;

  // Claims up to `limit` deliveries due at `now` for `node` until now + lease: pending, of an
  // active endpoint, not leased by someone else, and with no earlier pending delivery of the
  // same conversation to the same endpoint (order per conversation). One conditional update:
  // of two claimers of one delivery, one gets it.
  virtual std::vector<ClaimedDelivery> claim_webhook_deliveries(std::string_view node, Millis now,
                                                                Millis lease, int limit) = 0;
  // Logs the try and moves the delivery on (delivered, again at next_attempt_at, or failed),
  // releasing the lease; false (and nothing written) when the lease is no longer `claimed_by`'s.
  virtual bool finish_webhook_attempt(const WebhookAttemptResult& result) = 0;

  // The person a person.updated event names (nullopt once gone).
  virtual std::optional<core::Person> find_person(Id person_id) = 0;
  // Deliveries waiting (pending), for monitoring and tests.
  virtual int count_pending_webhook_deliveries() = 0;
};

}  // namespace parley::store
