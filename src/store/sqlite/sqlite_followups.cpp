// SqliteStore, follow-up of missed chats (store/followup_store.hpp).
#include "core/activity.hpp"
#include "store/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/store_sql.hpp"

namespace parley::store::sqlite {

namespace {
std::string name_of(Connection& db, Id agent_id) {
  auto agent = load_agent(db, agent_id);
  return agent ? agent->name : std::string();
}

// The change went in: log it in the chat (history shows who followed it up) and return it.
Transition logged(Connection& db, Id conversation_id, std::string_view kind, Id by, Millis now) {
  Transition t;
  t.event = append_event(db, conversation_id, core::SenderKind::system, std::nullopt, kind,
                         name_of(db, by), std::nullopt, now);
  t.conversation = *load_conversation(db, conversation_id);
  return t;
}

// Why a conditional write of a follow-up changed nothing.
core::Error refusal(Connection& db, Id conversation_id, const char* when_not_yours) {
  auto c = load_conversation(db, conversation_id);
  if (!c) return core::not_found("no such conversation");
  if (c->status != core::ConversationStatus::missed) return core::conflict("only a missed chat is followed up");
  return core::conflict(when_not_yours);
}
}  // namespace

Result<Transition> SqliteStore::claim_followup(Id conversation_id, Id agent_id, Millis now) {
  return writer_.run([&](Connection& db) -> Result<Transition> {
    Transaction tx(db);
    // The primary key decides: of two racing claims exactly one row goes in.
    db.prepare(
          "INSERT INTO followups (conversation_id, agent_id, claimed_at) "
          "SELECT id, ?2, ?3 FROM conversations WHERE id = ?1 AND status = 'missed' "
          "ON CONFLICT (conversation_id) DO NOTHING")
        .bind_all(conversation_id, agent_id, now)
        .run();
    if (db.changes() == 0) return refusal(db, conversation_id, "someone already claimed this chat");
    auto t = logged(db, conversation_id, "followup.claimed", agent_id, now);
    tx.commit();
    return t;
  });
}

Result<Transition> SqliteStore::release_followup(Id conversation_id, Id claimer, Id by, Millis now) {
  return writer_.run([&](Connection& db) -> Result<Transition> {
    Transaction tx(db);
    db.prepare(
          "DELETE FROM followups WHERE conversation_id = ?1 AND agent_id = ?2 AND done_at IS NULL")
        .bind_all(conversation_id, claimer)
        .run();
    if (db.changes() == 0) return refusal(db, conversation_id, "the claim changed meanwhile");
    auto t = logged(db, conversation_id, "followup.released", by, now);
    tx.commit();
    return t;
  });
}

Result<Transition> SqliteStore::finish_followup(Id conversation_id, Id claimer, Id by, Millis now) {
  return writer_.run([&](Connection& db) -> Result<Transition> {
    Transaction tx(db);
    db.prepare(
          "UPDATE followups SET done_at = ?3 "
          "WHERE conversation_id = ?1 AND agent_id = ?2 AND done_at IS NULL")
        .bind_all(conversation_id, claimer, now)
        .run();
    if (db.changes() == 0) return refusal(db, conversation_id, "the claim changed meanwhile");
    auto t = logged(db, conversation_id, "followup.done", by, now);
    tx.commit();
    return t;
  });
}

Result<Transition> SqliteStore::record_followup_email(Id conversation_id, std::string_view event_body,
                                                     std::string_view activity_detail, Millis now) {
  return writer_.run([&](Connection& db) -> Result<Transition> {
    Transaction tx(db);
    auto c = load_conversation(db, conversation_id);
    if (!c) return core::not_found("no such conversation");
    Transition t;
    t.event = append_event(db, conversation_id, core::SenderKind::system, std::nullopt,
                           "followup.emailed", event_body, std::nullopt, now);
    insert_activity(db, {0, c->visitor_id, std::string(core::activity::kFollowupEmailed),
                         std::string(activity_detail), std::nullopt, conversation_id, now});
    t.conversation = *load_conversation(db, conversation_id);
    tx.commit();
    return t;
  });
}

std::optional<core::FollowUp> SqliteStore::find_followup(Id conversation_id) {
  auto conn = readers_.lease();
  auto s = conn->prepare(
      "SELECT f.agent_id, a.name, f.claimed_at, f.done_at FROM followups f "
      "JOIN agents a ON a.id = f.agent_id WHERE f.conversation_id = ?1");
  s.bind_all(conversation_id);
  if (!s.step()) return std::nullopt;
  return core::FollowUp{s.int64(0), s.text(1), s.int64(2), s.opt_int64(3)};
}

int SqliteStore::count_awaiting_followup() {
  auto conn = readers_.lease();
  // Every Inbox list asks this. Left to itself the planner counts through the covering
  // (agent_id, status) index, all conversations (~4 ms at 100k); the partial index holds the
  // missed ones only (~0.1 ms).
  auto s = conn->prepare(
      "SELECT count(*) FROM conversations c INDEXED BY conversations_missed "
      "LEFT JOIN followups f ON f.conversation_id = c.id "
      "WHERE c.status = 'missed' AND f.done_at IS NULL");
  s.step();
  return static_cast<int>(s.int64(0));
}

}  // namespace parley::store::sqlite
