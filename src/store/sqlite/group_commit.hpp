// Group commit: every write of the SQLite adapter runs on one writer thread, inside a
// savepoint of a batch transaction that holds all writes queued at that moment; the batch
// commits with one fsync, then every writer in it is told. Many small writes, one sync,
// and each is still acknowledged only after it is durable.
//
// A job that fails (throws) has its savepoint rolled back; the others in the batch are
// unaffected. If the COMMIT itself fails, every job of the batch fails with that error. A
// job that writes with one statement needs no savepoint (JobTraits::one_statement).
//
// Answers of asynchronous jobs (submit_async) can be handed to another thread in one piece
// per batch (hand_off): the writer wakes that thread once per commit instead of once per
// job, and is free for the next batch while the answers are delivered.
//
// Jobs may keep changes in memory for the rest of their batch (BatchState) instead of
// writing them each time: the writer writes them out before any job that does not use
// them and before the commit.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

#include "store/monitoring_store.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace parley::store::sqlite {

// Changes that jobs of one batch keep in memory instead of writing each time (the SQLite
// store: the conversation row every message of a chat bumps, batch_conversations.hpp).
// Used only on the writer thread. A job that uses it must change it only once nothing the
// job still does can fail: rolling back the job's savepoint does not roll back the state.
class BatchState {
 public:
  virtual ~BatchState() = default;
  // The batch's transaction is open and no job has run yet. A state that kept what it read
  // in an earlier batch checks here that nobody else changed the file since.
  virtual void begin(Connection& conn) { (void)conn; }
  // Writes the pending changes into the open transaction and forgets everything: a job
  // that does not use the state runs next. May throw: the whole batch then fails.
  virtual void write_out(Connection& conn) = 0;
  // Writes the pending changes into the transaction about to commit. What the state read
  // may be kept for the next batch: after the commit it is what the table holds. May throw.
  virtual void before_commit(Connection& conn) { write_out(conn); }
  // Drops the pending changes and everything kept: the batch was rolled back.
  virtual void forget() = 0;
};

// What the writer may do differently for a job.
struct JobTraits {
  // The job keeps its changes in the batch state instead of writing them; every job
  // without this trait sees them written out first.
  bool uses_batch_state = false;
  // The job writes with at most one statement, which SQLite applies whole or not at all,
  // and nothing it does after that statement can fail, so a refused or failed job has left
  // nothing to undo: it runs without a savepoint of its own. (A savepoint copies every page
  // the job then changes into the sub-journal, and costs three statements: for a message
  // append that was a tenth of the writer's time.)
  bool one_statement = false;
};

class GroupCommitWriter {
 public:
  // `work` runs on the writer thread with the open batch; return false to roll back its
  // savepoint (an expected failure that must leave no trace; a one-statement job returns
  // false only when it wrote nothing). `done` runs on the writer
  // thread after the batch is durable (or failed: a non-null exception).
  using Work = std::function<bool(Connection&)>;
  using Done = std::function<void(std::exception_ptr)>;
  // A work and its done as one object, for callers that submit many: the two share the
  // object's state, so such a job costs one allocation (a message append: the message, its
  // outcome and whom to tell, together), and it is destroyed where its done ran.
  class Job {
   public:
    virtual ~Job() = default;
    virtual bool work(Connection& conn) = 0;
    virtual void done(std::exception_ptr failure) = 0;
  };
  // Runs one batch's answers somewhere else; called on the writer thread. It must run
  // the functions it is given in the order it was given them.
  using Handoff = std::function<void(std::function<void()>)>;

  static constexpr std::size_t kMaxBatch = 1024;

  // `state`, when given, must outlive the writer.
  explicit GroupCommitWriter(Connection& conn, BatchState* state = nullptr);
  ~GroupCommitWriter();  // drains the queue, then stops the thread

  // `done` runs on the writer thread, before the next batch starts. A job that does not
  // use the batch state sees it written out.
  void submit(Work work, Done done, JobTraits traits = {});
  // `done` runs wherever the hand-off sends the batch's answers (on the writer thread
  // while there is none). It must not wait for a later write: it may run before one can.
  void submit_async(Work work, Done done, JobTraits traits = {});
  void submit_async(std::unique_ptr<Job> job, JobTraits traits = {});
  // Later batches' asynchronous answers go to `handoff`; an empty one brings them back to
  // the writer thread. Whoever installs a hand-off removes it before its target stops.
  void hand_off(Handoff handoff);

  // Every later batch is reported to `observer` (monitoring_store.hpp).
  void observe(WriteObserver* observer) { observer_.set(observer); }
  // Jobs waiting for the next batch.
  std::size_t queue_depth();

  // Runs `fn(conn)` in the next batch and waits until it is durable. A core::Result
  // that holds an error rolls back `fn`'s writes. Exceptions propagate to the caller.
  template <class F>
  auto run(F&& fn, JobTraits traits = {}) -> std::invoke_result_t<F&, Connection&> {
    using R = std::invoke_result_t<F&, Connection&>;
    std::optional<R> result;
    std::promise<void> durable;
    submit(
        [&](Connection& conn) {
          result.emplace(fn(conn));
          if constexpr (requires { result->ok(); }) return result->ok();
          return true;
        },
        [&](std::exception_ptr e) {
          if (e) durable.set_exception(e);
          else durable.set_value();
        },
        traits);
    durable.get_future().get();
    return std::move(*result);
  }

 private:
  struct Queued {
    std::unique_ptr<Job> job;
    bool may_hand_off = false;
    JobTraits traits;
  };
  void enqueue(Queued queued);
  void loop();
  void commit_batch(std::deque<Queued>& batch);

  Connection& conn_;
  BatchState* state_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  WriteObserverSlot observer_;
  std::mutex handoff_mutex_;
  Handoff handoff_;
  std::thread thread_;
};

}  // namespace parley::store::sqlite
