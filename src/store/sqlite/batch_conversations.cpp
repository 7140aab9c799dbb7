#include "store/sqlite/batch_conversations.hpp"

#include "store/sqlite/store_sql.hpp"

namespace parley::store::sqlite {

BatchConversations::Row* BatchConversations::find(Connection& db, core::Id conversation_id) {
  if (auto it = rows_.find(conversation_id); it != rows_.end()) return &it->second;
  auto conversation = load_conversation(db, conversation_id);
  if (!conversation) return nullptr;
  return &rows_.emplace(conversation_id, Row{std::move(*conversation), {}, false}).first->second;
}

void BatchConversations::write_out(Connection& db) {
  for (const auto& [id, row] : rows_) {
    if (!row.changed) continue;
    db.prepare("UPDATE conversations SET last_seq = ?2, last_activity_at = ?3, last_text = ?4 "
               "WHERE id = ?1")
        .bind_all(id, row.conversation.last_seq, row.conversation.last_activity_at, row.last_text)
        .run();
  }
  rows_.clear();
}

}  // namespace parley::store::sqlite
