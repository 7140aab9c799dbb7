// What travels on the event bus: a domain event (no JSON here) plus what a receiver
// needs to apply the visibility rule without asking the database. The wire form is
// computed once per event, on first delivery, and shared by every receiver.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <variant>

#include "core/availability.hpp"
#include "core/records.hpp"
#include "core/types.hpp"

namespace parley::bus {

class Subscriber;

// A stored event of a conversation's log (a text message or a life-cycle event).
struct ConversationEvent {
  core::Message message;
};
// A conversation changed status (requested, accepted, ended, missed).
struct ConversationChanged {
  core::ConversationSummary summary;
};
// A new request offered to one agent.
struct ChatRequested {
  core::ConversationSummary summary;
  // Boxed: by value it made this the variant's widest alternative (800 bytes), and every
  // Event, a message's included, over the 1 KiB that malloc serves from its per-thread
  // cache (docs/performance.md, "Issue 15, fourth levers").
  std::shared_ptr<const core::VisitorProfile> visitor;
};
// An agent's effective status, sent whenever it changes (toggle, settings, a boundary).
struct AgentStatusChanged {
  core::Agent agent;
  core::EffectiveStatus status;
};
// An offer this agent held is gone: it lapsed ("timeout") or the visitor left ("cancelled").
struct OfferWithdrawn {
  core::Id conversation_id = 0;
  core::Id agent_id = 0;
  std::string reason;
};
// Transient: not stored, no seq.
struct Typing {
  core::Id conversation_id = 0;
  core::SenderKind sender = core::SenderKind::visitor;
};

// The agent or the visitor has seen the conversation up to `seq`.
struct ReadMarked {
  core::Id conversation_id = 0;
  core::Reader reader = core::Reader::agent;
  std::int64_t seq = 0;
};
// The visitor of an open conversation moved to another page.
struct VisitorPage {
  core::Id conversation_id = 0;
  std::string url;
  std::string title;
};

// A meeting on an agent's calendar was booked, rescheduled or cancelled: for that agent.
struct MeetingChanged {
  std::string what;  // "meeting.booked", "meeting.rescheduled", "meeting.cancelled"
  core::Meeting meeting;
  std::string agent_name;
  std::string time_zone;
  std::optional<std::string> booker_name;
};

using Payload = std::variant<ConversationEvent, ConversationChanged, ChatRequested,
                             AgentStatusChanged, OfferWithdrawn, Typing, ReadMarked, VisitorPage,
                             MeetingChanged>;

class Event {
 public:
  // `told`: a subscriber that has this event already (the sender's own socket, whose
  // acknowledgement carried it); the bus still hands it over, and it drops it at once.
  Event(Payload payload, std::optional<core::Conversation> about, const Subscriber* told = nullptr)
      : payload_(std::move(payload)), about_(std::move(about)), told_(told) {}

  const Payload& payload() const { return payload_; }
  // The conversation this event concerns, in the state the event left it in; receivers
  // that are agents check core::can_view against it before forwarding.
  const std::optional<core::Conversation>& about() const { return about_; }
  // True for the subscriber that already has this event (see the constructor).
  bool already_told(const Subscriber* subscriber) const { return told_ && told_ == subscriber; }

  // The serialized frame, produced by `encode` exactly once, whatever the number of
  // receivers and threads. (Not std::call_once: glibc's pthread_once makes a futex system
  // call after every first run, waiters or not, which cost each message one.)
  const std::string& frame(const std::function<std::string(const Payload&)>& encode) const {
    for (;;) {
      auto state = frame_state_.load(std::memory_order_acquire);
      if (state == kEncoded) return frame_;
      if (state == kEmpty &&
          frame_state_.compare_exchange_strong(state, kEncoding, std::memory_order_acquire)) {
        try {
          frame_ = encode(payload_);
        } catch (...) {
          frame_state_.store(kEmpty, std::memory_order_release);  // the next caller tries
          throw;
        }
        frame_state_.store(kEncoded, std::memory_order_release);
        return frame_;
      }
      std::this_thread::yield();  // another thread is encoding it: rare, and short
    }
  }

 private:
  Payload payload_;
  std::optional<core::Conversation> about_;
  const Subscriber* told_;
  enum FrameState : unsigned char { kEmpty, kEncoding, kEncoded };
  mutable std::atomic<FrameState> frame_state_{kEmpty};
  mutable std::string frame_;
};

// make_shared puts an Event and its 16-byte control block in one allocation, which stays
// in glibc's per-thread cache (chunks up to 1,032 bytes) only while the Event is this small;
// a bigger one took malloc's locked large-chunk path, consolidation included, twice a message.
static_assert(sizeof(Event) <= 1000, "box the widest Payload alternative");

using EventPtr = std::shared_ptr<const Event>;

}  // namespace parley::bus
