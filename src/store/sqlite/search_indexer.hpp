// Keeps the message search index (message_search, migration 4) up with the messages table,
// on its own thread, in batches that run as jobs of the group-commit writer. Indexing in
// each append's transaction cost half the message throughput (every commit flushed a new
// FTS5 segment); batched every kInterval it costs a few percent, and a message becomes
// searchable within about kInterval of being stored.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "store/sqlite/group_commit.hpp"

namespace parley::store::sqlite {

// Indexes up to `limit` text messages stored after the recorded progress, and moves the
// progress past them, on the caller's connection and transaction. Returns how many
// messages it looked at (0: the index is up to date).
int index_new_messages(Connection& db, int limit);

class SearchIndexer {
 public:
  static constexpr std::chrono::milliseconds kInterval{200};
  // Small batches: a batch shares its group commit with chat messages, whose acks wait
  // for it.
  static constexpr int kBatch = 500;

  explicit SearchIndexer(GroupCommitWriter& writer);
  ~SearchIndexer();  // stops the thread (the index keeps its progress for the next start)

  // Indexes everything stored so far, on the caller's thread, before returning (unless
  // the indexer is stopping).
  void catch_up();

 private:
  void loop();

  GroupCommitWriter& writer_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace parley::store::sqlite
