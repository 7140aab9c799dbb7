// The conversation rows that messages of the open batch changed, kept in memory until the
// group-commit writer writes them out (group_commit.hpp, BatchState).
//
// Why: every message bumps its conversation's row (last_seq, last_activity_at, last_text),
// and last_activity_at sits in two indexes, so each bump rewrote the row and moved two index
// entries. A chat with several messages in one batch now has its row written once per batch
// (docs/performance.md, "Issue 15, fourth levers").
//
// The row is read on first use in a batch and stays the batch's truth for the jobs that use
// this state (message appends). Every other job runs after the rows were written out and
// forgotten, so it reads the table, and whatever it changes is read again by the next append.
#pragma once

#include <string>
#include <unordered_map>

#include "core/records.hpp"
#include "store/sqlite/group_commit.hpp"

namespace parley::store::sqlite {

class BatchConversations final : public BatchState {
 public:
  struct Row {
    core::Conversation conversation;  // as the batch has it
    std::string last_text;            // valid once changed
    bool changed = false;             // to be written out
  };

  // The conversation as the batch has it, read from the table on first use; nullptr when
  // there is no such conversation.
  Row* find(Connection& db, core::Id conversation_id);

  void write_out(Connection& db) override;
  void forget() override { rows_.clear(); }

 private:
  std::unordered_map<core::Id, Row> rows_;
};

}  // namespace parley::store::sqlite
