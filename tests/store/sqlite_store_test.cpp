// SQLite-specific behaviour the contract cannot express: state surviving a reopen of the
// same file, schema versioning, PRAGMAs, and rows flipped behind the Store's back.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/sqlite/migrations.hpp"
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

}  // namespace
}  // namespace parley::store::testing
