#include "calendar/ics_import.hpp"

#include <date/date.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <ostream>
#include <thread>

namespace parley::core {
// Readable failures: "[2026-03-30 09:00Z, 10:00Z)". Internal linkage, found by ADL.
static void PrintTo(const TimeRange& r, std::ostream* os) {
  using std::chrono::milliseconds;
  *os << date::format("[%F %RZ, ", date::sys_time<milliseconds>(milliseconds(r.start)))
      << date::format("%F %RZ)", date::sys_time<milliseconds>(milliseconds(r.end)));
}
}  // namespace parley::core

namespace parley::calendar {
namespace {

using core::Millis;
using core::TimeRange;
using namespace std::chrono;

Millis utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0) {
  auto t = date::sys_days{date::year{y} / m / d} + hours(hh) + minutes(mm);
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

constexpr Millis kHour = 3'600'000;

// A calendar around `body`, with CRLF line ends as real files have them.
std::string ics(std::string_view body) {
  std::string text = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n";
  text += body;
  text += "END:VCALENDAR\n";
  std::string crlf;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  return crlf;
}

// March 2026 by default.
std::vector<TimeRange> busy(std::string_view body, Millis from = utc(2026, 3, 1),
                            Millis to = utc(2026, 4, 1), const std::string& zone = "UTC") {
  auto r = busy_times_from_ics(ics(body), from, to, zone);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : std::vector<TimeRange>{};
}

std::string error_of(std::string_view text, const std::string& zone = "UTC") {
  auto r = busy_times_from_ics(text, utc(2026, 3, 1), utc(2026, 4, 1), zone);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(core::ErrorCode::bad_request, r.error().code);
  return r.error().message;
}

std::vector<TimeRange> hours_at(std::initializer_list<Millis> starts, Millis length = kHour) {
  std::vector<TimeRange> out;
  for (Millis s : starts) out.push_back({s, s + length});
  return out;
}

TEST(IcsImportTest, ASingleEventInUtc) {
  EXPECT_EQ(hours_at({utc(2026, 3, 30, 9)}), busy(R"(BEGIN:VEVENT
UID:one
DTSTART:20260330T090000Z
DTEND:20260330T100000Z
SUMMARY:Dentist
END:VEVENT
)"));
}

TEST(IcsImportTest, WeeklyRuleWithCount) {
  // 2026-03-02 is a Monday.
  EXPECT_EQ(hours_at({utc(2026, 3, 2, 9), utc(2026, 3, 9, 9), utc(2026, 3, 16, 9)}),
            busy(R"(BEGIN:VEVENT
UID:weekly
DTSTART:20260302T090000Z
DTEND:20260302T100000Z
RRULE:FREQ=WEEKLY;COUNT=3
END:VEVENT
)"));
}

TEST(IcsImportTest, WeeklyRuleWithUntilIncludesTheUntilInstant) {
  EXPECT_EQ(hours_at({utc(2026, 3, 2, 9), utc(2026, 3, 4, 9), utc(2026, 3, 9, 9)}),
            busy(R"(BEGIN:VEVENT
UID:weekly
DTSTART:20260302T090000Z
DTEND:20260302T100000Z
RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260309T090000Z
END:VEVENT
)"));
  EXPECT_EQ(hours_at({utc(2026, 3, 2, 9), utc(2026, 3, 4, 9)}), busy(R"(BEGIN:VEVENT
UID:weekly
DTSTART:20260302T090000Z
DTEND:20260302T100000Z
RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260309T085959Z
END:VEVENT
)"));
}

TEST(IcsImportTest, DailyRuleWithInterval) {
  EXPECT_EQ(hours_at({utc(2026, 3, 1, 10), utc(2026, 3, 4, 10), utc(2026, 3, 7, 10),
                      utc(2026, 3, 10, 10)}),
            busy(R"(BEGIN:VEVENT
UID:every-third-day
DTSTART:20260301T100000Z
DURATION:PT1H
RRULE:FREQ=DAILY;INTERVAL=3
END:VEVENT
)",
                 utc(2026, 3, 1), utc(2026, 3, 11)));
}

TEST(IcsImportTest, ARuleFromYearsAgoIsExpandedFromTheWindowOnward) {
  // Every other Monday since 2015-01-05, 09:00 in Berlin; no end. 2026-03-02 is in phase
  // (4074 days later, 291 fortnights).
  EXPECT_EQ(hours_at({utc(2026, 3, 2, 8), utc(2026, 3, 16, 8), utc(2026, 3, 30, 7)}),
            busy(R"(BEGIN:VEVENT
UID:fortnightly
DTSTART;TZID=Europe/Berlin:20150105T090000
DTEND;TZID=Europe/Berlin:20150105T100000
RRULE:FREQ=WEEKLY;INTERVAL=2
END:VEVENT
)"));
}

TEST(IcsImportTest, ExdateRemovesAnOccurrence) {
  EXPECT_EQ(hours_at({utc(2026, 3, 23, 8), utc(2026, 3, 24, 8), utc(2026, 3, 26, 8)}),
            busy(R"(BEGIN:VEVENT
UID:standup
DTSTART;TZID=Europe/Berlin:20260323T090000
DTEND;TZID=Europe/Berlin:20260323T100000
RRULE:FREQ=DAILY;COUNT=5
EXDATE;TZID=Europe/Berlin:20260325T090000
EXDATE:20260327T080000Z
END:VEVENT
)"));
}

TEST(IcsImportTest, ADateExdateRemovesThatDaysOccurrence) {
  EXPECT_EQ(hours_at({utc(2026, 3, 2, 9), utc(2026, 3, 4, 9)}), busy(R"(BEGIN:VEVENT
UID:daily
DTSTART:20260302T090000Z
DTEND:20260302T100000Z
RRULE:FREQ=DAILY;COUNT=3
EXDATE;VALUE=DATE:20260303
END:VEVENT
)"));
}

TEST(IcsImportTest, AnAllDayEventIsTheWholeLocalDay) {
  // In Berlin, 2026-03-20 runs from 23:00 UTC the day before (CET).
  std::vector<TimeRange> day{{utc(2026, 3, 19, 23), utc(2026, 3, 20, 23)}};
  EXPECT_EQ(day, busy(R"(BEGIN:VEVENT
UID:holiday
DTSTART;VALUE=DATE:20260320
END:VEVENT
)",
                      utc(2026, 3, 1), utc(2026, 4, 1), "Europe/Berlin"));
  EXPECT_EQ(day, busy(R"(BEGIN:VEVENT
UID:holiday
DTSTART;VALUE=DATE:20260320
DTEND;VALUE=DATE:20260321
END:VEVENT
)",
                      utc(2026, 3, 1), utc(2026, 4, 1), "Europe/Berlin"));
}

TEST(IcsImportTest, AMultiDayAllDayEventSpansTheDaylightSavingChange) {
  // Saturday 28 to Monday 30 March inclusive; Berlin moves to CEST on the 29th: 71 hours.
  EXPECT_EQ((std::vector<TimeRange>{{utc(2026, 3, 27, 23), utc(2026, 3, 30, 22)}}),
            busy(R"(BEGIN:VEVENT
UID:trip
DTSTART;VALUE=DATE:20260328
DTEND;VALUE=DATE:20260331
END:VEVENT
)",
                 utc(2026, 3, 1), utc(2026, 4, 1), "Europe/Berlin"));
  // A nominal DURATION of days does the same.
  EXPECT_EQ((std::vector<TimeRange>{{utc(2026, 3, 27, 23), utc(2026, 3, 30, 22)}}),
            busy(R"(BEGIN:VEVENT
UID:trip
DTSTART;VALUE=DATE:20260328
DURATION:P3D
END:VEVENT
)",
                 utc(2026, 3, 1), utc(2026, 4, 1), "Europe/Berlin"));
}

TEST(IcsImportTest, TzidEventsKeepTheirWallClockAcrossTheChange) {
  EXPECT_EQ(hours_at({utc(2026, 3, 27, 8), utc(2026, 3, 28, 8), utc(2026, 3, 29, 7),
                      utc(2026, 3, 30, 7)}),
            busy(R"(BEGIN:VEVENT
UID:berlin
DTSTART;TZID=Europe/Berlin:20260327T090000
DTEND;TZID=Europe/Berlin:20260327T100000
RRULE:FREQ=DAILY;COUNT=4
END:VEVENT
)"));
  // New York moves to EDT on 2026-03-08.
  EXPECT_EQ(hours_at({utc(2026, 3, 7, 14), utc(2026, 3, 8, 13)}, kHour / 2), busy(R"(BEGIN:VEVENT
UID:ny
DTSTART;TZID=America/New_York:20260307T090000
DTEND;TZID=America/New_York:20260307T093000
RRULE:FREQ=DAILY;UNTIL=20260308T235959Z
END:VEVENT
)"));
}

TEST(IcsImportTest, TzidFromTheFilesOwnVtimezone) {
  // Outlook names zones its own way and ships their rules in the file.
  EXPECT_EQ(hours_at({utc(2026, 3, 20, 8), utc(2026, 3, 30, 7)}), busy(R"(BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:outlook-1
DTSTART;TZID=W. Europe Standard Time:20260320T090000
DTEND;TZID=W. Europe Standard Time:20260320T100000
END:VEVENT
BEGIN:VEVENT
UID:outlook-2
DTSTART;TZID="W. Europe Standard Time":20260330T090000
DTEND;TZID="W. Europe Standard Time":20260330T100000
END:VEVENT
)"));
}

TEST(IcsImportTest, SkippedAndRepeatedLocalTimesTakeTheOffsetAfterTheChange) {
  // 02:30 does not exist in Berlin on 2026-03-29 and happens twice on 2026-10-25.
  EXPECT_EQ(hours_at({utc(2026, 3, 29, 0, 30), utc(2026, 10, 25, 1, 30)}),
            busy(R"(BEGIN:VEVENT
UID:spring
DTSTART;TZID=Europe/Berlin:20260329T023000
DURATION:PT1H
END:VEVENT
BEGIN:VEVENT
UID:autumn
DTSTART;TZID=Europe/Berlin:20261025T023000
DURATION:PT1H
END:VEVENT
)",
                 utc(2026, 3, 1), utc(2026, 11, 1)));
}

TEST(IcsImportTest, AYearlyAllDayEventFromLongAgo) {
  EXPECT_EQ((std::vector<TimeRange>{{utc(2026, 3, 14, 4), utc(2026, 3, 15, 4)}}),  // EDT
            busy(R"(BEGIN:VEVENT
UID:birthday
DTSTART;VALUE=DATE:19600314
RRULE:FREQ=YEARLY
TRANSP:OPAQUE
END:VEVENT
)",
                 utc(2026, 3, 1), utc(2026, 4, 1), "America/New_York"));
}

TEST(IcsImportTest, FloatingTimesAreReadInTheDefaultZone) {
  EXPECT_EQ(hours_at({utc(2026, 3, 20, 13)}),
            busy(R"(BEGIN:VEVENT
UID:floating
DTSTART:20260320T090000
DTEND:20260320T100000
END:VEVENT
)",
                 utc(2026, 3, 1), utc(2026, 4, 1), "America/New_York"));
}

TEST(IcsImportTest, CancelledAndTransparentEventsAreNotBusy) {
  EXPECT_EQ(hours_at({utc(2026, 3, 20, 12)}), busy(R"(BEGIN:VEVENT
UID:cancelled
DTSTART:20260320T090000Z
DTEND:20260320T100000Z
STATUS:CANCELLED
END:VEVENT
BEGIN:VEVENT
UID:free
DTSTART:20260320T100000Z
DTEND:20260320T110000Z
TRANSP:TRANSPARENT
END:VEVENT
BEGIN:VEVENT
UID:tentative
DTSTART:20260320T120000Z
DTEND:20260320T130000Z
STATUS:TENTATIVE
TRANSP:OPAQUE
END:VEVENT
)"));
}

TEST(IcsImportTest, RecurrenceIdReplacesOrCancelsOneOccurrence) {
  EXPECT_EQ(hours_at({utc(2026, 3, 2, 9), utc(2026, 3, 10, 15)}), busy(R"(BEGIN:VEVENT
UID:series
DTSTART:20260302T090000Z
DTEND:20260302T100000Z
RRULE:FREQ=WEEKLY;COUNT=3
END:VEVENT
BEGIN:VEVENT
UID:series
RECURRENCE-ID:20260309T090000Z
DTSTART:20260310T150000Z
DTEND:20260310T160000Z
END:VEVENT
BEGIN:VEVENT
UID:series
RECURRENCE-ID;TZID=Europe/Berlin:20260316T100000
DTSTART:20260316T090000Z
DTEND:20260316T100000Z
STATUS:CANCELLED
END:VEVENT
)"));
}

TEST(IcsImportTest, RdatesAddOccurrences) {
  EXPECT_EQ((std::vector<TimeRange>{{utc(2026, 3, 2, 9), utc(2026, 3, 2, 10)},
                                    {utc(2026, 3, 5, 9), utc(2026, 3, 5, 10)},
                                    {utc(2026, 3, 6, 14), utc(2026, 3, 6, 16)}}),
            busy(R"(BEGIN:VEVENT
UID:rdates
DTSTART:20260302T090000Z
DTEND:20260302T100000Z
RDATE:20260305T090000Z
RDATE;VALUE=PERIOD:20260306T140000Z/PT2H
END:VEVENT
)"));
}

TEST(IcsImportTest, AnEventWithoutEndTakesNoTime) {
  EXPECT_TRUE(busy(R"(BEGIN:VEVENT
UID:reminder
DTSTART:20260320T090000Z
END:VEVENT
)")
                  .empty());
}

TEST(IcsImportTest, RangesAreClippedToTheWindow) {
  const std::string body = R"(BEGIN:VEVENT
UID:long
DTSTART:20260320T080000Z
DTEND:20260320T120000Z
END:VEVENT
BEGIN:VEVENT
UID:before
DTSTART:20260320T060000Z
DTEND:20260320T100000Z
END:VEVENT
BEGIN:VEVENT
UID:after
DTSTART:20260320T110000Z
DTEND:20260320T113000Z
END:VEVENT
)";
  // "before" ends as the window opens and "after" starts as it closes: neither overlaps.
  EXPECT_EQ(hours_at({utc(2026, 3, 20, 10)}),
            busy(body, utc(2026, 3, 20, 10), utc(2026, 3, 20, 11)));
  EXPECT_EQ((std::vector<TimeRange>{{utc(2026, 3, 20, 9), utc(2026, 3, 20, 10)},
                                    {utc(2026, 3, 20, 9), utc(2026, 3, 20, 11)}}),
            busy(body, utc(2026, 3, 20, 9), utc(2026, 3, 20, 11)));
}

TEST(IcsImportTest, PropertiesThatDoNotBearOnTimeMayBeBroken) {
  EXPECT_EQ(hours_at({utc(2026, 3, 20, 9)}), busy(R"(BEGIN:VEVENT
UID:sloppy
DTSTART:20260320T090000Z
DTEND:20260320T100000Z
ATTENDEE;PARTSTAT=SOMETHING-ODD:mailto:a@example.com
FOO;X=Y:bar
END:VEVENT
)"));
}

TEST(IcsImportTest, SeveralCalendarsInOneText) {
  std::string text =
      ics("BEGIN:VEVENT\nUID:a\nDTSTART:20260320T090000Z\nDURATION:PT1H\nEND:VEVENT\n") +
      ics("BEGIN:VEVENT\nUID:b\nDTSTART:20260321T090000Z\nDURATION:PT1H\nEND:VEVENT\n");
  auto r = busy_times_from_ics(text, utc(2026, 3, 1), utc(2026, 4, 1), "UTC");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(hours_at({utc(2026, 3, 20, 9), utc(2026, 3, 21, 9)}), r.value());
}

TEST(IcsImportTest, MalformedTextIsABadRequest) {
  EXPECT_EQ("iCalendar: not a calendar (no BEGIN:VCALENDAR ... END:VCALENDAR)", error_of(""));
  EXPECT_EQ("iCalendar: not a calendar (no BEGIN:VCALENDAR ... END:VCALENDAR)",
            error_of("hello, world"));
  EXPECT_EQ("iCalendar: not a calendar (no BEGIN:VCALENDAR ... END:VCALENDAR)",
            error_of("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260320T090000Z\r\n"));
  EXPECT_EQ("iCalendar: not a calendar (no BEGIN:VCALENDAR ... END:VCALENDAR)",
            error_of("BEGIN:VEVENT\r\nDTSTART:20260320T090000Z\r\nEND:VEVENT\r\n"));
  EXPECT_EQ("iCalendar: the text contains a NUL byte",
            error_of(std::string("BEGIN:VCALENDAR\r\n\0\r\nEND:VCALENDAR\r\n", 35)));
  EXPECT_EQ("iCalendar: unknown time zone \"Mars/Olympus\"", error_of(ics(""), "Mars/Olympus"));

  auto event = [](std::string_view lines) {
    return ics("BEGIN:VEVENT\nUID:u1\nSUMMARY:Lunch\n" + std::string(lines) + "END:VEVENT\n");
  };
  EXPECT_EQ("iCalendar: event \"Lunch\" has no DTSTART",
            error_of(event("DTEND:20260320T100000Z\n")));
  EXPECT_NE(
      std::string::npos,
      error_of(event("DTSTART:tomorrow\n")).find("event \"Lunch\": Can't parse as DATE-TIME"));
  EXPECT_NE(std::string::npos,
            error_of(event("DTSTART:20260320T090000Z\nRRULE:FREQ=SOMETIMES\n")).find("RRULE"));
  EXPECT_NE(std::string::npos,
            error_of(event("DTSTART:20260320T090000Z\nDURATION:soon\n")).find("DURATION"));
  EXPECT_EQ("iCalendar: event \"Lunch\" ends before it starts",
            error_of(event("DTSTART:20260320T090000Z\nDTEND:20260320T080000Z\n")));
  EXPECT_EQ("iCalendar: unknown time zone \"Atlantis/Capital\" in event \"Lunch\"",
            error_of(event("DTSTART;TZID=Atlantis/Capital:20260320T090000\n")));
  EXPECT_NE(std::string::npos,
            error_of(event("DTSTART:20260320T090000Z\nRRULE:FREQ=YEARLY;BYYEARDAY=400\n"))
                .find("Can't parse as RECUR value in RRULE property"));
  // Readable, but BYMONTHDAY has no meaning in a weekly rule.
  EXPECT_EQ(
      "iCalendar: RRULE of event \"Lunch\" cannot be expanded",
      error_of(event("DTSTART:20260320T090000Z\nRRULE:FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30\n")));
}

TEST(IcsImportTest, RunawayRulesAreRefused) {
  auto event = [](std::string_view lines) {
    return ics("BEGIN:VEVENT\nUID:runaway\n" + std::string(lines) + "DURATION:PT1S\nEND:VEVENT\n");
  };
  const std::string too_often =
      "iCalendar: event with UID runaway repeats too often: more than 10000 occurrences to expand";
  EXPECT_EQ(too_often, error_of(event("DTSTART:20260301T000000Z\nRRULE:FREQ=SECONDLY\n")));
  // No date satisfies it: libical alone would scan minute by minute for centuries.
  EXPECT_EQ(too_often, error_of(event("DTSTART:20260301T000000Z\n"
                                      "RRULE:FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30\n")));
  // Daily since 1990 with a COUNT: every earlier occurrence has to be walked through.
  EXPECT_EQ(too_often, error_of(event("DTSTART:19900101T090000Z\nRRULE:FREQ=DAILY;COUNT=20000\n")));
}

TEST(IcsImportTest, RulesThatAreCheapInTheWindowAreExpanded) {
  // Hourly, and no date satisfies it: bounded by the window, it ends at once with DTSTART
  // alone (which always counts).
  EXPECT_EQ(hours_at({utc(2026, 3, 1)}), busy(R"(BEGIN:VEVENT
UID:never
DTSTART:20260301T000000Z
DURATION:PT1H
RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30
END:VEVENT
)"));
  // A huge COUNT that starts in the window is only walked up to the window's end.
  EXPECT_EQ(3u, busy(R"(BEGIN:VEVENT
UID:forever
DTSTART:20260329T090000Z
DURATION:PT1H
RRULE:FREQ=DAILY;COUNT=1000000
END:VEVENT
)")
                    .size());
  // Daily with no end, since 1990: skipped straight to the window.
  EXPECT_EQ(31u, busy(R"(BEGIN:VEVENT
UID:since-1990
DTSTART:19900101T090000Z
DURATION:PT1H
RRULE:FREQ=DAILY
END:VEVENT
)")
                     .size());
}

TEST(IcsImportTest, ConcurrentImportsAgree) {
  const std::string text = ics(R"(BEGIN:VEVENT
UID:standup
DTSTART;TZID=America/Los_Angeles:20260302T090000
DURATION:PT15M
RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR
END:VEVENT
)");
  auto expected = busy_times_from_ics(text, utc(2026, 3, 1), utc(2026, 4, 1), "Asia/Tokyo");
  ASSERT_TRUE(expected.ok());
  ASSERT_EQ(22u, expected->size());
  std::vector<std::thread> threads;
  std::atomic<int> agreed{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto r = busy_times_from_ics(text, utc(2026, 3, 1), utc(2026, 4, 1), "Asia/Tokyo");
        if (r.ok() && r.value() == expected.value()) ++agreed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(80, agreed.load());
}

}  // namespace
}  // namespace parley::calendar
