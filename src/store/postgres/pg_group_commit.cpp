#include "store/postgres/pg_group_commit.hpp"

#include <algorithm>

#include "os/thread_name.hpp"

namespace parley::store::postgres {

PgGroupCommit::PgGroupCommit(std::string conninfo, std::string name)
    : conninfo_(std::move(conninfo)), name_(std::move(name)), thread_([this] { loop(); }) {}

PgGroupCommit::~PgGroupCommit() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PgGroupCommit::submit(std::int64_t key, Work work, Done done, std::optional<SetRow> row) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Job{key, std::move(work), std::move(done), std::move(row)});
  }
  wake_.notify_one();
}

void PgGroupCommit::flush() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

std::size_t PgGroupCommit::queue_depth() {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void PgGroupCommit::report(std::size_t jobs, std::chrono::steady_clock::time_point started) {
  // After the senders were answered: watching must not delay an acknowledgement.
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  observer_.tell(name_, jobs, took.count());
}

void PgGroupCommit::loop() {
  os::name_this_thread(name_);  // "postgresql-0", ...
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
  std::vector<char> finished(batch.size(), 0);
  bool all_sets = std::all_of(batch.begin(), batch.end(), [](const Job& j) { return j.row.has_value(); });
  bool committed = false;  // the set statements' rows are durable
  auto started = std::chrono::steady_clock::now();
  try {
    if (!conn_) conn_ = std::make_unique<PgConnection>(conninfo_);
    else if (!conn_->healthy()) conn_->reset();
    bool sets_ran = false;
    try {
      sets_ran = run_sets(batch, finished, all_sets);
    } catch (const PgUnavailable&) {
      // The connection died while idle (the server restarted): nothing of this batch ran
      // or, had its COMMIT gone through, the client ids make the second run answer the
      // appends as duplicates. Once, on a fresh connection.
      conn_->reset();
      sets_ran = run_sets(batch, finished, all_sets);
    }
    committed = sets_ran && all_sets;
    if (!sets_ran) conn_->exec("ROLLBACK");
    bool left = std::find(finished.begin(), finished.end(), 0) != finished.end();
    // The common case ends here: every job's row was written and committed in one round trip.
    // Otherwise the jobs left run in the open transaction, or in a new one after the commit.
    if (!committed || left) {
      PgTransaction tx(*conn_, sets_ran && !committed ? nullptr : "BEGIN");
      run_jobs(batch, finished, failures);
      tx.commit();
    }
  } catch (...) {
    // Jobs whose rows were already committed succeeded; the rest fail with the batch.
    auto failed = std::current_exception();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      batch[i].done(committed && finished[i] ? nullptr : failed);
    }
    report(batch.size(), started);
    return;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(failures[i]);
  report(batch.size(), started);
}

void PgGroupCommit::run_jobs(std::deque<Job>& batch, const std::vector<char>& finished,
                             std::vector<std::exception_ptr>& failures) {
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
}

namespace {
// PostgreSQL's array literal of text values (NULL for nullopt), for any element type.
std::string array_literal(const std::vector<const Param*>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    const Param& v = *values[i];
    if (!v) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (char c : *v) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}
}  // namespace

bool PgGroupCommit::run_sets(std::deque<Job>& batch, std::vector<char>& finished, bool commit) {
  // The jobs of each kind (statement), in batch order.
  std::vector<std::pair<std::string_view, std::vector<std::size_t>>> kinds;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!batch[i].row) continue;
    auto sql = batch[i].row->sql;
    auto it = std::find_if(kinds.begin(), kinds.end(), [&](const auto& k) { return k.first == sql; });
    if (it == kinds.end()) it = kinds.insert(kinds.end(), {sql, {}});
    it->second.push_back(i);
  }
  std::vector<PgConnection::Statement> statements;
  statements.push_back({"BEGIN", {}});
  std::vector<std::size_t> result_of_kind;  // where each kind's set statement's result is
  for (const auto& [sql, jobs] : kinds) {
    if (auto lock = batch[jobs[0]].row->lock_sql; !lock.empty()) {
      std::vector<Param> keys;
      keys.reserve(jobs.size());
      for (std::size_t j : jobs) keys.push_back(std::to_string(batch[j].key));
      std::vector<const Param*> column;
      for (const auto& k : keys) column.push_back(&k);
      statements.push_back({lock, {array_literal(column)}});
    }
    result_of_kind.push_back(statements.size());
    PgConnection::Statement st{sql, {}};
    std::size_t columns = batch[jobs[0]].row->values.size();
    for (std::size_t c = 0; c < columns; ++c) {
      std::vector<const Param*> column;
      column.reserve(jobs.size());
      for (std::size_t j : jobs) column.push_back(&batch[j].row->values.at(c));
      st.params.push_back(array_literal(column));
    }
    statements.push_back(std::move(st));
  }
  if (commit) statements.push_back({"COMMIT", {}});
  std::vector<PgResult> results;
  try {
    results = conn_->pipeline(statements);
  } catch (const PgError&) {
    if (!conn_->healthy()) throw;
    return false;  // e.g. a racing node's duplicate client id: settled job by job
  }
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const auto& jobs = kinds[k].second;
    const auto& result = results[result_of_kind[k]];
    for (int r = 0; r < result.rows(); ++r) {
      auto place = static_cast<std::size_t>(result.int64(r, 0) - 1);
      auto job = jobs.at(place);
      batch[job].row->take(result, r);
      finished[job] = 1;
    }
  }
  return true;
}

}  // namespace parley::store::postgres
