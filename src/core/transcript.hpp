// The text transcript of an ended conversation (SPEC §2: "Download transcript"): a header
// (visitor, agent, start, end) and one line per message, "[date time] Sender: text".
// A message's own line breaks continue on lines indented by two spaces, so every line that
// starts with "[" starts a message. Times are shown in the reader's time zone.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>

#include "core/language.hpp"
#include "core/types.hpp"

namespace date {
class time_zone;
}

namespace parley::core {

struct TranscriptHeader {
  Id conversation_id = 0;
  std::string visitor_name;
  std::optional<std::string> visitor_email;
  std::optional<std::string> agent_name;
  Millis started_at = 0;
  std::optional<Millis> ended_at;
};

// Only text messages are written; life-cycle events are summed up by the header.
// `agent_names` names the agents who wrote (an admin may write too); an unknown id is
// written as "Agent". The labels are in the reader's `language`; times stay ISO-like
// ("2026-12-06 14:05:00", 24-hour) in either.
std::string format_transcript(const TranscriptHeader& header, std::span<const Message> events,
                              const std::map<Id, std::string>& agent_names,
                              const date::time_zone& zone, Language language = Language::en);

// "YYYY-MM-DD HH:MM:SS" in `zone`.
std::string format_local_time(Millis at, const date::time_zone& zone);

}  // namespace parley::core
