#include "store/sqlite/message_webhook_trigger.hpp"

namespace parley::store::sqlite {

namespace {

// Conversation events: text -> message.created, chat.accepted -> chat.started, the others by
// their own name. The WHEN stays: an endpoint may want chat.ended and not message.created.
constexpr const char* kCreateTrigger = R"sql(
CREATE TRIGGER webhook_on_message AFTER INSERT ON messages
WHEN new.kind IN ('text', 'chat.requested', 'chat.accepted', 'chat.ended', 'chat.missed')
 AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.active = 1 AND instr(e.events,
       ' ' || CASE new.kind WHEN 'text' THEN 'message.created'
                            WHEN 'chat.accepted' THEN 'chat.started' ELSE new.kind END || ' ') > 0)
BEGIN
  INSERT INTO webhook_outbox (type, conversation_id, seq, created_at)
    VALUES (CASE new.kind WHEN 'text' THEN 'message.created'
                          WHEN 'chat.accepted' THEN 'chat.started' ELSE new.kind END,
            new.conversation_id, new.seq, new.created_at);
  INSERT INTO webhook_deliveries (outbox_id, endpoint_id, conversation_id, started_at,
                                  next_attempt_at, created_at)
    SELECT o.id, e.id, o.conversation_id, o.created_at, o.created_at, o.created_at
    FROM webhook_outbox o JOIN webhook_endpoints e
      ON e.active = 1 AND instr(e.events, ' ' || o.type || ' ') > 0
    WHERE o.id = last_insert_rowid();
END
)sql";

bool wanted(Connection& db) {
  auto s = db.prepare(
      "SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE active = 1 AND ("
      "instr(events, ' message.created ') > 0 OR instr(events, ' chat.requested ') > 0 OR "
      "instr(events, ' chat.started ') > 0 OR instr(events, ' chat.ended ') > 0 OR "
      "instr(events, ' chat.missed ') > 0))");
  s.step();
  bool yes = s.int64(0) != 0;
  s.run();
  return yes;
}

}  // namespace

bool message_webhook_trigger_exists(Connection& db) {
  auto s = db.prepare(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'webhook_on_message'");
  s.step();
  bool yes = s.int64(0) != 0;
  s.run();
  return yes;
}

void sync_message_webhook_trigger(Connection& db) {
  bool want = wanted(db);
  if (want == message_webhook_trigger_exists(db)) return;
  if (want) {
    db.exec(kCreateTrigger);
  } else {
    db.exec("DROP TRIGGER webhook_on_message");
  }
}

}  // namespace parley::store::sqlite
