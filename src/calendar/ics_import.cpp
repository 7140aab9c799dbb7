#include "calendar/ics_import.hpp"

#include <libical/ical.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace parley::calendar {

namespace {

using core::Millis;
using core::TimeRange;

// libical keeps process-wide state without locks: the builtin time zone cache (each zone is
// loaded, and its table of changes extended year by year, lazily on first use), icalerrno and
// the error-handling switches. An import happens when an agent uploads a file or a URL is
// refreshed, so running one at a time costs nothing worth a finer scheme.
std::mutex libical_mutex;

constexpr Millis kHourMs = Millis{3600} * 1000;
constexpr Millis kDayMs = 24 * kHourMs;
// A nominal day lasts 23 to 25 hours; margins below use the longest.
constexpr Millis kLongestDayMs = 25 * kHourMs;

struct ComponentFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
struct IteratorFree {
  void operator()(icalrecur_iterator* i) const { icalrecur_iterator_free(i); }
};

core::Error error(const std::string& message) { return core::bad_request("iCalendar: " + message); }

// How a user recognises an event in an error message.
std::string describe(icalcomponent* event) {
  if (const char* s = icalcomponent_get_summary(event); s && *s) {
    return "event \"" + std::string(s) + "\"";
  }
  if (const char* uid = icalcomponent_get_uid(event); uid && *uid) {
    return "event with UID " + std::string(uid);
  }
  return "an event";
}

// libical drops a property it cannot read and leaves an X-LIC-ERROR in its place. Those that
// concern the event's times would silently change what is busy, so they are errors; others
// (an odd ATTENDEE) do not matter here.
std::optional<std::string> timing_parse_error(icalcomponent* event) {
  static constexpr const char* kTimingProperties[] = {"DTSTART", "DTEND",  "DURATION",     "RRULE",
                                                      "RDATE",   "EXDATE", "RECURRENCE-ID"};
  for (auto* p = icalcomponent_get_first_property(event, ICAL_XLICERROR_PROPERTY); p;
       p = icalcomponent_get_next_property(event, ICAL_XLICERROR_PROPERTY)) {
    std::string_view text = icalproperty_get_xlicerror(p) ? icalproperty_get_xlicerror(p) : "";
    for (const char* name : kTimingProperties) {
      // "... in DTEND property ..." or "... for property DTSTART: ..."
      if (text.find(" " + std::string(name) + " property") != std::string_view::npos ||
          text.find("property " + std::string(name)) != std::string_view::npos) {
        return std::string(text);
      }
    }
  }
  return std::nullopt;
}

// A local date as one comparable number.
int date_key(const icaltimetype& t) { return t.year * 10000 + t.month * 100 + t.day; }

bool has_by_parts(const icalrecurrencetype& r) {
  for (const short* part : {r.by_second, r.by_minute, r.by_hour, r.by_day, r.by_month_day,
                            r.by_year_day, r.by_week_no, r.by_month, r.by_set_pos}) {
    if (part[0] != ICAL_RECURRENCE_ARRAY_MAX) return true;
  }
  return false;
}

// How long each occurrence lasts: whole local days, then an exact number of milliseconds.
struct Length {
  int nominal_days = 0;
  Millis exact = 0;
  Millis longest() const { return nominal_days * kLongestDayMs + exact; }
};

// Occurrences that do not count: EXDATEs, and those replaced by a RECURRENCE-ID component.
struct Exclusions {
  std::set<Millis> starts;
  std::set<int> dates;  // DATE values: every occurrence starting on that local date
};

class Reader {
 public:
  Reader(const icaltimezone* default_zone, Millis from, Millis to)
      : default_zone_(default_zone), from_(from), to_(to) {}

  core::Status read(icalcomponent* root);
  std::vector<TimeRange> take();

 private:
  // Wall-clock times are handled as floating values (zone = nullptr) or UTC ones, and turned
  // into instants with the zone resolved here; the recurrence iterator then counts in local
  // days and hours, as RFC 5545 wants.
  core::Result<const icaltimezone*> zone_of(icalcomponent* event, icalproperty* p,
                                            const icaltimetype& t) const;
  core::Result<Millis> instant_of(icalcomponent* event, icalproperty* p,
                                  const icaltimetype& t) const;
  static Millis to_millis(icaltimetype t, const icaltimezone* zone);
  static icaltimetype local_fields(Millis at, const icaltimezone* zone, const icaltimetype& like);

  core::Result<Length> length_of(icalcomponent* event, const icaltimetype& start,
                                 Millis start_ms) const;
  core::Status expand(icalcomponent* event, const Exclusions& replaced);
  core::Status count(icalcomponent* event, std::size_t& in_event);
  void add(Millis start, Millis end);

  const icaltimezone* default_zone_;
  Millis from_, to_;
  std::vector<TimeRange> ranges_;
  std::size_t expanded_ = 0;
};

core::Result<const icaltimezone*> Reader::zone_of(icalcomponent* event, icalproperty* p,
                                                  const icaltimetype& t) const {
  if (icaltime_is_utc(t)) return icaltimezone_get_utc_timezone();
  if (t.is_date) return default_zone_;
  icalparameter* param = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
  if (!param) return default_zone_;  // floating
  const char* tzid = icalparameter_get_tzid(param);
  if (!tzid || !*tzid) return error("empty TZID in " + describe(event));
  // The file's own VTIMEZONE first (Outlook names zones "W. Europe Standard Time"), then
  // the IANA zones libical reads from the system's tzdata.
  if (icalcomponent* calendar = icalcomponent_get_parent(event)) {
    if (icaltimezone* z = icalcomponent_get_timezone(calendar, tzid)) return z;
  }
  if (icaltimezone* z = icaltimezone_get_builtin_timezone(tzid)) return z;
  if (icaltimezone* z = icaltimezone_get_builtin_timezone_from_tzid(tzid)) return z;
  return error("unknown time zone \"" + std::string(tzid) + "\" in " + describe(event));
}

Millis Reader::to_millis(icaltimetype t, const icaltimezone* zone) {
  if (t.is_date) {
    t.is_date = 0;
    t.hour = t.minute = t.second = 0;
  }
  t.zone = nullptr;
  return static_cast<Millis>(icaltime_as_timet_with_zone(t, zone)) * 1000;
}

// The wall-clock fields of `at` in `zone`, shaped like `like` (DATE or DATE-TIME, floating
// or UTC) so that libical compares them with `like` field by field.
icaltimetype Reader::local_fields(Millis at, const icaltimezone* zone, const icaltimetype& like) {
  icaltimetype t = icaltime_from_timet_with_zone(static_cast<time_t>(at / 1000), like.is_date,
                                                 const_cast<icaltimezone*>(zone));
  t.zone = like.zone;
  return t;
}

core::Result<Millis> Reader::instant_of(icalcomponent* event, icalproperty* p,
                                        const icaltimetype& t) const {
  auto zone = zone_of(event, p, t);
  if (!zone) return zone.error();
  return to_millis(t, *zone);
}

core::Result<Length> Reader::length_of(icalcomponent* event, const icaltimetype& start,
                                       Millis start_ms) const {
  if (icalproperty* p = icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY)) {
    icaltimetype end = icalproperty_get_dtend(p);
    if (start.is_date && end.is_date) {
      // Whole days, counted on the calendar (UTC has no daylight-saving change).
      Millis days = (to_millis(end, icaltimezone_get_utc_timezone()) -
                     to_millis(start, icaltimezone_get_utc_timezone())) /
                    kDayMs;
      if (days < 0) return error(describe(event) + " ends before it starts");
      return Length{static_cast<int>(days), 0};
    }
    auto end_ms = instant_of(event, p, end);
    if (!end_ms) return end_ms.error();
    if (*end_ms < start_ms) return error(describe(event) + " ends before it starts");
    return Length{0, *end_ms - start_ms};
  }
  if (icalproperty* p = icalcomponent_get_first_property(event, ICAL_DURATION_PROPERTY)) {
    icaldurationtype d = icalproperty_get_duration(p);
    if (icaldurationtype_is_bad_duration(d)) {
      return error("unreadable DURATION in " + describe(event));
    }
    if (d.is_neg) return error(describe(event) + " has a negative DURATION");
    return Length{static_cast<int>(d.weeks * 7 + d.days),
                  ((static_cast<Millis>(d.hours) * 60 + d.minutes) * 60 + d.seconds) * 1000};
  }
  return Length{start.is_date ? 1 : 0, 0};
}

core::Status Reader::count(icalcomponent* event, std::size_t& in_event) {
  if (++in_event > kMaxOccurrencesPerEvent) {
    return error(describe(event) + " repeats too often: more than " +
                 std::to_string(kMaxOccurrencesPerEvent) + " occurrences to expand");
  }
  if (++expanded_ > kMaxOccurrences) {
    return error("the calendar has more than " + std::to_string(kMaxOccurrences) +
                 " occurrences to expand");
  }
  return core::Ok{};
}

void Reader::add(Millis start, Millis end) {
  start = std::max(start, from_);
  end = std::min(end, to_);
  if (start < end) ranges_.push_back({start, end});
}

core::Status Reader::expand(icalcomponent* event, const Exclusions& replaced) {
  icalproperty* dtstart = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
  icaltimetype start = dtstart ? icalproperty_get_dtstart(dtstart) : icaltime_null_time();
  if (icaltime_is_null_time(start)) return error(describe(event) + " has no DTSTART");
  auto zone_or = zone_of(event, dtstart, start);
  if (!zone_or) return zone_or.error();
  const icaltimezone* zone = *zone_or;
  if (!icaltime_is_utc(start)) start.zone = nullptr;
  const Millis start_ms = to_millis(start, zone);
  auto length_or = length_of(event, start, start_ms);
  if (!length_or) return length_or.error();
  const Length length = *length_or;

  Exclusions excluded = replaced;
  for (auto* p = icalcomponent_get_first_property(event, ICAL_EXDATE_PROPERTY); p;
       p = icalcomponent_get_next_property(event, ICAL_EXDATE_PROPERTY)) {
    icaltimetype t = icalproperty_get_exdate(p);
    if (t.is_date) {
      excluded.dates.insert(date_key(t));
    } else {
      auto ms = instant_of(event, p, t);
      if (!ms) return ms.error();
      excluded.starts.insert(*ms);
    }
  }

  std::size_t in_event = 0;
  std::set<Millis> seen;  // DTSTART, RRULE and RDATE may name one start more than once
  // One occurrence starting at `local` (wall-clock fields in `z`), of the event's length.
  auto occurrence = [&](const icaltimetype& local, const icaltimezone* z) {
    Millis s = to_millis(local, z);
    if (!seen.insert(s).second) return;
    if (excluded.starts.count(s) || excluded.dates.count(date_key(local))) return;
    Millis e = s + length.exact;
    if (length.nominal_days != 0) {
      icaltimetype end_local = local;
      icaltime_adjust(&end_local, length.nominal_days, 0, 0, 0);
      e = to_millis(end_local, z) + length.exact;
    }
    add(s, e);
  };

  if (auto s = count(event, in_event); !s) return s;
  occurrence(start, zone);

  for (auto* p = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY); p;
       p = icalcomponent_get_next_property(event, ICAL_RRULE_PROPERTY)) {
    icalrecurrencetype rule = icalproperty_get_rrule(p);
    if (rule.freq == ICAL_NO_RECURRENCE) return error("unreadable RRULE in " + describe(event));

    // Occurrences starting after `to` do not matter (a day's margin covers the gap between
    // wall-clock and UTC fields). That end goes into the rule as UNTIL because libical can
    // scan for a long time inside one call: a rule no date satisfies
    // (FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30) runs on for centuries. UNTIL is written as
    // wall-clock fields like DTSTART's, which is how libical compares them (a UTC UNTIL
    // against a floating start would be off by the zone's offset).
    Millis until_ms = to_ + kDayMs;
    if (!icaltime_is_null_time(rule.until)) {
      icaltimetype until = rule.until;
      if (until.is_date && !start.is_date) {  // the whole day is included
        until.is_date = 0;
        until.hour = 23, until.minute = 59, until.second = 59;
      }
      until_ms = std::min(
          until_ms,
          to_millis(until, icaltime_is_utc(until) ? icaltimezone_get_utc_timezone() : zone));
    }
    rule.until = local_fields(until_ms, zone, start);
    if (until_ms + length.longest() + kDayMs < from_) continue;  // over before the window

    // A rule without COUNT can start from the window instead of DTSTART (a weekly meeting
    // since 2015); with COUNT every earlier occurrence has to be counted.
    Millis walk_start = start_ms;
    const Millis jump = from_ - length.longest() - kDayMs;
    std::unique_ptr<icalrecur_iterator, IteratorFree> it(icalrecur_iterator_new(rule, start));
    if (!it) return error("RRULE of " + describe(event) + " cannot be expanded");
    if (rule.count == 0 && jump > start_ms &&
        icalrecur_iterator_set_start(it.get(), local_fields(jump, zone, start)) == 1) {
      walk_start = jump;
    }

    // libical steps through every period of a rule finer than daily, even those its BY
    // parts reject, so their number is the work to bound.
    Millis period_s = rule.freq == ICAL_SECONDLY_RECURRENCE   ? 1
                      : rule.freq == ICAL_MINUTELY_RECURRENCE ? 60
                      : rule.freq == ICAL_HOURLY_RECURRENCE   ? 3600
                                                              : 0;
    if (period_s != 0) {
      Millis periods =
          (until_ms - walk_start) / (period_s * 1000 * std::max(1, int(rule.interval)));
      if (rule.count > 0 && !has_by_parts(rule)) periods = std::min<Millis>(periods, rule.count);
      if (periods > static_cast<Millis>(kMaxOccurrencesPerEvent)) {
        return error(describe(event) + " repeats too often: more than " +
                     std::to_string(kMaxOccurrencesPerEvent) + " occurrences to expand");
      }
    }

    for (;;) {
      icaltimetype t = icalrecur_iterator_next(it.get());
      if (icaltime_is_null_time(t)) break;
      if (auto s = count(event, in_event); !s) return s;
      if (to_millis(t, zone) >= to_) break;
      occurrence(t, zone);
    }
  }

  for (auto* p = icalcomponent_get_first_property(event, ICAL_RDATE_PROPERTY); p;
       p = icalcomponent_get_next_property(event, ICAL_RDATE_PROPERTY)) {
    if (auto s = count(event, in_event); !s) return s;
    icaldatetimeperiodtype rdate = icalproperty_get_rdate(p);
    if (!icaltime_is_null_time(rdate.time)) {
      auto z = zone_of(event, p, rdate.time);
      if (!z) return z.error();
      occurrence(rdate.time, *z);
      continue;
    }
    // A PERIOD names its own end.
    const icalperiodtype& period = rdate.period;
    auto s = instant_of(event, p, period.start);
    if (!s) return s.error();
    Millis e = *s + static_cast<Millis>(icaldurationtype_as_int(period.duration)) * 1000;
    if (!icaltime_is_null_time(period.end)) {
      auto end = instant_of(event, p, period.end);
      if (!end) return end.error();
      e = *end;
    }
    if (e < *s) return error("an RDATE period of " + describe(event) + " ends before it starts");
    icaltimetype local = period.start;
    if (!seen.insert(*s).second || excluded.starts.count(*s) ||
        excluded.dates.count(date_key(local))) {
      continue;
    }
    add(*s, e);
  }
  return core::Ok{};
}

core::Status Reader::read(icalcomponent* root) {
  std::vector<icalcomponent*> calendars;
  if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) {
    calendars.push_back(root);
  } else if (icalcomponent_isa(root) == ICAL_XROOT_COMPONENT) {  // several VCALENDARs
    for (auto* c = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT); c;
         c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT)) {
      calendars.push_back(c);
    }
  }
  if (calendars.empty()) return error("not a calendar (no BEGIN:VCALENDAR ... END:VCALENDAR)");

  std::vector<icalcomponent*> events;
  for (auto* calendar : calendars) {
    for (auto* e = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
      if (auto bad = timing_parse_error(e)) return error(describe(e) + ": " + *bad);
      events.push_back(e);
    }
  }

  // Occurrences replaced by a RECURRENCE-ID component, by UID. The replacement is read as an
  // event of its own below, so a cancelled one removes the occurrence and adds nothing.
  std::map<std::string, Exclusions> replaced;
  for (auto* e : events) {
    icalproperty* p = icalcomponent_get_first_property(e, ICAL_RECURRENCEID_PROPERTY);
    if (!p) continue;
    icaltimetype rid = icalproperty_get_recurrenceid(p);
    auto& by_uid = replaced[icalcomponent_get_uid(e) ? icalcomponent_get_uid(e) : ""];
    if (rid.is_date) {
      by_uid.dates.insert(date_key(rid));
    } else {
      auto ms = instant_of(e, p, rid);
      if (!ms) return ms.error();
      by_uid.starts.insert(*ms);
    }
  }

  static const Exclusions kNone;
  for (auto* e : events) {
    if (icalcomponent_get_status(e) == ICAL_STATUS_CANCELLED) continue;
    if (icalproperty* t = icalcomponent_get_first_property(e, ICAL_TRANSP_PROPERTY);
        t && icalproperty_get_transp(t) == ICAL_TRANSP_TRANSPARENT) {
      continue;
    }
    const bool is_replacement = icalcomponent_get_first_property(e, ICAL_RECURRENCEID_PROPERTY);
    const char* uid = icalcomponent_get_uid(e);
    auto it = replaced.find(uid ? uid : "");
    if (auto s = expand(e, is_replacement || it == replaced.end() ? kNone : it->second); !s) {
      return s;
    }
  }
  return core::Ok{};
}

std::vector<TimeRange> Reader::take() {
  std::sort(ranges_.begin(), ranges_.end(), [](const TimeRange& a, const TimeRange& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });
  ranges_.erase(std::unique(ranges_.begin(), ranges_.end()), ranges_.end());
  return std::move(ranges_);
}

}  // namespace

core::Result<std::vector<TimeRange>> busy_times_from_ics(std::string_view ics_text, Millis from,
                                                         Millis to,
                                                         const std::string& default_zone) {
  if (ics_text.find('\0') != std::string_view::npos) return error("the text contains a NUL byte");
  const std::string text(ics_text);  // libical wants a terminated string

  std::lock_guard lock(libical_mutex);
  // A build with ICAL_ERRORS_ARE_FATAL would abort() on the first malformed line.
  icalerror_set_errors_are_fatal(0);
  icaltimezone* zone = icaltimezone_get_builtin_timezone(default_zone.c_str());
  if (!zone) return error("unknown time zone \"" + default_zone + "\"");

  std::unique_ptr<icalcomponent, ComponentFree> root(icalparser_parse_string(text.c_str()));
  if (!root) return error("not a calendar (no BEGIN:VCALENDAR ... END:VCALENDAR)");
  Reader reader(zone, from, to);
  if (auto s = reader.read(root.get()); !s) return s.error();
  return reader.take();
}

}  // namespace parley::calendar
