#include "store/postgres/pg_group_commit.hpp"

#include <algorithm>

namespace parley::store::postgres {

PgGroupCommit::PgGroupCommit(std::string conninfo)
    : conninfo_(std::move(conninfo)), thread_([this] { loop(); }) {}

PgGroupCommit::~PgGroupCommit() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PgGroupCommit::submit(std::int64_t key, Work work, Done done,
                           std::optional<Pipelined> pipelined) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Job{key, std::move(work), std::move(done), std::move(pipelined)});
  }
  wake_.notify_one();
}

void PgGroupCommit::flush() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

void PgGroupCommit::loop() {
  for (;;) {
    std::deque<Job> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and drained
      auto n = std::min(queue_.size(), kMaxBatch);
      batch.insert(batch.end(), std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      busy_ = true;
    }
    commit_batch(batch);
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
    }
    idle_.notify_all();
  }
}

void PgGroupCommit::commit_batch(std::deque<Job>& batch) {
  std::stable_sort(batch.begin(), batch.end(),
                   [](const Job& a, const Job& b) { return a.key < b.key; });
  std::vector<std::exception_ptr> failures(batch.size());
  try {
    if (!conn_) conn_ = std::make_unique<PgConnection>(conninfo_);
    else if (!conn_->healthy()) conn_->reset();
    begin_on_live_connection(*conn_);
    std::optional<PgTransaction> tx(std::in_place, *conn_, nullptr);
    std::vector<char> finished(batch.size(), 0);
    if (!run_pipelined(batch, finished)) {
      tx.reset();  // rolls the aborted transaction back
      tx.emplace(*conn_);
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (finished[i]) continue;
      conn_->exec("SAVEPOINT job");
      bool keep = false;
      try {
        keep = batch[i].work(*conn_);
      } catch (const PgError&) {
        if (!conn_->healthy()) throw;  // the batch is lost with the connection
        failures[i] = std::current_exception();
      } catch (...) {
        failures[i] = std::current_exception();
      }
      // Released either way, so savepoints do not nest up through the batch.
      conn_->exec(keep && !failures[i] ? "RELEASE SAVEPOINT job"
                                       : "ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job");
    }
    tx->commit();
  } catch (...) {
    auto failed = std::current_exception();
    for (auto& job : batch) job.done(failed);
    return;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(failures[i]);
}

bool PgGroupCommit::run_pipelined(std::deque<Job>& batch, std::vector<char>& finished) {
  std::vector<std::size_t> jobs;
  std::vector<PgConnection::Statement> statements;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!batch[i].pipelined) continue;
    jobs.push_back(i);
    statements.push_back(batch[i].pipelined->statement);
  }
  if (statements.empty()) return true;
  std::vector<PgResult> results;
  try {
    results = conn_->pipeline(statements);
  } catch (const PgError&) {
    if (!conn_->healthy()) throw;
    return false;  // e.g. a racing node's duplicate client id: settled job by job
  }
  for (std::size_t k = 0; k < jobs.size(); ++k) {
    finished[jobs[k]] = batch[jobs[k]].pipelined->take(results[k]);
  }
  return true;
}

}  // namespace parley::store::postgres
