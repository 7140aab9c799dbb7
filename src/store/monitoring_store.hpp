// The Store port, area "monitoring": what an operator watches (docs/operations.md,
// "Monitoring") and what /readyz asks. The adapters report their group-commit batches to a
// WriteObserver (cli/ connects it to the metrics); nothing here knows how they are exposed.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "store/store_common.hpp"

namespace parley::store {

// Told of every group-commit batch on the writer thread, after the batch's writers were
// answered: keep it cheap and never throw.
class WriteObserver {
 public:
  virtual ~WriteObserver() = default;
  // `writer` names the writer ("sqlite"; "postgresql-0", "postgresql-1": a PostgreSQL node
  // runs several); `jobs` the writes in the batch; `seconds` from BEGIN to COMMIT returning.
  virtual void batch_written(std::string_view writer, std::size_t jobs, double seconds) = 0;
};

// A writer's observer, set from any thread and told from the writer's: once set() returns,
// the observer it replaced is not being told anything and never will be, so it may go.
class WriteObserverSlot {
 public:
  void set(WriteObserver* observer) {
    std::lock_guard lock(mutex_);
    observer_ = observer;
  }
  void tell(std::string_view writer, std::size_t jobs, double seconds) {
    std::lock_guard lock(mutex_);
    if (observer_) observer_->batch_written(writer, jobs, seconds);
  }

 private:
  std::mutex mutex_;  // one uncontended lock per batch
  WriteObserver* observer_ = nullptr;
};

class MonitoringStore {
 public:
  virtual ~MonitoringStore() = default;

  // Reports every later batch to `observer` (nullptr: to nobody). It must outlive the store
  // or be replaced before it goes; once this returns, the one it replaced is not called.
  virtual void observe_writes(WriteObserver* observer) = 0;
  // Writes queued for the group-commit writers and not yet taken into a batch (all writers).
  virtual std::size_t write_queue_depth() = 0;
  // Chat requests waiting to be accepted (pending), of every node.
  virtual int count_pending_offers() = 0;
  // A real write committed through the same path as other writes (the settings row
  // "readiness_probe" gets `now`): nullopt when it was durable, else why not. For /readyz.
  virtual std::optional<std::string> probe_write(Millis now) = 0;
};

}  // namespace parley::store
