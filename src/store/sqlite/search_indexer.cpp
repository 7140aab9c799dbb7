#include "store/sqlite/search_indexer.hpp"

namespace parley::store::sqlite {

int index_new_messages(Connection& db, int limit) {
  auto progress = db.prepare("SELECT indexed_upto FROM message_search_progress WHERE id = 1");
  progress.step();
  std::int64_t upto = progress.int64(0);
  progress.run();

  // The writer is the only one to insert messages and ids only grow, so nothing can later
  // appear below the progress mark.
  auto batch = db.prepare("SELECT max(id), count(*) FROM (SELECT id FROM messages WHERE id > ?1 "
                          "ORDER BY id LIMIT ?2)");
  batch.bind_all(upto, limit);
  batch.step();
  if (batch.is_null(0)) return 0;
  std::int64_t last = batch.int64(0);
  int seen = static_cast<int>(batch.int64(1));
  batch.run();

  db.prepare("INSERT INTO message_search (rowid, body) "
             "SELECT conversation_id * 1048576 + seq, body FROM messages "
             "WHERE id > ?1 AND id <= ?2 AND kind = 'text' AND seq < 1048576")
      .bind_all(upto, last)
      .run();
  db.prepare("UPDATE message_search_progress SET indexed_upto = ?1 WHERE id = 1")
      .bind_all(last)
      .run();
  return seen;
}

SearchIndexer::SearchIndexer(GroupCommitWriter& writer) : writer_(writer) {
  thread_ = std::thread([this] { loop(); });
}

SearchIndexer::~SearchIndexer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void SearchIndexer::catch_up() {
  // Batch after batch (a first start on a large database has a backlog), each its own
  // writer job so chat messages interleave; stopped between batches at shutdown.
  while (!stopping_.load() && writer_.run([](Connection& db) {
           Transaction tx(db);
           int n = index_new_messages(db, kBatch);
           tx.commit();
           return n;
         }) == kBatch) {
  }
}

void SearchIndexer::loop() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, kInterval, [this] { return stopping_.load(); })) {
    lock.unlock();
    try {
      catch_up();
    } catch (const std::exception&) {
      // A failed batch (a full disk, say) rolled back and keeps its progress: retried on
      // the next tick. The chat itself does not depend on the index.
    }
    lock.lock();
  }
}

}  // namespace parley::store::sqlite
