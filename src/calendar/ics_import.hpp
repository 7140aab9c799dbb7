// Busy times from an iCalendar (.ics) file (SPEC §4): what an agent's own calendar says they
// are doing, so that meeting slots (core/meeting_slots) are not offered over it. An adapter
// over libical; it reads text, it does not fetch URLs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/meeting_slots.hpp"
#include "core/result.hpp"

namespace parley::calendar {

// Upper bounds on the work one file can cause, so that a hostile or broken rule
// (FREQ=SECONDLY with no end) is refused instead of hanging a server thread.
inline constexpr std::size_t kMaxOccurrencesPerEvent = 10'000;
inline constexpr std::size_t kMaxOccurrences = 100'000;  // for the whole file

// The time ranges in [from, to) during which the calendar's events make its owner busy,
// clipped to [from, to), sorted by start, without duplicates (overlapping ranges are kept as
// they are). Ranges of no length are left out: they take no time.
//
// Every VEVENT counts except those with TRANSP:TRANSPARENT or STATUS:CANCELLED.
// - Times: UTC ('Z'), with a TZID (a VTIMEZONE of the file, else libical's builtin zone of
//   that name; an unknown TZID is an error), or floating, read in `default_zone` (an IANA
//   name). A DATE (all-day) value is the whole local day in `default_zone`. A local time
//   skipped or repeated by a daylight-saving change is read with the offset in force after
//   the change (libical's rule).
// - Length: DTEND; else DURATION (days and weeks are nominal: local days, so a one-day
//   event stays midnight to midnight across a change); else none for a DATE-TIME start and
//   one day for a DATE start. Each occurrence of a recurring event has the first one's length.
// - Recurrence: DTSTART, every RRULE and RDATE (DATE, DATE-TIME or PERIOD), minus EXDATE
//   (a DATE EXDATE removes every occurrence starting on that local date). A component with a
//   RECURRENCE-ID replaces the occurrence of its UID starting then (and removes it when it is
//   cancelled or transparent); RANGE=THISANDFUTURE is read as that one occurrence only.
// - Errors, as bad_request with a message naming the event: text that is not an iCalendar
//   object, a NUL byte, an unreadable DTSTART/DTEND/DURATION/RRULE/RDATE/EXDATE/
//   RECURRENCE-ID, an event ending before it starts, an unknown TZID or `default_zone`, and a
//   recurrence with more than kMaxOccurrencesPerEvent occurrences to walk through (or one
//   rule finer than daily whose window holds that many periods) or kMaxOccurrences in all.
//   Errors in properties that do not bear on time (an odd ATTENDEE) are ignored.
//
// Thread-safe: calls into libical are serialised (see ics_import.cpp).
core::Result<std::vector<core::TimeRange>> busy_times_from_ics(std::string_view ics_text,
                                                               core::Millis from, core::Millis to,
                                                               const std::string& default_zone);

}  // namespace parley::calendar
