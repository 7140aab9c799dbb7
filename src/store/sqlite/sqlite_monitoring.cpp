// SqliteStore, area "monitoring" (store/monitoring_store.hpp).
#include "store/sqlite/sqlite_store.hpp"

namespace parley::store::sqlite {

void SqliteStore::observe_writes(WriteObserver* observer) { writer_.observe(observer); }

std::size_t SqliteStore::write_queue_depth() { return writer_.queue_depth(); }

int SqliteStore::count_pending_offers() {
  // The partial index conversations_offers_due holds exactly these rows.
  auto conn = readers_.lease();
  auto s = conn->prepare("SELECT count(*) FROM conversations WHERE status = 'pending'");
  s.step();
  return static_cast<int>(s.int64(0));
}

std::optional<std::string> SqliteStore::probe_write(Millis now) {
  // Through the group-commit writer like every write: it tells that the writer thread
  // takes work, the file accepts a write and the fsync returns.
  try {
    writer_.run([&](Connection& db) {
      db.prepare(
            "INSERT INTO settings (key, value) VALUES ('readiness_probe', ?1) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
          .bind_all(std::to_string(now))
          .run();
      return 0;
    });
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

}  // namespace parley::store::sqlite
