#include "store/sqlite/batch_conversations.hpp"

#include "store/sqlite/store_sql.hpp"

namespace parley::store::sqlite {

BatchConversations::Row* BatchConversations::find(Connection& db, core::Id conversation_id) {
  if (auto it = rows_.find(conversation_id); it != rows_.end()) return &it->second;
  auto conversation = load_conversation(db, conversation_id);
  ++rows_read_;
  if (!conversation) return nullptr;
  return &rows_.emplace(conversation_id, Row{std::move(*conversation), {}, false}).first->second;
}

void BatchConversations::begin(Connection& db) {
  // data_version changes when another connection committed to the file; this connection's
  // own commits leave it as it was.
  std::int64_t version = 0;
  {
    auto read = db.prepare("PRAGMA data_version");
    read.step();
    version = read.int64(0);
  }
  if (data_version_ != version) rows_.clear();
  data_version_ = version;
}

void BatchConversations::write_changed(Connection& db) {
  for (auto& [id, row] : rows_) {
    if (!row.changed) continue;
    db.prepare("UPDATE conversations SET last_seq = ?2, last_activity_at = ?3, last_text = ?4 "
               "WHERE id = ?1")
        .bind_all(id, row.conversation.last_seq, row.conversation.last_activity_at, row.last_text)
        .run();
    row.changed = false;
    std::string().swap(row.last_text);  // a kept row holds no message body
  }
}

void BatchConversations::write_out(Connection& db) {
  write_changed(db);
  rows_.clear();
}

void BatchConversations::before_commit(Connection& db) {
  write_changed(db);
  if (rows_.size() > kMaxKeptRows) rows_.clear();
}

}  // namespace parley::store::sqlite
