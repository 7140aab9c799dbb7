// SQLite-specific behaviour the contract cannot express: state surviving a reopen of the
// same file, schema versioning, PRAGMAs, and rows flipped behind the Store's back.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

// Runs raw SQL on the file, as an operator with the sqlite3 shell would.
std::string raw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("open");
  sqlite3_busy_timeout(db, 5000);
  std::string result;
  char* err = nullptr;
  int rc = sqlite3_exec(
      db, sql.c_str(),
      [](void* out, int n, char** values, char**) {
        auto* s = static_cast<std::string*>(out);
        for (int i = 0; i < n; ++i) *s += values[i] ? values[i] : "NULL";
        return 0;
      },
      &result, &err);
  std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error(message);
  return result;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::string path() const { return (dir_.path() / "parley.db").string(); }
  ScratchDir dir_;
};

RoutingDecision round_robin() { return toggle_round_robin(); }

Id offer(Store& s, int n) {
  auto v = s.create_visitor("tok-" + std::to_string(n), n);
  core::PreChatForm f{"V", "v@example.com", {}, {}, {}, "/"};
  return s.request_chat({v.id, f, "fallback"}, round_robin(), n)->conversation.agent_id.value();
}

TEST_F(SqliteStoreTest, RoundRobinPointerSurvivesReopeningTheFile) {
  std::vector<Id> agents;
  {
    auto s = open_sqlite_store(path());
    for (const char* name : {"a1", "a2", "a3"}) {
      auto a = s->create_agent({name, std::string(name) + "@x.com", "h"}).value();
      agents.push_back(s->set_availability_override(a.id, true, 1)->id);
    }
    s->report_presence(kTestNode, agents, kOnlineForTheTest);
    EXPECT_EQ(offer(*s, 1), agents[0]);
    EXPECT_EQ(offer(*s, 2), agents[1]);
  }
  auto s = open_sqlite_store(path());
  EXPECT_EQ(offer(*s, 3), agents[2]);
  EXPECT_EQ(offer(*s, 4), agents[0]);
}

TEST_F(SqliteStoreTest, TheClusterIdSurvivesReopeningTheFile) {
  std::string id = open_sqlite_store(path())->cluster_id();
  EXPECT_EQ(id, open_sqlite_store(path())->cluster_id());
}

TEST_F(SqliteStoreTest, ReopeningKeepsDataAndTheSchemaAtTheNewestVersion) {
  Id conversation = 0;
  {
    auto s = open_sqlite_store(path());
    auto a = s->create_agent({"ann", "ann@x.com", "h"}).value();
    s->set_availability_override(a.id, true, 1).value();
    auto v = s->create_visitor("tok", 1);
    conversation = s->request_chat({v.id, {"V", "v@x.com", {}, {}, {}, "/"}, "f"}, round_robin(), 2)
                       ->conversation.id;
  }
  auto s = open_sqlite_store(path());
  EXPECT_TRUE(s->find_conversation(conversation));
  EXPECT_EQ(raw(path(), "PRAGMA user_version"),
            std::to_string(sqlite::migrations().back().version));
}

// Opcodes of `sql`'s program as SQLite compiles it on `conn` (EXPLAIN's second column).
std::vector<std::string> opcodes(sqlite::Connection& conn, const std::string& sql) {
  std::vector<std::string> out;
  auto explain = conn.prepare("EXPLAIN " + sql);
  while (explain.step()) out.push_back(explain.text(1));
  return out;
}

// Creates the file's schema as the migrations up to `version` left it.
void schema_at_version(const std::string& path, int version) {
  sqlite::Connection old(path, true);
  old.exec("BEGIN");
  for (const auto& m : sqlite::migrations()) {
    if (m.version > version) break;
    old.exec(m.sql);
  }
  old.exec(("PRAGMA user_version = " + std::to_string(version)).c_str());
  old.exec("COMMIT");
}

TEST_F(SqliteStoreTest, Migration13KeepsTheSenderCheckWithoutATemporaryBtreePerMessage) {
  const std::string insert =
      "INSERT INTO messages (conversation_id, seq, sender, kind, body, created_at) "
      "VALUES (1, ?1, ?2, 'text', 'hi', 1)";
  schema_at_version(path(), 12);  // a file as version 12 left it, with a message in it:
  raw(path(),
      "INSERT INTO visitors (id, token_hash, created_at) VALUES (1, 't', 1);"
      "INSERT INTO conversations (id, visitor_id, status, created_at, last_activity_at) "
      "VALUES (1, 1, 'active', 1, 1);"
      "INSERT INTO messages (conversation_id, seq, sender, kind, body, created_at) "
      "VALUES (1, 1, 'visitor', 'text', 'kept', 1)");

  // A connection already open (another process) has parsed the old text.
  sqlite::Connection other(path(), false);
  ASSERT_EQ(std::ranges::count(opcodes(other, insert), "OpenEphemeral"), 1);

  // The connection that migrates is the store's writer: it must use the new text at once;
  // the other one sees the bumped schema cookie and parses it again.
  sqlite::Connection conn(path(), true);
  sqlite::apply_migrations(conn);
  EXPECT_EQ(std::ranges::count(opcodes(conn, insert), "OpenEphemeral"), 0);
  {  // (a statement that reads compares the cookie; EXPLAIN does not, and a statement
     // compiled before keeps its program: hence the fresh text below)
    auto read = other.prepare("SELECT count(*) FROM messages");
    read.step();
  }
  EXPECT_EQ(std::ranges::count(opcodes(other, insert + " "), "OpenEphemeral"), 0);
  conn.prepare(insert).bind_all(2, "agent").run();
  EXPECT_THROW(conn.prepare(insert).bind_all(3, "bot").run(), sqlite::SqliteError);
  EXPECT_THROW(conn.prepare(insert).bind_all(3, "Visitor").run(), sqlite::SqliteError);

  EXPECT_EQ(raw(path(), "SELECT group_concat(body || ':' || sender) FROM messages"),
            "kept:visitor,hi:agent");
  EXPECT_EQ(raw(path(), "PRAGMA integrity_check"), "ok");
  EXPECT_NE(raw(path(), "SELECT sql FROM sqlite_schema WHERE name = 'messages'")
                .find("CHECK (sender = 'visitor' OR sender = 'agent' OR sender = 'system')"),
            std::string::npos);
  EXPECT_THROW(raw(path(), "INSERT INTO messages (conversation_id, seq, sender, kind, body, "
                           "created_at) VALUES (1, 9, 'bot', 'text', 'x', 1)"),
               std::runtime_error);
}

TEST_F(SqliteStoreTest, Migration14KeepsClientIdsUniquePerChatAndTheRetryLookupOnTheIndex) {
  schema_at_version(path(), 13);  // a file as version 13 left it, with client ids:
  raw(path(),
      "INSERT INTO visitors (id, token_hash, created_at) VALUES (1, 't', 1), (2, 'u', 1);"
      "INSERT INTO conversations (id, visitor_id, status, created_at, last_activity_at) "
      "VALUES (1, 1, 'active', 1, 1), (2, 2, 'active', 1, 1);"
      "INSERT INTO messages (conversation_id, seq, sender, kind, body, client_id, created_at) "
      "VALUES (1, 1, 'visitor', 'text', 'a', 'v-1', 1), (2, 1, 'visitor', 'text', 'b', 'v-1', 1)");

  sqlite::Connection conn(path(), true);
  sqlite::apply_migrations(conn);
  EXPECT_NE(raw(path(), "SELECT sql FROM sqlite_schema WHERE name = 'messages_client_id'")
                .find("(client_id, conversation_id)"),
            std::string::npos);
  EXPECT_EQ(raw(path(), "SELECT group_concat(body) FROM messages"), "a,b");  // kept
  // Unique per conversation, as before: the same id again in chat 1 is refused; a new one,
  // or the same id in a third chat, goes in.
  const std::string insert =
      "INSERT INTO messages (conversation_id, seq, sender, kind, body, client_id, created_at) "
      "VALUES (?1, ?2, 'visitor', 'text', 'x', ?3, 2)";
  EXPECT_THROW(conn.prepare(insert).bind_all(1, 2, "v-1").run(), sqlite::SqliteError);
  conn.prepare(insert).bind_all(1, 2, "v-2").run();
  raw(path(), "INSERT INTO conversations (id, visitor_id, status, created_at, last_activity_at) "
              "VALUES (3, 1, 'ended', 1, 1)");
  conn.prepare(insert).bind_all(3, 1, "v-1").run();
  // A retry is looked up on the index, by both columns.
  auto plan = conn.prepare(
      "EXPLAIN QUERY PLAN SELECT id FROM messages m WHERE m.conversation_id = ?1 AND "
      "m.client_id = ?2");
  std::string detail;
  while (plan.step()) detail += plan.text(3);
  EXPECT_NE(detail.find("INDEX messages_client_id (client_id=? AND conversation_id=?)"),
            std::string::npos)
      << detail;
  EXPECT_EQ(raw(path(), "PRAGMA integrity_check"), "ok");
}

// What migration 14 is for: a batch with a message in each of many chats, their client ids
// beginning with the time as the widget's and the Inbox's do, writes far fewer pages to the
// WAL with the index leading with the client id than with the chat.
TEST_F(SqliteStoreTest, ABatchOfManyChatsWithTimeOrderedClientIdsWritesFewIndexPages) {
  auto wal_frames_of_one_batch = [&](const std::string& file, const char* index_columns) {
    { open_sqlite_store(file); }  // the schema, at the newest version
    sqlite::Connection db(file, true);
    db.exec("DROP INDEX messages_client_id");
    db.exec(("CREATE UNIQUE INDEX messages_client_id ON messages(" + std::string(index_columns) +
             ") WHERE client_id IS NOT NULL")
                .c_str());
    constexpr int kChats = 64;
    db.exec("BEGIN");
    for (int c = 1; c <= kChats; ++c) {
      db.prepare("INSERT INTO visitors (id, token_hash, created_at) VALUES (?1, ?2, 1)")
          .bind_all(c, "t" + std::to_string(c))
          .run();
      db.prepare("INSERT INTO conversations (id, visitor_id, status, created_at, "
                 "last_activity_at) VALUES (?1, ?1, 'active', 1, 1)")
          .bind_all(c)
          .run();
    }
    db.exec("COMMIT");
    std::int64_t clock = 1'700'000'000'000;
    auto batch = [&](int seq) {
      db.exec("BEGIN");
      for (int c = 1; c <= kChats; ++c) {
        char id[32];
        std::snprintf(id, sizeof id, "v-%012lld-%02d", static_cast<long long>(++clock), c);
        db.prepare("INSERT INTO messages (conversation_id, seq, sender, kind, body, client_id, "
                   "created_at) VALUES (?1, ?2, 'visitor', 'text', 'hello there', ?3, 1)")
            .bind_all(c, seq, std::string(id))
            .run();
      }
      db.exec("COMMIT");
    };
    for (int seq = 1; seq <= 200; ++seq) batch(seq);  // each chat spans pages of its own
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    batch(201);
    return std::filesystem::file_size(file + "-wal") / (4096 + 24);
  };
  auto by_chat = wal_frames_of_one_batch((dir_.path() / "a.db").string(), "conversation_id, client_id");
  auto by_id = wal_frames_of_one_batch((dir_.path() / "b.db").string(), "client_id, conversation_id");
  // By chat, each chat's messages dirty a leaf of their own in this index too, on top of
  // the (conversation_id, seq) index's (here 112 frames against 49).
  EXPECT_LT(by_id + 40, by_chat) << "by client id " << by_id << ", by chat " << by_chat;
}

TEST_F(SqliteStoreTest, RefusesAFileWrittenByANewerSchema) {
  { open_sqlite_store(path()); }
  raw(path(), "PRAGMA user_version = 999");
  EXPECT_THROW(open_sqlite_store(path()), StoreFailure);
}

TEST_F(SqliteStoreTest, UsesWalJournal) {
  auto s = open_sqlite_store(path());
  EXPECT_EQ(raw(path(), "PRAGMA journal_mode"), "wal");
}

TEST_F(SqliteStoreTest, SessionOfADeactivatedAgentIsNotFound) {
  // The Store has no deactivate call yet; an admin tool would flip the column.
  auto s = open_sqlite_store(path());
  auto a = s->create_agent({"ann", "ann@x.com", "h"}).value();
  s->create_session("tok", a.id, 10'000);
  EXPECT_EQ(s->find_session("tok", 1), a.id);
  raw(path(), "UPDATE agents SET active = 0 WHERE id = " + std::to_string(a.id));
  EXPECT_FALSE(s->find_session("tok", 1));
}

TEST_F(SqliteStoreTest, DeactivatedAgentsAreNotRoutingCandidates) {
  auto s = open_sqlite_store(path());
  auto a = s->create_agent({"ann", "ann@x.com", "h"}).value();
  s->set_availability_override(a.id, true, 1).value();
  raw(path(), "UPDATE agents SET active = 0 WHERE id = " + std::to_string(a.id));
  auto v = s->create_visitor("tok", 1);
  auto out = s->request_chat({v.id, {"V", "v@x.com", {}, {}, {}, "/"}, "f"}, round_robin(), 2);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->conversation.status, core::ConversationStatus::missed);
}

TEST_F(SqliteStoreTest, DatabaseErrorsThrowStoreFailure) {
  auto s = open_sqlite_store(path());
  // A session for an agent that does not exist breaks a foreign key: a bug, not a value.
  EXPECT_THROW(s->create_session("tok", 777, 10), StoreFailure);
}

// The webhook trigger on messages costs every insert even when its WHEN is false, so it exists
// only while an active endpoint wants one of its events (sqlite/message_webhook_trigger.hpp).
TEST_F(SqliteStoreTest, TheMessageWebhookTriggerExistsOnlyWhileAnEndpointWantsItsEvents) {
  auto trigger = [&] {
    return raw(path(), "SELECT count(*) FROM sqlite_schema WHERE name = 'webhook_on_message'");
  };
  auto endpoint = [](std::vector<std::string> events, bool active) {
    core::WebhookEndpoint e;
    e.url = "https://crm.example.com/hook";
    e.events = std::move(events);
    e.secret = "whsec_test";
    e.active = active;
    e.created_at = 1;
    return e;
  };
  auto s = open_sqlite_store(path());
  EXPECT_EQ("0", trigger());
  auto meetings = s->create_webhook(endpoint({"meeting.booked", "person.updated"}, true));
  EXPECT_EQ("0", trigger()) << "no endpoint wants a conversation event";
  auto ended = s->create_webhook(endpoint({"chat.ended"}, false));
  EXPECT_EQ("0", trigger()) << "a disabled endpoint wants nothing";
  ended.active = true;
  ASSERT_TRUE(s->update_webhook(ended));
  EXPECT_EQ("1", trigger());
  ended.events = {"meeting.cancelled"};
  ASSERT_TRUE(s->update_webhook(ended));
  EXPECT_EQ("0", trigger()) << "its last conversation event was unsubscribed";
  auto messages = s->create_webhook(endpoint({"message.created"}, true));
  EXPECT_EQ("1", trigger());

  // A message now reaches the outbox; after the endpoint is deleted, nothing does.
  auto a = s->create_agent({"ann", "ann@x.com", "h"}).value();
  s->set_availability_override(a.id, true, 1).value();
  std::vector<Id> online{a.id};
  s->report_presence(kTestNode, online, kOnlineForTheTest);
  auto v = s->create_visitor("tok", 1);
  auto c = s->request_chat({v.id, {"V", "v@x.com", {}, {}, {}, "/"}, "f"}, round_robin(), 2)
               ->conversation.id;
  ASSERT_TRUE(s->accept_chat(c, a.id, 3).ok());
  auto outbox = [&] { return raw(path(), "SELECT count(*) FROM webhook_outbox WHERE type = 'message.created'"); };
  ASSERT_TRUE(s->append_message({c, core::Actor::of_visitor(v.id), "hello", "m1"}, 4).ok());
  EXPECT_EQ("1", outbox());
  ASSERT_TRUE(s->delete_webhook(messages.id));
  EXPECT_EQ("0", trigger());
  ASSERT_TRUE(s->append_message({c, core::Actor::of_visitor(v.id), "again", "m2"}, 5).ok());
  EXPECT_EQ("1", outbox());
  (void)meetings;

  // A file whose endpoints want conversation events gets the trigger back at open (a file
  // migrated from version 11 had it dropped by migration 12).
  s->create_webhook(endpoint({"chat.missed"}, true));
  s.reset();
  raw(path(), "DROP TRIGGER webhook_on_message");
  s = open_sqlite_store(path());
  EXPECT_EQ("1", trigger());
}

// The search index (parley-search.db) takes a batch of messages from many conversations, in the
// order they were stored, as one FTS5 segment: FTS5 writes a transaction's rows out together
// only while their row ids (conversation * 2^20 + seq) rise, and in storage order they go up
// and down. Rebuilt from scratch here (the file deleted, as after a restore), 240 messages of
// 12 interleaved chats are one batch; unsorted, nearly every message was a segment (5 were
// left after FTS5's merges).
TEST_F(SqliteStoreTest, TheSearchIndexWritesABatchOfInterleavedChatsAsOneSegment) {
  const std::string search_path = (dir_.path() / "parley-search.db").string();
  {
    auto s = open_sqlite_store(path());
    auto a = s->create_agent({"ann", "ann@x.com", "h"}).value();
    s->set_availability_override(a.id, true, 1).value();
    std::vector<Id> chats;
    std::vector<Id> visitors;
    for (int i = 0; i < 12; ++i) {
      auto v = s->create_visitor("tok-" + std::to_string(i), 2);
      auto c = s->request_chat({v.id, {"V", "v@x.com", {}, {}, {}, "/"}, "f"},
                               [&](const RoutingSnapshot&) { return core::RouteChoice{a.id}; }, 3)
                   ->conversation.id;
      ASSERT_TRUE(s->accept_chat(c, a.id, 4).ok());
      chats.push_back(c);
      visitors.push_back(v.id);
    }
    for (int round = 0; round < 20; ++round) {
      for (std::size_t i = 0; i < chats.size(); ++i) {
        auto id = "m" + std::to_string(round) + "-" + std::to_string(i);
        ASSERT_TRUE(s->append_message({chats[i], core::Actor::of_visitor(visitors[i]),
                                       "quote number " + id + " for the gazebo", id},
                                      10 + round)
                        .ok());
      }
    }
  }
  std::filesystem::remove(search_path);
  std::filesystem::remove(search_path + "-wal");
  std::filesystem::remove(search_path + "-shm");

  auto s = open_sqlite_store(path());
  const std::string stored = raw(path(), "SELECT max(id) FROM messages");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (raw(search_path, "SELECT indexed_upto FROM progress") != stored &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(stored, raw(search_path, "SELECT indexed_upto FROM progress"));
  // %_data holds the averages and structure records (ids 1 and 10) and each segment's pages,
  // keyed by the segment's id << 37 plus the page number: count the segments.
  EXPECT_EQ("1", raw(search_path, "SELECT count(DISTINCT id >> 37) FROM message_search_data "
                                  "WHERE id >> 37 > 0"));
}

}  // namespace
}  // namespace parley::store::testing
