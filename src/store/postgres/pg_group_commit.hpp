// Group commit on PostgreSQL: messages are written by a writer thread, in a batch
// transaction that holds every message queued at that moment; the batch commits once, then
// every sender is told. Many messages, one commit, and each is still acknowledged only after
// it is durable. A node runs a few writers, each for its own share of the conversations
// (PgStore::writer_for), so that one batch is written while another's commit is in flight.
//
// Jobs run in the order of their key (the conversation id), stable within a key: every node
// then locks conversation rows in the same order (a set statement's lock_sql does the same),
// so two nodes' batches cannot deadlock, and the messages of one conversation keep the order
// they were submitted in.
//
// A job that fails (throws) has its savepoint rolled back; the others in the batch are
// unaffected. If the COMMIT fails, or the connection breaks, every job of the batch fails
// (but for jobs whose rows a first, committed transaction already held: they succeeded).
//
// The common case costs one round trip per batch, not per job: a job may come as one row of
// a statement shared by every job of its kind (SetRow: the values of all of them go in as
// arrays), and BEGIN, those statements (one per kind) and, when every job of the batch has
// a row, COMMIT are sent together in libpq's pipeline mode. (On a busy machine each round
// trip is two wake-ups that wait for a CPU: they are most of a message's latency.) A job the
// statement did not finish (e.g. an append that found the chat ended) then runs its general
// form under a savepoint: in the same transaction, or in a second one when the first was
// already committed. If a set statement fails, the batch is rolled back and run again job
// by job under savepoints, so that failure stays the one job's.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/monitoring_store.hpp"
#include "store/postgres/pg_connection.hpp"

namespace parley::store::postgres {

class PgGroupCommit {
 public:
  // `work` runs on the writer thread inside the open batch; return false to roll back its
  // savepoint (an expected failure that must leave no trace). `done` runs on the writer
  // thread after the batch committed (or failed: a non-null exception).
  using Work = std::function<bool(PgConnection&)>;
  using Done = std::function<void(std::exception_ptr)>;
  // A job as one row of a statement shared by the batch's jobs of its kind (the same `sql`):
  // each $k is an array of every such job's k-th value, in job order, and the statement
  // returns one row per job it finished, with the job's 1-based place among them in column
  // 0. `take` reads that row (on the writer thread, inside the batch); a job with no row
  // runs `work` afterwards.
  // `lock_sql`, when set, runs first with $1 the array of the kind's job keys: rows that the
  // set statement will lock, locked in key order (ORDER BY … FOR UPDATE), so that two nodes'
  // batches wait for each other instead of deadlocking.
  struct SetRow {
    std::string_view sql;
    std::vector<Param> values;
    std::function<void(const PgResult&, int row)> take;
    std::string_view lock_sql = {};
  };

  static constexpr std::size_t kMaxBatch = 512;

  // Opens its own connection lazily, on the writer thread. `name` is what a WriteObserver
  // is told ("postgresql-0", …).
  PgGroupCommit(std::string conninfo, std::string name);
  ~PgGroupCommit();  // drains the queue, then stops the thread

  void submit(std::int64_t key, Work work, Done done, std::optional<SetRow> row = std::nullopt);
  // Returns once every job submitted before the call has run its `done`.
  void flush();
  // Every later batch is reported to `observer` (monitoring_store.hpp).
  void observe(WriteObserver* observer) { observer_.set(observer); }
  // Jobs waiting for the next batch.
  std::size_t queue_depth();

 private:
  struct Job {
    std::int64_t key;
    Work work;
    Done done;
    std::optional<SetRow> row;
  };
  void loop();
  void commit_batch(std::deque<Job>& batch);
  // BEGIN, the batch's set statements, and COMMIT when `commit`, in one pipeline; marks the
  // jobs the statements finished. False when a statement failed: the transaction is aborted
  // (still open) and nothing is marked. Throws when the connection is lost.
  bool run_sets(std::deque<Job>& batch, std::vector<char>& finished, bool commit);
  // Runs every job not yet finished under its own savepoint, in the open transaction.
  void run_jobs(std::deque<Job>& batch, const std::vector<char>& finished,
                std::vector<std::exception_ptr>& failures);

  // Reports the batch to the observer, if any.
  void report(std::size_t jobs, std::chrono::steady_clock::time_point started);

  std::string conninfo_;
  const std::string name_;
  WriteObserverSlot observer_;
  std::unique_ptr<PgConnection> conn_;  // the writer thread's
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Job> queue_;
  bool busy_ = false;  // a batch is being written
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace parley::store::postgres
