// Booking rules over the slot computation: a booking must name a free slot exactly; a
// Calendar Agent is never offered a chat.
#include "core/meetings.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

#include "core/routing.hpp"

namespace parley::core {
namespace {

constexpr Millis kMinute = 60'000;
// 2026-12-01 (a Tuesday) 00:00 UTC.
constexpr Millis kTuesday = 1'796'083'200'000;

MeetingCalendar tuesday_mornings() {
  MeetingCalendar c;
  c.blocks.blocks.push_back({2, 9 * 60, 12 * 60});
  c.duration_minutes = 60;
  c.buffer_minutes = 30;
  return c;
}

TEST(FreeSlotAt, NamesOnlyAFreeSlotStartExactly) {
  const auto& utc = *date::locate_zone("UTC");
  auto cal = tuesday_mornings();
  Millis nine = kTuesday + 9 * 60 * kMinute;
  auto slot = free_slot_at(cal, utc, {}, {}, kTuesday, nine);
  ASSERT_TRUE(slot);
  EXPECT_EQ(slot->end, nine + 60 * kMinute);
  EXPECT_FALSE(free_slot_at(cal, utc, {}, {}, kTuesday, nine + kMinute));  // misaligned
  EXPECT_FALSE(free_slot_at(cal, utc, {}, {}, kTuesday, kTuesday + 13 * 60 * kMinute));  // outside
  EXPECT_FALSE(free_slot_at(cal, utc, {}, {}, nine + 1, nine));  // in the past
  // A meeting 10:00-11:00 with a 30-minute buffer takes 9:00 (its buffer reaches back) and
  // 11:00 (nothing until 11:30).
  std::vector<TimeRange> meetings{{nine + 60 * kMinute, nine + 120 * kMinute}};
  EXPECT_FALSE(free_slot_at(cal, utc, meetings, {}, kTuesday, nine));
  EXPECT_FALSE(free_slot_at(cal, utc, meetings, {}, kTuesday, nine + 120 * kMinute));
}

TEST(FreeSlotAt, BookableMeansAtLeastOneBlock) {
  EXPECT_TRUE(is_bookable(tuesday_mornings()));
  EXPECT_FALSE(is_bookable(MeetingCalendar{}));
  Meeting m;
  m.end = 100;
  EXPECT_TRUE(has_passed(m, 100));
  EXPECT_FALSE(has_passed(m, 99));
}

TEST(Routing, CalendarAgentsAreNeverEligible) {
  RoutingCandidate calendar_only{7, true, 0, 10, false, true};
  EXPECT_FALSE(is_eligible(calendar_only));
  calendar_only.takes_chats = true;
  EXPECT_TRUE(is_eligible(calendar_only));
  std::vector<RoutingCandidate> pool{{1, true, 0, 10, false, true}, {2, true, 0, 10, true, true}};
  EXPECT_EQ(pick_round_robin(pool, std::nullopt), 2);
}

}  // namespace
}  // namespace parley::core
