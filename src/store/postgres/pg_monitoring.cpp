// PgStore, area "monitoring" (store/monitoring_store.hpp).
#include "store/postgres/pg_store.hpp"

namespace parley::store::postgres {

void PgStore::observe_writes(WriteObserver* observer) {
  for (auto& w : writers_) w->observe(observer);
}

std::size_t PgStore::write_queue_depth() {
  std::size_t depth = 0;
  for (auto& w : writers_) depth += w->queue_depth();
  return depth;
}

int PgStore::count_pending_offers() {
  // The partial index conversations_offers_due holds exactly these rows.
  return read([&](PgConnection& db) {
    auto r = db.query("SELECT count(*) FROM conversations WHERE status = 'pending'");
    return static_cast<int>(r.int64(0, 0));
  });
}

std::optional<std::string> PgStore::probe_write(Millis now) {
  // A committed write on a pooled connection: a server that is away, read-only (a standby,
  // or default_transaction_read_only) or out of disk fails it. Every node writes the same
  // row; a probe holds its lock for one statement.
  try {
    write([&](PgConnection& db) {
      db.query(
          "INSERT INTO settings (key, value) VALUES ('readiness_probe', $1) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          std::to_string(now));
      return 0;
    });
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

}  // namespace parley::store::postgres
