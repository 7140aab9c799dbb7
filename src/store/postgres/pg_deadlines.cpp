// PgStore, deadlines (store/deadline_store.hpp): agents' status checks, lapsed offers and idle
// chats. Every node sweeps them; each is claimed or applied by a row lock or a conditional
// update, so it fires on exactly one node. (The re-offer of a lapsed offer routes, so it
// lives with routing in pg_routing.cpp.)
#include "store/postgres/pg_sql.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/rows.hpp"

namespace parley::store::postgres {

void PgStore::schedule_status_check(Id agent_id, std::optional<Millis> at) {
  write([&](PgConnection& db) {
    db.query("UPDATE agents SET status_check_at = $2 WHERE id = $1", agent_id, at);
    return 0;
  });
}

std::vector<core::Agent> PgStore::claim_status_checks(Millis now, const NextCheck& next_check) {
  return write([&](PgConnection& db) {
    // SKIP LOCKED: a check another node is claiming right now is theirs. One it claimed and
    // committed since this statement's snapshot is re-checked on its newest row version,
    // which is no longer due, so it is not returned either. NO KEY UPDATE (what the UPDATE
    // below takes anyway) rather than UPDATE: it does not clash with the key-share locks a
    // chat being offered to the agent holds, so those agents are not skipped for a sweep.
    auto r = db.query(sql({"SELECT ", kAgentColumns,
                           " FROM agents a WHERE a.status_check_at <= $1 "
                           "ORDER BY a.status_check_at FOR NO KEY UPDATE SKIP LOCKED"}),
                      now);
    std::vector<core::Agent> due;
    for (int i = 0; i < r.rows(); ++i) due.push_back(read_agent(PgRow(r, i)));
    for (const auto& agent : due) {
      db.query("UPDATE agents SET status_check_at = $2 WHERE id = $1", agent.id,
               next_check(agent));
    }
    return due;
  });
}

std::vector<core::Conversation> PgStore::due_offers(Millis now, int limit) {
  return read([&](PgConnection& db) {
    auto r = db.query(sql({"SELECT ", kConversationColumns,
                           " FROM conversations c WHERE c.status = 'pending' "
                           "AND (c.offer_expires_at <= $1 OR NOT EXISTS (SELECT 1 FROM presence p "
                           "     WHERE p.agent_id = c.agent_id AND p.expires_at > $1)) "
                           "ORDER BY c.offer_expires_at LIMIT $2"}),
                      now, limit);
    std::vector<core::Conversation> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_conversation(PgRow(r, i)));
    return out;
  });
}

std::vector<Id> PgStore::idle_conversations(Millis idle_since, int limit) {
  return read([&](PgConnection& db) {
    auto r = db.query(
        "SELECT id FROM conversations WHERE status = 'active' AND last_activity_at <= $1 "
        "ORDER BY last_activity_at LIMIT $2",
        idle_since, limit);
    std::vector<Id> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.int64(i, 0));
    return out;
  });
}

Result<Transition> PgStore::end_if_idle(Id conversation_id, Millis idle_since, Millis now) {
  return write([&](PgConnection& db) -> Result<Transition> {
    // Conditional on the newest row version: a message committed meanwhile (its append bumps
    // last_activity_at under the same row lock) or an end on another node makes this a no-op.
    // Appends move last_activity_at only when it is a second behind (HOT updates, see
    // append_in), so the newest event's own time is checked too.
    auto r = db.query(
        "UPDATE conversations SET status = 'ended', ended_at = $3, end_reason = 'inactivity' "
        "WHERE id = $1 AND status = 'active' AND last_activity_at <= $2 "
        "AND (SELECT max(m.created_at) FROM messages m WHERE m.conversation_id = $1 "
        "     AND m.seq = conversations.last_seq) <= $2",
        conversation_id, idle_since, now);
    if (r.affected() == 0) {
      if (!load_conversation(db, conversation_id)) return core::not_found("no such conversation");
      return core::conflict("the conversation is not idle any more");
    }
    return finish_end(db, conversation_id, "inactivity", now);
  });
}

}  // namespace parley::store::postgres
