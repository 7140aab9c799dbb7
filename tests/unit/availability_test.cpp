#include "core/availability.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

namespace parley::core {
namespace {

using namespace std::chrono;
using date::days;

// Milliseconds of a UTC instant.
Millis utc(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  auto t = date::sys_days{date::year{y} / m / d} + hours(hh) + minutes(mm);
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

const date::time_zone& zone(const char* name) { return *date::locate_zone(name); }

constexpr int Mon = 1, Fri = 5, Sat = 6, Sun = 7;
int hm(int h, int m = 0) { return h * 60 + m; }

// 2026-11-27 is a Friday.
const Schedule kFriday{{{Fri, hm(8), hm(12)}, {Fri, hm(13), hm(17)}}};

TEST(AvailabilityTest, ScheduleAloneDecidesWithoutAnOverride) {
  const auto& z = zone("UTC");
  EXPECT_TRUE(in_schedule(kFriday, z, utc(2026, 11, 27, 9)));
  EXPECT_FALSE(in_schedule(kFriday, z, utc(2026, 11, 27, 12, 30)));
  EXPECT_TRUE(in_schedule(kFriday, z, utc(2026, 11, 27, 13)));
  EXPECT_FALSE(in_schedule(kFriday, z, utc(2026, 11, 27, 17)));  // the end is exclusive
  auto s = effective_status(kFriday, z, std::nullopt, utc(2026, 11, 27, 9));
  EXPECT_TRUE(s.available);
  EXPECT_EQ(StatusSource::schedule, s.source);
  EXPECT_EQ(utc(2026, 11, 27, 12), s.until);
}

TEST(AvailabilityTest, OverrideEndsAtNextBlockBoundary) {
  const auto& z = zone("UTC");
  AvailabilityOverride off{false, utc(2026, 11, 27, 9)};  // inside the morning block
  auto s = effective_status(kFriday, z, off, utc(2026, 11, 27, 11, 59));
  EXPECT_FALSE(s.available);
  EXPECT_EQ(StatusSource::override, s.source);
  EXPECT_EQ(utc(2026, 11, 27, 12), s.until);
  // At the block's end the schedule rules again (the lunch gap: unavailable), and the
  // afternoon block makes the agent available without touching the toggle.
  EXPECT_EQ(StatusSource::schedule, effective_status(kFriday, z, off, utc(2026, 11, 27, 12)).source);
  EXPECT_TRUE(effective_status(kFriday, z, off, utc(2026, 11, 27, 13)).available);
}

TEST(AvailabilityTest, OverrideInAGapEndsWhenTheNextBlockStarts) {
  const auto& z = zone("UTC");
  AvailabilityOverride on{true, utc(2026, 11, 27, 12, 15)};
  EXPECT_EQ(utc(2026, 11, 27, 13), override_expiry(kFriday, z, on.set_at));
  EXPECT_TRUE(effective_status(kFriday, z, on, utc(2026, 11, 27, 12, 30)).available);
}

TEST(AvailabilityTest, OverrideEndsAtMidnightInTheAgentsZoneWhenThatComesFirst) {
  const auto& ny = zone("America/New_York");
  Schedule weekdays{{{Mon, hm(9), hm(17)}}};
  // Friday 20:00 in New York (01:00 UTC Saturday); the next block is on Monday.
  AvailabilityOverride on{true, utc(2026, 11, 28, 1)};
  EXPECT_EQ(utc(2026, 11, 28, 5), override_expiry(weekdays, ny, on.set_at));  // 00:00 EST
  EXPECT_TRUE(effective_status(weekdays, ny, on, utc(2026, 11, 28, 4, 59)).available);
  EXPECT_FALSE(effective_status(weekdays, ny, on, utc(2026, 11, 28, 5)).available);
}

TEST(AvailabilityTest, WithNoBlocksAnOverrideLastsUntilMidnight) {
  const auto& z = zone("UTC");
  AvailabilityOverride on{true, utc(2026, 11, 25, 10)};
  auto s = effective_status(Schedule{}, z, on, utc(2026, 11, 25, 23));
  EXPECT_TRUE(s.available);
  EXPECT_EQ(utc(2026, 11, 26, 0), s.until);
  auto after = effective_status(Schedule{}, z, on, utc(2026, 11, 26, 0));
  EXPECT_FALSE(after.available);
  EXPECT_EQ(std::nullopt, after.until);
}

TEST(AvailabilityTest, BlockAcrossMidnightRunsIntoTheNextDay) {
  const auto& z = zone("UTC");
  Schedule late{{{Fri, hm(22), hm(2)}}};
  EXPECT_TRUE(in_schedule(late, z, utc(2026, 11, 27, 23)));
  EXPECT_TRUE(in_schedule(late, z, utc(2026, 11, 28, 1, 59)));
  EXPECT_FALSE(in_schedule(late, z, utc(2026, 11, 28, 2)));
  EXPECT_EQ(utc(2026, 11, 28, 2), next_block_boundary(late, z, utc(2026, 11, 27, 23)));
  // An override set at 23:00 inside it ends at local midnight, before the block does.
  EXPECT_EQ(utc(2026, 11, 28, 0), override_expiry(late, z, utc(2026, 11, 27, 23)));
}

TEST(AvailabilityTest, NewYorkSpringForwardShortensABlockAcrossTheGap) {
  // 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
  const auto& ny = zone("America/New_York");
  Schedule night{{{Sun, hm(1), hm(4)}}};
  EXPECT_TRUE(in_schedule(night, ny, utc(2026, 3, 8, 6, 30)));   // 01:30 EST
  EXPECT_TRUE(in_schedule(night, ny, utc(2026, 3, 8, 7, 30)));   // 03:30 EDT
  EXPECT_FALSE(in_schedule(night, ny, utc(2026, 3, 8, 8)));      // 04:00 EDT
  EXPECT_EQ(utc(2026, 3, 8, 8), next_block_boundary(night, ny, utc(2026, 3, 8, 6, 30)));
  // Wall-clock blocks keep their local time: 09:00 is 14:00 UTC before, 13:00 UTC after.
  Schedule nine{{{Sat, hm(9), hm(10)}, {Mon, hm(9), hm(10)}}};
  EXPECT_EQ(utc(2026, 3, 7, 14), next_block_boundary(nine, ny, utc(2026, 3, 7, 0)));
  EXPECT_EQ(utc(2026, 3, 9, 13), next_block_boundary(nine, ny, utc(2026, 3, 8, 0)));
}

TEST(AvailabilityTest, NewYorkFallBackLengthensTheDay) {
  // 2026-11-01: 02:00 EDT falls back to 01:00 EST (06:00 UTC). Midnight after Sunday
  // noon is 05:00 UTC Monday (EST), and the Sunday is 25 hours long.
  const auto& ny = zone("America/New_York");
  EXPECT_EQ(utc(2026, 11, 1, 4), next_local_midnight(ny, utc(2026, 10, 31, 16)));  // EDT
  EXPECT_EQ(utc(2026, 11, 2, 5), next_local_midnight(ny, utc(2026, 11, 1, 16)));   // EST
  Schedule early{{{Sun, hm(0, 30), hm(3)}}};
  EXPECT_TRUE(in_schedule(early, ny, utc(2026, 11, 1, 7, 30)));  // 02:30 EST, 3.5 h real
  EXPECT_FALSE(in_schedule(early, ny, utc(2026, 11, 1, 8)));     // 03:00 EST
}

TEST(AvailabilityTest, StockholmSpringForwardAndOverrideAtMidnight) {
  // 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
  const auto& st = zone("Europe/Stockholm");
  Schedule morning{{{Sun, hm(2, 30), hm(5)}}};  // starts inside the skipped hour
  EXPECT_EQ(utc(2026, 3, 29, 1), next_block_boundary(morning, st, utc(2026, 3, 29, 0)));
  EXPECT_TRUE(in_schedule(morning, st, utc(2026, 3, 29, 1)));
  // An override set on Saturday evening ends at Sunday 00:00 CET = 23:00 UTC Saturday.
  EXPECT_EQ(utc(2026, 3, 28, 23), override_expiry(Schedule{}, st, utc(2026, 3, 28, 20)));
  // And the Sunday after, midnight is 22:00 UTC (CEST).
  EXPECT_EQ(utc(2026, 3, 29, 22), override_expiry(Schedule{}, st, utc(2026, 3, 29, 20)));
}

TEST(AvailabilityTest, StockholmFallBackRepeatsAnHour) {
  // 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00 UTC); 02:00-03:00 happens twice.
  const auto& st = zone("Europe/Stockholm");
  Schedule twice{{{Sun, hm(2), hm(4)}}};
  EXPECT_EQ(utc(2026, 10, 25, 0), next_block_boundary(twice, st, utc(2026, 10, 24, 20)));
  EXPECT_TRUE(in_schedule(twice, st, utc(2026, 10, 25, 2, 30)));  // 03:30 CET
  EXPECT_FALSE(in_schedule(twice, st, utc(2026, 10, 25, 3)));     // 04:00 CET
}

TEST(AvailabilityTest, SchedulesAreValidated) {
  EXPECT_TRUE(validate_schedule(kFriday).ok());
  EXPECT_FALSE(validate_schedule({{{8, 0, 60}}}).ok());
  EXPECT_FALSE(validate_schedule({{{Mon, 600, 600}}}).ok());
  EXPECT_FALSE(validate_schedule({{{Mon, hm(9), hm(12)}, {Mon, hm(11), hm(13)}}}).ok());
  // Sunday 23:00-01:00 runs into Monday and collides with Monday 00:30.
  EXPECT_FALSE(validate_schedule({{{Sun, hm(23), hm(1)}, {Mon, hm(0, 30), hm(2)}}}).ok());
  EXPECT_TRUE(validate_schedule({{{Sun, hm(23), hm(1)}, {Mon, hm(1), hm(2)}}}).ok());
  EXPECT_TRUE(validate_schedule({{{Mon, hm(9), hm(12)}, {Mon, hm(12), hm(17)}}}).ok());
}

}  // namespace
}  // namespace parley::core
