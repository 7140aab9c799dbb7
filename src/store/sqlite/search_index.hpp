// The full-text index of message text, in a database file of its own next to the main one
// (parley.db -> parley-search.db), kept up with the messages table by its own thread.
//
// Why a separate file: SQLite has one writer per database. Indexed inside each append, or
// in batches on the group-commit writer, the index cost the chat a quarter of its
// throughput and put 10-20 ms stalls in front of message acks. In its own file it has its
// own writer, on the other core, and the chat writer never waits for it.
//
// The index is derived data: it holds the last messages.id it has indexed, in the same
// transaction as the rows, so a crash loses no consistency; a missing or deleted file is
// rebuilt from the messages on the next start. Messages become searchable within about
// kInterval of being stored.
//
// Rows are keyed by conversation_id * 2^20 + seq, so a match names its conversation
// without a lookup (a conversation's events past 2^20 are not indexed). Readers attach the
// file as schema "search" (attach_to) and query search.message_search.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_connection.hpp"

namespace parley::store::sqlite {

class SearchIndex {
 public:
  static constexpr std::chrono::milliseconds kInterval{200};
  static constexpr int kBatch = 2000;  // messages per index transaction

  // The index file for the main database at `main_path`.
  static std::string path_for(const std::string& main_path);

  // Opens (creating if needed) the index for the main database at `main_path`, which must
  // already be migrated, and starts the indexing thread.
  explicit SearchIndex(const std::string& main_path);
  ~SearchIndex();  // stops the thread; the index keeps its progress for the next start

  // Makes `conn` see the index as schema "search".
  void attach_to(Connection& conn) const;

  // Indexes every message stored so far before returning (unless stopping).
  void catch_up();

 private:
  // One batch: returns how many messages it looked at (0: up to date).
  int index_batch();
  void loop();

  std::string path_;
  std::mutex conn_mutex_;  // conn_ is used by the thread and by catch_up() callers
  Connection conn_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace parley::store::sqlite
