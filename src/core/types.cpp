#include "core/types.hpp"

namespace parley::core {

const char* to_string(Role role) { return role == Role::admin ? "admin" : "agent"; }

std::optional<Role> role_from_string(std::string_view s) {
  if (s == "admin") return Role::admin;
  if (s == "agent") return Role::agent;
  return std::nullopt;
}

const char* to_string(ConversationStatus s) {
  switch (s) {
    case ConversationStatus::pending: return "pending";
    case ConversationStatus::active: return "active";
    case ConversationStatus::ended: return "ended";
    case ConversationStatus::missed: return "missed";
  }
  return "pending";
}

std::optional<ConversationStatus> conversation_status_from_string(std::string_view s) {
  if (s == "pending") return ConversationStatus::pending;
  if (s == "active") return ConversationStatus::active;
  if (s == "ended") return ConversationStatus::ended;
  if (s == "missed") return ConversationStatus::missed;
  return std::nullopt;
}

const char* to_string(SenderKind s) {
  switch (s) {
    case SenderKind::visitor: return "visitor";
    case SenderKind::agent: return "agent";
    case SenderKind::system: return "system";
  }
  return "system";
}

const char* to_string(MeetingStatus s) {
  switch (s) {
    case MeetingStatus::scheduled: return "scheduled";
    case MeetingStatus::rescheduled: return "rescheduled";
    case MeetingStatus::cancelled: return "cancelled";
  }
  return "scheduled";
}

std::optional<MeetingStatus> meeting_status_from_string(std::string_view s) {
  if (s == "scheduled") return MeetingStatus::scheduled;
  if (s == "rescheduled") return MeetingStatus::rescheduled;
  if (s == "cancelled") return MeetingStatus::cancelled;
  return std::nullopt;
}

}  // namespace parley::core
