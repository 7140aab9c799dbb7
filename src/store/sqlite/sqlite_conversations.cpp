// SqliteStore, conversations: requesting, accepting, appending, ending, and the reads of
// the Inbox and the widget.
#include <algorithm>
#include <string>

#include "core/activity.hpp"
#include "core/activity_record.hpp"
#include "store/sqlite/routing_rules_sql.hpp"
#include "store/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/store_sql.hpp"

namespace parley::store::sqlite {

using core::ConversationStatus;
using core::SenderKind;

Result<ChatRequestOutcome> SqliteStore::request_chat(const ChatRequest& request,
                                                     const RoutingDecision& decide, Millis now) {
  return writer_.run([&](Connection& db) -> Result<ChatRequestOutcome> {
    Transaction tx(db);

    {
      auto s = db.prepare("SELECT 1 FROM visitors WHERE id = ?1");
      s.bind_all(request.visitor_id);
      if (!s.step()) return core::not_found("no such visitor");
    }
    {
      // Checked first for a clean error; the partial unique index is the real guard.
      auto s = db.prepare(
          "SELECT 1 FROM conversations WHERE visitor_id = ?1 AND status IN ('pending', 'active')");
      s.bind_all(request.visitor_id);
      if (s.step()) return core::conflict("the visitor already has an open chat");
    }

    const auto& f = request.form;
    Id person_id =
        sqlite::upsert_person(db, {f.email, f.name, f.job_title, f.phone, f.company, std::nullopt}, now).id;
    db.prepare("UPDATE visitors SET person_id = ?2 WHERE id = ?1")
        .bind_all(request.visitor_id, person_id)
        .run();

    auto loads = agent_loads(db, now);
    auto rules = load_rules(db);
    auto facts = facts_of(request.form);
    auto choice = decide(RoutingSnapshot{loads, load_pointer(db, "global"), {}, rules, facts, {}});
    advance_pointer(db, choice);
    std::optional<Id> picked = choice.agent_id;

    Id conversation_id = 0;
    {
      auto s = db.prepare(
          "INSERT INTO conversations (visitor_id, agent_id, status, last_seq, page_url, "
          "created_at, last_activity_at, ended_at, end_reason, offer_expires_at, offers_made, "
          "route_stage, team_id, team_offers) "
          "VALUES (?1, ?2, ?3, 0, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id");
      bool missed = !picked;
      s.bind_all(request.visitor_id, picked, missed ? "missed" : "pending", request.form.page_url,
                 now, missed ? std::optional<Millis>(now) : std::nullopt,
                 missed ? std::optional<std::string>("no_agent") : std::nullopt,
                 missed ? std::nullopt : std::optional<Millis>(now + request.accept_timeout),
                 missed ? 0 : 1, core::to_string(choice.stage), choice.team_id,
                 choice.stage == core::RouteStage::team ? 1 : 0);
      try {
        s.step();
      } catch (const SqliteError& e) {
        if (e.is_unique_violation()) return core::conflict("the visitor already has an open chat");
        throw;
      }
      conversation_id = s.int64(0);
      s.run();
    }
    if (picked) record_offer(db, conversation_id, *picked, now);

    insert_activity(db, {0, request.visitor_id, std::string(core::activity::kFormFilled),
                         core::activity::form_filled_record(request.form), std::nullopt, conversation_id, now});

    ChatRequestOutcome outcome;
    outcome.events.push_back(append_event(db, conversation_id, SenderKind::system, std::nullopt,
                                          "chat.requested", request.form.name, std::nullopt, now));
    if (request.form.question) {
      // The form's question is the visitor's first message: the request banner, the Missed
      // list, search and the transcript all read it like any other.
      outcome.events.push_back(append_event(db, conversation_id, SenderKind::visitor,
                                            std::nullopt, "text", *request.form.question,
                                            std::nullopt, now));
    }
    if (!picked) {
      outcome.events.push_back(append_event(db, conversation_id, SenderKind::system, std::nullopt,
                                            "chat.missed", request.fallback_message, std::nullopt,
                                            now));
    }
    outcome.conversation = *load_conversation(db, conversation_id);
    tx.commit();
    return outcome;
  });
}

std::vector<AgentLoad> SqliteStore::agent_loads_at(Millis now) {
  auto conn = readers_.lease();
  return agent_loads(*conn, now);
}

Result<Transition> SqliteStore::accept_chat(Id conversation_id, Id agent_id, Millis now) {
  return writer_.run([&](Connection& db) -> Result<Transition> {
    Transaction tx(db);

    // The conditional update is the whole decision: only a pending chat offered to this
    // agent moves, so of two racing accepts exactly one changes a row.
    db.prepare(
          "UPDATE conversations SET status = 'active', accepted_at = ?3, last_activity_at = ?3, "
          "offer_expires_at = NULL "
          "WHERE id = ?1 AND status = 'pending' AND agent_id = ?2")
        .bind_all(conversation_id, agent_id, now)
        .run();
    if (db.changes() == 0) {
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
    tx.commit();
    return t;
  });
}

Result<AppendOutcome> SqliteStore::append_message(const NewMessage& message, Millis now) {
  return writer_.run(
      [&](Connection& db) { return append_in(db, batch_conversations_, message, now); },
      kAppendJobTraits);
}

void SqliteStore::flush() {
  // The queue is FIFO: when this empty job's batch is answered, every earlier one was.
  writer_.run([](Connection&) { return 0; });
  search_.catch_up();
}

namespace {

// One message append as one writer job: the message, its outcome (produced inside the
// batch) and whom to tell once the batch is durable.
class AppendJob final : public GroupCommitWriter::Job {
 public:
  AppendJob(BatchConversations& batch, NewMessage message, Millis now,
            ConversationStore::AppendDone done)
      : batch_(batch), message_(std::move(message)), now_(now), done_(std::move(done)) {}

  bool work(Connection& db) override {
    outcome_.emplace(append_in(db, batch_, message_, now_));
    return outcome_->ok();
  }

  void done(std::exception_ptr failure) override {
    if (failure) {
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        done_(core::Error{core::ErrorCode::internal, e.what()});
      } catch (...) {
        done_(core::Error{core::ErrorCode::internal, "sqlite: append failed"});
      }
      return;
    }
    done_(std::move(*outcome_));
  }

 private:
  BatchConversations& batch_;
  NewMessage message_;
  Millis now_;
  ConversationStore::AppendDone done_;
  std::optional<Result<AppendOutcome>> outcome_;
};

}  // namespace

void SqliteStore::append_message_async(NewMessage message, Millis now, AppendDone done) {
  writer_.submit_async(
      std::make_unique<AppendJob>(batch_conversations_, std::move(message), now, std::move(done)),
      kAppendJobTraits);
}

Result<Transition> SqliteStore::end_conversation(Id conversation_id, std::string_view reason,
                                                 Millis now) {
  return writer_.run([&](Connection& db) -> Result<Transition> {
    Transaction tx(db);

    // pending -> missed and active -> ended in one conditional update; anything else moved on.
    db.prepare(
          "UPDATE conversations SET "
          " status = CASE status WHEN 'pending' THEN 'missed' ELSE 'ended' END, "
          " ended_at = ?3, end_reason = ?2 "
          "WHERE id = ?1 AND status IN ('pending', 'active')")
        .bind_all(conversation_id, reason, now)
        .run();
    if (db.changes() == 0) {
      if (!load_conversation(db, conversation_id)) return core::not_found("no such conversation");
      return core::conflict("the conversation has already ended");
    }
    auto t = finish_end(db, conversation_id, reason, now);
    tx.commit();
    return t;
  });
}

std::optional<core::Conversation> SqliteStore::find_conversation(Id conversation_id) {
  auto conn = readers_.lease();
  return load_conversation(*conn, conversation_id);
}

std::optional<core::Conversation> SqliteStore::latest_conversation_of_visitor(Id visitor_id) {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kConversationColumns,
                              " FROM conversations c WHERE c.visitor_id = ?1 "
                              "ORDER BY c.id DESC LIMIT 1"}));
  s.bind_all(visitor_id);
  if (!s.step()) return std::nullopt;
  return read_conversation(s);
}

// One page of a conversation's log, by seq: `after` pages forward from `seq`, otherwise
// back from it; always returned in ascending seq.
std::vector<core::Message> SqliteStore::events_page(Id conversation_id, std::int64_t seq,
                                                    int limit, bool after) {
  std::vector<core::Message> out;
  if (limit <= 0) return out;
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kMessageColumns,
                              " FROM messages m WHERE m.conversation_id = ?1 AND ",
                              after ? "m.seq > ?2 ORDER BY m.seq" : "m.seq < ?2 ORDER BY m.seq DESC",
                              " LIMIT ?3"}));
  s.bind_all(conversation_id, seq, limit);
  while (s.step()) out.push_back(read_message(s));
  if (!after) std::reverse(out.begin(), out.end());
  return out;
}

std::vector<core::Message> SqliteStore::events_after(Id conversation_id, std::int64_t after_seq,
                                                     int limit) {
  return events_page(conversation_id, after_seq, limit, true);
}

std::vector<core::Message> SqliteStore::events_before(Id conversation_id, std::int64_t before_seq,
                                                      int limit) {
  return events_page(conversation_id, before_seq, limit, false);
}

Result<ReadOutcome> SqliteStore::mark_read(Id conversation_id, Reader reader, std::int64_t seq) {
  return writer_.run([&](Connection& db) -> Result<ReadOutcome> {
    Transaction tx(db);
    // One statement per reader (column names cannot be parameters); the mark only grows
    // and never passes the newest event.
    const char* text =
        reader == Reader::agent
            ? "UPDATE conversations SET agent_read_seq = min(?2, last_seq) "
              "WHERE id = ?1 AND min(?2, last_seq) > agent_read_seq"
            : "UPDATE conversations SET visitor_read_seq = min(?2, last_seq) "
              "WHERE id = ?1 AND min(?2, last_seq) > visitor_read_seq";
    db.prepare(text).bind_all(conversation_id, seq).run();
    bool advanced = db.changes() > 0;
    auto c = load_conversation(db, conversation_id);
    if (!c) return core::not_found("no such conversation");
    tx.commit();
    return ReadOutcome{std::move(*c), advanced};
  });
}

std::optional<ConversationSummary> SqliteStore::find_summary(Id conversation_id) {
  auto conn = readers_.lease();
  auto s = conn->prepare(
      sql({"SELECT ", kConversationColumns, kSummaryColumns, kSummaryJoins, " AND c.id = ?1"}));
  s.bind_all(conversation_id);
  if (!s.step()) return std::nullopt;
  return read_summary(s);
}

std::vector<ConversationSummary> SqliteStore::pending_offers(Id agent_id) {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kConversationColumns, kSummaryColumns, kSummaryJoins,
                              " AND c.status = 'pending' AND c.agent_id = ?1 ORDER BY c.id"}));
  s.bind_all(agent_id);
  std::vector<ConversationSummary> out;
  while (s.step()) out.push_back(read_summary(s));
  return out;
}

std::vector<ConversationSummary> SqliteStore::list_conversations(const ConversationQuery& q) {
  std::vector<ConversationSummary> out;
  if (q.limit <= 0) return out;

  // The WHERE is core::listed_in_inbox written in SQL: never a pending request (the banner
  // announces those); view_all sees every other row; an agent sees every ended chat and
  // their own active ones (a missed chat is an ended one). The statement text varies with the query's shape (a handful of
  // variants, each cached) so the planner sees plain predicates. Parameters: ?1 viewer,
  // ?2/?3 cursor (a variant may leave them unused), ?4 limit, ?5 the full-text query
  // (bound only by the variant that has it). Unread counts only for the assigned agent: the visitor's text
  // messages after their read mark, a range of the (conversation_id, seq) index.
  std::string text = sql(
      {"SELECT ", kConversationColumns, kSummaryColumns,
       ", CASE WHEN c.agent_id = ?1 THEN (SELECT count(*) FROM messages m "
       "WHERE m.conversation_id = c.id AND m.seq > c.agent_read_seq "
       "AND m.sender = 'visitor' AND m.kind = 'text') ELSE 0 END",
       kSummaryJoins, " AND c.status <> 'pending'"});
  std::string match = fts5_query(q.search);
  if (!match.empty()) {
    // The matching conversations as one set (message text by the conversation encoded in
    // the rowid, see search_index.hpp; people by name or email), probed while the list walks
    // its usual index in activity order, so a common word stops after one page. The unary
    // + keeps the planner from the other plan (visit every match by id, then sort): 200 ms
    // instead of 20 for a word in 12 % of 1M messages (docs/performance.md). UNION ALL:
    // the IN set removes duplicates itself.
    text +=
        " AND +c.id IN (SELECT rowid >> 20 FROM search.message_search "
        "WHERE message_search MATCH ?5 "
        "UNION ALL SELECT c2.id FROM people_search ps "
        "JOIN visitors v2 ON v2.person_id = ps.rowid "
        "JOIN conversations c2 ON c2.visitor_id = v2.id WHERE people_search MATCH ?5)";
  }
  if (!q.viewer.view_all) {
    text += " AND (c.status IN ('ended', 'missed') OR (c.status = 'active' AND c.agent_id = ?1))";
  }
  if (q.filter == StatusFilter::active) text += " AND c.status = 'active'";
  if (q.filter == StatusFilter::missed) text += " AND c.status = 'missed'";
  if (q.before_activity && q.before_id) {
    text += " AND (c.last_activity_at, c.id) < (?2, ?3)";
  } else if (q.before_activity) {
    text += " AND c.last_activity_at < ?2";
  } else if (q.before_id) {
    text += " AND c.id < ?3";
  }
  text += " ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ?4";

  auto conn = readers_.lease();
  auto s = conn->prepare(text);
  s.bind_all(q.viewer.agent_id, q.before_activity, q.before_id, q.limit);
  if (!match.empty()) s.bind(5, match);
  while (s.step()) out.push_back(read_summary(s, true));
  return out;
}
}  // namespace parley::store::sqlite
