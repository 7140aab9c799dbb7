// Meeting invitations as iCalendar text (RFC 5545, with the iTIP methods of RFC 5546): the
// .ics file the booker and the agent download, or receive by mail, to put a booked meeting
// in their own calendar, and to take it out again when it is cancelled.
#pragma once

#include <string>

#include "core/types.hpp"

namespace parley::calendar {

struct Invitation {
  std::string uid;  // one per meeting, kept across reschedules and the cancellation
  core::Millis start = 0;
  core::Millis end = 0;
  std::string summary;
  std::string description;
  std::string organizer_name;  // the agent
  std::string organizer_email;
  std::string attendee_email;  // the booker
  // Calendars keep the version with the highest SEQUENCE: bump it on every reschedule and on
  // the cancellation, or clients ignore the update.
  int sequence = 0;
  bool cancelled = false;  // METHOD:CANCEL and STATUS:CANCELLED instead of REQUEST/CONFIRMED
  core::Millis stamp = 0;  // DTSTAMP: when this version of the invitation was made
};

// A VCALENDAR (PRODID, VERSION:2.0, METHOD) holding one VEVENT with UID, DTSTAMP,
// DTSTART/DTEND in UTC, SEQUENCE, STATUS, SUMMARY, DESCRIPTION (when not empty), ORGANIZER
// (with CN when named) and ATTENDEE (when known). Lines end in CRLF and are folded at 75
// octets without splitting a UTF-8 character; TEXT values escape \ ; , and line breaks.
// Control characters, which iCalendar text cannot carry, are dropped, so no value can start
// a property of its own.
std::string meeting_invitation_ics(const Invitation& invitation);

}  // namespace parley::calendar
