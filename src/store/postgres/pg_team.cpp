// PgStore, team management (issue 13): account changes with the last-admin guard,
// passwords and password links, and the visitor panel's person edit.
#include "core/team.hpp"
#include "core/validation.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/rows.hpp"

namespace parley::store::postgres {

namespace {

void end_sessions_of(PgConnection& db, Id agent_id, std::string_view keep_session) {
  db.query("DELETE FROM sessions WHERE agent_id = $1 AND token_hash <> $2", agent_id,
           keep_session);
}

}  // namespace

Result<core::Agent> PgStore::update_agent_account(Id agent_id, const AgentAccountChange& change) {
  return write([&](PgConnection& db) -> Result<core::Agent> {
    // Every active admin's row (and this agent's) locked in id order: two nodes demoting the
    // last two admins at once are serialised here, and the second sees the first's change.
    auto locked = db.query(
        "SELECT id, role = 'admin' AND active FROM agents "
        "WHERE id = $1 OR (role = 'admin' AND active) ORDER BY id FOR UPDATE",
        agent_id);
    int others = 0;
    for (int i = 0; i < locked.rows(); ++i) {
      if (locked.int64(i, 0) != agent_id && locked.boolean(i, 1)) ++others;
    }
    auto found = db.query(sql({"SELECT ", kAgentColumns, " FROM agents a WHERE a.id = $1"}),
                          agent_id);
    if (found.empty()) return core::not_found("no such agent");
    auto before = read_agent(PgRow(found, 0));
    auto role = change.role.value_or(before.role);
    bool active = change.active.value_or(before.active);
    if (auto ok = core::team::keeps_an_active_admin(before, role, active, others); !ok) {
      return ok.error();
    }
    auto r = db.query(sql({"UPDATE agents SET name = $2, role = $3, takes_chats = $4, "
                           "max_chats = $5, active = $6, initials = $7 WHERE id = $1 RETURNING ",
                           kAgentColumnsBare}),
                      agent_id, change.name.value_or(before.name), core::to_string(role),
                      change.takes_chats.value_or(before.takes_chats),
                      change.max_chats.value_or(before.max_chats), active,
                      change.initials.value_or(before.initials));
    auto after = read_agent(PgRow(r, 0));
    if (!active) {
      end_sessions_of(db, agent_id, {});
      db.query("DELETE FROM presence WHERE agent_id = $1", agent_id);
      db.query("DELETE FROM password_links WHERE agent_id = $1", agent_id);
    }
    return after;
  });
}

Result<core::Agent> PgStore::set_agent_password(Id agent_id, std::string_view password_hash,
                                                bool end_sessions, std::string_view keep_session) {
  return write([&](PgConnection& db) -> Result<core::Agent> {
    auto r = db.query(
        sql({"UPDATE agents SET password_hash = $2 WHERE id = $1 RETURNING ", kAgentColumnsBare}),
        agent_id, password_hash);
    if (r.empty()) return core::not_found("no such agent");
    if (end_sessions) end_sessions_of(db, agent_id, keep_session);
    return read_agent(PgRow(r, 0));
  });
}

void PgStore::create_password_link(std::string_view token_hash, Id agent_id, Millis expires_at) {
  write([&](PgConnection& db) {
    db.query("DELETE FROM password_links WHERE agent_id = $1", agent_id);
    db.query("INSERT INTO password_links (token_hash, agent_id, expires_at) VALUES ($1, $2, $3)",
             token_hash, agent_id, expires_at);
    return 0;
  });
}

Result<core::Agent> PgStore::use_password_link(std::string_view token_hash, Millis now,
                                               std::string_view password_hash) {
  return write([&](PgConnection& db) -> Result<core::Agent> {
    // Deleting the link is what makes it single use: of two concurrent uses, the second's
    // DELETE waits for the first's row lock and then finds the row gone.
    auto link = db.query(
        "DELETE FROM password_links WHERE token_hash = $1 AND expires_at > $2 "
        "AND agent_id IN (SELECT id FROM agents WHERE active) RETURNING agent_id",
        token_hash, now);
    if (link.empty()) return core::not_found("this link is unknown, used or expired");
    Id agent_id = link.int64(0, 0);
    auto r = db.query(
        sql({"UPDATE agents SET password_hash = $2 WHERE id = $1 RETURNING ", kAgentColumnsBare}),
        agent_id, password_hash);
    end_sessions_of(db, agent_id, {});
    return read_agent(PgRow(r, 0));
  });
}

std::optional<core::Agent> PgStore::find_password_link(std::string_view token_hash, Millis now) {
  return read([&](PgConnection& db) -> std::optional<core::Agent> {
    auto r = db.query(sql({"SELECT ", kAgentColumns,
                           " FROM password_links l JOIN agents a ON a.id = l.agent_id "
                           "WHERE l.token_hash = $1 AND l.expires_at > $2 AND a.active"}),
                      token_hash, now);
    if (r.empty()) return std::nullopt;
    return read_agent(PgRow(r, 0));
  });
}

Result<core::Person> PgStore::edit_visitor_person(Id visitor_id, const core::PersonInput& fields,
                                                  Millis now) {
  try {
    return write([&](PgConnection& db) -> Result<core::Person> {
      auto v = db.query("SELECT person_id FROM visitors WHERE id = $1 FOR UPDATE", visitor_id);
      if (v.empty()) return core::not_found("no such visitor");
      auto person_id = v.opt_int64(0, 0);
      std::string email = core::lowercase_ascii(fields.email);
      // The person who has the email now, if any: the visitor joins them, or (when the
      // visitor has a person of their own) the new email is taken.
      auto owner = db.query("SELECT id FROM people WHERE email = $1", email);
      std::optional<Id> owner_id;
      if (!owner.empty()) owner_id = owner.int64(0, 0);
      if (person_id && owner_id && *owner_id != *person_id) {
        return core::conflict("another person has this email");
      }
      if (!person_id && !owner_id) {
        auto ins = db.query(
            "INSERT INTO people (email, created_at, updated_at) VALUES ($1, $2, $2) "
            "ON CONFLICT (email) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
            email, now);
        owner_id = ins.int64(0, 0);
      }
      Id id = person_id ? *person_id : *owner_id;
      auto r = db.query(sql({"UPDATE people SET email = $2, name = $3, job_title = $4, "
                             "phone = $5, company = $6, crm_status = $7, updated_at = $8 "
                             "WHERE id = $1 RETURNING ",
                             kPersonColumnsBare}),
                        id, email, fields.name, fields.job_title, fields.phone, fields.company,
                        fields.crm_status, now);
      if (!person_id) db.query("UPDATE visitors SET person_id = $2 WHERE id = $1", visitor_id, id);
      return read_person(PgRow(r, 0));
    });
  } catch (const PgError& e) {
    if (e.is_unique_violation()) return core::conflict("another person has this email");
    throw;
  }
}

}  // namespace parley::store::postgres
