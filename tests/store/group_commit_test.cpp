// The SQLite adapter's group-commit writer: jobs of one batch succeed or fail alone, a
// job's completion runs only once its writes are durable and visible to other readers, and
// the asynchronous answers of one batch can leave the writer thread in one piece.
#include "store/sqlite/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

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
  // Holds the writer in a batch of its own until the returned promise is set: whatever is
  // submitted meanwhile shares the next batch. Returns once the holding job runs (before
  // that, the writer could still take later jobs into the holding job's batch).
  std::promise<void> hold_writer() {
    std::promise<void> release, holding;
    auto released = release.get_future().share();
    writer_->submit([released, &holding](Connection&) {
      holding.set_value();
      released.wait();
      return true;
    }, [](auto) {}, {.uses_batch_state = true});  // (so nothing is written out before it)
    holding.get_future().wait();
    return release;
  }
  // Submits `jobs` while the writer is held, so they share a batch, and returns each job's
  // outcome.
  using Jobs = std::vector<std::pair<GroupCommitWriter::Work, JobTraits>>;
  std::vector<std::exception_ptr> run_in_one_batch(const Jobs& jobs) {
    auto release = hold_writer();
    std::vector<std::exception_ptr> outcomes(jobs.size());
    std::latch answered(static_cast<std::ptrdiff_t>(jobs.size()));
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      writer_->submit(jobs[i].first, [&, i](std::exception_ptr e) {
        outcomes[i] = e;
        answered.count_down();
      }, jobs[i].second);
    }
    release.set_value();
    answered.wait();
    return outcomes;
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

TEST_F(GroupCommitTest, AsyncAnswersOfOneBatchReachTheHandoffAsOneFunctionInOrder) {
  std::mutex m;
  std::vector<std::function<void()>> handed;  // what the hand-off was given, not yet run
  writer_->hand_off([&](std::function<void()> batch) {
    std::lock_guard lock(m);
    handed.push_back(std::move(batch));
  });
  // Everything submitted while the writer is held shares the next batch.
  auto release = hold_writer();

  std::vector<int> answered;  // touched by the test thread only (it runs the hand-off)
  std::promise<std::thread::id> sync_done_on;
  for (int i = 1; i <= 10; ++i) {
    writer_->submit_async([i](Connection& c) {
      c.prepare("INSERT INTO t VALUES (?1)").bind_all(i).run();
      return true;
    }, [&answered, i](std::exception_ptr e) { answered.push_back(e ? -i : i); });
    if (i == 5) {
      writer_->submit([](Connection&) { return true; },
                      [&](std::exception_ptr) { sync_done_on.set_value(std::this_thread::get_id()); });
    }
  }
  release.set_value();
  // A synchronous job's answer still runs on the writer thread, without the hand-off.
  EXPECT_NE(std::this_thread::get_id(), sync_done_on.get_future().get());
  EXPECT_EQ(10, count_from_another_connection());  // durable before anything is handed off
  writer_->run([](Connection&) { return 0; });     // the batch's hand-off happened by now
  std::vector<std::function<void()>> got;
  {
    std::lock_guard lock(m);
    got.swap(handed);
  }
  ASSERT_EQ(1u, got.size());
  EXPECT_TRUE(answered.empty());  // nothing ran before the hand-off's target ran it
  got[0]();
  EXPECT_EQ((std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), answered);

  // Without a hand-off the answers run on the writer thread again.
  writer_->hand_off({});
  std::promise<std::thread::id> async_done_on;
  writer_->submit_async([](Connection&) { return true; },
                        [&](std::exception_ptr) { async_done_on.set_value(std::this_thread::get_id()); });
  EXPECT_NE(std::this_thread::get_id(), async_done_on.get_future().get());
  std::lock_guard lock(m);
  EXPECT_TRUE(handed.empty());
}

// A job object handed off lives until its answer ran where the hand-off sent it: what it
// holds (a message, allocated by the thread that submitted it) is freed there, not on the
// writer thread.
TEST_F(GroupCommitTest, AHandedOffJobObjectIsDestroyedWhereItsAnswerRan) {
  struct Probe final : GroupCommitWriter::Job {
    std::vector<std::string>* log;
    explicit Probe(std::vector<std::string>* l) : log(l) {}
    ~Probe() override { log->push_back("destroyed"); }
    bool work(Connection& c) override {
      c.exec("INSERT INTO t VALUES (7)");
      return true;
    }
    void done(std::exception_ptr e) override { log->push_back(e ? "failed" : "done"); }
  };
  std::mutex m;
  std::vector<std::function<void()>> handed;
  writer_->hand_off([&](std::function<void()> batch) {
    std::lock_guard lock(m);
    handed.push_back(std::move(batch));
  });
  std::vector<std::string> log;  // touched by the test thread only (it runs the hand-off)
  writer_->submit_async(std::make_unique<Probe>(&log));
  writer_->run([](Connection&) { return 0; });  // the job's batch was handed off by now
  std::function<void()> batch;
  {
    std::lock_guard lock(m);
    ASSERT_EQ(1u, handed.size());
    batch = std::move(handed[0]);
    handed.clear();
  }
  EXPECT_TRUE(log.empty());  // neither answered nor destroyed on the writer thread
  batch();
  batch = nullptr;
  EXPECT_EQ((std::vector<std::string>{"done", "destroyed"}), log);
  EXPECT_EQ(1, count_from_another_connection());
  writer_->hand_off({});
}

// A BatchState that counts what the writer asks of it and can fail its next write-out.
struct CountingState : BatchState {
  int pending = 0;            // changes jobs made since the last write-out
  int written = 0;            // changes written out, in total
  int written_at_commit = 0;  // of them, by the write-outs before a commit
  int forgotten = 0;
  int begun = 0;  // batches begun
  bool fail_next = false;
  void begin(Connection&) override { ++begun; }
  void write_out(Connection&) override { written += take(); }
  void before_commit(Connection&) override {
    int n = take();
    written += n;
    written_at_commit += n;
  }
  void forget() override { forgotten += std::exchange(pending, 0); }
  int take() {
    if (std::exchange(fail_next, false)) throw StoreFailure("disk full");
    return std::exchange(pending, 0);
  }
};

TEST_F(GroupCommitTest, BatchStateIsWrittenOutBeforeOtherJobsAndTheCommitAndForgottenWhenTheBatchFails) {
  writer_.reset();
  CountingState state;
  writer_ = std::make_unique<GroupCommitWriter>(*conn_, &state);
  auto uses_state = [&](Connection&) { ++state.pending; return true; };
  int written_when_other_ran = -1;
  auto other = [&](Connection&) { written_when_other_ran = state.written; return true; };

  const JobTraits kUses{.uses_batch_state = true};
  auto ok = run_in_one_batch(Jobs{{uses_state, kUses}, {uses_state, kUses}, {other, {}}, {uses_state, kUses}});
  for (auto& e : ok) EXPECT_FALSE(e);
  EXPECT_EQ(2, written_when_other_ran);  // the two before it, written out first
  EXPECT_EQ(3, state.written);           // and the one after it, before the commit
  EXPECT_EQ(1, state.written_at_commit);
  EXPECT_EQ(0, state.forgotten);
  EXPECT_EQ(2, state.begun);  // the holding job's batch, then the jobs'

  // The write-out before this batch's commit fails (armed by its first job, on the writer
  // thread, so that only this batch's write-out takes the failure).
  auto arms_failure = [&](Connection& c) {
    state.fail_next = true;
    return uses_state(c);
  };
  auto failed = run_in_one_batch(Jobs{{arms_failure, kUses}, {uses_state, kUses}});
  for (auto& e : failed) EXPECT_TRUE(e);  // nothing of the batch is durable: all told
  EXPECT_EQ(3, state.written);
  EXPECT_EQ(2, state.forgotten);          // dropped with the rolled-back batch
}

TEST_F(GroupCommitTest, OneStatementJobsRunWithoutASavepointAndAFailedOneLeavesNothing) {
  const JobTraits kOne{.one_statement = true};
  bool had_a_savepoint = true;
  auto outcomes = run_in_one_batch(Jobs{
      {[&](Connection& c) {
         c.exec("INSERT INTO t VALUES (1)");
         try {
           c.exec("ROLLBACK TO job");  // fails: the writer opened no savepoint for this job
         } catch (const StoreFailure&) {
           had_a_savepoint = false;
         }
         return true;
       },
       kOne},
      // Two rows in one statement, the second a duplicate: SQLite undoes the first as well.
      {[](Connection& c) {
         c.exec("INSERT INTO t SELECT 2 UNION ALL SELECT 1");
         return true;
       },
       kOne},
      {[](Connection& c) {
         c.exec("INSERT INTO t VALUES (3)");
         return true;
       },
       kOne},
      // A job with a savepoint, in the same batch, is still rolled back alone.
      {[](Connection& c) {
         c.exec("INSERT INTO t VALUES (4)");
         return false;
       },
       {}},
  });

  EXPECT_FALSE(had_a_savepoint);
  EXPECT_FALSE(outcomes[0]);
  EXPECT_TRUE(outcomes[1]);
  EXPECT_FALSE(outcomes[2]);
  EXPECT_FALSE(outcomes[3]);
  Connection reader(path_.string(), false);
  auto rows = reader.prepare("SELECT group_concat(v) FROM (SELECT v FROM t ORDER BY v)");
  rows.step();
  EXPECT_EQ("1,3", rows.text(0));
}

}  // namespace
}  // namespace parley::store::sqlite
