// PgStore, webhooks (store/webhook_store.hpp). The PostgreSQL twin of
// sqlite/sqlite_webhooks.cpp; the outbox rows are written by the triggers of schema step 8.
#include <map>

#include "store/postgres/pg_sql.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/rows.hpp"
#include "store/webhook_rows.hpp"

namespace parley::store::postgres {

core::WebhookEndpoint PgStore::create_webhook(const core::WebhookEndpoint& endpoint) {
  return write([&](PgConnection& db) {
    auto r = db.query(sql({"INSERT INTO webhook_endpoints (url, events, secret, active, created_at) "
                           "VALUES ($1, $2, $3, $4, $5) RETURNING ",
                           kWebhookEndpointColumnsBare}),
                      endpoint.url, core::encode_webhook_events(endpoint.events), endpoint.secret,
                      endpoint.active, endpoint.created_at);
    return read_webhook_endpoint(PgRow(r, 0));
  });
}

std::vector<core::WebhookEndpoint> PgStore::list_webhooks() {
  return read([&](PgConnection& db) {
    auto r = db.query(sql({"SELECT ", kWebhookEndpointColumns, " FROM webhook_endpoints e ORDER BY e.id"}));
    std::vector<core::WebhookEndpoint> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_webhook_endpoint(PgRow(r, i)));
    return out;
  });
}

std::optional<core::WebhookEndpoint> PgStore::find_webhook(Id id) {
  return read([&](PgConnection& db) -> std::optional<core::WebhookEndpoint> {
    auto r = db.query(sql({"SELECT ", kWebhookEndpointColumns, " FROM webhook_endpoints e WHERE e.id = $1"}), id);
    if (r.empty()) return std::nullopt;
    return read_webhook_endpoint(PgRow(r, 0));
  });
}

std::optional<core::WebhookEndpoint> PgStore::update_webhook(const core::WebhookEndpoint& endpoint) {
  return write([&](PgConnection& db) -> std::optional<core::WebhookEndpoint> {
    auto r = db.query(sql({"UPDATE webhook_endpoints SET url = $2, events = $3, active = $4 "
                           "WHERE id = $1 RETURNING ",
                           kWebhookEndpointColumnsBare}),
                      endpoint.id, endpoint.url, core::encode_webhook_events(endpoint.events),
                      endpoint.active);
    if (r.empty()) return std::nullopt;
    return read_webhook_endpoint(PgRow(r, 0));
  });
}

bool PgStore::set_webhook_secret(Id id, std::string_view secret) {
  return write([&](PgConnection& db) {
    return db.query("UPDATE webhook_endpoints SET secret = $2 WHERE id = $1", id, secret).affected() > 0;
  });
}

bool PgStore::delete_webhook(Id id) {
  return write([&](PgConnection& db) {
    db.query("DELETE FROM webhook_attempts WHERE delivery_id IN "
             "(SELECT id FROM webhook_deliveries WHERE endpoint_id = $1)",
             id);
    db.query("DELETE FROM webhook_deliveries WHERE endpoint_id = $1", id);
    return db.query("DELETE FROM webhook_endpoints WHERE id = $1", id).affected() > 0;
  });
}

std::vector<core::WebhookDelivery> PgStore::webhook_deliveries(Id endpoint_id, int limit) {
  return read([&](PgConnection& db) {
    auto r = db.query(sql({"SELECT ", kWebhookDeliveryColumns,
                           " FROM webhook_deliveries d JOIN webhook_outbox o ON o.id = d.outbox_id "
                           "WHERE d.endpoint_id = $1 ORDER BY d.id DESC LIMIT $2"}),
                      endpoint_id, limit);
    std::vector<core::WebhookDelivery> out;
    std::map<Id, std::size_t> index;
    for (int i = 0; i < r.rows(); ++i) {
      out.push_back(read_webhook_delivery(PgRow(r, i)));
      index[out.back().id] = out.size() - 1;
    }
    if (out.empty()) return out;
    auto t = db.query(sql({"SELECT ", kWebhookAttemptColumns,
                           " FROM webhook_attempts t JOIN webhook_deliveries d ON d.id = t.delivery_id "
                           "WHERE d.endpoint_id = $3 AND t.delivery_id BETWEEN $1 AND $2 "
                           "ORDER BY t.id DESC"}),
                      out.back().id, out.front().id, endpoint_id);
    for (int i = 0; i < t.rows(); ++i) {
      auto [delivery_id, attempt] = read_webhook_attempt(PgRow(t, i));
      auto it = index.find(delivery_id);
      if (it != index.end()) out[it->second].log.push_back(std::move(attempt));
    }
    return out;
  });
}

bool PgStore::redeliver_webhook(Id endpoint_id, Id delivery_id, Millis now) {
  return write([&](PgConnection& db) {
    return db.query("UPDATE webhook_deliveries SET status = 'pending', started_at = $3, "
                    "next_attempt_at = $3 WHERE id = $2 AND endpoint_id = $1",
                    endpoint_id, delivery_id, now)
               .affected() > 0;
  });
}

std::vector<ClaimedDelivery> PgStore::claim_webhook_deliveries(std::string_view node, Millis now,
                                                               Millis lease, int limit) {
  return write([&](PgConnection& db) {
    // Rows another claimer holds are skipped, and the outer conditions are checked again on
    // the locked row: of two claimers of one delivery, one gets it.
    auto claimed = db.query(
        "UPDATE webhook_deliveries SET lease_owner = $1, lease_until = $2::bigint + $3::bigint "
        "WHERE status = 'pending' AND (lease_until IS NULL OR lease_until <= $2) AND id IN ("
        " SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id"
        " WHERE d.status = 'pending' AND e.active AND d.next_attempt_at <= $2"
        "   AND (d.lease_until IS NULL OR d.lease_until <= $2)"
        "   AND (d.conversation_id IS NULL OR NOT EXISTS (SELECT 1 FROM webhook_deliveries p"
        "     WHERE p.endpoint_id = d.endpoint_id AND p.conversation_id = d.conversation_id"
        "       AND p.status = 'pending' AND p.id < d.id))"
        " ORDER BY d.next_attempt_at, d.id LIMIT $4 FOR UPDATE OF d SKIP LOCKED) RETURNING id",
        node, now, lease, limit);
    std::vector<ClaimedDelivery> out;
    if (claimed.empty()) return out;
    std::string ids = "{";
    for (int i = 0; i < claimed.rows(); ++i) {
      if (i) ids += ',';
      ids += std::to_string(claimed.int64(i, 0));
    }
    ids += '}';
    auto r = db.query(sql({"SELECT d.id, d.attempts, d.started_at, ", kWebhookEndpointColumns, ", ",
                           kWebhookEventColumns,
                           " FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id "
                           "JOIN webhook_outbox o ON o.id = d.outbox_id WHERE d.id = ANY($1::bigint[]) "
                           "ORDER BY d.id"}),
                      ids);
    for (int i = 0; i < r.rows(); ++i) {
      PgRow row(r, i);
      ClaimedDelivery c;
      c.delivery_id = row.int64(0);
      c.attempt = static_cast<int>(row.int64(1)) + 1;
      c.started_at = row.int64(2);
      c.endpoint = read_webhook_endpoint(row, 3);
      c.event = read_webhook_event(row, 9);
      out.push_back(std::move(c));
    }
    return out;
  });
}

bool PgStore::finish_webhook_attempt(const WebhookAttemptResult& r) {
  return write([&](PgConnection& db) {
    auto u = db.query("UPDATE webhook_deliveries SET attempts = attempts + 1, status = $3, "
                      "next_attempt_at = $4, lease_owner = NULL, lease_until = NULL "
                      "WHERE id = $1 AND lease_owner = $2",
                      r.delivery_id, r.claimed_by, core::to_string(r.status), r.next_attempt_at);
    if (u.affected() == 0) return false;
    std::optional<int> status = r.attempt.http_status;
    db.query("INSERT INTO webhook_attempts (delivery_id, attempt, at, http_status, error, snippet) "
             "VALUES ($1, $2, $3, $4, $5, $6)",
             r.delivery_id, r.attempt.attempt, r.attempt.at, status, r.attempt.error, r.attempt.snippet);
    return true;
  });
}

std::optional<core::Person> PgStore::find_person(Id person_id) {
  return read([&](PgConnection& db) -> std::optional<core::Person> {
    auto r = db.query(sql({"SELECT ", kPersonColumns, " FROM people p WHERE p.id = $1"}), person_id);
    if (r.empty()) return std::nullopt;
    return read_person(PgRow(r, 0));
  });
}

int PgStore::count_pending_webhook_deliveries() {
  return read([&](PgConnection& db) {
    auto r = db.query("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'");
    return static_cast<int>(r.int64(0, 0));
  });
}

}  // namespace parley::store::postgres
