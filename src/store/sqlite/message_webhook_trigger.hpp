// The webhook trigger on `messages` exists only while an active endpoint wants an event it
// writes (message.created, chat.requested, chat.started, chat.ended, chat.missed).
//
// Why: SQLite runs an AFTER INSERT trigger as a sub-program for every inserted row, WHEN
// clause included, so even a trigger whose WHEN is false costs every message a frame and a
// lookup of webhook_endpoints. Messages are the hot path (docs/performance.md, "The webhook
// trigger"); without a subscriber the work is pure waste. The other webhook triggers (meetings,
// people) fire on rare changes and stay static (migration 11).
#pragma once

#include "store/sqlite/sqlite_connection.hpp"

namespace parley::store::sqlite {

// Creates or drops the trigger so that it exists exactly when some active endpoint subscribes
// to one of its events. Call inside the transaction that changed webhook_endpoints (DDL is
// transactional in SQLite: the trigger and the change commit together) and once at open.
void sync_message_webhook_trigger(Connection& db);

// Whether the trigger is there now (for tests and diagnostics).
bool message_webhook_trigger_exists(Connection& db);

}  // namespace parley::store::sqlite
