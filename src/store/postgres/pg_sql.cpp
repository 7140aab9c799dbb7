#include "store/postgres/pg_sql.hpp"

#include "core/activity.hpp"
#include "core/validation.hpp"
#include "store/rows.hpp"

namespace parley::store::postgres {

using core::SenderKind;

namespace {
std::string conversation_snippet(PgConnection& db, Id conversation_id) {
  auto r = db.query(
      "SELECT body FROM messages WHERE conversation_id = $1 AND kind = 'text' "
      "AND sender = 'visitor' ORDER BY seq LIMIT 1",
      conversation_id);
  if (r.empty()) return {};
  return utf8_prefix(r.text(0, 0), kSnippetChars);
}

std::optional<core::Conversation> first_conversation(const PgResult& r) {
  if (r.empty()) return std::nullopt;
  return read_conversation(PgRow(r, 0));
}
}  // namespace

std::optional<core::Conversation> load_conversation(PgConnection& db, Id id) {
  return first_conversation(db.query(
      sql({"SELECT ", kConversationColumns, " FROM conversations c WHERE c.id = $1"}), id));
}

std::optional<core::Conversation> lock_conversation(PgConnection& db, Id id) {
  return first_conversation(db.query(
      sql({"SELECT ", kConversationColumns, " FROM conversations c WHERE c.id = $1 FOR UPDATE"}),
      id));
}

std::optional<core::Agent> load_agent(PgConnection& db, Id id) {
  auto r = db.query(sql({"SELECT ", kAgentColumns, " FROM agents a WHERE a.id = $1"}), id);
  if (r.empty()) return std::nullopt;
  return read_agent(PgRow(r, 0));
}

std::optional<core::Message> load_message_by_client_id(PgConnection& db, Id conversation_id,
                                                       std::string_view client_id) {
  auto r = db.query(sql({"SELECT ", kMessageColumns,
                         " FROM messages m WHERE m.conversation_id = $1 AND m.client_id = $2"}),
                    conversation_id, client_id);
  if (r.empty()) return std::nullopt;
  return read_message(PgRow(r, 0));
}

// The seq comes from an UPDATE ... RETURNING on the conversation row: the row lock makes a
// second writer (on any node) wait for this transaction, then take the next seq.
core::Message append_event(PgConnection& db, Id conversation_id, SenderKind sender,
                           std::optional<Id> agent_id, std::string_view kind, std::string_view body,
                           std::optional<std::string> client_id, Millis now) {
  auto bump = db.query(
      "UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = $2, "
      "last_text = CASE WHEN $3::text = 'text' THEN $4::text ELSE last_text END "
      "WHERE id = $1 RETURNING last_seq",
      conversation_id, now, kind, body);
  if (bump.empty()) throw StoreFailure("postgres: conversation vanished during append");
  std::int64_t seq = bump.int64(0, 0);
  auto ins = db.query(
      "INSERT INTO messages (conversation_id, seq, sender, agent_id, kind, body, client_id, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
      conversation_id, seq, core::to_string(sender), agent_id, kind, body, client_id, now);
  return core::Message{ins.int64(0, 0), conversation_id, seq, sender, agent_id,
                       std::string(kind), std::string(body), std::move(client_id), now};
}

core::Activity insert_activity(PgConnection& db, const core::Activity& a) {
  auto r = db.query(
      "INSERT INTO activities (visitor_id, type, detail, url, conversation_id, at) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      a.visitor_id, a.type, a.detail, a.url, a.conversation_id, a.at);
  core::Activity stored = a;
  stored.id = r.int64(0, 0);
  return stored;
}

std::vector<AgentLoad> agent_loads(PgConnection& db, Millis now) {
  // Every active agent with their open (pending + active) chats and whether they are
  // online; decide() applies availability and eligibility, so those rules live in core/ only.
  auto r = db.query(sql({"SELECT ", kAgentColumns,
                         ", (SELECT count(*) FROM conversations c WHERE c.agent_id = a.id "
                         "   AND c.status IN ('pending', 'active')), "
                         "EXISTS (SELECT 1 FROM presence p WHERE p.agent_id = a.id "
                         "   AND p.expires_at > $1) "
                         "FROM agents a WHERE a.active ORDER BY a.id"}),
                    now);
  std::vector<AgentLoad> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({read_agent(PgRow(r, i)), static_cast<int>(r.int64(i, kAgentColumnCount)),
                   r.boolean(i, kAgentColumnCount + 1)});
  }
  return out;
}

std::vector<Id> offered_agents(PgConnection& db, Id conversation_id) {
  auto r = db.query("SELECT agent_id FROM conversation_offers WHERE conversation_id = $1",
                    conversation_id);
  std::vector<Id> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.int64(i, 0));
  return out;
}

void record_offer(PgConnection& db, Id conversation_id, Id agent_id, Millis now) {
  db.query(
      "INSERT INTO conversation_offers (conversation_id, agent_id, offered_at) "
      "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      conversation_id, agent_id, now);
}

Transition finish_end(PgConnection& db, Id conversation_id, std::string_view reason, Millis now) {
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
core::VisitorFacts facts_of_visitor(PgConnection& db, Id visitor_id, const std::string& page_url) {
  auto r = db.query(
      "SELECT p.email, p.name, p.company, p.job_title, p.phone FROM visitors v "
      "JOIN people p ON p.id = v.person_id WHERE v.id = $1",
      visitor_id);
  core::VisitorFacts f;
  f.page_url = page_url;
  if (!r.empty()) {
    f.email = r.text(0, 0);
    f.name = r.opt_text(0, 1);
    f.company = r.opt_text(0, 2);
    f.job_title = r.opt_text(0, 3);
    f.phone = r.opt_text(0, 4);
  }
  return f;
}

core::Person upsert_person(PgConnection& db, const core::PersonInput& p, Millis now) {
  // Given fields win; absent ones keep the stored value (COALESCE over excluded).
  auto r = db.query(
      "INSERT INTO people AS o (email, name, job_title, phone, company, crm_status, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) "
      "ON CONFLICT (email) DO UPDATE SET "
      " name = COALESCE(excluded.name, o.name), "
      " job_title = COALESCE(excluded.job_title, o.job_title), "
      " phone = COALESCE(excluded.phone, o.phone), "
      " company = COALESCE(excluded.company, o.company), "
      " crm_status = COALESCE(excluded.crm_status, o.crm_status), "
      " updated_at = excluded.updated_at "
      "RETURNING id, email, name, job_title, phone, company, crm_status",
      core::lowercase_ascii(p.email), given(p.name), given(p.job_title), given(p.phone),
      given(p.company), given(p.crm_status), now);
  return read_person(PgRow(r, 0));
}

namespace {
std::optional<std::string> client_id_of(const NewMessage& m) {
  if (m.client_id.empty()) return std::nullopt;
  return m.client_id;
}

// Why append_in stored nothing, by core's rules on the row as it is now.
Result<AppendOutcome> refused_append(PgConnection& db, const NewMessage& message) {
  auto conversation = load_conversation(db, message.conversation_id);
  if (!conversation) return core::not_found("no such conversation");
  // A retried send is acknowledged with the stored message, even after the chat ended.
  if (!message.client_id.empty() && core::can_read(message.author, *conversation)) {
    if (auto stored = load_message_by_client_id(db, message.conversation_id, message.client_id)) {
      return AppendOutcome{*conversation, *stored, true};
    }
  }
  auto refused = core::may_send(message.author, *conversation);
  if (!refused) return refused.error();
  throw StoreFailure("postgres: the send condition and core::may_send disagree");
}

// core::sends_as_participant in SQL, over a conversation `c` and the author's kind, whether
// they see every chat, and id (the parameters or columns named).
std::string sends_as_participant_sql(std::string_view kind, std::string_view view_all,
                                     std::string_view author) {
  return sql({"c.status = 'active' AND CASE WHEN ", kind, " = 'agent' THEN (", view_all,
              " OR c.agent_id = ", author, ") ELSE c.visitor_id = ", author, " END"});
}
}  // namespace

Result<AppendOutcome> append_in(PgConnection& db, const NewMessage& message, Millis now) {
  // last_activity_at moves only when it is a second or more behind: a row update that
  // changes no indexed column is a HOT update (no new entry in any of the conversation
  // indexes), so a busy chat does not bloat them with a version per message. end_if_idle
  // checks the exact time of the newest event. (The unique index on the client id stays the
  // real guard: a racing duplicate makes the insert throw, and the writer's savepoint undoes
  // the seq bump.)
  static const std::string kAppend = sql(
      {"WITH bump AS (UPDATE conversations c SET last_seq = last_seq + 1, "
       "last_activity_at = CASE WHEN $2 >= last_activity_at + 1000 THEN $2 "
       "ELSE last_activity_at END, last_text = $3 WHERE id = $1 AND ",
       sends_as_participant_sql("$4", "$7::boolean", "$8::bigint"),
       " AND ($6::text IS NULL OR NOT EXISTS (SELECT 1 FROM messages "
       "WHERE conversation_id = $1 AND client_id = $6)) RETURNING ",
       kConversationColumnsBare,
       "), ins AS (INSERT INTO messages (conversation_id, seq, sender, agent_id, kind, body, "
       "client_id, created_at) SELECT $1, last_seq, $4, $5, 'text', $3, $6, $2 FROM bump "
       "RETURNING id) SELECT bump.*, ins.id FROM bump, ins"});
  const core::Actor& author = message.author;
  auto r = db.query(kAppend, message.conversation_id, now, message.body,
                    core::to_string(author.kind), message.agent_id(), client_id_of(message),
                    author.viewer.view_all, author.id);
  if (r.empty()) return refused_append(db, message);
  auto conversation = read_conversation(PgRow(r, 0));
  core::Message m{r.int64(0, kConversationColumnCount), message.conversation_id,
                  conversation.last_seq, author.kind, message.agent_id(), "text",
                  message.body, client_id_of(message), now};
  return AppendOutcome{std::move(conversation), std::move(m), false};
}

std::string_view append_set_sql() {
  // One UPDATE per conversation moves its seq by the number of its new messages (its row
  // lock orders this against other writers, on any node); the messages are numbered from the
  // old seq in batch order, given their ids, and inserted. A message whose author may not
  // send there as a participant, or whose client id is stored or earlier in the batch, is
  // left out (its job then answers it: a duplicate, or core::may_send's reason); a NULL
  // client id equals nothing, so such a message is always new. The NOT EXISTS are anti-joins
  // PostgreSQL runs as index look-ups, never a scan of the messages table. The rows were
  // locked by append_set_lock_sql, so what `fresh` reads of them holds until the commit.
  // last_activity_at as in append_in.
  static const std::string kAppendSet = sql(
      {"WITH input AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], "
       "$4::text[], $5::bigint[], $6::text[], $7::boolean[], $8::bigint[]) WITH ORDINALITY "
       "AS i(conversation_id, created_at, body, sender, agent_id, client_id, view_all, author, "
       "place)), "
       "fresh AS (SELECT i.* FROM input i JOIN conversations c ON c.id = i.conversation_id "
       "WHERE ",
       sends_as_participant_sql("i.sender", "i.view_all", "i.author"),
       " AND NOT EXISTS (SELECT 1 FROM messages m "
       "WHERE m.conversation_id = i.conversation_id AND m.client_id = i.client_id) "
       "AND NOT EXISTS (SELECT 1 FROM input j WHERE j.conversation_id = i.conversation_id "
       "AND j.client_id = i.client_id AND j.place < i.place)), "
       "counted AS (SELECT conversation_id, count(*) AS k, max(created_at) AS at, "
       "(array_agg(body ORDER BY place DESC))[1] AS last_body FROM fresh GROUP BY conversation_id), "
       "bump AS (UPDATE conversations c SET last_seq = c.last_seq + counted.k, "
       "last_activity_at = CASE WHEN counted.at >= c.last_activity_at + 1000 THEN counted.at "
       "ELSE c.last_activity_at END, last_text = counted.last_body FROM counted "
       "WHERE c.id = counted.conversation_id AND c.status = 'active' RETURNING ",
       kConversationColumns,
       ", c.last_seq - counted.k AS base), "
       "numbered AS (SELECT f.*, b.base + row_number() OVER (PARTITION BY f.conversation_id "
       "ORDER BY f.place) AS seq, nextval(pg_get_serial_sequence('messages', 'id')) AS id "
       "FROM fresh f JOIN bump b ON b.id = f.conversation_id), "
       "ins AS (INSERT INTO messages (id, conversation_id, seq, sender, agent_id, kind, body, "
       "client_id, created_at) SELECT id, conversation_id, seq, sender, agent_id, 'text', body, "
       "client_id, created_at FROM numbered ORDER BY conversation_id, seq) "
       "SELECT n.place, ",
       kConversationColumns,
       ", n.id, n.seq FROM numbered n JOIN bump c ON c.id = n.conversation_id"});
  return kAppendSet;
}

std::string_view append_set_lock_sql() {
  // The set statement's UPDATE would lock its conversations in whatever order its join
  // yields them; two nodes' batches over the same chats then deadlock (PostgreSQL breaks it
  // after a second). Taken here first, in id order, they only wait.
  return "SELECT 1 FROM conversations WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE";
}

std::vector<Param> append_set_values(const NewMessage& message, Millis now) {
  return {param(message.conversation_id), param(now), param(message.body),
          param(core::to_string(message.author.kind)), param(message.agent_id()),
          param(client_id_of(message)), param(message.author.viewer.view_all),
          param(message.author.id)};
}

AppendOutcome appended_row(const PgResult& r, int row, const NewMessage& message, Millis now) {
  // The conversation as this message left it (the row holds the batch's last state).
  auto conversation = read_conversation(PgRow(r, row), 1);
  std::int64_t seq = r.int64(row, 1 + kConversationColumnCount + 1);
  conversation.last_seq = seq;
  core::Message m{r.int64(row, 1 + kConversationColumnCount), message.conversation_id, seq,
                  message.author.kind, message.agent_id(), "text", message.body,
                  client_id_of(message), now};
  return AppendOutcome{std::move(conversation), std::move(m), false};
}

std::string tsquery_of(const std::vector<std::string>& terms) {
  // Terms hold letters and digits only (core::search_terms); quoting each as a lexeme keeps
  // the string a plain conjunction of prefixes whatever the caller passes.
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += " & ";
    out += '\'';
    for (char c : t) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    out += "':*";
  }
  return out;
}

}  // namespace parley::store::postgres
