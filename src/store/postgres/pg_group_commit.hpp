// Group commit on PostgreSQL: messages of one node are written by one writer thread, each
// inside a savepoint of a batch transaction that holds every message queued at that moment;
// the batch commits once, then every sender is told. Many messages, one commit, and each is
// still acknowledged only after it is durable.
//
// Jobs run in the order of their key (the conversation id), stable within a key: every node
// then locks conversation rows in the same order, so two nodes' batches cannot deadlock, and
// the messages of one conversation keep the order they were submitted in.
//
// A job that fails (throws) has its savepoint rolled back; the others in the batch are
// unaffected. If the COMMIT fails, or the connection breaks, every job of the batch fails.
//
// The common case costs a few round trips per batch, not per job: a job may come with a
// one-statement form (Pipelined), and those statements are sent together in libpq's pipeline
// mode. A job whose statement says it did not finish (e.g. an append that found the chat
// ended) then runs its general form under a savepoint. If one pipelined statement fails,
// the batch is rolled back and run again job by job under savepoints, so that failure
// stays the one job's.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/pg_connection.hpp"

namespace parley::store::postgres {

class PgGroupCommit {
 public:
  // `work` runs on the writer thread inside the open batch; return false to roll back its
  // savepoint (an expected failure that must leave no trace). `done` runs on the writer
  // thread after the batch committed (or failed: a non-null exception).
  using Work = std::function<bool(PgConnection&)>;
  using Done = std::function<void(std::exception_ptr)>;
  // A job as one statement. `take` gets its result (on the writer thread, inside the batch)
  // and returns true when that finished the job; false runs `work` afterwards.
  struct Pipelined {
    PgConnection::Statement statement;
    std::function<bool(const PgResult&)> take;
  };

  static constexpr std::size_t kMaxBatch = 512;

  // Opens its own connection lazily, on the writer thread.
  explicit PgGroupCommit(std::string conninfo);
  ~PgGroupCommit();  // drains the queue, then stops the thread

  void submit(std::int64_t key, Work work, Done done,
              std::optional<Pipelined> pipelined = std::nullopt);
  // Returns once every job submitted before the call has run its `done`.
  void flush();

 private:
  struct Job {
    std::int64_t key;
    Work work;
    Done done;
    std::optional<Pipelined> pipelined;
  };
  void loop();
  void commit_batch(std::deque<Job>& batch);
  // Sends the batch's pipelined statements and marks the jobs they finished. False when a
  // statement failed: the transaction is aborted and nothing is marked.
  bool run_pipelined(std::deque<Job>& batch, std::vector<char>& finished);

  std::string conninfo_;
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
