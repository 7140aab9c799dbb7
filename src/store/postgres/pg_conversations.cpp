// PgStore, conversations and messages (store/conversation_store.hpp): accepting, appending,
// ending, read marks, and the reads of the Inbox and the widget. The PostgreSQL twin of
// sqlite/sqlite_conversations.cpp.
//
// Every decision between racing nodes is a conditional UPDATE of the conversation row (its
// WHERE holds the status and agent checks), so PostgreSQL settles it: under READ COMMITTED
// a second UPDATE waits for the first one's row lock, then re-checks its WHERE against the
// committed row and changes nothing.
#include <algorithm>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/activity.hpp"
#include "store/postgres/pg_sql.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/rows.hpp"

namespace parley::store::postgres {

using core::SenderKind;

namespace {

// How often one message is run through the writer: a job that lost to another node (the
// same client id committed first, so the unique index refused the insert; or a deadlock)
// is run again, and the rerun sees the winner's committed row (a duplicate, acknowledged
// as one).
constexpr int kAppendAttempts = 3;

bool worth_rerunning(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const PgError& e) {
    return e.is_unique_violation() || e.is_retryable();
  } catch (...) {
    return false;
  }
}

// Told once the message's batch committed (`failure` null, `outcome` set) or failed.
using AppendAnswer =
    std::function<void(std::exception_ptr failure, Result<AppendOutcome>* outcome)>;

// Queues append_in on the group-commit writer, keyed by the conversation (the writer's lock
// order). A failed job's savepoint was rolled back, so running it again writes nothing twice.
void submit_append(PgGroupCommit& writer, NewMessage message, Millis now, int attempt,
                   AppendAnswer answer) {
  auto outcome = std::make_shared<std::optional<Result<AppendOutcome>>>();
  Id key = message.conversation_id;
  // The work runs before `done`, on the same thread: `done` may take the message back.
  auto shared_message = std::make_shared<NewMessage>(std::move(message));
  // One row of the batch's append statement. When that did not append it (or the batch fell
  // back to one job at a time), the job runs whole and tells why.
  PgGroupCommit::SetRow row{
      append_set_sql(), append_set_values(*shared_message, now),
      [outcome, shared_message, now](const PgResult& r, int i) {
        outcome->emplace(appended_row(r, i, *shared_message, now));
      },
      append_set_lock_sql()};
  writer.submit(
      key,
      [outcome, shared_message, now](PgConnection& db) {
        outcome->emplace(append_in(db, *shared_message, now));
        return (*outcome)->ok();
      },
      [&writer, outcome, shared_message, now, attempt,
       answer = std::move(answer)](std::exception_ptr failure) mutable {
        if (failure && attempt < kAppendAttempts && worth_rerunning(failure)) {
          submit_append(writer, std::move(*shared_message), now, attempt + 1, std::move(answer));
          return;
        }
        if (failure) {
          answer(failure, nullptr);
          return;
        }
        answer(nullptr, &**outcome);
      },
      std::move(row));
}

std::optional<ConversationSummary> first_summary(const PgResult& r) {
  if (r.empty()) return std::nullopt;
  return read_summary(PgRow(r, 0));
}

}  // namespace

Result<Transition> PgStore::accept_chat(Id conversation_id, Id agent_id, Millis now) {
  return write([&](PgConnection& db) -> Result<Transition> {
    // The conditional update is the whole decision: only a pending chat offered to this
    // agent moves, so of two racing accepts (on any nodes) exactly one changes a row.
    auto moved = db.query(
        "UPDATE conversations SET status = 'active', accepted_at = $3, last_activity_at = $3, "
        "offer_expires_at = NULL "
        "WHERE id = $1 AND status = 'pending' AND agent_id = $2",
        conversation_id, agent_id, now);
    if (moved.affected() == 0) {
      if (!load_conversation(db, conversation_id)) return core::not_found("no such conversation");
      return core::conflict("the chat is no longer waiting for you");
    }

    auto agent = load_agent(db, agent_id);
    std::string agent_name = agent ? agent->name : std::string();
    Transition t;
    t.event = append_event(db, conversation_id, SenderKind::system, std::nullopt, "chat.accepted",
                           agent_name, std::nullopt, now);
    t.conversation = *load_conversation(db, conversation_id);
    insert_activity(db, {0, t.conversation.visitor_id, std::string(core::activity::kChatStarted),
                         agent_name, std::nullopt, conversation_id, now});
    return t;
  });
}

Result<AppendOutcome> PgStore::append_message(const NewMessage& message, Millis now) {
  // Through the writer as well, so one node's messages keep their order whichever form
  // sent them, and share its commits. (Never call this from an AppendDone: that runs on the
  // writer's thread, which would wait for itself.) A failure of the batch propagates, as
  // every write's does.
  std::promise<Result<AppendOutcome>> answered;
  submit_append(writer_for(message.conversation_id), message, now, 1,
                [&answered](std::exception_ptr failure, Result<AppendOutcome>* outcome) {
                  if (failure) {
                    answered.set_exception(failure);
                  } else {
                    answered.set_value(std::move(*outcome));
                  }
                });
  return answered.get_future().get();
}

void PgStore::append_message_async(NewMessage message, Millis now, AppendDone done) {
  // The outcome is produced inside the batch and handed over once the batch committed.
  submit_append(
      writer_for(message.conversation_id), message, now, 1,
      [done = std::move(done)](std::exception_ptr failure, Result<AppendOutcome>* outcome) {
        if (failure) {
          try {
            std::rethrow_exception(failure);
          } catch (const PgUnavailable&) {
            done(core::Error{core::ErrorCode::unavailable,
                             "the database cannot be reached; try again shortly"});
          } catch (const std::exception& e) {
            done(core::Error{core::ErrorCode::internal, e.what()});
          } catch (...) {
            done(core::Error{core::ErrorCode::internal, "postgres: append failed"});
          }
          return;
        }
        done(std::move(*outcome));
      });
}

void PgStore::flush() {
  // Every other write is synchronous; only the writers' queues can hold unanswered ones.
  // Search needs nothing more: the GIN indexes are current at commit.
  for (auto& writer : writers_) writer->flush();
}

Result<Transition> PgStore::end_conversation(Id conversation_id, std::string_view reason,
                                             Millis now) {
  return write([&](PgConnection& db) -> Result<Transition> {
    // pending -> missed and active -> ended in one conditional update; anything else moved on
    // (a racing end, accept or lapse waits for the row lock, then finds the new status).
    auto moved = db.query(
        "UPDATE conversations SET "
        " status = CASE status WHEN 'pending' THEN 'missed' ELSE 'ended' END, "
        " ended_at = $3, end_reason = $2 "
        "WHERE id = $1 AND status IN ('pending', 'active')",
        conversation_id, reason, now);
    if (moved.affected() == 0) {
      if (!load_conversation(db, conversation_id)) return core::not_found("no such conversation");
      return core::conflict("the conversation has already ended");
    }
    return finish_end(db, conversation_id, reason, now);
  });
}

Result<ReadOutcome> PgStore::mark_read(Id conversation_id, Reader reader, std::int64_t seq) {
  return write([&](PgConnection& db) -> Result<ReadOutcome> {
    // One statement per reader (column names cannot be parameters); the mark only grows
    // and never passes the newest event.
    std::string text =
        reader == Reader::agent
            ? sql({"UPDATE conversations SET agent_read_seq = LEAST($2::bigint, last_seq) "
                   "WHERE id = $1 AND LEAST($2::bigint, last_seq) > agent_read_seq RETURNING ",
                   kConversationColumnsBare})
            : sql({"UPDATE conversations SET visitor_read_seq = LEAST($2::bigint, last_seq) "
                   "WHERE id = $1 AND LEAST($2::bigint, last_seq) > visitor_read_seq RETURNING ",
                   kConversationColumnsBare});
    auto moved = db.query(text, conversation_id, seq);
    if (!moved.empty()) return ReadOutcome{read_conversation(PgRow(moved, 0)), true};
    auto c = load_conversation(db, conversation_id);
    if (!c) return core::not_found("no such conversation");
    return ReadOutcome{std::move(*c), false};
  });
}

Result<Transition> PgStore::append_system_event(Id conversation_id, std::string_view kind,
                                                std::string_view body, Millis now) {
  return write([&](PgConnection& db) -> Result<Transition> {
    if (!load_conversation(db, conversation_id)) return core::not_found("no such conversation");
    Transition t;
    t.event = append_event(db, conversation_id, SenderKind::system, std::nullopt, kind, body,
                           std::nullopt, now);
    t.conversation = *load_conversation(db, conversation_id);
    return t;
  });
}

std::optional<core::Conversation> PgStore::find_conversation(Id conversation_id) {
  return read([&](PgConnection& db) { return load_conversation(db, conversation_id); });
}

std::optional<core::Conversation> PgStore::latest_conversation_of_visitor(Id visitor_id) {
  return read([&](PgConnection& db) -> std::optional<core::Conversation> {
    auto r = db.query(sql({"SELECT ", kConversationColumns,
                           " FROM conversations c WHERE c.visitor_id = $1 "
                           "ORDER BY c.id DESC LIMIT 1"}),
                      visitor_id);
    if (r.empty()) return std::nullopt;
    return read_conversation(PgRow(r, 0));
  });
}

namespace {
// One page of a conversation's log, by seq: `after` pages forward from `seq`, otherwise
// back from it; always returned in ascending seq.
std::vector<core::Message> events_page(PgConnection& db, Id conversation_id, std::int64_t seq,
                                       int limit, bool after) {
  std::vector<core::Message> out;
  if (limit <= 0) return out;
  auto r = db.query(
      sql({"SELECT ", kMessageColumns, " FROM messages m WHERE m.conversation_id = $1 AND ",
           after ? "m.seq > $2 ORDER BY m.seq" : "m.seq < $2 ORDER BY m.seq DESC", " LIMIT $3"}),
      conversation_id, seq, limit);
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_message(PgRow(r, i)));
  if (!after) std::reverse(out.begin(), out.end());
  return out;
}
}  // namespace

std::vector<core::Message> PgStore::events_after(Id conversation_id, std::int64_t after_seq,
                                                 int limit) {
  return read(
      [&](PgConnection& db) { return events_page(db, conversation_id, after_seq, limit, true); });
}

std::vector<core::Message> PgStore::events_before(Id conversation_id, std::int64_t before_seq,
                                                  int limit) {
  return read(
      [&](PgConnection& db) { return events_page(db, conversation_id, before_seq, limit, false); });
}

std::optional<ConversationSummary> PgStore::find_summary(Id conversation_id) {
  return read([&](PgConnection& db) {
    return first_summary(db.query(
        sql({"SELECT ", kConversationColumns, kSummaryColumns, kSummaryJoins, " AND c.id = $1"}),
        conversation_id));
  });
}

std::vector<ConversationSummary> PgStore::pending_offers(Id agent_id) {
  return read([&](PgConnection& db) {
    auto r = db.query(sql({"SELECT ", kConversationColumns, kSummaryColumns, kSummaryJoins,
                           " AND c.status = 'pending' AND c.agent_id = $1 ORDER BY c.id"}),
                      agent_id);
    std::vector<ConversationSummary> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_summary(PgRow(r, i)));
    return out;
  });
}

std::vector<ConversationSummary> PgStore::list_conversations(const ConversationQuery& q) {
  if (q.limit <= 0) return {};

  // The WHERE is core::listed_in_inbox written in SQL: never a pending request (the banner
  // announces those); view_all sees every other row; an agent sees every ended chat and
  // their own active ones (a missed chat is an ended one). The statement text varies with the query's shape (a handful of
  // variants, each prepared once per connection) so the planner sees plain predicates.
  // PostgreSQL cannot prepare a statement with a parameter it does not use, so each
  // variant numbers only the parameters it has. Unread counts only for the assigned agent:
  // the visitor's text messages after their read mark, a range of the (conversation_id, seq)
  // unique index.
  std::vector<Param> params{param(q.viewer.agent_id)};
  auto next = [&params](Param p) {
    params.push_back(std::move(p));
    return "$" + std::to_string(params.size());
  };
  std::string text = sql({"SELECT ", kConversationColumns, kSummaryColumns,
                          ", CASE WHEN c.agent_id = $1 THEN (SELECT count(*) FROM messages m "
                          "WHERE m.conversation_id = c.id AND m.seq > c.agent_read_seq "
                          "AND m.sender = 'visitor' AND m.kind = 'text') ELSE 0 END",
                          kSummaryJoins, " AND c.status <> 'pending'"});
  std::string match = tsquery_of(q.search);
  if (!match.empty()) {
    // The matching conversations as one set: those with a text message holding every term,
    // and those whose person's name or email does. Each side is written exactly as its GIN
    // index's expression (messages_search, people_search in pg_schema.cpp) so the planner
    // can use the index. UNION ALL: the IN set removes duplicates itself.
    std::string tsq = "to_tsquery('simple', parley_fold(" + next(match) + "))";
    text +=
        sql({" AND c.id IN (SELECT ms.conversation_id FROM messages ms "
             "WHERE ms.kind = 'text' AND parley_words(ms.body) @@ ",
             tsq,
             " UNION ALL SELECT c2.id FROM people ps "
             "JOIN visitors v2 ON v2.person_id = ps.id "
             "JOIN conversations c2 ON c2.visitor_id = v2.id "
             "WHERE parley_words(coalesce(ps.name, '') || ' ' || ps.email) @@ ",
             tsq, ")"});
  }
  if (!q.viewer.view_all) {
    text += " AND (c.status IN ('ended', 'missed') OR (c.status = 'active' AND c.agent_id = $1))";
  }
  if (q.filter == StatusFilter::active) text += " AND c.status = 'active'";
  if (q.filter == StatusFilter::missed) text += " AND c.status = 'missed'";
  if (q.before_activity && q.before_id) {
    text += " AND (c.last_activity_at, c.id) < (" + next(param(*q.before_activity)) + "::bigint, " +
            next(param(*q.before_id)) + "::bigint)";
  } else if (q.before_activity) {
    text += " AND c.last_activity_at < " + next(param(*q.before_activity));
  } else if (q.before_id) {
    text += " AND c.id < " + next(param(*q.before_id));
  }
  text += " ORDER BY c.last_activity_at DESC, c.id DESC LIMIT " + next(param(q.limit));

  return read([&](PgConnection& db) {
    auto r = db.query_params(text, params);
    std::vector<ConversationSummary> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_summary(PgRow(r, i), true));
    return out;
  });
}

}  // namespace parley::store::postgres
