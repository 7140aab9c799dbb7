// PgStore, meeting calendars, busy times and meetings (store/meeting_store.hpp). A booking
// reads the calendar state, lets the caller's check pick the slot, and inserts; on several
// nodes two such transactions must not both read "free" and both insert, so each booking
// (and each move) first locks the agent's row, which every booker of that agent touches,
// and the check runs on the state committed before it. The unique index on (agent_id,
// start_at) of live meetings stays the last guard, whatever the check says.
#include "core/activity.hpp"
#include "core/meetings.hpp"
#include "store/postgres/pg_sql.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/rows.hpp"

namespace parley::store::postgres {

namespace {

// Meetings that end within a day before now still matter for buffers.
constexpr Millis kStateLookBack = 24LL * 3600 * 1000;

constexpr const char* kCalendarColumns =
    "time_zone, blocks, duration_minutes, buffer_minutes, notice_minutes, horizon_days, "
    "ics_url, busy_updated_at, (SELECT count(*) FROM busy_times b WHERE b.agent_id = $1)";

CalendarSettings read_calendar(const PgRow& s) {
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

CalendarSettings load_calendar_in(PgConnection& db, Id agent_id) {
  auto r = db.query(
      sql({"SELECT ", kCalendarColumns, " FROM meeting_calendars WHERE agent_id = $1"}), agent_id);
  if (!r.empty()) return read_calendar(PgRow(r, 0));
  CalendarSettings defaults;
  auto busy = db.query("SELECT count(*) FROM busy_times WHERE agent_id = $1", agent_id);
  defaults.busy_count = static_cast<int>(busy.int64(0, 0));
  return defaults;
}

CalendarState state_in(PgConnection& db, Id agent_id, Millis from, std::optional<Id> except) {
  CalendarState state{load_calendar_in(db, agent_id).calendar, {}, {}};
  auto meetings = db.query(
      "SELECT start_at, end_at FROM meetings WHERE agent_id = $1 AND end_at > $2 "
      "AND status <> 'cancelled' AND id IS DISTINCT FROM $3",
      agent_id, from, except);
  for (int i = 0; i < meetings.rows(); ++i) {
    state.meetings.push_back({meetings.int64(i, 0), meetings.int64(i, 1)});
  }
  auto busy =
      db.query("SELECT start_at, end_at FROM busy_times WHERE agent_id = $1 AND end_at > $2",
               agent_id, from);
  for (int i = 0; i < busy.rows(); ++i) state.busy.push_back({busy.int64(i, 0), busy.int64(i, 1)});
  return state;
}

std::optional<core::Meeting> first_meeting(const PgResult& r) {
  if (r.empty()) return std::nullopt;
  return read_meeting(PgRow(r, 0));
}

std::optional<core::Meeting> load_meeting(PgConnection& db, Id id) {
  return first_meeting(
      db.query(sql({"SELECT ", kMeetingColumns, " FROM meetings g WHERE g.id = $1"}), id));
}

// The row every booking and move of the agent's meetings locks first, so their
// read-check-write runs one at a time across nodes. FOR NO KEY UPDATE rather than FOR
// UPDATE: it excludes the other bookers just the same, but not the inserts that merely
// reference the agent (its chats, messages, sessions: FOR KEY SHARE by the foreign keys).
void lock_bookings_of(PgConnection& db, Id agent_id) {
  db.query("SELECT 1 FROM agents WHERE id = $1 FOR NO KEY UPDATE", agent_id);
}

// Runs an insert or update of a live meeting; nullopt when a unique index refused it:
// another booking holds that time. The failed statement aborts the transaction, which the
// caller's conflict result rolls back.
template <class Statement>
std::optional<PgResult> unless_taken(const Statement& statement) {
  try {
    return statement();
  } catch (const PgError& e) {
    if (e.is_unique_violation()) return std::nullopt;
    throw;
  }
}

// Appends the meeting's event to its conversation and writes its activity.
void record_change(PgConnection& db, MeetingChange& change, std::string_view event_kind,
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

CalendarSettings PgStore::load_calendar(Id agent_id) {
  return read([&](PgConnection& db) { return load_calendar_in(db, agent_id); });
}

Result<CalendarSettings> PgStore::save_calendar(Id agent_id, const core::MeetingCalendar& c,
                                                const std::optional<std::string>& ics_url) {
  return write([&](PgConnection& db) -> Result<CalendarSettings> {
    if (!load_agent(db, agent_id)) return core::not_found("no such agent");
    db.query(
        "INSERT INTO meeting_calendars (agent_id, time_zone, blocks, duration_minutes, "
        "buffer_minutes, notice_minutes, horizon_days, ics_url) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (agent_id) DO UPDATE SET "
        "time_zone = excluded.time_zone, blocks = excluded.blocks, "
        "duration_minutes = excluded.duration_minutes, buffer_minutes = excluded.buffer_minutes, "
        "notice_minutes = excluded.notice_minutes, horizon_days = excluded.horizon_days, "
        "ics_url = excluded.ics_url",
        agent_id, c.time_zone, encode_schedule(c.blocks), c.duration_minutes, c.buffer_minutes,
        c.notice_minutes, c.horizon_days, ics_url);
    return load_calendar_in(db, agent_id);
  });
}

void PgStore::replace_busy_times(Id agent_id, const std::vector<core::TimeRange>& busy,
                                 Millis now) {
  write([&](PgConnection& db) {
    // The calendar row first (created with defaults when busy times come before any block):
    // its row lock makes a second node's import of the same agent wait, so its DELETE then
    // sees these rows and the two imports do not add up.
    db.query(
        "INSERT INTO meeting_calendars (agent_id, busy_updated_at) VALUES ($1, $2) "
        "ON CONFLICT (agent_id) DO UPDATE SET busy_updated_at = excluded.busy_updated_at",
        agent_id, now);
    db.query("DELETE FROM busy_times WHERE agent_id = $1", agent_id);
    for (const auto& r : busy) {
      db.query("INSERT INTO busy_times (agent_id, start_at, end_at) VALUES ($1, $2, $3)", agent_id,
               r.start, r.end);
    }
    return 0;
  });
}

std::vector<Id> PgStore::calendars_with_feeds() {
  return read([&](PgConnection& db) {
    auto r = db.query(
        "SELECT agent_id FROM meeting_calendars WHERE ics_url IS NOT NULL ORDER BY agent_id");
    std::vector<Id> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.int64(i, 0));
    return out;
  });
}

std::vector<BookableCalendar> PgStore::bookable_calendars() {
  return read([&](PgConnection& db) {
    auto r = db.query(
        "SELECT a.id, a.name FROM agents a JOIN meeting_calendars m ON m.agent_id = a.id "
        "WHERE a.active AND m.blocks <> '' ORDER BY a.id");
    std::vector<BookableCalendar> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.int64(i, 0), r.text(i, 1)});
    return out;
  });
}

std::optional<BookableCalendar> PgStore::next_bookable_calendar() {
  return write([&](PgConnection& db) -> std::optional<BookableCalendar> {
    // Read the pointer with its row locked, so two nodes picking at once take turns and
    // pick different calendars. The upsert creates the row on first use (a no-op update
    // otherwise), which a plain SELECT ... FOR UPDATE of a missing row could not lock.
    auto pointer = db.query(
        "INSERT INTO routing_state (scope, last_agent_id) VALUES ('calendar', NULL) "
        "ON CONFLICT (scope) DO UPDATE SET last_agent_id = routing_state.last_agent_id "
        "RETURNING last_agent_id");
    Id last = pointer.opt_int64(0, 0).value_or(0);
    // The first bookable agent after the pointer, else the first one (wrap around).
    auto r = db.query(
        "SELECT a.id, a.name FROM agents a JOIN meeting_calendars m ON m.agent_id = a.id "
        "WHERE a.active AND m.blocks <> '' ORDER BY a.id <= $1, a.id LIMIT 1",
        last);
    if (r.empty()) return std::nullopt;
    BookableCalendar pick{r.int64(0, 0), r.text(0, 1)};
    db.query("UPDATE routing_state SET last_agent_id = $1 WHERE scope = 'calendar'", pick.agent_id);
    return pick;
  });
}

CalendarState PgStore::calendar_state(Id agent_id, Millis from, std::optional<Id> except_meeting) {
  return read([&](PgConnection& db) { return state_in(db, agent_id, from, except_meeting); });
}

Result<MeetingChange> PgStore::book_meeting(const NewMeeting& m, const SlotCheck& check,
                                            const DescribeMeeting& describe, Millis now) {
  return write([&](PgConnection& db) -> Result<MeetingChange> {
    lock_bookings_of(db, m.agent_id);
    // Read after the lock: READ COMMITTED gives each statement the newest committed state,
    // so a booking that held the lock before this one is seen here.
    auto slot = check(state_in(db, m.agent_id, now - kStateLookBack, std::nullopt));
    if (!slot) return core::conflict("That time was just taken");
    auto r = unless_taken([&] {
      return db.query(
          sql({"INSERT INTO meetings (agent_id, visitor_id, conversation_id, booker_email, "
               "start_at, end_at, status, manage_token_hash, created_at, updated_at) "
               "VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', $7, $8, $8) RETURNING ",
               kMeetingColumnsBare}),
          m.agent_id, m.visitor_id, m.conversation_id, m.booker_email, slot->start, slot->end,
          m.manage_token_hash, now);
    });
    if (!r) return core::conflict("That time was just taken");
    MeetingChange change{read_meeting(PgRow(*r, 0)), std::nullopt, std::nullopt};
    record_change(db, change, core::kMeetingBookedEvent, core::activity::kMeetingBooked, describe,
                  now);
    return change;
  });
}

Result<MeetingChange> PgStore::reschedule_meeting(Id meeting_id, const SlotCheck& check,
                                                  const DescribeMeeting& describe, Millis now) {
  return write([&](PgConnection& db) -> Result<MeetingChange> {
    // A meeting never changes agent, so an unlocked read names the agent to lock; the
    // agent before the meeting, in the order bookings take them.
    auto found = load_meeting(db, meeting_id);
    if (!found) return core::not_found("no such meeting");
    lock_bookings_of(db, found->agent_id);
    // Locked too: a cancel (which takes only the meeting's row) cannot slip in between
    // this status check and the update.
    auto current = first_meeting(
        db.query(sql({"SELECT ", kMeetingColumns, " FROM meetings g WHERE g.id = $1 FOR UPDATE"}),
                 meeting_id));
    if (!current) return core::not_found("no such meeting");
    if (current->status == core::MeetingStatus::cancelled) {
      return core::conflict("the meeting was cancelled");
    }
    auto slot = check(state_in(db, current->agent_id, now - kStateLookBack, meeting_id));
    if (!slot) return core::conflict("That time was just taken");
    auto r = unless_taken([&] {
      return db.query(sql({"UPDATE meetings SET start_at = $2, end_at = $3, "
                           "status = 'rescheduled', sequence = sequence + 1, updated_at = $4 "
                           "WHERE id = $1 RETURNING ",
                           kMeetingColumnsBare}),
                      meeting_id, slot->start, slot->end, now);
    });
    if (!r) return core::conflict("That time was just taken");
    MeetingChange change{read_meeting(PgRow(*r, 0)), std::nullopt, std::nullopt};
    record_change(db, change, core::kMeetingRescheduledEvent, core::activity::kMeetingRescheduled,
                  describe, now);
    return change;
  });
}

Result<MeetingChange> PgStore::cancel_meeting(Id meeting_id, const DescribeMeeting& describe,
                                              Millis now) {
  return write([&](PgConnection& db) -> Result<MeetingChange> {
    // Conditional: of two cancels (on any nodes) the second finds it cancelled.
    auto r = db.query(sql({"UPDATE meetings SET status = 'cancelled', sequence = sequence + 1, "
                           "updated_at = $2 WHERE id = $1 AND status <> 'cancelled' RETURNING ",
                           kMeetingColumnsBare}),
                      meeting_id, now);
    if (r.empty()) {
      if (!load_meeting(db, meeting_id)) return core::not_found("no such meeting");
      return core::conflict("the meeting is already cancelled");
    }
    MeetingChange change{read_meeting(PgRow(r, 0)), std::nullopt, std::nullopt};
    record_change(db, change, core::kMeetingCancelledEvent, core::activity::kMeetingCancelled,
                  describe, now);
    return change;
  });
}

std::optional<core::Meeting> PgStore::find_meeting(Id meeting_id) {
  return read([&](PgConnection& db) { return load_meeting(db, meeting_id); });
}

std::optional<core::Meeting> PgStore::find_meeting_by_token(std::string_view token_hash) {
  return read([&](PgConnection& db) {
    return first_meeting(db.query(
        sql({"SELECT ", kMeetingColumns, " FROM meetings g WHERE g.manage_token_hash = $1"}),
        token_hash));
  });
}

std::vector<core::Meeting> PgStore::list_meetings(std::optional<Id> agent_id, int limit) {
  return read([&](PgConnection& db) {
    auto r = agent_id ? db.query(sql({"SELECT ", kMeetingColumns,
                                      " FROM meetings g WHERE g.agent_id = $1 "
                                      "ORDER BY g.start_at DESC LIMIT $2"}),
                                 *agent_id, limit)
                      : db.query(sql({"SELECT ", kMeetingColumns,
                                      " FROM meetings g ORDER BY g.start_at DESC LIMIT $1"}),
                                 limit);
    std::vector<core::Meeting> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_meeting(PgRow(r, i)));
    return out;
  });
}

}  // namespace parley::store::postgres
