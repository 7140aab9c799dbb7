// SqliteStore, webhooks (store/webhook_store.hpp). The outbox rows themselves are written by
// the triggers of migration 11 and the message trigger (message_webhook_trigger.hpp), inside
// the writer's transaction of each change. Every change of an endpoint re-syncs that trigger.
#include <algorithm>
#include <map>

#include "store/rows.hpp"
#include "store/sqlite/message_webhook_trigger.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/webhook_rows.hpp"

namespace parley::store::sqlite {

namespace {

std::optional<core::WebhookEndpoint> load_endpoint(Connection& db, Id id) {
  auto s = db.prepare(sql({"SELECT ", kWebhookEndpointColumns, " FROM webhook_endpoints e WHERE e.id = ?1"}));
  s.bind_all(id);
  if (!s.step()) return std::nullopt;
  return read_webhook_endpoint(s);
}

}  // namespace

core::WebhookEndpoint SqliteStore::create_webhook(const core::WebhookEndpoint& endpoint) {
  return writer_.run([&](Connection& db) {
    auto s = db.prepare(sql({"INSERT INTO webhook_endpoints (url, events, secret, active, created_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING ",
                             kWebhookEndpointColumnsBare}));
    s.bind_all(endpoint.url, core::encode_webhook_events(endpoint.events), endpoint.secret,
               endpoint.active, endpoint.created_at);
    s.step();
    auto created = read_webhook_endpoint(s);
    s.run();
    sync_message_webhook_trigger(db);
    return created;
  });
}

std::vector<core::WebhookEndpoint> SqliteStore::list_webhooks() {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kWebhookEndpointColumns, " FROM webhook_endpoints e ORDER BY e.id"}));
  std::vector<core::WebhookEndpoint> out;
  while (s.step()) out.push_back(read_webhook_endpoint(s));
  return out;
}

std::optional<core::WebhookEndpoint> SqliteStore::find_webhook(Id id) {
  auto conn = readers_.lease();
  return load_endpoint(*conn, id);
}

std::optional<core::WebhookEndpoint> SqliteStore::update_webhook(const core::WebhookEndpoint& endpoint) {
  return writer_.run([&](Connection& db) -> std::optional<core::WebhookEndpoint> {
    auto s = db.prepare(sql({"UPDATE webhook_endpoints SET url = ?2, events = ?3, active = ?4 "
                             "WHERE id = ?1 RETURNING ",
                             kWebhookEndpointColumnsBare}));
    s.bind_all(endpoint.id, endpoint.url, core::encode_webhook_events(endpoint.events), endpoint.active);
    if (!s.step()) return std::nullopt;
    auto updated = read_webhook_endpoint(s);
    s.run();
    sync_message_webhook_trigger(db);
    return updated;
  });
}

bool SqliteStore::set_webhook_secret(Id id, std::string_view secret) {
  return writer_.run([&](Connection& db) {
    db.prepare("UPDATE webhook_endpoints SET secret = ?2 WHERE id = ?1").bind_all(id, secret).run();
    return db.changes() > 0;
  });
}

bool SqliteStore::delete_webhook(Id id) {
  return writer_.run([&](Connection& db) {
    Transaction tx(db);
    db.prepare("DELETE FROM webhook_attempts WHERE delivery_id IN "
               "(SELECT id FROM webhook_deliveries WHERE endpoint_id = ?1)")
        .bind_all(id)
        .run();
    db.prepare("DELETE FROM webhook_deliveries WHERE endpoint_id = ?1").bind_all(id).run();
    db.prepare("DELETE FROM webhook_endpoints WHERE id = ?1").bind_all(id).run();
    bool deleted = db.changes() > 0;
    sync_message_webhook_trigger(db);
    tx.commit();
    return deleted;
  });
}

std::vector<core::WebhookDelivery> SqliteStore::webhook_deliveries(Id endpoint_id, int limit) {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kWebhookDeliveryColumns,
                              " FROM webhook_deliveries d JOIN webhook_outbox o ON o.id = d.outbox_id "
                              "WHERE d.endpoint_id = ?1 ORDER BY d.id DESC LIMIT ?2"}));
  s.bind_all(endpoint_id, limit);
  std::vector<core::WebhookDelivery> out;
  std::map<Id, std::size_t> index;
  while (s.step()) {
    out.push_back(read_webhook_delivery(s));
    index[out.back().id] = out.size() - 1;
  }
  if (out.empty()) return out;
  auto t = conn->prepare(sql({"SELECT ", kWebhookAttemptColumns,
                              " FROM webhook_attempts t WHERE t.delivery_id >= ?1 AND t.delivery_id <= ?2 "
                              "AND t.delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = ?3) "
                              "ORDER BY t.id DESC"}));
  t.bind_all(out.back().id, out.front().id, endpoint_id);
  while (t.step()) {
    auto [delivery_id, attempt] = read_webhook_attempt(t);
    auto it = index.find(delivery_id);
    if (it != index.end()) out[it->second].log.push_back(std::move(attempt));
  }
  return out;
}

bool SqliteStore::redeliver_webhook(Id endpoint_id, Id delivery_id, Millis now) {
  return writer_.run([&](Connection& db) {
    db.prepare("UPDATE webhook_deliveries SET status = 'pending', started_at = ?3, "
               "next_attempt_at = ?3 WHERE id = ?2 AND endpoint_id = ?1")
        .bind_all(endpoint_id, delivery_id, now)
        .run();
    return db.changes() > 0;
  });
}

std::vector<ClaimedDelivery> SqliteStore::claim_webhook_deliveries(std::string_view node, Millis now,
                                                                   Millis lease, int limit) {
  // The worker asks several times a second, nearly always for nothing: a reader answers
  // that, so the one writer (and the messages' group commit) is taken only when there is
  // something to claim. One found here and gone by the claim is simply not claimed.
  {
    auto conn = readers_.lease();
    auto due = conn->prepare(
        "SELECT 1 FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?1 "
        "AND (lease_until IS NULL OR lease_until <= ?1) LIMIT 1");
    due.bind_all(now);
    if (!due.step()) return {};
  }
  return writer_.run([&](Connection& db) {
    Transaction tx(db);
    std::vector<Id> ids;
    {
      auto s = db.prepare(
          "UPDATE webhook_deliveries SET lease_owner = ?1, lease_until = ?2 + ?3 WHERE id IN ("
          " SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id"
          " WHERE d.status = 'pending' AND e.active = 1 AND d.next_attempt_at <= ?2"
          "   AND (d.lease_until IS NULL OR d.lease_until <= ?2)"
          "   AND (d.conversation_id IS NULL OR NOT EXISTS (SELECT 1 FROM webhook_deliveries p"
          "     WHERE p.endpoint_id = d.endpoint_id AND p.conversation_id = d.conversation_id"
          "       AND p.status = 'pending' AND p.id < d.id))"
          " ORDER BY d.next_attempt_at, d.id LIMIT ?4) RETURNING id");
      s.bind_all(node, now, lease, limit);
      while (s.step()) ids.push_back(s.int64(0));
    }
    std::vector<ClaimedDelivery> out;
    for (Id id : ids) {
      auto s = db.prepare(sql({"SELECT d.id, d.attempts, d.started_at, ", kWebhookEndpointColumns, ", ",
                               kWebhookEventColumns,
                               " FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id "
                               "JOIN webhook_outbox o ON o.id = d.outbox_id WHERE d.id = ?1"}));
      s.bind_all(id);
      if (!s.step()) continue;
      ClaimedDelivery c;
      c.delivery_id = s.int64(0);
      c.attempt = static_cast<int>(s.int64(1)) + 1;
      c.started_at = s.int64(2);
      c.endpoint = read_webhook_endpoint(s, 3);
      c.event = read_webhook_event(s, 9);
      out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(),
              [](const ClaimedDelivery& a, const ClaimedDelivery& b) { return a.delivery_id < b.delivery_id; });
    tx.commit();
    return out;
  });
}

bool SqliteStore::finish_webhook_attempt(const WebhookAttemptResult& r) {
  return writer_.run([&](Connection& db) {
    Transaction tx(db);
    db.prepare("UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?3, "
               "next_attempt_at = ?4, lease_owner = NULL, lease_until = NULL "
               "WHERE id = ?1 AND lease_owner = ?2")
        .bind_all(r.delivery_id, r.claimed_by, core::to_string(r.status), r.next_attempt_at)
        .run();
    if (db.changes() == 0) return false;
    std::optional<std::int64_t> status;
    if (r.attempt.http_status) status = *r.attempt.http_status;
    db.prepare("INSERT INTO webhook_attempts (delivery_id, attempt, at, http_status, error, snippet) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind_all(r.delivery_id, r.attempt.attempt, r.attempt.at, status, r.attempt.error,
                  r.attempt.snippet)
        .run();
    tx.commit();
    return true;
  });
}

std::optional<core::Person> SqliteStore::find_person(Id person_id) {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kPersonColumns, " FROM people p WHERE p.id = ?1"}));
  s.bind_all(person_id);
  if (!s.step()) return std::nullopt;
  return read_person(s);
}

int SqliteStore::count_pending_webhook_deliveries() {
  auto conn = readers_.lease();
  auto s = conn->prepare("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'");
  s.step();
  return static_cast<int>(s.int64(0));
}

}  // namespace parley::store::sqlite
