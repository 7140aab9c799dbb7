// SqliteStore: meeting calendars, busy times and meetings (issue 6). A booking is one
// transaction on the single writer: read the calendar state, let the caller's check pick
// the slot, insert; the unique index on (agent_id, start_at) of live meetings is the guard
// that holds even without the check.
#include "core/activity.hpp"
#include "core/meetings.hpp"
#include "store/sqlite/routing_rules_sql.hpp"
#include "store/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/store_sql.hpp"

namespace parley::store::sqlite {

namespace {

constexpr const char* kCalendarColumns =
    "time_zone, blocks, duration_minutes, buffer_minutes, notice_minutes, horizon_days, "
    "ics_url, busy_updated_at, (SELECT count(*) FROM busy_times b WHERE b.agent_id = ?1)";

CalendarSettings read_calendar(Statement& s) {
  CalendarSettings out;
  auto& c = out.calendar;
  c.time_zone = s.text(0);
  c.blocks = decode_schedule(s.text(1));
  c.duration_minutes = static_cast<int>(s.int64(2));
  c.buffer_minutes = static_cast<int>(s.int64(3));
  c.notice_minutes = static_cast<int>(s.int64(4));
  c.horizon_days = static_cast<int>(s.int64(5));
  out.ics_url = s.opt_text(6);
  out.busy_updated_at = s.opt_int64(7);
  out.busy_count = static_cast<int>(s.int64(8));
  return out;
}

CalendarSettings load_calendar_in(Connection& conn, Id agent_id) {
  auto s = conn.prepare(
      sql({"SELECT ", kCalendarColumns, " FROM meeting_calendars WHERE agent_id = ?1"}));
  s.bind_all(agent_id);
  if (s.step()) return read_calendar(s);
  CalendarSettings defaults;
  auto busy = conn.prepare("SELECT count(*) FROM busy_times WHERE agent_id = ?1");
  busy.bind_all(agent_id);
  busy.step();
  defaults.busy_count = static_cast<int>(busy.int64(0));
  return defaults;
}

CalendarState state_in(Connection& conn, Id agent_id, Millis from, std::optional<Id> except) {
  CalendarState state{load_calendar_in(conn, agent_id).calendar, {}, {}};
  auto meetings = conn.prepare(
      "SELECT start_at, end_at FROM meetings WHERE agent_id = ?1 AND end_at > ?2 "
      "AND status <> 'cancelled' AND id IS NOT ?3");
  meetings.bind_all(agent_id, from, except);
  while (meetings.step()) state.meetings.push_back({meetings.int64(0), meetings.int64(1)});
  auto busy =
      conn.prepare("SELECT start_at, end_at FROM busy_times WHERE agent_id = ?1 AND end_at > ?2");
  busy.bind_all(agent_id, from);
  while (busy.step()) state.busy.push_back({busy.int64(0), busy.int64(1)});
  return state;
}

std::optional<core::Meeting> load_meeting(Connection& conn, Id id) {
  auto s = conn.prepare(sql({"SELECT ", kMeetingColumns, " FROM meetings g WHERE g.id = ?1"}));
  s.bind_all(id);
  if (!s.step()) return std::nullopt;
  return read_meeting(s);
}

// Steps an insert or update of a live meeting; false when the unique index on
// (agent_id, start_at) refused it: another booking holds that time.
bool step_unless_taken(Statement& s) {
  try {
    s.step();
    return true;
  } catch (const SqliteError& e) {
    if (e.is_unique_violation()) return false;
    throw;
  }
}

// Appends the meeting's event to its conversation and writes its activity.
void record_change(Connection& db, MeetingChange& change, std::string_view event_kind,
                   std::string_view activity_type, const DescribeMeeting& describe, Millis now) {
  auto words = describe(change.meeting);
  const auto& m = change.meeting;
  if (m.conversation_id) {
    change.event = append_event(db, *m.conversation_id, core::SenderKind::system, std::nullopt,
                                event_kind, words.event_body, std::nullopt, now);
    change.conversation = load_conversation(db, *m.conversation_id);
  }
  if (m.visitor_id) {
    insert_activity(db, {0, *m.visitor_id, std::string(activity_type), words.activity_detail,
                         std::nullopt, m.conversation_id, now});
  }
}

}  // namespace

Result<Transition> SqliteStore::append_system_event(Id conversation_id, std::string_view kind,
                                                    std::string_view body, Millis now) {
  return writer_.run([&](Connection& db) -> Result<Transition> {
    Transaction tx(db);
    if (!load_conversation(db, conversation_id)) return core::not_found("no such conversation");
    Transition t;
    t.event = append_event(db, conversation_id, core::SenderKind::system, std::nullopt, kind, body,
                           std::nullopt, now);
    t.conversation = *load_conversation(db, conversation_id);
    tx.commit();
    return t;
  });
}

CalendarSettings SqliteStore::load_calendar(Id agent_id) {
  auto conn = readers_.lease();
  return load_calendar_in(*conn, agent_id);
}

Result<CalendarSettings> SqliteStore::save_calendar(Id agent_id, const core::MeetingCalendar& c,
                                                    const std::optional<std::string>& ics_url) {
  return writer_.run([&](Connection& db) -> Result<CalendarSettings> {
    Transaction tx(db);
    if (!load_agent(db, agent_id)) return core::not_found("no such agent");
    db.prepare(
          "INSERT INTO meeting_calendars (agent_id, time_zone, blocks, duration_minutes, "
          "buffer_minutes, notice_minutes, horizon_days, ics_url) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (agent_id) DO UPDATE SET "
          "time_zone = excluded.time_zone, blocks = excluded.blocks, "
          "duration_minutes = excluded.duration_minutes, buffer_minutes = excluded.buffer_minutes, "
          "notice_minutes = excluded.notice_minutes, horizon_days = excluded.horizon_days, "
          "ics_url = excluded.ics_url")
        .bind_all(agent_id, c.time_zone, encode_schedule(c.blocks), c.duration_minutes,
                  c.buffer_minutes, c.notice_minutes, c.horizon_days, ics_url)
        .run();
    auto saved = load_calendar_in(db, agent_id);
    tx.commit();
    return saved;
  });
}

void SqliteStore::replace_busy_times(Id agent_id, const std::vector<core::TimeRange>& busy,
                                     Millis now) {
  writer_.run([&](Connection& db) -> int {
    Transaction tx(db);
    db.prepare("DELETE FROM busy_times WHERE agent_id = ?1").bind_all(agent_id).run();
    for (const auto& r : busy) {
      // prepare() hands back the cached statement, reset for the next row.
      db.prepare("INSERT INTO busy_times (agent_id, start_at, end_at) VALUES (?1, ?2, ?3)")
          .bind_all(agent_id, r.start, r.end)
          .run();
    }
    // The row may not exist yet (busy times before any block): create it with defaults.
    db.prepare(
          "INSERT INTO meeting_calendars (agent_id, busy_updated_at) VALUES (?1, ?2) "
          "ON CONFLICT (agent_id) DO UPDATE SET busy_updated_at = excluded.busy_updated_at")
        .bind_all(agent_id, now)
        .run();
    tx.commit();
    return 0;
  });
}

std::vector<Id> SqliteStore::calendars_with_feeds() {
  auto conn = readers_.lease();
  auto s = conn->prepare(
      "SELECT agent_id FROM meeting_calendars WHERE ics_url IS NOT NULL ORDER BY agent_id");
  std::vector<Id> out;
  while (s.step()) out.push_back(s.int64(0));
  return out;
}

std::vector<BookableCalendar> SqliteStore::bookable_calendars() {
  auto conn = readers_.lease();
  auto s = conn->prepare(
      "SELECT a.id, a.name FROM agents a JOIN meeting_calendars m ON m.agent_id = a.id "
      "WHERE a.active = 1 AND m.blocks <> '' ORDER BY a.id");
  std::vector<BookableCalendar> out;
  while (s.step()) out.push_back({s.int64(0), s.text(1)});
  return out;
}

std::optional<BookableCalendar> SqliteStore::next_bookable_calendar() {
  return writer_.run([&](Connection& db) -> std::optional<BookableCalendar> {
    Transaction tx(db);
    auto last = load_pointer(db, "calendar").value_or(0);
    // The first bookable agent after the pointer, else the first one (wrap around).
    auto s = db.prepare(
        "SELECT a.id, a.name FROM agents a JOIN meeting_calendars m ON m.agent_id = a.id "
        "WHERE a.active = 1 AND m.blocks <> '' ORDER BY a.id <= ?1, a.id LIMIT 1");
    s.bind_all(last);
    if (!s.step()) return std::nullopt;
    BookableCalendar pick{s.int64(0), s.text(1)};
    s.run();
    store_pointer(db, "calendar", pick.agent_id);
    tx.commit();
    return pick;
  });
}

CalendarState SqliteStore::calendar_state(Id agent_id, Millis from,
                                          std::optional<Id> except_meeting) {
  auto conn = readers_.lease();
  return state_in(*conn, agent_id, from, except_meeting);
}

Result<MeetingChange> SqliteStore::book_meeting(const NewMeeting& m, const SlotCheck& check,
                                                const DescribeMeeting& describe, Millis now) {
  return writer_.run([&](Connection& db) -> Result<MeetingChange> {
    Transaction tx(db);
    // Meetings that end within a day before now still matter for buffers.
    auto slot = check(state_in(db, m.agent_id, now - 24LL * 3600 * 1000, std::nullopt));
    if (!slot) return core::conflict("That time was just taken");
    auto s = db.prepare(
        sql({"INSERT INTO meetings (agent_id, visitor_id, conversation_id, booker_email, start_at, "
             "end_at, status, manage_token_hash, created_at, updated_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'scheduled', ?7, ?8, ?8) RETURNING ",
             kMeetingColumnsBare}));
    s.bind_all(m.agent_id, m.visitor_id, m.conversation_id, m.booker_email, slot->start, slot->end,
               m.manage_token_hash, now);
    if (!step_unless_taken(s)) return core::conflict("That time was just taken");
    MeetingChange change{read_meeting(s), std::nullopt, std::nullopt};
    s.run();
    record_change(db, change, core::kMeetingBookedEvent, core::activity::kMeetingBooked, describe,
                  now);
    tx.commit();
    return change;
  });
}

Result<MeetingChange> SqliteStore::reschedule_meeting(Id meeting_id, const SlotCheck& check,
                                                      const DescribeMeeting& describe, Millis now) {
  return writer_.run([&](Connection& db) -> Result<MeetingChange> {
    Transaction tx(db);
    auto current = load_meeting(db, meeting_id);
    if (!current) return core::not_found("no such meeting");
    if (current->status == core::MeetingStatus::cancelled) {
      return core::conflict("the meeting was cancelled");
    }
    auto slot = check(state_in(db, current->agent_id, now - 24LL * 3600 * 1000, meeting_id));
    if (!slot) return core::conflict("That time was just taken");
    auto s =
        db.prepare(sql({"UPDATE meetings SET start_at = ?2, end_at = ?3, "
                        "status = 'rescheduled', sequence = sequence + 1, updated_at = ?4 "
                        "WHERE id = ?1 RETURNING ",
                        kMeetingColumnsBare}));
    s.bind_all(meeting_id, slot->start, slot->end, now);
    if (!step_unless_taken(s)) return core::conflict("That time was just taken");
    MeetingChange change{read_meeting(s), std::nullopt, std::nullopt};
    s.run();
    record_change(db, change, core::kMeetingRescheduledEvent, core::activity::kMeetingRescheduled,
                  describe, now);
    tx.commit();
    return change;
  });
}

Result<MeetingChange> SqliteStore::cancel_meeting(Id meeting_id, const DescribeMeeting& describe,
                                                  Millis now) {
  return writer_.run([&](Connection& db) -> Result<MeetingChange> {
    Transaction tx(db);
    auto s =
        db.prepare(sql({"UPDATE meetings SET status = 'cancelled', sequence = sequence + 1, "
                        "updated_at = ?2 WHERE id = ?1 AND status <> 'cancelled' RETURNING ",
                        kMeetingColumnsBare}));
    s.bind_all(meeting_id, now);
    if (!s.step()) {
      if (!load_meeting(db, meeting_id)) return core::not_found("no such meeting");
      return core::conflict("the meeting is already cancelled");
    }
    MeetingChange change{read_meeting(s), std::nullopt, std::nullopt};
    s.run();
    record_change(db, change, core::kMeetingCancelledEvent, core::activity::kMeetingCancelled,
                  describe, now);
    tx.commit();
    return change;
  });
}

std::optional<core::Meeting> SqliteStore::find_meeting(Id meeting_id) {
  auto conn = readers_.lease();
  return load_meeting(*conn, meeting_id);
}

std::optional<core::Meeting> SqliteStore::find_meeting_by_token(std::string_view token_hash) {
  auto conn = readers_.lease();
  auto s = conn->prepare(
      sql({"SELECT ", kMeetingColumns, " FROM meetings g WHERE g.manage_token_hash = ?1"}));
  s.bind_all(token_hash);
  if (!s.step()) return std::nullopt;
  return read_meeting(s);
}

std::vector<core::Meeting> SqliteStore::list_meetings(std::optional<Id> agent_id, int limit) {
  auto conn = readers_.lease();
  auto s = conn->prepare(agent_id ? sql({"SELECT ", kMeetingColumns,
                                         " FROM meetings g "
                                         "WHERE g.agent_id = ?1 ORDER BY g.start_at DESC LIMIT ?2"})
                                  : sql({"SELECT ", kMeetingColumns,
                                         " FROM meetings g "
                                         "WHERE ?1 IS NULL ORDER BY g.start_at DESC LIMIT ?2"}));
  s.bind_all(agent_id, limit);
  std::vector<core::Meeting> out;
  while (s.step()) out.push_back(read_meeting(s));
  return out;
}

}  // namespace parley::store::sqlite
