// SqliteStore, team management (issue 13): account changes with the last-admin guard,
// passwords and password links, and the visitor panel's person edit.
#include "core/team.hpp"
#include "core/validation.hpp"
#include "store/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/store_sql.hpp"

namespace parley::store::sqlite {

namespace {

int other_active_admins(Connection& db, Id agent_id) {
  auto s = db.prepare("SELECT count(*) FROM agents WHERE role = 'admin' AND active = 1 AND id <> ?1");
  s.bind_all(agent_id);
  s.step();
  return static_cast<int>(s.int64(0));
}

void end_sessions_of(Connection& db, Id agent_id, std::string_view keep_session) {
  // An empty view may have no data pointer, which SQLite would bind as NULL (and "<> NULL"
  // deletes nothing): keep_session is bound only when there is one.
  if (keep_session.empty()) {
    db.prepare("DELETE FROM sessions WHERE agent_id = ?1").bind_all(agent_id).run();
    return;
  }
  db.prepare("DELETE FROM sessions WHERE agent_id = ?1 AND token_hash <> ?2")
      .bind_all(agent_id, keep_session)
      .run();
}

}  // namespace

Result<core::Agent> SqliteStore::update_agent_account(Id agent_id,
                                                      const AgentAccountChange& change) {
  return writer_.run([&](Connection& db) -> Result<core::Agent> {
    Transaction tx(db);
    // One writer: the count and the update below cannot interleave with another change.
    auto before = load_agent(db, agent_id);
    if (!before) return core::not_found("no such agent");
    auto role = change.role.value_or(before->role);
    bool active = change.active.value_or(before->active);
    if (auto ok = core::team::keeps_an_active_admin(*before, role, active,
                                                    other_active_admins(db, agent_id));
        !ok) {
      return ok.error();
    }
    auto s = db.prepare(sql({"UPDATE agents SET name = ?2, role = ?3, takes_chats = ?4, "
                             "max_chats = ?5, active = ?6, initials = ?7 WHERE id = ?1 RETURNING ",
                             kAgentColumnsBare}));
    s.bind_all(agent_id, change.name.value_or(before->name), core::to_string(role),
               change.takes_chats.value_or(before->takes_chats),
               change.max_chats.value_or(before->max_chats), active,
               change.initials.value_or(before->initials));
    s.step();
    auto after = read_agent(s);
    s.run();
    if (!active) {
      end_sessions_of(db, agent_id, {});
      db.prepare("DELETE FROM presence WHERE agent_id = ?1").bind_all(agent_id).run();
      db.prepare("DELETE FROM password_links WHERE agent_id = ?1").bind_all(agent_id).run();
    }
    tx.commit();
    return after;
  });
}

Result<core::Agent> SqliteStore::set_agent_password(Id agent_id, std::string_view password_hash,
                                                    bool end_sessions,
                                                    std::string_view keep_session) {
  return writer_.run([&](Connection& db) -> Result<core::Agent> {
    Transaction tx(db);
    auto s = db.prepare(
        sql({"UPDATE agents SET password_hash = ?2 WHERE id = ?1 RETURNING ", kAgentColumnsBare}));
    s.bind_all(agent_id, password_hash);
    if (!s.step()) return core::not_found("no such agent");
    auto agent = read_agent(s);
    s.run();
    if (end_sessions) end_sessions_of(db, agent_id, keep_session);
    tx.commit();
    return agent;
  });
}

void SqliteStore::create_password_link(std::string_view token_hash, Id agent_id,
                                       Millis expires_at) {
  writer_.run([&](Connection& db) -> int {
    Transaction tx(db);
    db.prepare("DELETE FROM password_links WHERE agent_id = ?1").bind_all(agent_id).run();
    db.prepare("INSERT INTO password_links (token_hash, agent_id, expires_at) VALUES (?1, ?2, ?3)")
        .bind_all(token_hash, agent_id, expires_at)
        .run();
    tx.commit();
    return 0;
  });
}

Result<core::Agent> SqliteStore::use_password_link(std::string_view token_hash, Millis now,
                                                   std::string_view password_hash) {
  return writer_.run([&](Connection& db) -> Result<core::Agent> {
    Transaction tx(db);
    // Deleting the link is what makes it single use: a second use finds no row.
    auto link = db.prepare(
        "DELETE FROM password_links WHERE token_hash = ?1 AND expires_at > ?2 "
        "AND agent_id IN (SELECT id FROM agents WHERE active = 1) RETURNING agent_id");
    link.bind_all(token_hash, now);
    if (!link.step()) return core::not_found("this link is unknown, used or expired");
    Id agent_id = link.int64(0);
    link.run();
    auto s = db.prepare(
        sql({"UPDATE agents SET password_hash = ?2 WHERE id = ?1 RETURNING ", kAgentColumnsBare}));
    s.bind_all(agent_id, password_hash);
    s.step();
    auto agent = read_agent(s);
    s.run();
    end_sessions_of(db, agent_id, {});
    tx.commit();
    return agent;
  });
}

std::optional<core::Agent> SqliteStore::find_password_link(std::string_view token_hash,
                                                          Millis now) {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kAgentColumns,
                              " FROM password_links l JOIN agents a ON a.id = l.agent_id "
                              "WHERE l.token_hash = ?1 AND l.expires_at > ?2 AND a.active = 1"}));
  s.bind_all(token_hash, now);
  if (!s.step()) return std::nullopt;
  return read_agent(s);
}

Result<core::Person> SqliteStore::edit_visitor_person(Id visitor_id,
                                                      const core::PersonInput& fields,
                                                      Millis now) {
  return writer_.run([&](Connection& db) -> Result<core::Person> {
    Transaction tx(db);
    auto v = db.prepare("SELECT person_id FROM visitors WHERE id = ?1");
    v.bind_all(visitor_id);
    if (!v.step()) return core::not_found("no such visitor");
    auto person_id = v.opt_int64(0);
    v.run();
    std::string email = core::lowercase_ascii(fields.email);
    // The person who has the email now, if any: the visitor joins them, or (when the visitor
    // has a person of their own) the new email is taken.
    auto owner = db.prepare("SELECT id FROM people WHERE email = ?1");
    owner.bind_all(email);
    std::optional<Id> owner_id;
    if (owner.step()) owner_id = owner.int64(0);
    owner.run();
    if (person_id && owner_id && *owner_id != *person_id) {
      return core::conflict("another person has this email");
    }
    if (!person_id && !owner_id) {
      auto ins = db.prepare(
          "INSERT INTO people (email, created_at, updated_at) VALUES (?1, ?2, ?2) RETURNING id");
      ins.bind_all(email, now);
      ins.step();
      owner_id = ins.int64(0);
      ins.run();
    }
    Id id = person_id ? *person_id : *owner_id;
    auto s = db.prepare(sql({"UPDATE people SET email = ?2, name = ?3, job_title = ?4, "
                             "phone = ?5, company = ?6, crm_status = ?7, updated_at = ?8 "
                             "WHERE id = ?1 RETURNING ",
                             kPersonColumnsBare}));
    s.bind_all(id, email, fields.name, fields.job_title, fields.phone, fields.company,
               fields.crm_status, now);
    s.step();
    auto person = read_person(s);
    s.run();
    if (!person_id) {
      db.prepare("UPDATE visitors SET person_id = ?2 WHERE id = ?1").bind_all(visitor_id, id).run();
    }
    tx.commit();
    return person;
  });
}

}  // namespace parley::store::sqlite
