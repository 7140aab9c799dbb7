// Contract: meeting calendars, busy times and meetings (issue 6). The booking rule itself
// (which slots are free) is core's; here the check is a stand-in, so these tests pin what
// the store guarantees: the state it hands to the check, atomicity, the unique guard, the
// events and activities a change writes.
#include "core/meetings.hpp"

#include <thread>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

constexpr Millis kHour = 3'600'000;

core::MeetingCalendar every_day() {
  core::MeetingCalendar c;
  c.time_zone = "Europe/Oslo";
  for (int d = 1; d <= 7; ++d) c.blocks.blocks.push_back({d, 9 * 60, 17 * 60});
  c.duration_minutes = 45;
  c.buffer_minutes = 15;
  return c;
}

// A check that books [start, start + 1 h) when nothing stored overlaps it.
SlotCheck at(Millis start) {
  return [start](const CalendarState& s) -> std::optional<core::TimeRange> {
    for (const auto& m : s.meetings) {
      if (m.start < start + kHour && start < m.end) return std::nullopt;
    }
    return core::TimeRange{start, start + kHour};
  };
}

DescribeMeeting words() {
  return [](const core::Meeting& m) {
    return MeetingWords{"meeting " + std::to_string(m.id) + " " + core::to_string(m.status),
                        "detail " + std::to_string(m.id)};
  };
}

TEST_P(StoreContract, CalendarDefaultsUntilSavedThenRoundTrips) {
  auto a = agent("ann");
  auto fresh = store().load_calendar(a.id);
  EXPECT_FALSE(core::is_bookable(fresh.calendar));
  EXPECT_EQ(fresh.calendar.duration_minutes, 30);
  EXPECT_FALSE(fresh.ics_url);

  auto saved = store().save_calendar(a.id, every_day(), "https://cal.example/ann.ics");
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->calendar, every_day());
  EXPECT_EQ(store().load_calendar(a.id).calendar, every_day());
  EXPECT_EQ(store().load_calendar(a.id).ics_url, "https://cal.example/ann.ics");
  EXPECT_EQ(error_code(store().save_calendar(a.id + 99, every_day(), std::nullopt).error()),
            "not_found");
  EXPECT_EQ(store().calendars_with_feeds(), (std::vector<Id>{a.id}));
  ASSERT_TRUE(store().save_calendar(a.id, every_day(), std::nullopt));
  EXPECT_TRUE(store().calendars_with_feeds().empty());
}

TEST_P(StoreContract, BusyTimesAreReplacedAsAWhole) {
  auto a = agent("ann");
  store().replace_busy_times(a.id, {{10, 20}, {30, 40}}, 1234);
  auto c = store().load_calendar(a.id);
  EXPECT_EQ(c.busy_count, 2);
  EXPECT_EQ(c.busy_updated_at, 1234);
  store().replace_busy_times(a.id, {{50, 60}}, 5678);
  auto state = store().calendar_state(a.id, 0);
  EXPECT_EQ(state.busy, (std::vector<core::TimeRange>{{50, 60}}));
  EXPECT_EQ(store().load_calendar(a.id).busy_count, 1);
}

TEST_P(StoreContract, BookableCalendarsAreRoundRobined) {
  auto a = agent("ann"), b = agent("bob"), c = agent("cy");
  EXPECT_TRUE(store().bookable_calendars().empty());
  EXPECT_FALSE(store().next_bookable_calendar());
  ASSERT_TRUE(store().save_calendar(a.id, every_day(), std::nullopt));
  ASSERT_TRUE(store().save_calendar(c.id, every_day(), std::nullopt));
  // No blocks: not bookable.
  ASSERT_TRUE(store().save_calendar(b.id, core::MeetingCalendar{}, std::nullopt));
  auto all = store().bookable_calendars();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].agent_name, "ann");
  std::vector<Id> picks;
  for (int i = 0; i < 3; ++i) picks.push_back(store().next_bookable_calendar()->agent_id);
  EXPECT_EQ(picks, (std::vector<Id>{a.id, c.id, a.id}));
}

TEST_P(StoreContract, TakesChatsIsStored) {
  NewAgent n{"Cal", "cal@example.com", "h", core::Role::agent, 10, false};
  auto cal = store().create_agent(n);
  ASSERT_TRUE(cal);
  EXPECT_FALSE(cal->takes_chats);
  EXPECT_FALSE(store().find_agent(cal->id)->takes_chats);
  EXPECT_TRUE(agent("ann").takes_chats);
}

TEST_P(StoreContract, BookingWritesTheMeetingItsEventAndItsActivity) {
  auto a = agent("ann");
  ASSERT_TRUE(store().save_calendar(a.id, every_day(), std::nullopt));
  auto c = active_chat(a.id);
  Millis start = now() + 48 * kHour;
  NewMeeting m{a.id, c.visitor_id, c.id, "vera@example.com", "tok-1"};
  CalendarState seen;
  auto booked = store().book_meeting(
      m,
      [&](const CalendarState& s) {
        seen = s;
        return at(start)(s);
      },
      words(), tick());
  ASSERT_TRUE(booked);
  EXPECT_EQ(seen.calendar, every_day());  // the check sees the calendar it books on
  const auto& meeting = booked->meeting;
  EXPECT_EQ(meeting.start, start);
  EXPECT_EQ(meeting.end, start + kHour);
  EXPECT_EQ(meeting.status, core::MeetingStatus::scheduled);
  EXPECT_EQ(meeting.booker_email, "vera@example.com");
  ASSERT_TRUE(booked->event);
  EXPECT_EQ(booked->event->kind, "meeting.booked");
  EXPECT_EQ(booked->event->body, "meeting " + std::to_string(meeting.id) + " scheduled");
  EXPECT_EQ(booked->conversation->last_seq, booked->event->seq);
  auto history = store().activities(c.visitor_id, 0, 10);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history[0].type, "meeting_booked");
  EXPECT_EQ(history[0].detail, "detail " + std::to_string(meeting.id));

  EXPECT_EQ(store().find_meeting(meeting.id)->id, meeting.id);
  EXPECT_EQ(store().find_meeting_by_token("tok-1")->id, meeting.id);
  EXPECT_FALSE(store().find_meeting_by_token("tok-2"));
}

TEST_P(StoreContract, ARefusedCheckOrATakenSlotBooksNothing) {
  auto a = agent("ann");
  ASSERT_TRUE(store().save_calendar(a.id, every_day(), std::nullopt));
  Millis start = now() + 48 * kHour;
  auto first = store().book_meeting({a.id, std::nullopt, std::nullopt, "x@example.com", "t1"},
                                    at(start), words(), tick());
  ASSERT_TRUE(first);
  auto refused = store().book_meeting(
      {a.id, std::nullopt, std::nullopt, "y@example.com", "t2"},
      [](const CalendarState&) { return std::nullopt; }, words(), tick());
  EXPECT_EQ(error_code(refused.error()), "conflict");
  // A check that ignores the stored meeting still cannot book the same start twice.
  auto blind = [start](const CalendarState&) {
    return std::optional<core::TimeRange>({start, start + kHour});
  };
  auto twice = store().book_meeting({a.id, std::nullopt, std::nullopt, "z@example.com", "t3"},
                                    blind, words(), tick());
  ASSERT_FALSE(twice);
  EXPECT_EQ(error_code(twice.error()), "conflict");
  EXPECT_EQ(store().list_meetings(a.id, 10).size(), 1u);
}

TEST_P(StoreContract, ConcurrentBookingsOfOneSlotBookExactlyOne) {
  auto a = agent("ann");
  ASSERT_TRUE(store().save_calendar(a.id, every_day(), std::nullopt));
  Millis start = now() + 72 * kHour;
  std::atomic<int> won{0}, lost{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      auto r = store().book_meeting(
          {a.id, std::nullopt, std::nullopt, "v" + std::to_string(i) + "@example.com",
           "race-" + std::to_string(i)},
          at(start), words(), now());
      (r ? won : lost)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(lost.load(), 15);
}

TEST_P(StoreContract, CancelFreesTheSlotAndRescheduleMovesTheMeeting) {
  auto a = agent("ann");
  ASSERT_TRUE(store().save_calendar(a.id, every_day(), std::nullopt));
  auto c = active_chat(a.id);
  Millis start = now() + 48 * kHour;
  auto booked = store().book_meeting({a.id, c.visitor_id, c.id, "v@example.com", "t"}, at(start),
                                     words(), tick());
  ASSERT_TRUE(booked);
  Id id = booked->meeting.id;

  // The meeting does not block its own new time (one hour later overlaps the old one).
  auto moved = store().reschedule_meeting(id, at(start + kHour / 2), words(), tick());
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->meeting.start, start + kHour / 2);
  EXPECT_EQ(moved->meeting.status, core::MeetingStatus::rescheduled);
  EXPECT_EQ(moved->meeting.sequence, 1);
  EXPECT_EQ(moved->event->kind, "meeting.rescheduled");
  EXPECT_EQ(store().activities(c.visitor_id, 0, 1)[0].type, "meeting_rescheduled");

  auto cancelled = store().cancel_meeting(id, words(), tick());
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->meeting.status, core::MeetingStatus::cancelled);
  EXPECT_EQ(cancelled->meeting.sequence, 2);
  EXPECT_EQ(cancelled->event->kind, "meeting.cancelled");
  EXPECT_EQ(store().activities(c.visitor_id, 0, 1)[0].type, "meeting_cancelled");
  EXPECT_EQ(error_code(store().cancel_meeting(id, words(), tick()).error()), "conflict");
  EXPECT_EQ(error_code(store().reschedule_meeting(id, at(start), words(), tick()).error()),
            "conflict");
  EXPECT_EQ(error_code(store().cancel_meeting(id + 50, words(), tick()).error()), "not_found");

  // The freed time books again, and the state no longer lists the cancelled meeting.
  EXPECT_TRUE(store().calendar_state(a.id, 0).meetings.empty());
  EXPECT_TRUE(store().book_meeting({a.id, std::nullopt, std::nullopt, "w@example.com", "t2"},
                                   at(start + kHour / 2), words(), tick()));
}

TEST_P(StoreContract, MeetingsAreListedNewestStartFirstPerAgentOrAll) {
  auto a = agent("ann"), b = agent("bob");
  ASSERT_TRUE(store().save_calendar(a.id, every_day(), std::nullopt));
  ASSERT_TRUE(store().save_calendar(b.id, every_day(), std::nullopt));
  Millis t = now() + 48 * kHour;
  ASSERT_TRUE(store().book_meeting({a.id, std::nullopt, std::nullopt, "1@x.io", "a1"}, at(t),
                                   words(), tick()));
  ASSERT_TRUE(store().book_meeting({a.id, std::nullopt, std::nullopt, "2@x.io", "a2"},
                                   at(t + 5 * kHour), words(), tick()));
  ASSERT_TRUE(store().book_meeting({b.id, std::nullopt, std::nullopt, "3@x.io", "b1"},
                                   at(t + 2 * kHour), words(), tick()));
  auto mine = store().list_meetings(a.id, 10);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].booker_email, "2@x.io");
  auto all = store().list_meetings(std::nullopt, 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].booker_email, "3@x.io");
  EXPECT_EQ(store().list_meetings(std::nullopt, 1).size(), 1u);
}

}  // namespace
}  // namespace parley::store::testing
