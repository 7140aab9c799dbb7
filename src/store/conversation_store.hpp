// The Store port, conversations and messages: the life cycle of a chat after its request
// (accept, messages, read marks, end), its events by seq, and the Inbox list.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/actor.hpp"
#include "store/store_common.hpp"

namespace parley::store {

struct NewMessage {
  Id conversation_id = 0;
  core::Actor author;     // who sends it; stored only where core::may_send allows
  std::string body;       // already validated
  std::string client_id;  // already validated; unique per conversation

  core::SenderKind sender() const { return author.kind; }
  // The agent_id a stored message carries: the author's id when an agent sent it.
  std::optional<Id> agent_id() const {
    return author.is_agent() ? std::optional<Id>(author.id) : std::nullopt;
  }
};

struct ConversationQuery {
  core::Viewer viewer;
  StatusFilter filter = StatusFilter::all;
  // Keyset paging: rows strictly older than (before_activity, before_id) in
  // (last_activity_at DESC, id DESC) order. Both unset = first page.
  std::optional<Millis> before_activity{};
  std::optional<Id> before_id{};
  int limit = 50;
  // core::search_terms of the search box: only conversations whose visitor's name or email,
  // or one of whose text messages, contains every term (as a prefix). Empty: no search.
  std::vector<std::string> search{};
};

struct ReadOutcome {
  core::Conversation conversation;
  bool advanced = false;  // false: the mark was already at or past that seq
};

class ConversationStore {
 public:
  virtual ~ConversationStore() = default;

  // pending -> active, only for the agent it was offered to. not_found when absent;
  // conflict when it is no longer pending or was offered to someone else. Writes a
  // chat_started activity.
  virtual Result<Transition> accept_chat(Id conversation_id, Id agent_id, Millis now) = 0;
  // Appends a text message with the next seq, when core::may_send lets its author send into
  // the conversation as it is at the write (the store decides on the row it locks: no read
  // before the write, no gap between check and act); otherwise that rule's error. A
  // client_id seen before in this conversation returns the stored message with duplicate =
  // true (even after the chat ended) to an author who may read the conversation.
  virtual Result<AppendOutcome> append_message(const NewMessage& message, Millis now) = 0;
  // The same, answered through `done` once the message is durable (or failed), on a
  // thread of the store's choosing: the caller's thread is free meanwhile, which is what
  // lets many concurrent sends share one commit. `done` must not block.
  using AppendDone = std::function<void(Result<AppendOutcome>)>;
  virtual void append_message_async(NewMessage message, Millis now, AppendDone done) {
    done(append_message(message, now));
  }
  // Where append_message_async's answers run: each commit's answers, as one function, go
  // to `handoff`, which must run what it is given in order (one wake-up of the receiving
  // thread per commit instead of one per message); an empty one keeps them on the store's
  // thread. Stores without a commit thread ignore it.
  using Handoff = std::function<void(std::function<void()>)>;
  virtual void hand_off_answers(Handoff /*handoff*/) {}
  // Returns once every write submitted before the call is durable and its `done` has run,
  // and every message stored so far is searchable (otherwise search trails the messages by
  // a fraction of a second). Shutdown calls it while the objects those callbacks reach are
  // still alive.
  virtual void flush() {}
  // active -> ended, or pending -> missed, with the reason ("agent", "visitor",
  // "inactivity"). Appends chat.ended and writes a chat_ended activity whose detail is a
  // snippet of the conversation. conflict when already ended or missed.
  virtual Result<Transition> end_conversation(Id conversation_id, std::string_view reason,
                                              Millis now) = 0;
  // Moves the agent's or the visitor's read mark up to `seq` (capped at the conversation's
  // last seq; a lower seq leaves it). not_found when absent.
  virtual Result<ReadOutcome> mark_read(Id conversation_id, Reader reader, std::int64_t seq) = 0;
  // Appends a system event (a shared calendar card, say) whatever the conversation's
  // status; the caller checks who may. not_found when absent.
  virtual Result<Transition> append_system_event(Id conversation_id, std::string_view kind,
                                                 std::string_view body, Millis now) = 0;
  virtual std::optional<core::Conversation> find_conversation(Id conversation_id) = 0;
  // The visitor's newest conversation, whatever its status.
  virtual std::optional<core::Conversation> latest_conversation_of_visitor(Id visitor_id) = 0;
  // Events with seq > after_seq, ascending, at most `limit`.
  virtual std::vector<core::Message> events_after(Id conversation_id, std::int64_t after_seq,
                                                  int limit) = 0;
  // The `limit` events just before `before_seq` (seq < before_seq), ascending: the page a
  // reader scrolling back through a long chat asks for next.
  virtual std::vector<core::Message> events_before(Id conversation_id, std::int64_t before_seq,
                                                   int limit) = 0;
  // One conversation with its names and last text, whatever its status.
  virtual std::optional<ConversationSummary> find_summary(Id conversation_id) = 0;
  // Requests offered to the agent and not yet accepted (pending), oldest first.
  virtual std::vector<ConversationSummary> pending_offers(Id agent_id) = 0;
  // The rows of the viewer's Inbox list (core::listed_in_inbox), newest activity first,
  // narrowed by the search terms when there are any. Search sees a message shortly after it
  // is stored (within about a second), at once after flush().
  virtual std::vector<ConversationSummary> list_conversations(const ConversationQuery& q) = 0;
};

}  // namespace parley::store
