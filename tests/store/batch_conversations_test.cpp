// Message appends keep their conversation's row in memory for the rest of the batch
// (store/sqlite/batch_conversations.hpp): within one batch the seqs still follow each other,
// a retry is still recognised, a job of another kind sees the rows written and its own
// change is seen by the appends after it, the table ends up as if each message had
// updated it, and the rows kept for later batches are read again once another connection
// committed.
#include "store/sqlite/batch_conversations.hpp"

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/store_sql.hpp"
#include "store_contract.hpp"

namespace parley::store::sqlite {
namespace {

class BatchConversationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = std::make_unique<Connection>(path(), true);
    apply_migrations(*conn_);
    conn_->exec(
        "INSERT INTO visitors (id, token_hash, created_at) VALUES (1, 'a', 1), (2, 'b', 1);"
        "INSERT INTO conversations (id, visitor_id, status, created_at, last_activity_at) "
        "VALUES (1, 1, 'active', 1, 1), (2, 2, 'active', 1, 1);");
    writer_ = std::make_unique<GroupCommitWriter>(*conn_, &batch_);
  }
  std::string path() const { return (dir_.path() / "parley.db").string(); }

  // Holds the writer until release(): everything submitted meanwhile shares one batch.
  void hold_writer() {
    auto released = release_.get_future().share();
    writer_->submit([released](Connection&) { released.wait(); return true; }, [](auto) {});
  }
  void release() { release_.set_value(); }

  // Queues an append as the store does; its outcome once durable.
  // (Visitor n is the visitor of conversation n unless `visitor` says otherwise.)
  std::future<Result<AppendOutcome>> append(Id conversation, std::string body,
                                            std::string client_id, Millis now,
                                            Id visitor = 0) {
    auto answer = std::make_shared<std::promise<Result<AppendOutcome>>>();
    auto outcome = std::make_shared<std::optional<Result<AppendOutcome>>>();
    NewMessage m{conversation, core::Actor::of_visitor(visitor ? visitor : conversation),
                 std::move(body), std::move(client_id)};
    writer_->submit_async(
        [this, outcome, m, now](Connection& db) {
          outcome->emplace(append_in(db, batch_, m, now));
          return (*outcome)->ok();
        },
        [answer, outcome](std::exception_ptr e) {
          if (e) answer->set_exception(e);
          else answer->set_value(std::move(**outcome));
        },
        kAppendJobTraits);
    return answer->get_future();
  }

  // Reads from another connection, as the Inbox would after the commit.
  std::string committed(const std::string& sql) {
    Connection reader(path(), false);
    auto s = reader.prepare(sql);
    std::string out;
    while (s.step()) out += (out.empty() ? "" : "|") + s.text(0);
    return out;
  }

  // Destroyed in reverse: the writer stops before its state, its connection and the files go.
  testing::ScratchDir dir_;
  std::unique_ptr<Connection> conn_;
  BatchConversations batch_;
  std::unique_ptr<GroupCommitWriter> writer_;
  std::promise<void> release_;
};

TEST_F(BatchConversationsTest, MessagesOfOneBatchTakeConsecutiveSeqsAndTheRowEndsAsTheLastLeftIt) {
  hold_writer();
  std::vector<std::future<Result<AppendOutcome>>> one, two;
  for (int i = 1; i <= 5; ++i) {
    one.push_back(append(1, "one-" + std::to_string(i), "c1-" + std::to_string(i), 100 + i));
    if (i <= 3) two.push_back(append(2, "two-" + std::to_string(i), "c2-" + std::to_string(i), 200 + i));
  }
  auto retry = append(1, "one-2", "c1-2", 300);  // the same client_id again, same batch
  release();

  for (int i = 0; i < 5; ++i) {
    auto r = one[i].get();
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(i + 1, r->message.seq);
    EXPECT_EQ(i + 1, r->conversation.last_seq);  // the row as this message left it
    EXPECT_EQ(101 + i, r->conversation.last_activity_at);
    EXPECT_FALSE(r->duplicate);
  }
  for (int i = 0; i < 3; ++i) EXPECT_EQ(i + 1, two[i].get()->message.seq);
  auto again = retry.get();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(2, again->message.seq);

  EXPECT_EQ("5|105|one-5", committed("SELECT last_seq || '|' || last_activity_at || '|' || "
                                     "last_text FROM conversations WHERE id = 1"));
  EXPECT_EQ("3|203|two-3", committed("SELECT last_seq || '|' || last_activity_at || '|' || "
                                     "last_text FROM conversations WHERE id = 2"));
  EXPECT_EQ("1|2|3|4|5", committed("SELECT seq FROM messages WHERE conversation_id = 1 ORDER BY seq"));
  // The inactivity sweep reads this index: it must hold the last message's time.
  EXPECT_EQ("1", committed("SELECT id FROM conversations INDEXED BY conversations_idle "
                           "WHERE status = 'active' AND last_activity_at = 105"));
}

TEST_F(BatchConversationsTest, AJobOfAnotherKindSeesTheRowsAndTheAppendsAfterItSeeItsChange) {
  hold_writer();
  auto first = append(1, "a", "m1", 10);
  auto second = append(1, "b", "m2", 11);
  std::promise<std::string> seen_by_end;
  writer_->submit(
      [&](Connection& db) {
        seen_by_end.set_value(load_conversation(db, 1)->last_seq == 2 ? "2" : "not written");
        db.exec("UPDATE conversations SET status = 'ended', ended_at = 12 WHERE id = 1");
        return true;
      },
      [](auto) {});
  auto after_end = append(1, "c", "m3", 13);
  auto elsewhere = append(2, "d", "m4", 14);
  release();

  EXPECT_TRUE(first.get().ok());
  EXPECT_TRUE(second.get().ok());
  EXPECT_EQ("2", seen_by_end.get_future().get());
  auto refused = after_end.get();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(core::ErrorCode::conflict, refused.error().code);
  EXPECT_EQ(1, elsewhere.get()->message.seq);
  EXPECT_EQ("2|ended|b", committed("SELECT last_seq || '|' || status || '|' || last_text "
                                   "FROM conversations WHERE id = 1"));
  EXPECT_EQ("2", committed("SELECT count(*) FROM messages WHERE conversation_id = 1"));
}

TEST_F(BatchConversationsTest, ASendTheRowDoesNotAllowChangesNothing) {
  hold_writer();
  auto not_theirs = append(1, "not mine", "x1", 50, /*visitor=*/2);
  auto theirs = append(1, "mine", "x2", 51);
  release();
  auto refused = not_theirs.get();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(core::ErrorCode::not_found, refused.error().code);  // not theirs to see
  EXPECT_EQ(1, theirs.get()->message.seq);
  EXPECT_EQ("1|51|mine", committed("SELECT last_seq || '|' || last_activity_at || '|' || "
                                   "last_text FROM conversations WHERE id = 1"));
}

TEST_F(BatchConversationsTest, RowsOutliveTheirBatchUntilAnotherConnectionCommits) {
  ASSERT_TRUE(append(1, "a", "k1", 10).get().ok());
  ASSERT_TRUE(append(2, "b", "k2", 11).get().ok());
  EXPECT_EQ(2u, batch_.rows_read());

  // Later batches go on from the kept rows, without reading them again.
  auto next = append(1, "c", "k3", 12).get();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(2, next->message.seq);
  EXPECT_EQ(2u, batch_.rows_read());
  EXPECT_EQ("2|12|c", committed("SELECT last_seq || '|' || last_activity_at || '|' || "
                                "last_text FROM conversations WHERE id = 1"));

  // Another connection ends chat 2: the next batch reads every row again, so the end holds.
  {
    Connection other(path(), false);
    other.exec("UPDATE conversations SET status = 'ended', ended_at = 13 WHERE id = 2");
  }
  auto refused = append(2, "d", "k4", 14).get();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(core::ErrorCode::conflict, refused.error().code);
  EXPECT_EQ(3, append(1, "e", "k5", 15).get()->message.seq);
  EXPECT_EQ(4u, batch_.rows_read());
  EXPECT_EQ("1", committed("SELECT count(*) FROM messages WHERE conversation_id = 2"));
}

}  // namespace
}  // namespace parley::store::sqlite
