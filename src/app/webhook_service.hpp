// Webhooks (core/webhook.hpp): admins manage endpoints, and a worker on each node sends what
// the outbox holds. The outbox rows are written by the store in the transaction of each
// change (store/webhook_store.hpp); this service renders the payload from current data when
// it sends, signs it, and moves each delivery on by its answer: 2xx delivered, anything else
// again later (core::webhook_next_attempt), failed after 24 h. At least once: a receiver
// de-duplicates by Parley-Webhook-Id.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/clock.hpp"
#include "app/ports.hpp"
#include "core/result.hpp"
#include "core/types.hpp"
#include "core/webhook.hpp"

namespace parley::store {
struct ClaimedDelivery;
}

namespace parley::app {

// One POST for the transport (net/guarded_fetch's guarded_post).
struct WebhookRequest {
  std::string url;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> allowed_hosts;  // the admin's fetch_allowed_hosts
  core::Millis deadline = 10'000;          // for the whole call
};
struct WebhookAnswer {
  std::optional<int> status;  // none: no answer (refused address, timeout, ...)
  std::string body;           // the start of the answer's body
  std::string error;          // why there was no answer
};
struct WebhookTransport {
  std::function<WebhookAnswer(const WebhookRequest&)> post;
  // Whether `url` may be called now (its form and where its host resolves): on saving.
  std::function<core::Status(const std::string& url, const std::vector<std::string>& allowed)> check;
};

struct WebhookInput {
  std::string url;
  std::vector<std::string> events;
  bool active = true;
};

// What happened in one pass of the worker.
struct DeliveryPass {
  int delivered = 0;
  int retried = 0;
  int failed = 0;  // given up for good
};

class WebhookService {
 public:
  // `retry_base`: the first retry's delay (core::webhook_retry_delay). `lease`: how long a
  // claimed delivery is this node's; a request's deadline stays well inside it (10 s at most),
  // so a delivery is sent again by another node only when this one died or hung.
  WebhookService(store::Store& store, Clock clock, WebhookTransport transport, std::string node_id,
                 core::Millis retry_base = core::kWebhookDefaultBase,
                 core::Millis lease = core::kWebhookLease)
      : store_(store), clock_(std::move(clock)), transport_(std::move(transport)),
        node_id_(std::move(node_id)), retry_base_(retry_base), lease_(lease) {}

  static constexpr int kMaxLogged = 100;  // deliveries shown per endpoint
  static constexpr int kBatch = 16;       // sent per pass at most, claimed one at a time

  // --- admins (an API token with webhooks:manage acts as an admin here) ---
  core::Result<std::vector<core::WebhookEndpoint>> list(const core::Agent& admin);
  // A new endpoint with a new secret. bad_request for a bad URL, one that may not be called
  // (an internal address not on the allow-list), or a bad event list.
  core::Result<core::WebhookEndpoint> create(const core::Agent& admin, const WebhookInput& input);
  core::Result<core::WebhookEndpoint> update(const core::Agent& admin, core::Id id,
                                             const WebhookInput& input);
  core::Result<core::WebhookEndpoint> rotate_secret(const core::Agent& admin, core::Id id);
  core::Status remove(const core::Agent& admin, core::Id id);
  core::Result<std::vector<core::WebhookDelivery>> deliveries(const core::Agent& admin, core::Id id);
  core::Status redeliver(const core::Agent& admin, core::Id endpoint_id, core::Id delivery_id);

  // --- the worker ---
  // Claims what is due and sends it, one request at a time. Call from a thread of its own
  // (never an I/O thread): a slow receiver holds this call up to the transport's deadline.
  DeliveryPass deliver_due();
  // Told of each try's outcome: true delivered (2xx), false not (for /metrics).
  void on_outcome(std::function<void(bool delivered)> listener) { on_outcome_ = std::move(listener); }

  // The JSON body of `claimed` ({id, type, created_at, data}) from current data.
  std::string render(const store::ClaimedDelivery& claimed);

 private:
  core::Status check_url(const std::string& url);
  store::Store& store_;
  Clock clock_;
  WebhookTransport transport_;
  std::string node_id_;
  core::Millis retry_base_;
  core::Millis lease_;
  std::function<void(bool)> on_outcome_;
};

}  // namespace parley::app
