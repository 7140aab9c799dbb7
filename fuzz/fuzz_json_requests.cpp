// Fuzzes the JSON request decoders of the settings and admin endpoints (src/net/json_settings):
// agent settings, the meeting calendar, the chat policy and routing rules, each followed by
// the core checks and computations its use case runs on what was decoded (schedule and
// calendar validation, the effective status, free slots, custom-rule validation). The first
// input byte picks the decoder; the rest is the request body. A decoded value must survive
// its own wire form unchanged.
#include <cstdint>
#include <cstdlib>
#include <date/tz.h>
#include <string>

#include "core/availability.hpp"
#include "core/chat_policy.hpp"
#include "core/meeting_slots.hpp"
#include "core/routing.hpp"
#include "net/json_settings.hpp"

namespace {

using namespace parley;
using namespace parley::net;

void check(bool ok) {
  if (!ok) std::abort();
}

// A fixed instant (2024-03-31 00:30 UTC, the night Europe moves its clocks) moved by the input.
core::Millis instant(std::uint8_t b) { return 1'711'845'000'000 + core::Millis{b} * 900'000; }

const date::time_zone* zone_named(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// No silent narrowing: every decoded weekday is the number that was sent.
void same_weekdays(const json::object& o, std::string_view key, const core::Schedule& s) {
  if (!o.contains(key)) return;
  const auto& blocks = o.at(key).as_array();
  check(blocks.size() == s.blocks.size());
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    auto sent = required_int(blocks[i].as_object(), "weekday");
    check(sent && *sent == s.blocks[i].weekday);
  }
}

void agent_settings(const json::object& o, std::uint8_t t) {
  auto s = agent_settings_from_json(o, core::AgentSettings{});
  if (!s) return;
  same_weekdays(o, "schedule", s->schedule);
  auto again = agent_settings_from_json(to_json(*s), core::AgentSettings{});
  check(again && again->schedule.blocks.size() == s->schedule.blocks.size());
  if (!core::validate_schedule(s->schedule)) return;
  check(again->schedule == s->schedule);
  const auto* zone = zone_named(s->time_zone);
  if (!zone) zone = zone_named("Europe/Paris");
  auto status = core::effective_status(s->schedule, *zone, std::nullopt, instant(t));
  if (status.until) check(*status.until > instant(t));
  if (auto next = core::next_block_boundary(s->schedule, *zone, instant(t))) {
    check(*next > instant(t));
  }
}

void calendar(const json::object& o, std::uint8_t t) {
  auto c = calendar_from_json(o, core::CalendarSettings{});
  if (!c) return;
  same_weekdays(o, "blocks", c->calendar.blocks);
  auto again = calendar_from_json(to_json(*c), core::CalendarSettings{});
  check(static_cast<bool>(again));
  if (!core::validate_meeting_calendar(c->calendar)) return;
  check(again->calendar == c->calendar && again->ics_url == c->ics_url);
  const auto* zone = zone_named(c->calendar.time_zone);
  if (!zone) return;  // the use case refuses an unknown zone
  auto slots = core::free_slots(c->calendar, *zone, {}, {}, instant(t));
  for (std::size_t i = 0; i < slots.size(); ++i) {
    check(slots[i].start < slots[i].end && slots[i].start >= instant(t));
    if (i) check(slots[i - 1].start < slots[i].start);
  }
}

void chat_policy(const json::object& o) {
  auto p = chat_policy_from_json(o, core::ChatPolicy{});
  if (!p) return;
  auto again = chat_policy_from_json(to_json(*p), core::ChatPolicy{});
  check(again && *again == *p);
  (void)core::validate_chat_policy(*p);
}

void routing_rules(const json::object& o) {
  auto r = routing_rules_from_json(o);
  if (!r) return;
  for (const auto& rule : r->custom) (void)core::validate_custom_rule(rule);
  (void)routing_rules_from_json(to_json(*r));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < 2) return 0;
  std::string_view body(reinterpret_cast<const char*>(bytes) + 2, size - 2);
  auto o = parse_object(body);
  if (!o) return 0;
  switch (bytes[0] % 4) {
    case 0: agent_settings(*o, bytes[1]); break;
    case 1: calendar(*o, bytes[1]); break;
    case 2: chat_policy(*o); break;
    case 3: routing_rules(*o); break;
  }
  return 0;
}
