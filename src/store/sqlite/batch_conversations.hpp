// The conversation rows that message appends change, kept in memory by the group-commit
// writer (group_commit.hpp, BatchState) and written out once per batch.
//
// Why: every message bumps its conversation's row (last_seq, last_activity_at, last_text),
// and last_activity_at sits in two indexes, so each bump rewrote the row and moved two index
// entries. A chat with several messages in one batch now has its row written once per batch
// (docs/performance.md, "Issue 15, fourth levers"). And the rows outlive their batch, so a
// chat's next messages do not read the row again (6 % of the writer's time when every batch
// read each of its chats: "Issue 15, seventh levers").
//
// The row is read on first use and is the truth for the jobs that use this state (message
// appends): only the writer's connection changes the file, and every other job runs after
// the rows were written out and forgotten, so it reads the table, and whatever it changes is
// read again by the next append. Another process that commits to the file (seen at the
// start of a batch, in SQLite's data_version) also makes every kept row be read again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/records.hpp"
#include "store/sqlite/group_commit.hpp"

namespace parley::store::sqlite {

class BatchConversations final : public BatchState {
 public:
  // Rows kept between batches at most: past this, a commit forgets them all (they are read
  // again on the next message of each chat).
  static constexpr std::size_t kMaxKeptRows = 4096;

  struct Row {
    core::Conversation conversation;  // as the batch has it
    std::string last_text;            // valid while changed
    bool changed = false;             // to be written out
  };

  // The conversation as the batch has it, read from the table on first use; nullptr when
  // there is no such conversation.
  Row* find(Connection& db, core::Id conversation_id);

  void begin(Connection& db) override;
  void write_out(Connection& db) override;
  void before_commit(Connection& db) override;
  void forget() override { rows_.clear(); }

  // Rows read from the table so far (tests: what the kept rows spare).
  std::uint64_t rows_read() const { return rows_read_; }

 private:
  void write_changed(Connection& db);

  std::unordered_map<core::Id, Row> rows_;
  std::optional<std::int64_t> data_version_;  // the file's, when the rows were last known good
  std::uint64_t rows_read_ = 0;
};

}  // namespace parley::store::sqlite
