#include "calendar/ics_invite.hpp"

#include <date/date.h>

#include <algorithm>
#include <chrono>
#include <string_view>

namespace parley::calendar {

namespace {

constexpr std::size_t kMaxLineOctets = 75;  // RFC 5545 §3.1, CRLF not counted

bool is_control(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

// A TEXT value (RFC 5545 §3.3.11). Any line break becomes "\n"; other control characters but
// HTAB are not allowed in TEXT.
std::string escape_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\r':
        if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (c == '\t' || !is_control(c)) out += c;
    }
  }
  return out;
}

// A parameter value (CN=...). It has no escapes: a value holding : ; or , is quoted, and a
// double quote cannot appear at all, so it becomes a single one.
std::string param_value(std::string_view s) {
  std::string v;
  for (char c : s) {
    if (c == '"') {
      v += '\'';
    } else if (c == '\t' || !is_control(c)) {
      v += c;
    }
  }
  if (v.find_first_of(":;,") != std::string::npos) return '"' + v + '"';
  return v;
}

// A CAL-ADDRESS. Addresses are validated upstream; this only keeps the line whole.
std::string mailto(std::string_view email) {
  std::string out = "mailto:";
  for (char c : email) {
    if (!is_control(c) && c != ' ') out += c;
  }
  return out;
}

std::string utc_time(core::Millis ms) {
  using namespace std::chrono;
  auto t = date::floor<seconds>(date::sys_time<milliseconds>(milliseconds(ms)));
  return date::format("%Y%m%dT%H%M%SZ", t);
}

// One content line, folded: a line longer than 75 octets goes on in lines that start with a
// space (which counts towards their 75).
void add_line(std::string& out, std::string_view line) {
  std::size_t limit = kMaxLineOctets;
  while (line.size() > limit) {
    std::size_t cut = limit;
    // Not inside a UTF-8 character: back up to its first byte (RFC 5545 asks for this, and
    // a client that unfolds naively would show garbage).
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    if (cut == 0) cut = limit;  // not UTF-8 after all
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = kMaxLineOctets - 1;
  }
  out.append(line);
  out += "\r\n";
}

}  // namespace

std::string meeting_invitation_ics(const Invitation& inv) {
  std::string out;
  add_line(out, "BEGIN:VCALENDAR");
  add_line(out, "PRODID:-//Parley//Parley Meetings//EN");
  add_line(out, "VERSION:2.0");
  add_line(out, "CALSCALE:GREGORIAN");
  add_line(out, inv.cancelled ? "METHOD:CANCEL" : "METHOD:REQUEST");
  add_line(out, "BEGIN:VEVENT");
  add_line(out, "UID:" + escape_text(inv.uid));
  add_line(out, "DTSTAMP:" + utc_time(inv.stamp));
  add_line(out, "DTSTART:" + utc_time(inv.start));
  add_line(out, "DTEND:" + utc_time(inv.end));
  add_line(out, "SEQUENCE:" + std::to_string(std::max(0, inv.sequence)));
  add_line(out, inv.cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
  add_line(out, "SUMMARY:" + escape_text(inv.summary));
  if (!inv.description.empty()) add_line(out, "DESCRIPTION:" + escape_text(inv.description));
  if (!inv.organizer_email.empty()) {
    std::string organizer = "ORGANIZER";
    if (!inv.organizer_name.empty()) organizer += ";CN=" + param_value(inv.organizer_name);
    add_line(out, organizer + ":" + mailto(inv.organizer_email));
  }
  if (!inv.attendee_email.empty()) {
    // The booker chose the slot: they have accepted, and no reply is expected.
    add_line(out, "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:" +
                      mailto(inv.attendee_email));
  }
  add_line(out, "TRANSP:OPAQUE");
  add_line(out, "END:VEVENT");
  add_line(out, "END:VCALENDAR");
  return out;
}

}  // namespace parley::calendar
