#include "store/sqlite/sqlite_store.hpp"

#include <string>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/routing_rules_sql.hpp"
#include "store/sqlite/sqlite_rows.hpp"

namespace parley::store {

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
  return std::make_unique<sqlite::SqliteStore>(path);
}

namespace sqlite {
namespace {

using core::ConversationStatus;
using core::SenderKind;

constexpr std::size_t kSnippetChars = 100;
constexpr std::size_t kMaxIdleReaders = 8;

std::string sql(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

// The first `max_chars` UTF-8 code points of `s` (never cuts a character in half).
std::string utf8_prefix(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    bool starts_char = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (starts_char && chars++ == max_chars) break;
  }
  return std::string(s.substr(0, i));
}

// Absent or blank form fields keep what the person record already has.
std::optional<std::string> given(const std::optional<std::string>& field) {
  if (!field || field->empty()) return std::nullopt;
  return field;
}

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

void insert_activity(Connection& conn, Id visitor_id, std::string_view type,
                     std::string_view detail, std::optional<Id> conversation_id, Millis at) {
  auto s = conn.prepare(
      "INSERT INTO activities (visitor_id, type, detail, conversation_id, at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind_all(visitor_id, type, detail, conversation_id, at).run();
}

std::string conversation_snippet(Connection& conn, Id conversation_id) {
  auto s = conn.prepare(
      "SELECT body FROM messages WHERE conversation_id = ?1 AND kind = 'text' "
      "AND sender = 'visitor' ORDER BY seq LIMIT 1");
  s.bind_all(conversation_id);
  if (!s.step()) return {};
  return utf8_prefix(s.text(0), kSnippetChars);
}

std::vector<AgentLoad> agent_loads(Connection& conn) {
  // Every active agent with their open (pending + active) chats; decide() applies
  // availability and eligibility, so those rules live in core/ only.
  auto s = conn.prepare(sql({"SELECT ", kAgentColumns,
                             ", (SELECT count(*) FROM conversations c WHERE c.agent_id = a.id "
                             "   AND c.status IN ('pending', 'active')) "
                             "FROM agents a WHERE a.active = 1 ORDER BY a.id"}));
  std::vector<AgentLoad> out;
  while (s.step()) out.push_back({read_agent(s), static_cast<int>(s.int64(kAgentColumnCount))});
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
  insert_activity(db, t.conversation.visitor_id, "chat_ended",
                  conversation_snippet(db, conversation_id), conversation_id, now);
  return t;
}

core::VisitorFacts facts_of(const core::PreChatForm& form) {
  return {core::lowercase_ascii(form.email), form.name, form.company, form.job_title, form.phone,
          form.page_url};
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

Id upsert_person(Connection& conn, const core::PreChatForm& form, Millis now) {
  // Given fields win; absent ones keep the stored value (COALESCE over excluded).
  auto s = conn.prepare(
      "INSERT INTO people (email, name, job_title, phone, company, created_at, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) "
      "ON CONFLICT (email) DO UPDATE SET "
      " name = COALESCE(excluded.name, name), "
      " job_title = COALESCE(excluded.job_title, job_title), "
      " phone = COALESCE(excluded.phone, phone), "
      " company = COALESCE(excluded.company, company), "
      " updated_at = excluded.updated_at "
      "RETURNING id");
  s.bind_all(core::lowercase_ascii(form.email), given(std::optional<std::string>(form.name)),
             given(form.job_title), given(form.phone), given(form.company), now);
  s.step();
  Id id = s.int64(0);
  s.run();
  return id;
}

}  // namespace

namespace {
std::unique_ptr<Connection> open_migrated(const std::string& path) {
  auto conn = std::make_unique<Connection>(path, true);
  apply_migrations(*conn);
  // The Checkpointer does this off the commit path; 10,000 pages (~40 MB) is only the
  // safety net if it falls behind.
  conn->exec("PRAGMA wal_autocheckpoint=10000");
  return conn;
}
}  // namespace

SqliteStore::SqliteStore(const std::string& path)
    : write_conn_(open_migrated(path)),
      readers_(path, kMaxIdleReaders),
      checkpointer_(path),
      writer_(*write_conn_) {}

// --- agents and sessions ---

Result<core::Agent> SqliteStore::create_agent(const NewAgent& agent) {
  return writer_.run([&](Connection& db) -> Result<core::Agent> {
    Transaction tx(db);
    auto s =
        db.prepare(sql({"INSERT INTO agents (name, email, password_hash, role, "
                              "available, max_chats, active) VALUES (?1, ?2, ?3, ?4, 0, ?5, 1) "
                              "RETURNING ",
                              kAgentColumnsBare}));
    s.bind_all(agent.name, core::lowercase_ascii(agent.email), agent.password_hash,
               core::to_string(agent.role), agent.max_chats);
    try {
      s.step();
    } catch (const SqliteError& e) {
      if (e.is_unique_violation()) return core::conflict("an agent with this email exists");
      throw;
    }
    auto created = read_agent(s);
    s.run();
    tx.commit();
    return created;
  });
}

std::optional<AgentLogin> SqliteStore::find_agent_login(std::string_view email) {
  auto conn = readers_.lease();
  auto s = conn->prepare(
      sql({"SELECT ", kAgentColumns, ", a.password_hash FROM agents a WHERE a.email = ?1"}));
  s.bind_all(core::lowercase_ascii(email));
  if (!s.step()) return std::nullopt;
  return AgentLogin{read_agent(s), s.text(kAgentColumnCount)};
}

std::optional<core::Agent> SqliteStore::find_agent(Id agent_id) {
  auto conn = readers_.lease();
  return load_agent(*conn, agent_id);
}

std::vector<core::Agent> SqliteStore::list_agents() {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kAgentColumns, " FROM agents a ORDER BY a.id"}));
  std::vector<core::Agent> out;
  while (s.step()) out.push_back(read_agent(s));
  return out;
}

Result<core::Agent> SqliteStore::set_availability_override(Id agent_id, bool available,
                                                           Millis set_at) {
  return writer_.run([&](Connection& db) -> Result<core::Agent> {
    Transaction tx(db);
    auto s = db.prepare(sql({"UPDATE agents SET available = ?2, override_set_at = ?3 "
                             "WHERE id = ?1 RETURNING ",
                             kAgentColumnsBare}));
    s.bind_all(agent_id, available, set_at);
    if (!s.step()) return core::not_found("no such agent");
    auto agent = read_agent(s);
    s.run();
    tx.commit();
    return agent;
  });
}

Result<core::Agent> SqliteStore::update_agent_settings(Id agent_id,
                                                       const core::AgentSettings& settings) {
  return writer_.run([&](Connection& db) -> Result<core::Agent> {
    Transaction tx(db);
    auto s = db.prepare(sql({"UPDATE agents SET time_zone = ?2, schedule = ?3, max_chats = ?4, "
                             "sound = ?5 WHERE id = ?1 RETURNING ",
                             kAgentColumnsBare}));
    s.bind_all(agent_id, settings.time_zone, encode_schedule(settings.schedule),
               settings.max_chats, settings.sound);
    if (!s.step()) return core::not_found("no such agent");
    auto agent = read_agent(s);
    s.run();
    tx.commit();
    return agent;
  });
}

void SqliteStore::schedule_status_check(Id agent_id, std::optional<Millis> at) {
  writer_.run([&](Connection& db) -> int {
    db.prepare("UPDATE agents SET status_check_at = ?2 WHERE id = ?1").bind_all(agent_id, at).run();
    return 0;
  });
}

std::vector<core::Agent> SqliteStore::claim_status_checks(Millis now, const NextCheck& next_check) {
  return writer_.run([&](Connection& db) -> std::vector<core::Agent> {
    Transaction tx(db);
    auto s = db.prepare(sql({"SELECT ", kAgentColumns, ", a.status_check_at FROM agents a ",
                             "WHERE a.status_check_at <= ?1 ORDER BY a.status_check_at"}));
    s.bind_all(now);
    std::vector<core::Agent> due;
    while (s.step()) due.push_back(read_agent(s));
    for (const auto& agent : due) {
      db.prepare("UPDATE agents SET status_check_at = ?2 WHERE id = ?1")
          .bind_all(agent.id, next_check(agent))
          .run();
    }
    tx.commit();
    return due;
  });
}

void SqliteStore::create_session(std::string_view token_hash, Id agent_id, Millis expires_at) {
  writer_.run([&](Connection& db) -> int {
    Transaction tx(db);
    db.prepare("INSERT INTO sessions (token_hash, agent_id, expires_at) VALUES (?1, ?2, ?3)")
        .bind_all(token_hash, agent_id, expires_at)
        .run();
    tx.commit();
    return 0;
  });
}

std::optional<Id> SqliteStore::find_session(std::string_view token_hash, Millis now) {
  auto conn = readers_.lease();
  auto s = conn->prepare(
      "SELECT s.agent_id FROM sessions s JOIN agents a ON a.id = s.agent_id "
      "WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND a.active = 1");
  s.bind_all(token_hash, now);
  if (!s.step()) return std::nullopt;
  return s.int64(0);
}

void SqliteStore::delete_session(std::string_view token_hash) {
  writer_.run([&](Connection& db) -> int {
    Transaction tx(db);
    db.prepare("DELETE FROM sessions WHERE token_hash = ?1").bind_all(token_hash).run();
    tx.commit();
    return 0;
  });
}

// --- visitors and people ---

core::Visitor SqliteStore::create_visitor(std::string_view token_hash, Millis now) {
  return writer_.run([&](Connection& db) -> core::Visitor {
    Transaction tx(db);
    auto s =
        db.prepare(sql({"INSERT INTO visitors (token_hash, created_at) "
                              "VALUES (?1, ?2) RETURNING ",
                              kVisitorColumnsBare}));
    s.bind_all(token_hash, now);
    s.step();
    auto visitor = read_visitor(s);
    s.run();
    tx.commit();
    return visitor;
  });
}

std::optional<core::Visitor> SqliteStore::find_visitor_by_token(std::string_view token_hash) {
  auto conn = readers_.lease();
  auto s =
      conn->prepare(sql({"SELECT ", kVisitorColumns, " FROM visitors v WHERE v.token_hash = ?1"}));
  s.bind_all(token_hash);
  if (!s.step()) return std::nullopt;
  return read_visitor(s);
}

std::optional<VisitorProfile> SqliteStore::visitor_profile(Id visitor_id) {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kVisitorColumns, ", ", kPersonColumns,
                              " FROM visitors v LEFT JOIN people p ON p.id = v.person_id "
                              "WHERE v.id = ?1"}));
  s.bind_all(visitor_id);
  if (!s.step()) return std::nullopt;
  VisitorProfile profile{read_visitor(s), std::nullopt};
  if (!s.is_null(kVisitorColumnCount)) profile.person = read_person(s, kVisitorColumnCount);
  return profile;
}

void SqliteStore::record_activity(const core::Activity& activity) {
  writer_.run([&](Connection& db) -> int {
    Transaction tx(db);
    insert_activity(db, activity.visitor_id, activity.type, activity.detail,
                    activity.conversation_id, activity.at);
    tx.commit();
    return 0;
  });
}

std::vector<core::Activity> SqliteStore::activities(Id visitor_id, Millis since, int limit) {
  std::vector<core::Activity> out;
  if (limit <= 0) return out;
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kActivityColumns,
                              " FROM activities t WHERE t.visitor_id = ?1 AND t.at >= ?2 "
                              "ORDER BY t.at DESC, t.id DESC LIMIT ?3"}));
  s.bind_all(visitor_id, since, limit);
  while (s.step()) out.push_back(read_activity(s));
  return out;
}

// --- conversations ---

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

    Id person_id = upsert_person(db, request.form, now);
    db.prepare("UPDATE visitors SET person_id = ?2 WHERE id = ?1")
        .bind_all(request.visitor_id, person_id)
        .run();

    auto loads = agent_loads(db);
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

    insert_activity(db, request.visitor_id, "form_filled", "pre-chat form", conversation_id, now);

    ChatRequestOutcome outcome;
    outcome.events.push_back(append_event(db, conversation_id, SenderKind::system, std::nullopt,
                                          "chat.requested", request.form.name, std::nullopt, now));
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
    insert_activity(db, t.conversation.visitor_id, "chat_started", agent_name, conversation_id, now);
    tx.commit();
    return t;
  });
}

namespace {
// append_message's transaction body, shared by the blocking and the asynchronous form.
Result<AppendOutcome> append_in(Connection& db, const NewMessage& message, Millis now) {
  std::optional<std::string> client_id;
  if (!message.client_id.empty()) client_id = message.client_id;
  std::optional<Id> agent_id;
  if (message.sender == SenderKind::agent) agent_id = message.agent_id;

  // A retried send is acknowledged with the stored message, even after the chat ended.
  // (The unique index stays the real guard: a racing duplicate makes the insert below
  // throw, and the caller's savepoint undoes the seq bump.)
  if (client_id) {
    if (auto stored = load_message_by_client_id(db, message.conversation_id, *client_id)) {
      auto conversation = load_conversation(db, message.conversation_id);
      return AppendOutcome{*conversation, *stored, true};
    }
  }
  // The common path: take the next seq, only while active; insert.
  auto bump = db.prepare(sql({"UPDATE conversations SET last_seq = last_seq + 1, "
                              "last_activity_at = ?2, last_text = ?3 "
                              "WHERE id = ?1 AND status = 'active' RETURNING ",
                              kConversationColumnsBare}));
  bump.bind_all(message.conversation_id, now, message.body);
  if (!bump.step()) {
    if (!load_conversation(db, message.conversation_id)) return core::not_found("no such conversation");
    return core::conflict("the conversation is not active");
  }
  auto conversation = read_conversation(bump);
  bump.run();
  auto ins = db.prepare(
      "INSERT INTO messages (conversation_id, seq, sender, agent_id, kind, body, client_id, "
      "created_at) VALUES (?1, ?2, ?3, ?4, 'text', ?5, ?6, ?7) RETURNING id");
  ins.bind_all(message.conversation_id, conversation.last_seq, core::to_string(message.sender),
               agent_id, message.body, client_id, now);
  ins.step();
  core::Message m{ins.int64(0), message.conversation_id, conversation.last_seq, message.sender,
                  agent_id, "text", message.body, client_id, now};
  ins.run();
  return AppendOutcome{std::move(conversation), std::move(m), false};
}
}  // namespace

Result<AppendOutcome> SqliteStore::append_message(const NewMessage& message, Millis now) {
  // No savepoint of its own: the group-commit job's savepoint undoes a failed append.
  return writer_.run([&](Connection& db) { return append_in(db, message, now); });
}

void SqliteStore::flush() {
  // The queue is FIFO: when this empty job's batch is answered, every earlier one was.
  writer_.run([](Connection&) { return 0; });
}

void SqliteStore::append_message_async(const NewMessage& message, Millis now, AppendDone done) {
  // The outcome is produced inside the batch and handed over once the batch is durable.
  auto outcome = std::make_shared<std::optional<Result<AppendOutcome>>>();
  writer_.submit(
      [outcome, message, now](Connection& db) {
        outcome->emplace(append_in(db, message, now));
        return (*outcome)->ok();
      },
      [outcome, done = std::move(done)](std::exception_ptr failure) {
        if (failure) {
          try {
            std::rethrow_exception(failure);
          } catch (const std::exception& e) {
            done(core::Error{core::ErrorCode::internal, e.what()});
          }
          return;
        }
        done(std::move(**outcome));
      });
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

std::vector<core::Conversation> SqliteStore::due_offers(Millis now, int limit) {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kConversationColumns,
                              " FROM conversations c WHERE c.status = 'pending' "
                              "AND c.offer_expires_at <= ?1 ORDER BY c.offer_expires_at LIMIT ?2"}));
  s.bind_all(now, limit);
  std::vector<core::Conversation> out;
  while (s.step()) out.push_back(read_conversation(s));
  return out;
}

Result<ReofferOutcome> SqliteStore::reoffer(const Reoffer& request, const RoutingDecision& decide,
                                            Millis now) {
  return writer_.run([&](Connection& db) -> Result<ReofferOutcome> {
    Transaction tx(db);
    auto c = load_conversation(db, request.conversation_id);
    if (!c) return core::not_found("no such conversation");
    // Claimed by the expected state: whoever moved it first (an accept, the visitor
    // leaving, another node's sweeper) wins, and this call changes nothing.
    if (c->status != ConversationStatus::pending || c->agent_id != request.expected_agent ||
        c->offer_expires_at != request.expected_expiry) {
      return core::conflict("the offer was already settled");
    }
    record_offer(db, c->id, request.expected_agent, now);
    core::RouteChoice choice;
    if (c->offers_made < request.policy.max_offers) {
      core::PriorRoute prior;
      {
        auto r = db.prepare("SELECT route_stage, team_id, team_offers FROM conversations WHERE id = ?1");
        r.bind_all(c->id);
        r.step();
        prior.stage = core::route_stage_from_string(r.text(0)).value_or(core::RouteStage::global);
        prior.team_id = r.opt_int64(1);
        prior.team_offers = static_cast<int>(r.int64(2));
      }
      auto tried = offered_agents(db, c->id);
      auto loads = agent_loads(db);
      auto rules = load_rules(db);
      auto facts = facts_of_visitor(db, c->visitor_id, c->page_url);
      choice = decide(RoutingSnapshot{loads, load_pointer(db, "global"), tried, rules, facts, prior});
      if (choice.agent_id) {
        int team_offers = choice.stage == core::RouteStage::team
                              ? (choice.team_id == prior.team_id ? prior.team_offers + 1 : 1)
                              : prior.team_offers;
        advance_pointer(db, choice);
        record_offer(db, c->id, *choice.agent_id, now);
        db.prepare(
              "UPDATE conversations SET agent_id = ?2, offer_expires_at = ?3, "
              "offers_made = offers_made + 1, route_stage = ?4, team_id = ?5, team_offers = ?6 "
              "WHERE id = ?1")
            .bind_all(c->id, *choice.agent_id, now + request.policy.accept_timeout,
                      core::to_string(choice.stage), choice.team_id, team_offers)
            .run();
      }
    }
    ReofferOutcome out;
    out.previous_agent = request.expected_agent;
    if (!choice.agent_id) {
      db.prepare(
            "UPDATE conversations SET status = 'missed', agent_id = NULL, offer_expires_at = NULL, "
            "ended_at = ?2, end_reason = 'no_answer' WHERE id = ?1")
          .bind_all(c->id, now)
          .run();
      out.events.push_back(append_event(db, c->id, SenderKind::system, std::nullopt, "chat.missed",
                                        request.policy.fallback_message, std::nullopt, now));
    }
    out.conversation = *load_conversation(db, c->id);
    tx.commit();
    return out;
  });
}

std::vector<Id> SqliteStore::idle_conversations(Millis idle_since, int limit) {
  auto conn = readers_.lease();
  auto s = conn->prepare(
      "SELECT id FROM conversations WHERE status = 'active' AND last_activity_at <= ?1 "
      "ORDER BY last_activity_at LIMIT ?2");
  s.bind_all(idle_since, limit);
  std::vector<Id> out;
  while (s.step()) out.push_back(s.int64(0));
  return out;
}

Result<Transition> SqliteStore::end_if_idle(Id conversation_id, Millis idle_since, Millis now) {
  return writer_.run([&](Connection& db) -> Result<Transition> {
    Transaction tx(db);
    db.prepare(
          "UPDATE conversations SET status = 'ended', ended_at = ?3, end_reason = 'inactivity' "
          "WHERE id = ?1 AND status = 'active' AND last_activity_at <= ?2")
        .bind_all(conversation_id, idle_since, now)
        .run();
    if (db.changes() == 0) {
      if (!load_conversation(db, conversation_id)) return core::not_found("no such conversation");
      return core::conflict("the conversation is not idle any more");
    }
    auto t = finish_end(db, conversation_id, "inactivity", now);
    tx.commit();
    return t;
  });
}

core::RoutingRules SqliteStore::load_routing_rules() {
  auto conn = readers_.lease();
  return load_rules(*conn);
}

Status SqliteStore::save_routing_rules(const core::RoutingRules& rules) {
  return writer_.run([&](Connection& db) -> Status {
    Transaction tx(db);
    auto ok = save_rules(db, rules);
    if (ok) tx.commit();
    return ok;
  });
}

Result<int> SqliteStore::upsert_account_rules(const std::vector<core::AccountRule>& rules) {
  return writer_.run([&](Connection& db) -> Result<int> {
    Transaction tx(db);
    auto n = upsert_accounts(db, rules);
    if (n) tx.commit();
    return n;
  });
}

core::ChatPolicy SqliteStore::load_chat_policy() {
  core::ChatPolicy p;
  auto conn = readers_.lease();
  auto s = conn->prepare("SELECT key, value FROM settings");
  while (s.step()) {
    auto key = s.text(0), value = s.text(1);
    try {
      if (key == "accept_timeout_ms") p.accept_timeout = std::stoll(value);
      else if (key == "inactivity_timeout_ms") p.inactivity_timeout = std::stoll(value);
      else if (key == "max_offers") p.max_offers = std::stoi(value);
      else if (key == "fallback_message") p.fallback_message = value;
    } catch (const std::exception&) {
      throw StoreFailure("sqlite: setting " + key + " holds a malformed value");
    }
  }
  return p;
}

void SqliteStore::save_chat_policy(const core::ChatPolicy& p) {
  writer_.run([&](Connection& db) -> int {
    Transaction tx(db);
    auto put = [&](std::string_view key, const std::string& value) {
      db.prepare(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
          .bind_all(key, value)
          .run();
    };
    put("accept_timeout_ms", std::to_string(p.accept_timeout));
    put("inactivity_timeout_ms", std::to_string(p.inactivity_timeout));
    put("max_offers", std::to_string(p.max_offers));
    put("fallback_message", p.fallback_message);
    tx.commit();
    return 0;
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

std::vector<core::Message> SqliteStore::events_after(Id conversation_id, std::int64_t after_seq,
                                                     int limit) {
  std::vector<core::Message> out;
  if (limit <= 0) return out;
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kMessageColumns,
                              " FROM messages m WHERE m.conversation_id = ?1 AND m.seq > ?2 "
                              "ORDER BY m.seq LIMIT ?3"}));
  s.bind_all(conversation_id, after_seq, limit);
  while (s.step()) out.push_back(read_message(s));
  return out;
}

namespace {
// The summary columns: the conversation, then visitor name, agent name, last text.
constexpr const char* kSummaryFrom =
    ", COALESCE(NULLIF(p.name, ''), 'Visitor #' || c.visitor_id), a.name, c.last_text "
    "FROM conversations c "
    "JOIN visitors v ON v.id = c.visitor_id "
    "LEFT JOIN people p ON p.id = v.person_id "
    "LEFT JOIN agents a ON a.id = c.agent_id WHERE 1";

ConversationSummary read_summary(Statement& s) {
  ConversationSummary row;
  row.conversation = read_conversation(s);
  int n = kConversationColumnCount;
  row.visitor_name = s.text(n);
  row.agent_name = s.opt_text(n + 1);
  row.last_text = s.opt_text(n + 2);
  return row;
}
}  // namespace

std::optional<ConversationSummary> SqliteStore::find_summary(Id conversation_id) {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kConversationColumns, kSummaryFrom, " AND c.id = ?1"}));
  s.bind_all(conversation_id);
  if (!s.step()) return std::nullopt;
  return read_summary(s);
}

std::vector<ConversationSummary> SqliteStore::pending_offers(Id agent_id) {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kConversationColumns, kSummaryFrom,
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
  // their own active ones. The statement text varies with the query's shape (a handful of
  // variants, each cached) so the planner sees plain predicates. Parameters: ?1 viewer,
  // ?2/?3 cursor, ?4 limit (a variant may leave some unused; SQLite accepts that).
  std::string text = sql({"SELECT ", kConversationColumns, kSummaryFrom,
                          " AND c.status <> 'pending'"});
  if (!q.viewer.view_all) {
    text += " AND (c.status = 'ended' OR (c.status = 'active' AND c.agent_id = ?1))";
  }
  if (q.filter == StatusFilter::active) text += " AND c.status = 'active'";
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
  while (s.step()) out.push_back(read_summary(s));
  return out;
}

}  // namespace sqlite
}  // namespace parley::store
