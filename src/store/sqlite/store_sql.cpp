#include "store/sqlite/store_sql.hpp"

#include "core/activity.hpp"
#include "core/validation.hpp"
#include "store/rows.hpp"

namespace parley::store::sqlite {

using core::ConversationStatus;
using core::SenderKind;

namespace {
std::string conversation_snippet(Connection& conn, Id conversation_id) {
  auto s = conn.prepare(
      "SELECT body FROM messages WHERE conversation_id = ?1 AND kind = 'text' "
      "AND sender = 'visitor' ORDER BY seq LIMIT 1");
  s.bind_all(conversation_id);
  if (!s.step()) return {};
  return utf8_prefix(s.text(0), kSnippetChars);
}
}  // namespace

std::optional<core::Conversation> load_conversation(Connection& conn, Id id) {
  auto s =
      conn.prepare(sql({"SELECT ", kConversationColumns, " FROM conversations c WHERE c.id = ?1"}));
  s.bind_all(id);
  if (!s.step()) return std::nullopt;
  return read_conversation(s);
}

std::optional<core::Agent> load_agent(Connection& conn, Id id) {
  auto s = conn.prepare(sql({"SELECT ", kAgentColumns, " FROM agents a WHERE a.id = ?1"}));
  s.bind_all(id);
  if (!s.step()) return std::nullopt;
  return read_agent(s);
}

std::optional<core::Message> load_message_by_client_id(Connection& conn, Id conversation_id,
                                                       std::string_view client_id) {
  auto s =
      conn.prepare(sql({"SELECT ", kMessageColumns,
                        " FROM messages m WHERE m.conversation_id = ?1 AND m.client_id = ?2"}));
  s.bind_all(conversation_id, client_id);
  if (!s.step()) return std::nullopt;
  return read_message(s);
}

// Appends one event with the conversation's next seq and bumps its activity time (and its
// last_text for text messages). The seq comes from an UPDATE ... RETURNING on the
// conversation row, so on a database with row locks two writers cannot both take it, and
// the UNIQUE(conversation_id, seq) index would reject it if they did.
core::Message append_event(Connection& conn, Id conversation_id, SenderKind sender,
                           std::optional<Id> agent_id, std::string_view kind, std::string_view body,
                           std::optional<std::string> client_id, Millis now) {
  auto bump = conn.prepare(
      "UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = ?2, "
      "last_text = CASE WHEN ?3 = 'text' THEN ?4 ELSE last_text END "
      "WHERE id = ?1 RETURNING last_seq");
  bump.bind_all(conversation_id, now, kind, body);
  if (!bump.step()) throw StoreFailure("sqlite: conversation vanished during append");
  std::int64_t seq = bump.int64(0);
  bump.run();  // finish the statement so the update is complete before the insert

  auto ins = conn.prepare(
      "INSERT INTO messages (conversation_id, seq, sender, agent_id, kind, body, client_id, "
      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id");
  ins.bind_all(conversation_id, seq, core::to_string(sender), agent_id, kind, body, client_id, now);
  ins.step();
  core::Message m;
  m.id = ins.int64(0);
  ins.run();
  m.conversation_id = conversation_id;
  m.seq = seq;
  m.sender = sender;
  m.agent_id = agent_id;
  m.kind = std::string(kind);
  m.body = std::string(body);
  m.client_id = std::move(client_id);
  m.created_at = now;
  return m;
}

core::Activity insert_activity(Connection& conn, const core::Activity& a) {
  auto s = conn.prepare(
      "INSERT INTO activities (visitor_id, type, detail, url, conversation_id, at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
  s.bind_all(a.visitor_id, a.type, a.detail, a.url, a.conversation_id, a.at);
  s.step();
  core::Activity stored = a;
  stored.id = s.int64(0);
  s.run();
  return stored;
}

std::vector<AgentLoad> agent_loads(Connection& conn, Millis now) {
  // Every active agent with their open (pending + active) chats and whether they are
  // online; decide() applies availability and eligibility, so those rules live in core/ only.
  auto s = conn.prepare(sql({"SELECT ", kAgentColumns,
                             ", (SELECT count(*) FROM conversations c WHERE c.agent_id = a.id "
                             "   AND c.status IN ('pending', 'active')), "
                             "EXISTS (SELECT 1 FROM presence p WHERE p.agent_id = a.id "
                             "   AND p.expires_at > ?1) "
                             "FROM agents a WHERE a.active = 1 ORDER BY a.id"}));
  s.bind_all(now);
  std::vector<AgentLoad> out;
  while (s.step()) {
    out.push_back({read_agent(s), static_cast<int>(s.int64(kAgentColumnCount)),
                   s.int64(kAgentColumnCount + 1) != 0});
  }
  return out;
}

std::vector<Id> offered_agents(Connection& conn, Id conversation_id) {
  auto s = conn.prepare("SELECT agent_id FROM conversation_offers WHERE conversation_id = ?1");
  s.bind_all(conversation_id);
  std::vector<Id> out;
  while (s.step()) out.push_back(s.int64(0));
  return out;
}

void record_offer(Connection& conn, Id conversation_id, Id agent_id, Millis now) {
  conn.prepare(
        "INSERT INTO conversation_offers (conversation_id, agent_id, offered_at) "
        "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
      .bind_all(conversation_id, agent_id, now)
      .run();
}

// The end of a chat: the status already moved; log the event and the activity.
Transition finish_end(Connection& db, Id conversation_id, std::string_view reason, Millis now) {
  Transition t;
  t.event = append_event(db, conversation_id, SenderKind::system, std::nullopt, "chat.ended",
                         reason, std::nullopt, now);
  t.conversation = *load_conversation(db, conversation_id);
  insert_activity(db, {0, t.conversation.visitor_id, std::string(core::activity::kChatEnded),
                       conversation_snippet(db, conversation_id), std::nullopt, conversation_id,
                       now});
  return t;
}

// A visitor as routing saw them at request time, rebuilt from their person record.
core::VisitorFacts facts_of_visitor(Connection& conn, Id visitor_id, const std::string& page_url) {
  auto s = conn.prepare(
      "SELECT p.email, p.name, p.company, p.job_title, p.phone FROM visitors v "
      "JOIN people p ON p.id = v.person_id WHERE v.id = ?1");
  s.bind_all(visitor_id);
  core::VisitorFacts f;
  f.page_url = page_url;
  if (s.step()) {
    f.email = s.text(0);
    f.name = s.opt_text(1);
    f.company = s.opt_text(2);
    f.job_title = s.opt_text(3);
    f.phone = s.opt_text(4);
  }
  return f;
}

core::Person upsert_person(Connection& conn, const core::PersonInput& p, Millis now) {
  // Given fields win; absent ones keep the stored value (COALESCE over excluded).
  auto s = conn.prepare(
      "INSERT INTO people (email, name, job_title, phone, company, crm_status, created_at, "
      "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) "
      "ON CONFLICT (email) DO UPDATE SET "
      " name = COALESCE(excluded.name, name), "
      " job_title = COALESCE(excluded.job_title, job_title), "
      " phone = COALESCE(excluded.phone, phone), "
      " company = COALESCE(excluded.company, company), "
      " crm_status = COALESCE(excluded.crm_status, crm_status), "
      " updated_at = excluded.updated_at "
      "RETURNING id, email, name, job_title, phone, company, crm_status");
  s.bind_all(core::lowercase_ascii(p.email), given(p.name), given(p.job_title), given(p.phone),
             given(p.company), given(p.crm_status), now);
  s.step();
  auto person = read_person(s);
  s.run();
  return person;
}

Result<AppendOutcome> append_in(Connection& db, BatchConversations& batch,
                                const NewMessage& message, Millis now) {
  std::optional<std::string> client_id;
  if (!message.client_id.empty()) client_id = message.client_id;
  const core::Actor& author = message.author;
  auto* row = batch.find(db, message.conversation_id);
  if (!row) return core::not_found("no such conversation");

  // A retried send is acknowledged with the stored message, even after the chat ended,
  // but only to whoever may read the chat. Looked up only when the send cannot go in as a
  // new message (refused, or its client id already taken): a lookup before every insert
  // cost a tenth of the writer's time, for the rare retry.
  auto retried = [&]() -> std::optional<Result<AppendOutcome>> {
    if (!client_id) return std::nullopt;
    auto stored = load_message_by_client_id(db, message.conversation_id, *client_id);
    if (!stored) return std::nullopt;
    if (!core::can_read(author, row->conversation)) return core::not_found("no such conversation");
    return AppendOutcome{row->conversation, std::move(*stored), true};
  };
  // The writer is the only one: the row as the batch has it cannot change under this check.
  if (auto allowed = core::may_send(author, row->conversation); !allowed) {
    if (auto retry = retried()) return std::move(*retry);
    return allowed.error();
  }
  const std::int64_t seq = row->conversation.last_seq + 1;
  // The only write (the group-commit job runs without a savepoint: kAppendJobTraits).
  // A taken client id fails it whole, on the unique index, and leaves nothing behind.
  try {
    db.prepare(
          "INSERT INTO messages (conversation_id, seq, sender, agent_id, kind, body, client_id, "
          "created_at) VALUES (?1, ?2, ?3, ?4, 'text', ?5, ?6, ?7)")
        .bind_all(message.conversation_id, seq, core::to_string(author.kind), message.agent_id(),
                  message.body, client_id, now)
        .run();
  } catch (const SqliteError& e) {
    if (!e.is_unique_violation()) throw;
    if (auto retry = retried()) return std::move(*retry);
    throw;
  }
  core::Message m{db.last_insert_rowid(), message.conversation_id, seq, author.kind,
                  message.agent_id(), "text", message.body, client_id, now};
  // Nothing below can fail (BatchState's contract): the row changes only for a stored message.
  row->conversation.last_seq = seq;
  row->conversation.last_activity_at = now;
  row->last_text = message.body;
  row->changed = true;
  return AppendOutcome{row->conversation, std::move(m), false};
}

std::string fts5_query(const std::vector<std::string>& terms) {
  // Terms hold no quotes (core::search_terms keeps letters and digits), but doubling any
  // keeps the string a single FTS5 phrase whatever the caller passes.
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += ' ';
    out += '"';
    for (char c : t) {
      if (c == '"') out += '"';
      out += c;
    }
    out += "\"*";
  }
  return out;
}

}  // namespace parley::store::sqlite
