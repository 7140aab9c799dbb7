// The SQL building blocks shared by the SqliteStore methods (sqlite_store.cpp,
// sqlite_conversations.cpp, sqlite_deadlines.cpp): loading rows, appending to a
// conversation's event log, activities, routing inputs. Each runs on the caller's connection,
// inside the caller's transaction.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/routing.hpp"
#include "store/sqlite/batch_conversations.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace parley::store::sqlite {


std::optional<core::Conversation> load_conversation(Connection& conn, Id id);
std::optional<core::Agent> load_agent(Connection& conn, Id id);
std::optional<core::Message> load_message_by_client_id(Connection& conn, Id conversation_id,
                                                       std::string_view client_id);

// Appends one event with the conversation's next seq and bumps its activity time (and its
// last_text for text messages).
core::Message append_event(Connection& conn, Id conversation_id, core::SenderKind sender,
                           std::optional<Id> agent_id, std::string_view kind, std::string_view body,
                           std::optional<std::string> client_id, Millis now);
// append_message's job, shared by the blocking and the asynchronous form: checks the send
// against the conversation as the batch has it, stores the message, and leaves the row's
// update to `batch` (written out before the commit). Its only write is one INSERT, so its
// job runs without a savepoint (kAppendJobTraits): keep it so.
Result<AppendOutcome> append_in(Connection& db, BatchConversations& batch,
                                const NewMessage& message, Millis now);
// The traits of a group-commit job that runs append_in.
inline constexpr JobTraits kAppendJobTraits{.uses_batch_state = true, .one_statement = true};

// Stores `activity` (its id is ignored) and returns it with its new id.
core::Activity insert_activity(Connection& conn, const core::Activity& activity);
// The end of a chat: the status already moved; log the event and the activity.
Transition finish_end(Connection& db, Id conversation_id, std::string_view reason, Millis now);

// Routing inputs and bookkeeping.
std::vector<AgentLoad> agent_loads(Connection& conn, Millis now);
std::vector<Id> offered_agents(Connection& conn, Id conversation_id);
void record_offer(Connection& conn, Id conversation_id, Id agent_id, Millis now);
core::VisitorFacts facts_of_visitor(Connection& conn, Id visitor_id, const std::string& page_url);
// Upserts the person by (lower-cased) email; given fields win, absent ones are kept.
core::Person upsert_person(Connection& conn, const core::PersonInput& person, Millis now);

// The FTS5 query for core::search_terms: every term must match, as a prefix ("ann" finds
// "Anne"). Empty for no terms.
std::string fts5_query(const std::vector<std::string>& terms);


}  // namespace parley::store::sqlite
