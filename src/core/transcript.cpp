#include "core/transcript.hpp"

#include <date/tz.h>

#include <chrono>

namespace parley::core {

std::string format_local_time(Millis at, const date::time_zone& zone) {
  auto tp = std::chrono::sys_seconds{std::chrono::seconds{at / 1000}};
  if (at < 0 && at % 1000 != 0) tp -= std::chrono::seconds{1};
  return date::format("%Y-%m-%d %H:%M:%S", date::make_zoned(&zone, tp));
}

namespace {

struct Labels {
  const char* title;  // followed by the conversation's number
  const char* visitor;
  const char* agent;
  const char* start;
  const char* end;
  const char* times;
  const char* unknown_agent;
};

const Labels kEnglish{"Parley transcript of conversation #", "Visitor", "Agent", "Start", "End",
                      "Times", "Agent"};
const Labels kSwedish{"Parley – chattutskrift av konversation #", "Besökare", "Agent", "Start",
                      "Slut", "Tider", "Agent"};

}  // namespace

std::string format_transcript(const TranscriptHeader& h, std::span<const Message> events,
                              const std::map<Id, std::string>& agent_names,
                              const date::time_zone& zone, Language language) {
  const Labels& l = language == Language::sv ? kSwedish : kEnglish;
  std::string out = l.title + std::to_string(h.conversation_id) + "\n";
  out += std::string(l.visitor) + ": " + h.visitor_name;
  if (h.visitor_email) out += " <" + *h.visitor_email + ">";
  out += "\n" + std::string(l.agent) + ": " + h.agent_name.value_or("-") + "\n";
  out += std::string(l.start) + ": " + format_local_time(h.started_at, zone) + "\n";
  out += std::string(l.end) + ": " +
         (h.ended_at ? format_local_time(*h.ended_at, zone) : std::string("-")) + "\n";
  out += std::string(l.times) + ": " + std::string(zone.name()) + "\n\n";
  for (const auto& m : events) {
    if (m.kind != "text") continue;
    std::string sender;
    if (m.sender == SenderKind::visitor) {
      sender = h.visitor_name;
    } else if (m.sender == SenderKind::agent) {
      auto it = m.agent_id ? agent_names.find(*m.agent_id) : agent_names.end();
      sender = it != agent_names.end() ? it->second : l.unknown_agent;
    } else {
      sender = "Parley";
    }
    out += "[" + format_local_time(m.created_at, zone) + "] " + sender + ": ";
    for (char c : m.body) {
      if (c == '\r') continue;
      out += c;
      if (c == '\n') out += "  ";
    }
    out += "\n";
  }
  return out;
}

}  // namespace parley::core
