// The visitor's reasonable hours: a meeting slot is offered only when it starts and ends inside
// them in the VISITOR's zone (the missed-chat card once offered 03:00 their time).
#include <date/tz.h>
#include <gtest/gtest.h>

#include "core/chat_policy.hpp"
#include "core/meeting_slots.hpp"

namespace parley::core {
namespace {

constexpr Millis kHour = 3'600'000, kMinute = 60'000;
// 2026-12-07 00:00 UTC, a Monday (Oslo is UTC+1, New York UTC-5 then).
constexpr Millis kMonday = 1'796'601'600'000;

TimeRange at(Millis start, Millis length = 30 * kMinute) { return {start, start + length}; }

TEST(VisitorHoursTest, OnlySlotsInsideTheVisitorsDayAreKept) {
  std::vector<TimeRange> slots{at(kMonday + 6 * kHour + 30 * kMinute),   // 07:30 Oslo: too early
                               at(kMonday + 7 * kHour),                   // 08:00 Oslo: first
                               at(kMonday + 18 * kHour + 30 * kMinute),   // 19:30-20:00 Oslo: last
                               at(kMonday + 18 * kHour + 45 * kMinute),   // ends 20:15 Oslo
                               at(kMonday + 2 * kHour)};                  // 03:00 Oslo
  auto oslo = within_local_hours(slots, *date::locate_zone("Europe/Oslo"), 8 * 60, 20 * 60);
  EXPECT_EQ((std::vector<TimeRange>{slots[1], slots[2]}), oslo);
  // The same slots for a visitor in New York (UTC-5): 07:00 Oslo is 01:00 there.
  auto ny = within_local_hours(slots, *date::locate_zone("America/New_York"), 8 * 60, 20 * 60);
  EXPECT_EQ((std::vector<TimeRange>{slots[2], slots[3]}), ny);  // 13:30 and 13:45 in New York
}

TEST(VisitorHoursTest, ASlotOverTheVisitorsMidnightIsNeverOffered) {
  std::vector<TimeRange> late{at(kMonday + 23 * kHour + 45 * kMinute)};  // 23:45-00:15 UTC
  EXPECT_TRUE(within_local_hours(late, *date::locate_zone("UTC"), 0, 24 * 60).empty());
  std::vector<TimeRange> last{at(kMonday + 23 * kHour + 30 * kMinute)};  // ends at midnight
  EXPECT_EQ(last, within_local_hours(last, *date::locate_zone("UTC"), 0, 24 * 60));
}

TEST(VisitorHoursTest, ThePolicysHoursMustBeAnOrderedPartOfTheDay) {
  ChatPolicy p;
  EXPECT_EQ(8 * 60, p.visitor_day_start);
  EXPECT_EQ(20 * 60, p.visitor_day_end);
  EXPECT_TRUE(validate_chat_policy(p).ok());
  p.visitor_day_start = 20 * 60;
  EXPECT_FALSE(validate_chat_policy(p).ok());
  p.visitor_day_start = -1;
  EXPECT_FALSE(validate_chat_policy(p).ok());
  p.visitor_day_start = 0;
  p.visitor_day_end = 24 * 60 + 1;
  EXPECT_FALSE(validate_chat_policy(p).ok());
}

}  // namespace
}  // namespace parley::core
