#include "store/sqlite/group_commit.hpp"

#include <chrono>
#include <memory>
#include <utility>
#include <vector>

#include "os/thread_name.hpp"

namespace parley::store::sqlite {

namespace {

// A work and a done given separately, as one job.
class FunctionJob final : public GroupCommitWriter::Job {
 public:
  FunctionJob(GroupCommitWriter::Work work, GroupCommitWriter::Done done)
      : work_(std::move(work)), done_(std::move(done)) {}
  bool work(Connection& conn) override { return work_(conn); }
  void done(std::exception_ptr failure) override { done_(std::move(failure)); }

 private:
  GroupCommitWriter::Work work_;
  GroupCommitWriter::Done done_;
};

}  // namespace

GroupCommitWriter::GroupCommitWriter(Connection& conn, BatchState* state)
    : conn_(conn), state_(state) {
  thread_ = std::thread([this] { loop(); });
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void GroupCommitWriter::submit(Work work, Done done, JobTraits traits) {
  enqueue(Queued{std::make_unique<FunctionJob>(std::move(work), std::move(done)), false, traits});
}

void GroupCommitWriter::submit_async(Work work, Done done, JobTraits traits) {
  submit_async(std::make_unique<FunctionJob>(std::move(work), std::move(done)), traits);
}

void GroupCommitWriter::submit_async(std::unique_ptr<Job> job, JobTraits traits) {
  enqueue(Queued{std::move(job), true, traits});
}

void GroupCommitWriter::enqueue(Queued queued) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(queued));
  }
  wake_.notify_one();
}

void GroupCommitWriter::hand_off(Handoff handoff) {
  std::lock_guard lock(handoff_mutex_);
  handoff_ = std::move(handoff);
}

std::size_t GroupCommitWriter::queue_depth() {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void GroupCommitWriter::loop() {
  os::name_this_thread("sqlite-writer");
  for (;;) {
    std::deque<Queued> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything was written
      if (queue_.size() <= kMaxBatch) {
        batch.swap(queue_);
      } else {
        for (std::size_t i = 0; i < kMaxBatch; ++i) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
    }
    commit_batch(batch);
  }
}

void GroupCommitWriter::commit_batch(std::deque<Queued>& batch) {
  std::vector<std::exception_ptr> failures(batch.size());
  std::exception_ptr batch_failure;
  auto started = std::chrono::steady_clock::now();
  try {
    // Prepared once and cached by the connection: these run for every job.
    conn_.prepare("BEGIN IMMEDIATE").run();
    if (state_) state_->begin(conn_);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const JobTraits& traits = batch[i].traits;
      if (state_ && !traits.uses_batch_state) state_->write_out(conn_);
      const bool savepoint = !traits.one_statement;
      if (savepoint) conn_.prepare("SAVEPOINT job").run();
      bool keep = false;
      try {
        keep = batch[i].job->work(conn_);
      } catch (...) {
        failures[i] = std::current_exception();
      }
      if (savepoint) {
        if (!keep) conn_.prepare("ROLLBACK TO job").run();
        conn_.prepare("RELEASE job").run();
      }
    }
    if (state_) state_->before_commit(conn_);
    conn_.prepare("COMMIT").run();
  } catch (...) {
    batch_failure = std::current_exception();
    if (state_) state_->forget();
    try {
      conn_.exec("ROLLBACK");
    } catch (...) {
      // Already rolled back by SQLite (e.g. SQLITE_FULL); nothing left to undo.
    }
  }
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  Handoff handoff;
  {
    std::lock_guard lock(handoff_mutex_);
    handoff = handoff_;
  }
  using Answers = std::vector<std::pair<std::unique_ptr<Job>, std::exception_ptr>>;
  Answers handed;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto outcome = batch_failure ? batch_failure : failures[i];
    if (handoff && batch[i].may_hand_off) {
      handed.emplace_back(std::move(batch[i].job), outcome);
    } else {
      batch[i].job->done(outcome);
    }
  }
  if (!handed.empty()) {
    // Behind a shared_ptr: a std::function holds only what can be copied.
    handoff([handed = std::make_shared<Answers>(std::move(handed))] {
      for (const auto& [job, outcome] : *handed) job->done(outcome);
    });
  }
  // Reported after the writers were answered: watching must not delay an acknowledgement.
  observer_.tell("sqlite", batch.size(), took.count());
}

}  // namespace parley::store::sqlite
