#include "core/availability.hpp"

#include <date/tz.h>

#include <algorithm>

#include "core/weekly_blocks.hpp"

namespace parley::core {

namespace {

using std::chrono::minutes;
using blocks::for_each_occurrence;
using blocks::kMinutesPerDay;
using blocks::length_minutes;
using blocks::local_day_of;
using blocks::Occurrence;
using blocks::to_instant;

}  // namespace

Status validate_schedule(const Schedule& schedule) {
  for (const auto& b : schedule.blocks) {
    if (b.weekday < 1 || b.weekday > 7) return bad_request("weekday must be 1 (Monday) to 7 (Sunday)");
    if (b.start_minute < 0 || b.start_minute >= kMinutesPerDay) {
      return bad_request("a block must start between 00:00 and 23:59");
    }
    if (b.end_minute < 1 || b.end_minute > kMinutesPerDay) {
      return bad_request("a block must end between 00:01 and 24:00");
    }
    if (b.end_minute == b.start_minute) return bad_request("a block cannot be empty");
  }
  // Overlaps, on a week of minutes (wrapping from Sunday night into Monday).
  constexpr int kWeek = 7 * kMinutesPerDay;
  auto span = [](const WeeklyBlock& b) {
    int start = (b.weekday - 1) * kMinutesPerDay + b.start_minute;
    return std::pair{start, start + length_minutes(b)};
  };
  for (std::size_t i = 0; i < schedule.blocks.size(); ++i) {
    for (std::size_t j = i + 1; j < schedule.blocks.size(); ++j) {
      auto [s1, e1] = span(schedule.blocks[i]);
      auto [s2, e2] = span(schedule.blocks[j]);
      for (int shift : {-kWeek, 0, kWeek}) {
        if (s1 < e2 + shift && s2 + shift < e1) return bad_request("time blocks overlap");
      }
    }
  }
  return Ok{};
}

bool in_schedule(const Schedule& schedule, const date::time_zone& zone, Millis at) {
  auto today = local_day_of(zone, at);
  bool inside = false;
  // A block that started yesterday may still be running (it crosses midnight).
  for_each_occurrence(schedule, zone, today - date::days(1), today, [&](const Occurrence& o) {
    if (o.start <= at && at < o.end) inside = true;
  });
  return inside;
}

std::optional<Millis> next_block_boundary(const Schedule& schedule, const date::time_zone& zone,
                                          Millis after) {
  if (schedule.blocks.empty()) return std::nullopt;
  auto today = local_day_of(zone, after);
  std::optional<Millis> next;
  auto consider = [&](Millis t) {
    if (t > after && (!next || t < *next)) next = t;
  };
  // Eight days ahead always contains the next start of every weekday's blocks.
  for_each_occurrence(schedule, zone, today - date::days(1), today + date::days(8),
                      [&](const Occurrence& o) {
                        consider(o.start);
                        consider(o.end);
                      });
  return next;
}

Millis next_local_midnight(const date::time_zone& zone, Millis after) {
  auto tomorrow = local_day_of(zone, after) + date::days(1);
  return to_instant(zone, date::local_time<minutes>(tomorrow));
}

Millis override_expiry(const Schedule& schedule, const date::time_zone& zone, Millis set_at) {
  Millis midnight = next_local_midnight(zone, set_at);
  auto boundary = next_block_boundary(schedule, zone, set_at);
  return boundary ? std::min(*boundary, midnight) : midnight;
}

EffectiveStatus effective_status(const Schedule& schedule, const date::time_zone& zone,
                                 const std::optional<AvailabilityOverride>& override_state,
                                 Millis now) {
  if (override_state) {
    Millis expiry = override_expiry(schedule, zone, override_state->set_at);
    if (now < expiry) return {override_state->available, StatusSource::override, expiry};
  }
  return {in_schedule(schedule, zone, now), StatusSource::schedule,
          next_block_boundary(schedule, zone, now)};
}

}  // namespace parley::core
