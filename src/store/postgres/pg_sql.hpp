// The SQL building blocks shared by the PgStore areas (pg_<area>.cpp): loading rows,
// appending to a conversation's event log, activities, routing inputs. Each runs on the
// caller's connection, inside the caller's transaction. The PostgreSQL twins of
// store/sqlite/store_sql.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/routing.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/store.hpp"

namespace parley::store::postgres {

std::optional<core::Conversation> load_conversation(PgConnection& db, Id id);
// The same, with the row locked until the transaction ends (FOR UPDATE): what a
// read-decide-write transaction takes first, so a second node's writer waits for it.
std::optional<core::Conversation> lock_conversation(PgConnection& db, Id id);
std::optional<core::Agent> load_agent(PgConnection& db, Id id);
std::optional<core::Message> load_message_by_client_id(PgConnection& db, Id conversation_id,
                                                       std::string_view client_id);

// Appends one event with the conversation's next seq and bumps its activity time (and its
// last_text for text messages).
core::Message append_event(PgConnection& db, Id conversation_id, core::SenderKind sender,
                           std::optional<Id> agent_id, std::string_view kind, std::string_view body,
                           std::optional<std::string> client_id, Millis now);
// append_message's transaction body: takes the next seq while the chat is active and the
// client id is new, and inserts. When that wrote nothing, it tells why: a retried client id
// is acknowledged as a duplicate; otherwise not_found or conflict.
Result<AppendOutcome> append_in(PgConnection& db, const NewMessage& message, Millis now);
// The common case of append_in for a whole batch in one statement (PgGroupCommit::SetRow):
// kAppendSet takes each message's append_set_values as arrays, appends those whose chat is
// active and whose client id is new (not stored, not earlier in the batch), in batch order,
// and returns a row per appended message that appended_row reads.
std::string_view append_set_sql();
// Locks the conversation rows of $1 (an array of ids) in id order, before append_set_sql.
std::string_view append_set_lock_sql();
std::vector<Param> append_set_values(const NewMessage& message, Millis now);
AppendOutcome appended_row(const PgResult& r, int row, const NewMessage& message, Millis now);

// Stores `activity` (its id is ignored) and returns it with its new id.
core::Activity insert_activity(PgConnection& db, const core::Activity& activity);
// The end of a chat: the status already moved; log the event and the activity.
Transition finish_end(PgConnection& db, Id conversation_id, std::string_view reason, Millis now);

// Routing inputs and bookkeeping.
std::vector<AgentLoad> agent_loads(PgConnection& db, Millis now);
std::vector<Id> offered_agents(PgConnection& db, Id conversation_id);
void record_offer(PgConnection& db, Id conversation_id, Id agent_id, Millis now);
core::VisitorFacts facts_of_visitor(PgConnection& db, Id visitor_id, const std::string& page_url);
// Upserts the person by (lower-cased) email; given fields win, absent ones are kept.
core::Person upsert_person(PgConnection& db, const core::PersonInput& person, Millis now);

// The tsquery for core::search_terms: every term must match, as a prefix ("ann" finds
// "Anne"), against parley_words() of the schema. Empty for no terms.
std::string tsquery_of(const std::vector<std::string>& terms);

}  // namespace parley::store::postgres
