// PgStore, follow-up of missed chats (store/followup_store.hpp). The PostgreSQL twin of
// sqlite/sqlite_followups.cpp.
#include "core/activity.hpp"
#include "store/postgres/pg_sql.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/rows.hpp"

namespace parley::store::postgres {

namespace {
std::string name_of(PgConnection& db, Id agent_id) {
  auto agent = load_agent(db, agent_id);
  return agent ? agent->name : std::string();
}

// The change went in: log it in the chat (history shows who followed it up) and return it.
Transition logged(PgConnection& db, Id conversation_id, std::string_view kind, Id by, Millis now) {
  Transition t;
  t.event = append_event(db, conversation_id, core::SenderKind::system, std::nullopt, kind,
                         name_of(db, by), std::nullopt, now);
  t.conversation = *load_conversation(db, conversation_id);
  return t;
}

// Why a conditional write of a follow-up changed nothing.
core::Error refusal(PgConnection& db, Id conversation_id, const char* when_not_yours) {
  auto c = load_conversation(db, conversation_id);
  if (!c) return core::not_found("no such conversation");
  if (c->status != core::ConversationStatus::missed) return core::conflict("only a missed chat is followed up");
  return core::conflict(when_not_yours);
}
}  // namespace

Result<Transition> PgStore::claim_followup(Id conversation_id, Id agent_id, Millis now) {
  return write([&](PgConnection& db) -> Result<Transition> {
    // The primary key decides: of two racing claims (on any nodes) exactly one row goes in;
    // the other waits for the first to commit and then inserts nothing.
    auto r = db.query(
        "INSERT INTO followups (conversation_id, agent_id, claimed_at) "
        "SELECT id, $2, $3 FROM conversations WHERE id = $1 AND status = 'missed' "
        "ON CONFLICT (conversation_id) DO NOTHING",
        conversation_id, agent_id, now);
    if (r.affected() == 0) return refusal(db, conversation_id, "someone already claimed this chat");
    return logged(db, conversation_id, "followup.claimed", agent_id, now);
  });
}

Result<Transition> PgStore::release_followup(Id conversation_id, Id claimer, Id by, Millis now) {
  return write([&](PgConnection& db) -> Result<Transition> {
    auto r = db.query(
        "DELETE FROM followups WHERE conversation_id = $1 AND agent_id = $2 AND done_at IS NULL",
        conversation_id, claimer);
    if (r.affected() == 0) return refusal(db, conversation_id, "the claim changed meanwhile");
    return logged(db, conversation_id, "followup.released", by, now);
  });
}

Result<Transition> PgStore::finish_followup(Id conversation_id, Id claimer, Id by, Millis now) {
  return write([&](PgConnection& db) -> Result<Transition> {
    auto r = db.query(
        "UPDATE followups SET done_at = $3 "
        "WHERE conversation_id = $1 AND agent_id = $2 AND done_at IS NULL",
        conversation_id, claimer, now);
    if (r.affected() == 0) return refusal(db, conversation_id, "the claim changed meanwhile");
    return logged(db, conversation_id, "followup.done", by, now);
  });
}

Result<Transition> PgStore::record_followup_email(Id conversation_id, std::string_view event_body,
                                                 std::string_view activity_detail, Millis now) {
  return write([&](PgConnection& db) -> Result<Transition> {
    auto c = load_conversation(db, conversation_id);
    if (!c) return core::not_found("no such conversation");
    Transition t;
    t.event = append_event(db, conversation_id, core::SenderKind::system, std::nullopt,
                           "followup.emailed", event_body, std::nullopt, now);
    insert_activity(db, {0, c->visitor_id, std::string(core::activity::kFollowupEmailed),
                         std::string(activity_detail), std::nullopt, conversation_id, now});
    t.conversation = *load_conversation(db, conversation_id);
    return t;
  });
}

std::optional<core::FollowUp> PgStore::find_followup(Id conversation_id) {
  return read([&](PgConnection& db) -> std::optional<core::FollowUp> {
    auto r = db.query(
        "SELECT f.agent_id, a.name, f.claimed_at, f.done_at FROM followups f "
        "JOIN agents a ON a.id = f.agent_id WHERE f.conversation_id = $1",
        conversation_id);
    if (r.empty()) return std::nullopt;
    PgRow row(r, 0);
    return core::FollowUp{row.int64(0), row.text(1), row.int64(2), row.opt_int64(3)};
  });
}

int PgStore::count_awaiting_followup() {
  return read([&](PgConnection& db) {
    auto r = db.query(
        "SELECT count(*) FROM conversations c LEFT JOIN followups f ON f.conversation_id = c.id "
        "WHERE c.status = 'missed' AND f.done_at IS NULL");
    return static_cast<int>(r.int64(0, 0));
  });
}

}  // namespace parley::store::postgres
