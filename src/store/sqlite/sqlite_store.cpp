// SqliteStore: opening (migrations, connections, threads), agents and sessions, visitors
// and activities, the chat policy. Conversations are in sqlite_conversations.cpp, deadlines
// and routing rules in sqlite_deadlines.cpp; shared SQL in store_sql.hpp.
#include "store/sqlite/sqlite_store.hpp"

#include <string>

#include "core/activity.hpp"
#include "core/validation.hpp"
#include "store/policy_settings.hpp"
#include "store/smtp_settings_rows.hpp"
#include "store/sqlite/message_webhook_trigger.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/rows.hpp"
#include "store/sqlite/store_sql.hpp"

namespace parley::store {

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
  return std::make_unique<sqlite::SqliteStore>(path);
}

namespace sqlite {

namespace {
constexpr std::size_t kMaxIdleReaders = 8;

std::unique_ptr<Connection> open_migrated(const std::string& path) {
  auto conn = std::make_unique<Connection>(path, true);
  apply_migrations(*conn);
  {
    Transaction tx(*conn);
    sync_message_webhook_trigger(*conn);
    tx.commit();
  }
  // The Checkpointer does this off the commit path; 10,000 pages (~40 MB) is only the
  // safety net if it falls behind.
  conn->exec("PRAGMA wal_autocheckpoint=10000");
  return conn;
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path)
    : write_conn_(open_migrated(path)),
      search_(path),
      readers_(path, kMaxIdleReaders, [this](Connection& conn) { search_.attach_to(conn); }),
      checkpointer_(path),
      writer_(*write_conn_, &batch_conversations_) {}

// --- agents and sessions ---

Result<core::Agent> SqliteStore::create_agent(const NewAgent& agent) {
  return writer_.run([&](Connection& db) -> Result<core::Agent> {
    Transaction tx(db);
    auto s =
        db.prepare(sql({"INSERT INTO agents (name, email, password_hash, role, "
                              "available, max_chats, active, takes_chats) "
                              "VALUES (?1, ?2, ?3, ?4, 0, ?5, 1, ?6) RETURNING ",
                              kAgentColumnsBare}));
    s.bind_all(agent.name, core::lowercase_ascii(agent.email), agent.password_hash,
               core::to_string(agent.role), agent.max_chats, agent.takes_chats);
    try {
      s.step();
    } catch (const SqliteError& e) {
      if (e.is_unique_violation()) return core::conflict("an agent with this email exists");
      throw;
    }
    auto created = read_agent(s);
    s.run();
    tx.commit();
    return created;
  });
}

std::optional<AgentLogin> SqliteStore::find_agent_login(std::string_view email) {
  auto conn = readers_.lease();
  auto s = conn->prepare(
      sql({"SELECT ", kAgentColumns, ", a.password_hash FROM agents a WHERE a.email = ?1"}));
  s.bind_all(core::lowercase_ascii(email));
  if (!s.step()) return std::nullopt;
  return AgentLogin{read_agent(s), s.text(kAgentColumnCount)};
}

std::optional<core::Agent> SqliteStore::find_agent(Id agent_id) {
  auto conn = readers_.lease();
  return load_agent(*conn, agent_id);
}

std::vector<core::Agent> SqliteStore::list_agents() {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kAgentColumns, " FROM agents a ORDER BY a.id"}));
  std::vector<core::Agent> out;
  while (s.step()) out.push_back(read_agent(s));
  return out;
}

Result<core::Agent> SqliteStore::set_availability_override(Id agent_id, bool available,
                                                           Millis set_at) {
  return writer_.run([&](Connection& db) -> Result<core::Agent> {
    Transaction tx(db);
    auto s = db.prepare(sql({"UPDATE agents SET available = ?2, override_set_at = ?3 "
                             "WHERE id = ?1 RETURNING ",
                             kAgentColumnsBare}));
    s.bind_all(agent_id, available, set_at);
    if (!s.step()) return core::not_found("no such agent");
    auto agent = read_agent(s);
    s.run();
    tx.commit();
    return agent;
  });
}

Result<core::Agent> SqliteStore::update_agent_settings(Id agent_id,
                                                       const core::AgentSettings& settings) {
  return writer_.run([&](Connection& db) -> Result<core::Agent> {
    Transaction tx(db);
    auto s = db.prepare(sql({"UPDATE agents SET time_zone = ?2, schedule = ?3, max_chats = ?4, "
                             "sound = ?5, language = ?6 WHERE id = ?1 RETURNING ",
                             kAgentColumnsBare}));
    s.bind_all(agent_id, settings.time_zone, encode_schedule(settings.schedule),
               settings.max_chats, settings.sound, settings.language);
    if (!s.step()) return core::not_found("no such agent");
    auto agent = read_agent(s);
    s.run();
    tx.commit();
    return agent;
  });
}

void SqliteStore::schedule_status_check(Id agent_id, std::optional<Millis> at) {
  writer_.run([&](Connection& db) -> int {
    db.prepare("UPDATE agents SET status_check_at = ?2 WHERE id = ?1").bind_all(agent_id, at).run();
    return 0;
  });
}

std::vector<core::Agent> SqliteStore::claim_status_checks(Millis now, const NextCheck& next_check) {
  return writer_.run([&](Connection& db) -> std::vector<core::Agent> {
    Transaction tx(db);
    auto s = db.prepare(sql({"SELECT ", kAgentColumns, ", a.status_check_at FROM agents a ",
                             "WHERE a.status_check_at <= ?1 ORDER BY a.status_check_at"}));
    s.bind_all(now);
    std::vector<core::Agent> due;
    while (s.step()) due.push_back(read_agent(s));
    for (const auto& agent : due) {
      db.prepare("UPDATE agents SET status_check_at = ?2 WHERE id = ?1")
          .bind_all(agent.id, next_check(agent))
          .run();
    }
    tx.commit();
    return due;
  });
}

void SqliteStore::create_session(std::string_view token_hash, Id agent_id, Millis expires_at) {
  writer_.run([&](Connection& db) -> int {
    Transaction tx(db);
    db.prepare("INSERT INTO sessions (token_hash, agent_id, expires_at) VALUES (?1, ?2, ?3)")
        .bind_all(token_hash, agent_id, expires_at)
        .run();
    tx.commit();
    return 0;
  });
}

std::optional<Id> SqliteStore::find_session(std::string_view token_hash, Millis now) {
  auto conn = readers_.lease();
  auto s = conn->prepare(
      "SELECT s.agent_id FROM sessions s JOIN agents a ON a.id = s.agent_id "
      "WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND a.active = 1");
  s.bind_all(token_hash, now);
  if (!s.step()) return std::nullopt;
  return s.int64(0);
}

void SqliteStore::delete_session(std::string_view token_hash) {
  writer_.run([&](Connection& db) -> int {
    Transaction tx(db);
    db.prepare("DELETE FROM sessions WHERE token_hash = ?1").bind_all(token_hash).run();
    tx.commit();
    return 0;
  });
}

void SqliteStore::report_presence(std::string_view node_id, std::span<const Id> agents,
                                  Millis expires_at) {
  writer_.run([&](Connection& db) -> int {
    Transaction tx(db);
    for (Id agent_id : agents) {
      db.prepare(
            "INSERT INTO presence (agent_id, node_id, expires_at) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (agent_id, node_id) DO UPDATE SET expires_at = excluded.expires_at")
          .bind_all(agent_id, node_id, expires_at)
          .run();
    }
    db.prepare("DELETE FROM presence WHERE expires_at < ?1")
        .bind_all(expires_at - kPresenceKeptAfterExpiry)
        .run();
    tx.commit();
    return 0;
  });
}

// --- visitors and people ---

core::Visitor SqliteStore::create_visitor(std::string_view token_hash, Millis now) {
  return writer_.run([&](Connection& db) -> core::Visitor {
    Transaction tx(db);
    auto s =
        db.prepare(sql({"INSERT INTO visitors (token_hash, created_at) "
                              "VALUES (?1, ?2) RETURNING ",
                              kVisitorColumnsBare}));
    s.bind_all(token_hash, now);
    s.step();
    auto visitor = read_visitor(s);
    s.run();
    tx.commit();
    return visitor;
  });
}

std::optional<core::Visitor> SqliteStore::find_visitor_by_token(std::string_view token_hash) {
  auto conn = readers_.lease();
  auto s =
      conn->prepare(sql({"SELECT ", kVisitorColumns, " FROM visitors v WHERE v.token_hash = ?1"}));
  s.bind_all(token_hash);
  if (!s.step()) return std::nullopt;
  return read_visitor(s);
}

std::optional<VisitorProfile> SqliteStore::visitor_profile(Id visitor_id) {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kVisitorColumns, ", ", kPersonColumns,
                              " FROM visitors v LEFT JOIN people p ON p.id = v.person_id "
                              "WHERE v.id = ?1"}));
  s.bind_all(visitor_id);
  if (!s.step()) return std::nullopt;
  VisitorProfile profile{read_visitor(s), std::nullopt};
  if (!s.is_null(kVisitorColumnCount)) profile.person = read_person(s, kVisitorColumnCount);
  return profile;
}

core::Activity SqliteStore::record_activity(const core::Activity& activity) {
  return writer_.run([&](Connection& db) -> core::Activity {
    Transaction tx(db);
    auto stored = insert_activity(db, activity);
    tx.commit();
    return stored;
  });
}

core::Activity SqliteStore::record_page_visit(Id visitor_id, std::string_view url,
                                              std::string_view title, Millis at) {
  return writer_.run([&](Connection& db) -> core::Activity {
    Transaction tx(db);
    db.prepare("UPDATE visitors SET page_url = ?2, page_title = ?3 WHERE id = ?1")
        .bind_all(visitor_id, url, title)
        .run();
    auto stored = insert_activity(db, {0, visitor_id, std::string(core::activity::kPageVisit),
                                       std::string(title), std::string(url), std::nullopt, at});
    tx.commit();
    return stored;
  });
}

std::vector<core::Activity> SqliteStore::activities(Id visitor_id, Millis since, int limit) {
  std::vector<core::Activity> out;
  if (limit <= 0) return out;
  auto conn = readers_.lease();
  // The visitors of one person (or this one alone), each read newest first through
  // activities_by_visitor and merged by the ORDER BY.
  auto s = conn->prepare(sql(
      {"SELECT ", kActivityColumns,
       " FROM activities t WHERE t.visitor_id IN (SELECT o.id FROM visitors v "
       "JOIN visitors o ON o.person_id = v.person_id WHERE v.id = ?1 UNION SELECT ?1) "
       "AND t.at >= ?2 ORDER BY t.at DESC, t.id DESC LIMIT ?3"}));
  s.bind_all(visitor_id, since, limit);
  while (s.step()) out.push_back(read_activity(s));
  return out;
}

core::Person SqliteStore::upsert_person(const core::PersonInput& person, Millis now) {
  return writer_.run([&](Connection& db) -> core::Person {
    Transaction tx(db);
    auto stored = sqlite::upsert_person(db, person, now);
    tx.commit();
    return stored;
  });
}

int SqliteStore::import_people(const std::vector<core::PersonInput>& people, Millis now) {
  return writer_.run([&](Connection& db) -> int {
    Transaction tx(db);
    int created = 0;
    for (const auto& p : people) {
      auto known = db.prepare("SELECT 1 FROM people WHERE email = ?1");
      known.bind_all(core::lowercase_ascii(p.email));
      if (!known.step()) ++created;
      known.run();
      sqlite::upsert_person(db, p, now);
    }
    tx.commit();
    return created;
  });
}

std::optional<core::Person> SqliteStore::find_person_by_email(std::string_view email) {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kPersonColumns, " FROM people p WHERE p.email = ?1"}));
  s.bind_all(core::lowercase_ascii(email));
  if (!s.step()) return std::nullopt;
  return read_person(s);
}

std::optional<Id> SqliteStore::newest_visitor_of_person(Id person_id) {
  auto conn = readers_.lease();
  auto s = conn->prepare("SELECT max(id) FROM visitors WHERE person_id = ?1");
  s.bind_all(person_id);
  s.step();
  return s.opt_int64(0);
}

core::ChatPolicy SqliteStore::load_chat_policy() {
  core::ChatPolicy p;
  auto conn = readers_.lease();
  auto s = conn->prepare("SELECT key, value FROM settings");
  while (s.step()) apply_policy_setting(p, s.text(0), s.text(1));
  return p;
}

core::SmtpSettings SqliteStore::load_smtp_settings() {
  core::SmtpSettings settings;
  auto conn = readers_.lease();
  auto s = conn->prepare("SELECT key, value FROM settings WHERE key LIKE 'smtp\\_%' ESCAPE '\\'");
  while (s.step()) apply_smtp_setting(settings, s.text(0), s.text(1));
  return settings;
}

void SqliteStore::save_setting_rows(const std::vector<std::pair<std::string, std::string>>& rows) {
  writer_.run([&](Connection& db) -> int {
    Transaction tx(db);
    for (const auto& [key, value] : rows) {
      db.prepare(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
          .bind_all(key, value)
          .run();
    }
    tx.commit();
    return 0;
  });
}

void SqliteStore::save_smtp_settings(const core::SmtpSettings& settings) {
  save_setting_rows(smtp_setting_rows(settings));
}

void SqliteStore::save_chat_policy(const core::ChatPolicy& p) { save_setting_rows(policy_settings(p)); }

std::string SqliteStore::cluster_id() {
  return writer_.run([&](Connection& db) {
    // The first caller's random id stays; any later one only reads it.
    db.prepare(
          "INSERT INTO settings (key, value) VALUES ('cluster_id', lower(hex(randomblob(16)))) "
          "ON CONFLICT (key) DO NOTHING")
        .run();
    auto s = db.prepare("SELECT value FROM settings WHERE key = 'cluster_id'");
    s.step();
    return s.text(0);
  });
}

}  // namespace sqlite
}  // namespace parley::store
