#include "core/meeting_slots.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

#include <ostream>
#include <random>

namespace parley::core {

// Readable failures: "[2026-11-23 09:00Z, 09:30Z)". Internal linkage, found by ADL.
static void PrintTo(const TimeRange& r, std::ostream* os) {
  using std::chrono::milliseconds;
  *os << date::format("[%F %RZ, ", date::sys_time<milliseconds>(milliseconds(r.start)))
      << date::format("%F %RZ)", date::sys_time<milliseconds>(milliseconds(r.end)));
}

namespace {

using namespace std::chrono;

// Milliseconds of a UTC instant.
Millis utc(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  auto t = date::sys_days{date::year{y} / m / d} + hours(hh) + minutes(mm);
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

const date::time_zone& zone(const char* name) { return *date::locate_zone(name); }

constexpr int Mon = 1, Tue = 2, Wed = 3, Thu = 4, Fri = 5, Sun = 7;
int hm(int h, int m = 0) { return h * 60 + m; }
constexpr Millis kMin = 60'000;

// Slots of `minutes` starting at each of `starts`.
std::vector<TimeRange> slots_at(std::initializer_list<Millis> starts, int minutes = 30) {
  std::vector<TimeRange> out;
  for (Millis s : starts) out.push_back({s, s + minutes * kMin});
  return out;
}

MeetingCalendar calendar(std::vector<WeeklyBlock> blocks, int duration = 30, int buffer = 0) {
  MeetingCalendar cal;
  cal.blocks.blocks = std::move(blocks);
  cal.duration_minutes = duration;
  cal.buffer_minutes = buffer;
  return cal;
}

// 2026-11-23 is a Monday; "now" is the Sunday before, so the first days are all ahead.
const Millis kSundayNoon = utc(2026, 11, 22, 12);

std::vector<TimeRange> monday(const MeetingCalendar& cal, std::vector<TimeRange> meetings = {},
                              std::vector<TimeRange> busy = {}) {
  MeetingCalendar one_day = cal;
  one_day.horizon_days = 1;  // up to Monday 12:00 UTC
  return free_slots(one_day, zone("UTC"), meetings, busy, kSundayNoon);
}

TEST(MeetingSlotsTest, CutsABlockIntoConsecutiveSlotsOfTheDuration) {
  auto cal = calendar({{Mon, hm(9), hm(11)}});
  EXPECT_EQ(slots_at({utc(2026, 11, 23, 9), utc(2026, 11, 23, 9, 30), utc(2026, 11, 23, 10),
                      utc(2026, 11, 23, 10, 30)}),
            monday(cal));
}

TEST(MeetingSlotsTest, DropsARemainderShorterThanTheDuration) {
  auto cal = calendar({{Mon, hm(9), hm(10, 40)}}, 45);
  // 09:00 and 09:45; the ten minutes from 10:30 hold no meeting.
  EXPECT_EQ(slots_at({utc(2026, 11, 23, 9), utc(2026, 11, 23, 9, 45)}, 45), monday(cal));
}

TEST(MeetingSlotsTest, SeveralBlocksADayComeOutSortedByStart) {
  auto cal =
      calendar({{Mon, hm(11), hm(11, 30)}, {Mon, hm(8), hm(8, 30)}, {Sun, hm(20), hm(20, 30)}});
  EXPECT_EQ(slots_at({utc(2026, 11, 22, 20), utc(2026, 11, 23, 8), utc(2026, 11, 23, 11)}),
            monday(cal));
}

TEST(MeetingSlotsTest, BufferKeepsTimeFreeAfterAMeeting) {
  auto cal = calendar({{Mon, hm(9), hm(11)}}, 30, 30);
  std::vector<TimeRange> meetings{{utc(2026, 11, 23, 9), utc(2026, 11, 23, 9, 30)}};
  // 09:30 falls in the buffer; bookable again 30 minutes after the meeting ended.
  EXPECT_EQ(slots_at({utc(2026, 11, 23, 10), utc(2026, 11, 23, 10, 30)}), monday(cal, meetings));
}

TEST(MeetingSlotsTest, BufferKeepsTimeFreeBeforeTheNextMeeting) {
  auto cal = calendar({{Mon, hm(9), hm(12)}}, 30, 30);
  std::vector<TimeRange> meetings{{utc(2026, 11, 23, 11), utc(2026, 11, 23, 11, 30)}};
  // A 10:30 meeting would end at 11:00 and its buffer would run into the 11:00 one; 11:30
  // is the existing meeting's own buffer.
  EXPECT_EQ(slots_at({utc(2026, 11, 23, 9), utc(2026, 11, 23, 9, 30), utc(2026, 11, 23, 10)}),
            monday(cal, meetings));
}

TEST(MeetingSlotsTest, WithoutBufferAMeetingTakesOnlyTheSlotsItOverlaps) {
  auto cal = calendar({{Mon, hm(9), hm(11)}});
  std::vector<TimeRange> meetings{{utc(2026, 11, 23, 10, 10), utc(2026, 11, 23, 10, 20)},
                                  {utc(2026, 11, 23, 8), utc(2026, 11, 23, 9)}};  // ends at 09:00
  EXPECT_EQ(slots_at({utc(2026, 11, 23, 9), utc(2026, 11, 23, 9, 30), utc(2026, 11, 23, 10, 30)}),
            monday(cal, meetings));
}

TEST(MeetingSlotsTest, OverlappingBusyRangesTakeSlotsWithoutBuffer) {
  auto cal = calendar({{Mon, hm(9), hm(12)}}, 30, 60);
  std::vector<TimeRange> busy{
      {utc(2026, 11, 23, 9, 40), utc(2026, 11, 23, 10, 10)},  // overlaps the next one
      {utc(2026, 11, 23, 9, 15), utc(2026, 11, 23, 9, 45)},
      {utc(2026, 11, 23, 11, 40), utc(2026, 11, 23, 11, 40)},  // empty: takes nothing
  };
  // The 60-minute buffer is for meetings only: 10:30 is free right after a busy range.
  EXPECT_EQ(slots_at({utc(2026, 11, 23, 10, 30), utc(2026, 11, 23, 11), utc(2026, 11, 23, 11, 30)}),
            monday(cal, {}, busy));
}

TEST(MeetingSlotsTest, MeetingsAndBusyRangesTogether) {
  auto cal = calendar({{Mon, hm(9), hm(12)}}, 30, 15);
  std::vector<TimeRange> meetings{{utc(2026, 11, 23, 11), utc(2026, 11, 23, 11, 30)}};
  std::vector<TimeRange> busy{{utc(2026, 11, 23, 9), utc(2026, 11, 23, 9, 30)}};
  // 10:30 would end at 11:00 and keep its buffer into the 11:00 meeting; 11:30 is in the
  // meeting's buffer.
  EXPECT_EQ(slots_at({utc(2026, 11, 23, 9, 30), utc(2026, 11, 23, 10)}),
            monday(cal, meetings, busy));
}

TEST(MeetingSlotsTest, ABlockAcrossMidnightRunsIntoTheNextDay) {
  // 2026-11-27 is a Friday.
  auto cal = calendar({{Fri, hm(23), hm(1)}});
  cal.horizon_days = 2;
  EXPECT_EQ(slots_at({utc(2026, 11, 27, 23), utc(2026, 11, 27, 23, 30), utc(2026, 11, 28, 0),
                      utc(2026, 11, 28, 0, 30)}),
            free_slots(cal, zone("UTC"), {}, {}, utc(2026, 11, 27, 12)));
  // Asked on Saturday 00:20, yesterday's block still has one slot ahead.
  EXPECT_EQ(slots_at({utc(2026, 11, 28, 0, 30)}),
            free_slots(cal, zone("UTC"), {}, {}, utc(2026, 11, 28, 0, 20)));
}

TEST(MeetingSlotsTest, ASundayNightBlockEndsOnMonday) {
  auto cal = calendar({{Sun, hm(23), hm(0, 30)}}, 45);
  cal.horizon_days = 1;
  // 23:00-23:45 fits; 23:45-00:30 fits too, ending on Monday.
  EXPECT_EQ(slots_at({utc(2026, 11, 22, 23), utc(2026, 11, 22, 23, 45)}, 45),
            free_slots(cal, zone("UTC"), {}, {}, kSundayNoon));
}

TEST(MeetingSlotsTest, ThePastIsNeverBookable) {
  auto cal = calendar({{Mon, hm(9), hm(11)}});
  cal.horizon_days = 1;
  // At 09:40 the 09:30 slot has started: it is gone, even though it has not ended.
  EXPECT_EQ(slots_at({utc(2026, 11, 23, 10), utc(2026, 11, 23, 10, 30)}),
            free_slots(cal, zone("UTC"), {}, {}, utc(2026, 11, 23, 9, 40)));
  // A slot starting exactly now is still bookable.
  EXPECT_EQ(utc(2026, 11, 23, 10),
            free_slots(cal, zone("UTC"), {}, {}, utc(2026, 11, 23, 10)).front().start);
}

TEST(MeetingSlotsTest, MinimumNoticeMovesTheFirstBookableSlot) {
  auto cal = calendar({{Mon, hm(9), hm(12)}});
  cal.notice_minutes = 60;
  cal.horizon_days = 1;
  // Asked at 08:50: the first slot must start at 09:50 or later.
  auto slots = free_slots(cal, zone("UTC"), {}, {}, utc(2026, 11, 23, 8, 50));
  EXPECT_EQ(slots_at({utc(2026, 11, 23, 10), utc(2026, 11, 23, 10, 30), utc(2026, 11, 23, 11),
                      utc(2026, 11, 23, 11, 30)}),
            slots);
  // Exactly `notice` ahead is enough.
  EXPECT_EQ(utc(2026, 11, 23, 10),
            free_slots(cal, zone("UTC"), {}, {}, utc(2026, 11, 23, 9)).front().start);
  // Notice beyond the horizon leaves nothing.
  cal.notice_minutes = 2 * 24 * 60;
  EXPECT_TRUE(free_slots(cal, zone("UTC"), {}, {}, utc(2026, 11, 23, 8)).empty());
}

TEST(MeetingSlotsTest, TheHorizonEndsTheOfferAndASlotMayRunPastIt) {
  auto cal = calendar({{Mon, hm(9), hm(12)}, {Tue, hm(9), hm(12)}});
  cal.horizon_days = 1;
  // Asked Monday 10:00: the horizon is Tuesday 10:00; Tuesday 09:30 starts before it.
  EXPECT_EQ(slots_at({utc(2026, 11, 23, 10), utc(2026, 11, 23, 10, 30), utc(2026, 11, 23, 11),
                      utc(2026, 11, 23, 11, 30), utc(2026, 11, 24, 9), utc(2026, 11, 24, 9, 30)}),
            free_slots(cal, zone("UTC"), {}, {}, utc(2026, 11, 23, 10)));
  // Two weeks by default: two Mondays and two Tuesdays of six slots each.
  cal.horizon_days = 14;
  auto slots = free_slots(cal, zone("UTC"), {}, {}, kSundayNoon);
  EXPECT_EQ(24u, slots.size());
  EXPECT_EQ(utc(2026, 12, 1, 11, 30), slots.back().start);
}

TEST(MeetingSlotsTest, BerlinSpringForwardKeepsLocalTimesAndLosesAnHour) {
  const auto& berlin = zone("Europe/Berlin");
  // 2026-03-29: 02:00 CET becomes 03:00 CEST. A Sunday block 01:00-05:00 holds three hours.
  auto cal = calendar({{Sun, hm(1), hm(5)}}, 60);
  cal.horizon_days = 2;
  EXPECT_EQ(slots_at({utc(2026, 3, 29, 0),   // 01:00 CET
                      utc(2026, 3, 29, 1),   // 03:00 CEST
                      utc(2026, 3, 29, 2)},  // 04:00 CEST
                     60),
            free_slots(cal, berlin, {}, {}, utc(2026, 3, 28, 12)));
}

TEST(MeetingSlotsTest, BerlinABlockStartingInTheSkippedHourStartsAtTheChange) {
  const auto& berlin = zone("Europe/Berlin");
  auto cal = calendar({{Sun, hm(2, 30), hm(4)}});
  cal.horizon_days = 2;
  // 02:30 does not exist that night: the block starts at 03:00 CEST (01:00 UTC).
  EXPECT_EQ(slots_at({utc(2026, 3, 29, 1), utc(2026, 3, 29, 1, 30)}),
            free_slots(cal, berlin, {}, {}, utc(2026, 3, 28, 12)));
}

TEST(MeetingSlotsTest, BerlinBlocksKeepTheirWallClockAcrossTheChange) {
  const auto& berlin = zone("Europe/Berlin");
  auto cal = calendar({{Sun, hm(9), hm(9, 30)}});
  cal.horizon_days = 15;
  EXPECT_EQ(slots_at({utc(2026, 3, 22, 8),   // 09:00 CET
                      utc(2026, 3, 29, 7),   // 09:00 CEST
                      utc(2026, 4, 5, 7)}),  // 09:00 CEST
            free_slots(cal, berlin, {}, {}, utc(2026, 3, 21, 12)));
}

TEST(MeetingSlotsTest, BerlinFallBackGainsTheRepeatedHour) {
  const auto& berlin = zone("Europe/Berlin");
  // 2026-10-25: 03:00 CEST becomes 02:00 CET. A Sunday block 01:00-04:00 holds four hours.
  auto cal = calendar({{Sun, hm(1), hm(4)}}, 60);
  cal.horizon_days = 2;
  EXPECT_EQ(slots_at({utc(2026, 10, 24, 23),  // 01:00 CEST
                      utc(2026, 10, 25, 0),   // 02:00 CEST
                      utc(2026, 10, 25, 1),   // 02:00 CET
                      utc(2026, 10, 25, 2)},  // 03:00 CET
                     60),
            free_slots(cal, berlin, {}, {}, utc(2026, 10, 24, 12)));
}

TEST(MeetingSlotsTest, BerlinABlockStartingInTheRepeatedHourStartsAtItsFirstOccurrence) {
  const auto& berlin = zone("Europe/Berlin");
  auto cal = calendar({{Sun, hm(2, 30), hm(3, 30)}}, 60);
  cal.horizon_days = 2;
  // 02:30 CEST (00:30 UTC) to 03:30 CET (02:30 UTC): two hours.
  EXPECT_EQ(slots_at({utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)}, 60),
            free_slots(cal, berlin, {}, {}, utc(2026, 10, 24, 12)));
}

TEST(MeetingSlotsTest, NewYorkDaylightSavingChanges) {
  const auto& ny = zone("America/New_York");
  auto cal = calendar({{Sun, hm(9), hm(10)}}, 60);
  // 2026-03-08 (EST -> EDT) and 2026-11-01 (EDT -> EST), both Sundays.
  cal.horizon_days = 9;
  EXPECT_EQ(slots_at({utc(2026, 3, 1, 14), utc(2026, 3, 8, 13)}, 60),
            free_slots(cal, ny, {}, {}, utc(2026, 2, 28, 12)));
  cal.horizon_days = 14;
  EXPECT_EQ(slots_at({utc(2026, 10, 25, 13), utc(2026, 11, 1, 14)}, 60),
            free_slots(cal, ny, {}, {}, utc(2026, 10, 24, 12)));
  // A Sunday night block across the spring change: 01:00 EST to 04:00 EDT is two hours.
  auto night = calendar({{Sun, hm(1), hm(4)}}, 60);
  night.horizon_days = 1;
  EXPECT_EQ(slots_at({utc(2026, 3, 8, 6), utc(2026, 3, 8, 7)}, 60),
            free_slots(night, ny, {}, {}, utc(2026, 3, 8, 0)));
}

// The sweep must agree with the definition, checked pair by pair.
TEST(MeetingSlotsTest, AgreesWithTheDefinitionOnManyMeetingsAndBusyRanges) {
  auto cal = calendar({{Mon, hm(8), hm(12)},
                       {Mon, hm(13), hm(18)},
                       {Tue, hm(9), hm(17)},
                       {Wed, hm(7), hm(11)},
                       {Thu, hm(22), hm(2)},
                       {Fri, hm(8), hm(20)}},
                      20, 10);
  cal.notice_minutes = 90;
  const Millis now = utc(2026, 11, 23, 7, 13);
  std::mt19937 rng(42);
  std::uniform_int_distribution<Millis> at(now - 86'400'000, now + 15 * 86'400'000LL);
  std::uniform_int_distribution<Millis> len(0, 3 * 3'600'000);
  std::vector<TimeRange> meetings, busy;
  for (int i = 0; i < 300; ++i) {
    Millis s = at(rng) / kMin * kMin;
    meetings.push_back({s, s + len(rng) / kMin * kMin});
    s = at(rng);
    busy.push_back({s, s + len(rng)});
  }
  // Every slot with no rule applied, then the definition.
  auto all = free_slots(cal, zone("UTC"), {}, {}, now);
  std::vector<TimeRange> expected;
  const Millis buf = cal.buffer_minutes * kMin;
  for (const auto& s : all) {
    bool free = true;
    for (const auto& m : meetings) {
      if (s.start < m.end + buf && m.start < s.end + buf) free = false;
    }
    for (const auto& b : busy) {
      if (b.start < b.end && s.start < b.end && b.start < s.end) free = false;
    }
    if (free) expected.push_back(s);
  }
  auto got = free_slots(cal, zone("UTC"), meetings, busy, now);
  EXPECT_EQ(expected, got);
  EXPECT_LT(got.size(), all.size());
  EXPECT_FALSE(got.empty());
}

TEST(MeetingSlotsTest, ValidatesTheCalendar) {
  EXPECT_TRUE(validate_meeting_calendar(calendar({{Mon, hm(9), hm(17)}, {Mon, hm(18), hm(2)}})));
  auto message = [](const MeetingCalendar& cal) {
    auto s = validate_meeting_calendar(cal);
    EXPECT_FALSE(s);
    if (s) return std::string();
    EXPECT_EQ(ErrorCode::bad_request, s.error().code);
    return s.error().message;
  };
  EXPECT_EQ("time blocks overlap",
            message(calendar({{Mon, hm(9), hm(12)}, {Mon, hm(11), hm(13)}})));
  EXPECT_EQ("weekday must be 1 (Monday) to 7 (Sunday)", message(calendar({{8, hm(9), hm(12)}})));
  EXPECT_EQ("a block cannot be empty", message(calendar({{Mon, hm(9), hm(9)}})));
  EXPECT_EQ("meeting duration must be between 5 and 480 minutes", message(calendar({}, 4)));
  EXPECT_EQ("meeting duration must be between 5 and 480 minutes", message(calendar({}, 481)));
  EXPECT_TRUE(validate_meeting_calendar(calendar({}, 5)));
  EXPECT_TRUE(validate_meeting_calendar(calendar({}, 480, 480)));
  EXPECT_EQ("buffer after a meeting must be between 0 and 480 minutes",
            message(calendar({}, 30, -1)));
  EXPECT_EQ("buffer after a meeting must be between 0 and 480 minutes",
            message(calendar({}, 30, 481)));
  MeetingCalendar cal;
  cal.notice_minutes = -1;
  EXPECT_EQ("minimum notice must be between 0 minutes and 30 days", message(cal));
  cal.notice_minutes = 30 * 24 * 60 + 1;
  EXPECT_EQ("minimum notice must be between 0 minutes and 30 days", message(cal));
  cal.notice_minutes = 30 * 24 * 60;
  EXPECT_TRUE(validate_meeting_calendar(cal));
  cal.horizon_days = 0;
  EXPECT_EQ("booking horizon must be between 1 and 90 days", message(cal));
  cal.horizon_days = 91;
  EXPECT_EQ("booking horizon must be between 1 and 90 days", message(cal));
  cal.horizon_days = 90;
  EXPECT_TRUE(validate_meeting_calendar(cal));
}

}  // namespace
}  // namespace parley::core
