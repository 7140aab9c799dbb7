// PgStore, agents and sessions (store/agent_store.hpp) and the agents' status checks.
#include "core/validation.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/rows.hpp"

namespace parley::store::postgres {

namespace {
std::optional<core::Agent> first_agent(const PgResult& r) {
  if (r.empty()) return std::nullopt;
  return read_agent(PgRow(r, 0));
}
}  // namespace

Result<core::Agent> PgStore::create_agent(const NewAgent& agent) {
  try {
    return write([&](PgConnection& db) -> Result<core::Agent> {
      auto r = db.query(sql({"INSERT INTO agents (name, email, password_hash, role, available, "
                             "max_chats, active, takes_chats) "
                             "VALUES ($1, $2, $3, $4, false, $5, true, $6) RETURNING ",
                             kAgentColumnsBare}),
                        agent.name, core::lowercase_ascii(agent.email), agent.password_hash,
                        core::to_string(agent.role), agent.max_chats, agent.takes_chats);
      return read_agent(PgRow(r, 0));
    });
  } catch (const PgError& e) {
    if (e.is_unique_violation()) return core::conflict("an agent with this email exists");
    throw;
  }
}

std::optional<AgentLogin> PgStore::find_agent_login(std::string_view email) {
  return read([&](PgConnection& db) -> std::optional<AgentLogin> {
    auto r = db.query(
        sql({"SELECT ", kAgentColumns, ", a.password_hash FROM agents a WHERE a.email = $1"}),
        core::lowercase_ascii(email));
    if (r.empty()) return std::nullopt;
    return AgentLogin{read_agent(PgRow(r, 0)), r.text(0, kAgentColumnCount)};
  });
}

std::optional<core::Agent> PgStore::find_agent(Id agent_id) {
  return read([&](PgConnection& db) {
    return first_agent(
        db.query(sql({"SELECT ", kAgentColumns, " FROM agents a WHERE a.id = $1"}), agent_id));
  });
}

std::vector<core::Agent> PgStore::list_agents() {
  return read([&](PgConnection& db) {
    auto r = db.query(sql({"SELECT ", kAgentColumns, " FROM agents a ORDER BY a.id"}));
    std::vector<core::Agent> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_agent(PgRow(r, i)));
    return out;
  });
}

Result<core::Agent> PgStore::set_availability_override(Id agent_id, bool available,
                                                       Millis set_at) {
  return write([&](PgConnection& db) -> Result<core::Agent> {
    auto agent = first_agent(db.query(sql({"UPDATE agents SET available = $2, override_set_at = $3 "
                                           "WHERE id = $1 RETURNING ",
                                           kAgentColumnsBare}),
                                      agent_id, available, set_at));
    if (!agent) return core::not_found("no such agent");
    return *agent;
  });
}

Result<core::Agent> PgStore::update_agent_settings(Id agent_id,
                                                   const core::AgentSettings& settings) {
  return write([&](PgConnection& db) -> Result<core::Agent> {
    auto agent = first_agent(db.query(sql({"UPDATE agents SET time_zone = $2, schedule = $3, "
                                           "max_chats = $4, sound = $5, language = $6 "
                                           "WHERE id = $1 RETURNING ",
                                           kAgentColumnsBare}),
                                      agent_id, settings.time_zone,
                                      encode_schedule(settings.schedule), settings.max_chats,
                                      settings.sound, settings.language));
    if (!agent) return core::not_found("no such agent");
    return *agent;
  });
}

void PgStore::create_session(std::string_view token_hash, Id agent_id, Millis expires_at) {
  write([&](PgConnection& db) {
    db.query("INSERT INTO sessions (token_hash, agent_id, expires_at) VALUES ($1, $2, $3)",
             token_hash, agent_id, expires_at);
    return 0;
  });
}

std::optional<Id> PgStore::find_session(std::string_view token_hash, Millis now) {
  return read([&](PgConnection& db) -> std::optional<Id> {
    auto r = db.query(
        "SELECT s.agent_id FROM sessions s JOIN agents a ON a.id = s.agent_id "
        "WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.active",
        token_hash, now);
    if (r.empty()) return std::nullopt;
    return r.int64(0, 0);
  });
}

void PgStore::delete_session(std::string_view token_hash) {
  write([&](PgConnection& db) {
    db.query("DELETE FROM sessions WHERE token_hash = $1", token_hash);
    return 0;
  });
}

void PgStore::report_presence(std::string_view node_id, std::span<const Id> agents,
                              Millis expires_at) {
  std::string ids = "{";
  for (Id agent_id : agents) ids += (ids.size() > 1 ? "," : "") + std::to_string(agent_id);
  ids += "}";
  write([&](PgConnection& db) {
    db.query(
        "INSERT INTO presence (agent_id, node_id, expires_at) "
        "SELECT unnest($1::bigint[]), $2, $3 "
        "ON CONFLICT (agent_id, node_id) DO UPDATE SET expires_at = excluded.expires_at",
        ids, node_id, expires_at);
    db.query("DELETE FROM presence WHERE expires_at < $1", expires_at - kPresenceKeptAfterExpiry);
    return 0;
  });
}

}  // namespace parley::store::postgres
