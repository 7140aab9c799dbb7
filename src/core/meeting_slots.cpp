#include "core/meeting_slots.hpp"

#include <date/tz.h>

#include <algorithm>

#include "core/availability.hpp"
#include "core/weekly_blocks.hpp"

namespace parley::core {

namespace {

constexpr Millis kMinuteMs = Millis{60} * 1000;
constexpr Millis kDayMs = blocks::kMinutesPerDay * kMinuteMs;

// The union of what takes slots, as sorted disjoint ranges: each meeting widened by the
// buffer on both sides (the slot's own buffer after it is the same as the meeting's range
// reaching back by `buffer`), and each busy range as it is.
std::vector<TimeRange> taken_ranges(std::span<const TimeRange> meetings,
                                    std::span<const TimeRange> busy, Millis buffer) {
  std::vector<TimeRange> ranges;
  ranges.reserve(meetings.size() + busy.size());
  for (const auto& m : meetings) {
    if (m.start < m.end + buffer) ranges.push_back({m.start - buffer, m.end + buffer});
  }
  for (const auto& b : busy) {
    if (b.start < b.end) ranges.push_back(b);
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const TimeRange& a, const TimeRange& b) { return a.start < b.start; });
  std::vector<TimeRange> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, r.end);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

bool is_taken(const std::vector<TimeRange>& taken, const TimeRange& slot) {
  // The ranges are disjoint and sorted, so their ends are sorted too: the first one ending
  // after the slot starts is the only one that can overlap it first.
  auto it = std::upper_bound(taken.begin(), taken.end(), slot.start,
                             [](Millis t, const TimeRange& r) { return t < r.end; });
  return it != taken.end() && it->start < slot.end;
}

}  // namespace

Status validate_meeting_calendar(const MeetingCalendar& cal) {
  if (auto s = validate_schedule(cal.blocks); !s) return s;
  if (cal.duration_minutes < kMinMeetingMinutes || cal.duration_minutes > kMaxMeetingMinutes) {
    return bad_request("meeting duration must be between 5 and 480 minutes");
  }
  if (cal.buffer_minutes < 0 || cal.buffer_minutes > kMaxBufferMinutes) {
    return bad_request("buffer after a meeting must be between 0 and 480 minutes");
  }
  if (cal.notice_minutes < 0 || cal.notice_minutes > kMaxNoticeMinutes) {
    return bad_request("minimum notice must be between 0 minutes and 30 days");
  }
  if (cal.horizon_days < 1 || cal.horizon_days > kMaxHorizonDays) {
    return bad_request("booking horizon must be between 1 and 90 days");
  }
  return Ok{};
}

std::vector<TimeRange> free_slots(const MeetingCalendar& cal, const date::time_zone& zone,
                                  std::span<const TimeRange> meetings,
                                  std::span<const TimeRange> busy, Millis now) {
  const Millis duration = cal.duration_minutes * kMinuteMs;
  const Millis earliest = now + cal.notice_minutes * kMinuteMs;
  // Bounded even for a calendar that skipped validation: the loop below is per day.
  const Millis horizon_end = now + std::min(cal.horizon_days, kMaxHorizonDays) * kDayMs;
  if (duration <= 0 || earliest >= horizon_end) return {};

  const auto taken = taken_ranges(meetings, busy, cal.buffer_minutes * kMinuteMs);
  std::vector<TimeRange> slots;
  // From the day before `earliest`: a block that started then may run past midnight.
  blocks::for_each_occurrence(
      cal.blocks, zone, blocks::local_day_of(zone, earliest) - date::days(1),
      blocks::local_day_of(zone, horizon_end), [&](const blocks::Occurrence& block) {
        for (Millis s = block.start; s + duration <= block.end && s < horizon_end; s += duration) {
          if (s < earliest) continue;
          TimeRange slot{s, s + duration};
          if (!is_taken(taken, slot)) slots.push_back(slot);
        }
      });
  // The blocks of a day come in any order; duplicates only arise from blocks that overlap,
  // which validate_meeting_calendar rejects, but the contract holds without it.
  std::sort(slots.begin(), slots.end(), [](const TimeRange& a, const TimeRange& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  return slots;
}

std::vector<TimeRange> within_local_hours(std::span<const TimeRange> slots,
                                          const date::time_zone& visitor_zone, int day_start,
                                          int day_end) {
  using namespace std::chrono;
  std::vector<TimeRange> out;
  for (const auto& slot : slots) {
    auto start = visitor_zone.to_local(sys_time<milliseconds>(milliseconds(slot.start)));
    auto end = visitor_zone.to_local(sys_time<milliseconds>(milliseconds(slot.end)));
    auto day = floor<days>(start);
    auto from = duration_cast<minutes>(start - day).count();
    auto to = duration_cast<minutes>(end - day).count();  // past midnight: over 1440
    if (from >= day_start && to <= day_end) out.push_back(slot);
  }
  return out;
}

}  // namespace parley::core
