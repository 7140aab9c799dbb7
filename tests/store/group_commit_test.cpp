// The SQLite adapter's group-commit writer: jobs of one batch succeed or fail alone, and
// a job's completion runs only once its writes are durable and visible to other readers.
#include "store/sqlite/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <random>

namespace parley::store::sqlite {
namespace {

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("parley-gc-" + std::to_string(std::random_device{}()) + ".db");
    conn_ = std::make_unique<Connection>(path_.string(), true);
    conn_->exec("CREATE TABLE t (v INTEGER PRIMARY KEY)");
    writer_ = std::make_unique<GroupCommitWriter>(*conn_);
  }
  void TearDown() override {
    writer_.reset();
    conn_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  std::int64_t count_from_another_connection() {
    Connection reader(path_.string(), false);
    auto s = reader.prepare("SELECT count(*) FROM t");
    s.step();
    return s.int64(0);
  }
  std::filesystem::path path_;
  std::unique_ptr<Connection> conn_;
  std::unique_ptr<GroupCommitWriter> writer_;
};

TEST_F(GroupCommitTest, CompletionRunsAfterTheWriteIsVisibleToOtherConnections) {
  std::promise<std::int64_t> seen;
  writer_->submit([](Connection& c) {
    c.exec("INSERT INTO t VALUES (1)");
    return true;
  }, [&](std::exception_ptr e) { seen.set_value(e ? -1 : count_from_another_connection()); });
  EXPECT_EQ(1, seen.get_future().get());
}

TEST_F(GroupCommitTest, RejectedAndThrowingJobsLeaveNoTraceAndSpareTheirBatch) {
  // Many jobs submitted at once land in shared batches.
  constexpr int kJobs = 300;
  std::atomic<int> failures = 0, done = 0;
  std::latch all_done(kJobs);
  for (int i = 1; i <= kJobs; ++i) {
    writer_->submit(
        [i](Connection& c) {
          c.prepare("INSERT INTO t VALUES (?1)").bind_all(i).run();
          if (i % 3 == 0) return false;                              // an expected failure
          if (i % 5 == 0) throw std::runtime_error("job failed");   // a broken one
          return true;
        },
        [&](std::exception_ptr e) {
          if (e) ++failures;
          ++done;
          all_done.count_down();
        });
  }
  all_done.wait();
  int expected_rows = 0, expected_failures = 0;
  for (int i = 1; i <= kJobs; ++i) {
    if (i % 3 == 0) continue;
    if (i % 5 == 0) ++expected_failures;
    else ++expected_rows;
  }
  EXPECT_EQ(expected_failures, failures.load());
  EXPECT_EQ(expected_rows, count_from_another_connection());
}

TEST_F(GroupCommitTest, RunReturnsTheJobsValueAndRethrowsItsException) {
  EXPECT_EQ(42, writer_->run([](Connection& c) {
    c.exec("INSERT INTO t VALUES (42)");
    return 42;
  }));
  EXPECT_THROW(writer_->run([](Connection& c) -> int { throw std::runtime_error("no"); }),
               std::runtime_error);
  EXPECT_EQ(1, count_from_another_connection());
}

TEST_F(GroupCommitTest, DestructionWritesEverythingAlreadySubmitted) {
  for (int i = 1; i <= 50; ++i) {
    writer_->submit([i](Connection& c) {
      c.prepare("INSERT INTO t VALUES (?1)").bind_all(i).run();
      return true;
    }, [](std::exception_ptr) {});
  }
  writer_.reset();
  EXPECT_EQ(50, count_from_another_connection());
}

}  // namespace
}  // namespace parley::store::sqlite
