// PgStore: opening (schema, pool, writer) and the settings area. The other areas are in
// pg_<area>.cpp, one file per header of the Store port.
#include "store/postgres/pg_store.hpp"

#include "store/policy_settings.hpp"
#include "store/smtp_settings_rows.hpp"
#include "store/postgres/pg_schema.hpp"

namespace parley::store {

std::unique_ptr<Store> open_postgres_store(const std::string& conninfo) {
  return std::make_unique<postgres::PgStore>(conninfo);
}

namespace postgres {
namespace {
// Connections per node: the I/O and worker threads' reads and single writes. The message
// writer has one more of its own.
constexpr std::size_t kPoolSize = 8;

PgConnection& migrated(PgConnection& conn) {
  apply_schema(conn);
  return conn;
}
}  // namespace

PgStore::PgStore(const std::string& conninfo) : pool_(conninfo, kPoolSize) {
  for (std::size_t i = 0; i < kWriters; ++i) {
    writers_.push_back(std::make_unique<PgGroupCommit>(conninfo, "postgresql-" + std::to_string(i)));
  }
  auto conn = pool_.acquire();
  migrated(*conn);
}

PgStore::~PgStore() { flush(); }

std::optional<std::string> PgStore::unavailable() {
  try {
    read([](PgConnection& db) { return db.query("SELECT 1").rows(); });
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

core::ChatPolicy PgStore::load_chat_policy() {
  return read([&](PgConnection& db) {
    core::ChatPolicy p;
    auto r = db.query("SELECT key, value FROM settings");
    for (int i = 0; i < r.rows(); ++i) apply_policy_setting(p, r.text(i, 0), r.text(i, 1));
    return p;
  });
}

core::SmtpSettings PgStore::load_smtp_settings() {
  return read([&](PgConnection& db) {
    core::SmtpSettings settings;
    auto r = db.query("SELECT key, value FROM settings WHERE key LIKE 'smtp\\_%'");
    for (int i = 0; i < r.rows(); ++i) apply_smtp_setting(settings, r.text(i, 0), r.text(i, 1));
    return settings;
  });
}

void PgStore::save_setting_rows(const std::vector<std::pair<std::string, std::string>>& rows) {
  write([&](PgConnection& db) {
    for (const auto& [key, value] : rows) {
      db.query(
          "INSERT INTO settings (key, value) VALUES ($1, $2) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          key, value);
    }
    return 0;
  });
}

void PgStore::save_smtp_settings(const core::SmtpSettings& settings) {
  save_setting_rows(smtp_setting_rows(settings));
}

void PgStore::save_chat_policy(const core::ChatPolicy& p) { save_setting_rows(policy_settings(p)); }

std::string PgStore::cluster_id() {
  return write([&](PgConnection& db) {
    // Nodes starting together race here: the first insert wins, every node reads its id.
    db.query(
        "INSERT INTO settings (key, value) "
        "VALUES ('cluster_id', replace(gen_random_uuid()::text, '-', '')) "
        "ON CONFLICT (key) DO NOTHING");
    return db.query("SELECT value FROM settings WHERE key = 'cluster_id'").text(0, 0);
  });
}

}  // namespace postgres
}  // namespace parley::store
