#include "calendar/ics_invite.hpp"

#include <date/date.h>
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <chrono>
#include <memory>
#include <sstream>

namespace parley::calendar {
namespace {

using core::Millis;
using namespace std::chrono;

Millis utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0) {
  auto t = date::sys_days{date::year{y} / m / d} + hours(hh) + minutes(mm);
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

Invitation booked() {
  Invitation inv;
  inv.uid = "meeting-42@parley.example";
  inv.start = utc(2026, 3, 30, 9);
  inv.end = utc(2026, 3, 30, 9, 30);
  inv.summary = "Intro call";
  inv.description = "Booked from the chat";
  inv.organizer_name = "Ada Agent";
  inv.organizer_email = "ada@sales.example";
  inv.attendee_email = "vic@visitor.example";
  inv.sequence = 0;
  inv.stamp = utc(2026, 3, 20, 14, 5);
  return inv;
}

struct ComponentFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;

Component parse(const std::string& text) {
  return Component(icalparser_parse_string(text.c_str()));
}

icalcomponent* event_of(const Component& calendar) {
  return icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT);
}

Millis instant(icaltimetype t) {
  return static_cast<Millis>(icaltime_as_timet_with_zone(t, icaltimezone_get_utc_timezone())) *
         1000;
}

std::string param(icalproperty* p, icalparameter_kind kind) {
  icalparameter* param = icalproperty_get_first_parameter(p, kind);
  return param ? icalparameter_as_ical_string(param) : "";
}

std::vector<std::string> physical_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find("\r\n", at);
    if (end == std::string::npos) {
      lines.push_back(text.substr(at));  // no CRLF at the very end: the test below fails
      break;
    }
    lines.push_back(text.substr(at, end - at));
    at = end + 2;
  }
  return lines;
}

TEST(IcsInviteTest, ARequestParsesBackWithEveryField) {
  const std::string text = meeting_invitation_ics(booked());
  auto calendar = parse(text);
  ASSERT_TRUE(calendar);
  EXPECT_EQ(ICAL_VCALENDAR_COMPONENT, icalcomponent_isa(calendar.get()));
  EXPECT_EQ(ICAL_METHOD_REQUEST, icalcomponent_get_method(calendar.get()));
  EXPECT_STREQ("2.0", icalproperty_get_version(
                          icalcomponent_get_first_property(calendar.get(), ICAL_VERSION_PROPERTY)));
  EXPECT_STREQ("-//Parley//Parley Meetings//EN",
               icalproperty_get_prodid(
                   icalcomponent_get_first_property(calendar.get(), ICAL_PRODID_PROPERTY)));
  EXPECT_EQ(1, icalcomponent_count_components(calendar.get(), ICAL_VEVENT_COMPONENT));
  EXPECT_EQ(0, icalcomponent_count_errors(calendar.get()));

  icalcomponent* event = event_of(calendar);
  ASSERT_NE(nullptr, event);
  EXPECT_STREQ("meeting-42@parley.example", icalcomponent_get_uid(event));
  EXPECT_STREQ("Intro call", icalcomponent_get_summary(event));
  EXPECT_STREQ("Booked from the chat", icalcomponent_get_description(event));
  icaltimetype start = icalcomponent_get_dtstart(event);
  EXPECT_TRUE(icaltime_is_utc(start));
  EXPECT_EQ(utc(2026, 3, 30, 9), instant(start));
  EXPECT_EQ(utc(2026, 3, 30, 9, 30), instant(icalcomponent_get_dtend(event)));
  EXPECT_EQ(utc(2026, 3, 20, 14, 5), instant(icalcomponent_get_dtstamp(event)));
  EXPECT_EQ(0, icalcomponent_get_sequence(event));
  EXPECT_EQ(ICAL_STATUS_CONFIRMED, icalcomponent_get_status(event));

  icalproperty* organizer = icalcomponent_get_first_property(event, ICAL_ORGANIZER_PROPERTY);
  ASSERT_NE(nullptr, organizer);
  EXPECT_STREQ("mailto:ada@sales.example", icalproperty_get_organizer(organizer));
  EXPECT_STREQ("Ada Agent", icalparameter_get_cn(
                                icalproperty_get_first_parameter(organizer, ICAL_CN_PARAMETER)));
  icalproperty* attendee = icalcomponent_get_first_property(event, ICAL_ATTENDEE_PROPERTY);
  ASSERT_NE(nullptr, attendee);
  EXPECT_STREQ("mailto:vic@visitor.example", icalproperty_get_attendee(attendee));
  EXPECT_EQ("PARTSTAT=ACCEPTED", param(attendee, ICAL_PARTSTAT_PARAMETER));
  EXPECT_EQ("ROLE=REQ-PARTICIPANT", param(attendee, ICAL_ROLE_PARAMETER));
  EXPECT_EQ(nullptr, icalcomponent_get_next_property(event, ICAL_ATTENDEE_PROPERTY));
}

TEST(IcsInviteTest, TheTextIsExactlyRfc5545Shaped) {
  const std::string text = meeting_invitation_ics(booked());
  EXPECT_EQ(
      "BEGIN:VCALENDAR\r\n"
      "PRODID:-//Parley//Parley Meetings//EN\r\n"
      "VERSION:2.0\r\n"
      "CALSCALE:GREGORIAN\r\n"
      "METHOD:REQUEST\r\n"
      "BEGIN:VEVENT\r\n"
      "UID:meeting-42@parley.example\r\n"
      "DTSTAMP:20260320T140500Z\r\n"
      "DTSTART:20260330T090000Z\r\n"
      "DTEND:20260330T093000Z\r\n"
      "SEQUENCE:0\r\n"
      "STATUS:CONFIRMED\r\n"
      "SUMMARY:Intro call\r\n"
      "DESCRIPTION:Booked from the chat\r\n"
      "ORGANIZER;CN=Ada Agent:mailto:ada@sales.example\r\n"
      "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:vic@visit\r\n"
      " or.example\r\n"
      "TRANSP:OPAQUE\r\n"
      "END:VEVENT\r\n"
      "END:VCALENDAR\r\n",
      text);
}

TEST(IcsInviteTest, ACancellationCarriesMethodStatusAndSequence) {
  Invitation inv = booked();
  inv.cancelled = true;
  inv.sequence = 2;
  auto calendar = parse(meeting_invitation_ics(inv));
  ASSERT_TRUE(calendar);
  EXPECT_EQ(ICAL_METHOD_CANCEL, icalcomponent_get_method(calendar.get()));
  icalcomponent* event = event_of(calendar);
  ASSERT_NE(nullptr, event);
  EXPECT_EQ(ICAL_STATUS_CANCELLED, icalcomponent_get_status(event));
  EXPECT_EQ(2, icalcomponent_get_sequence(event));
  EXPECT_STREQ("meeting-42@parley.example", icalcomponent_get_uid(event));
}

TEST(IcsInviteTest, LongLinesAreFoldedAt75OctetsWithoutSplittingCharacters) {
  Invitation inv = booked();
  // 300 octets of ASCII then two-octet characters, so that some fold falls inside one.
  inv.description = std::string(300, 'x');
  for (int i = 0; i < 100; ++i) inv.description += "Grüße ";
  inv.description += "!";  // libical drops a value's trailing spaces
  const std::string text = meeting_invitation_ics(inv);

  auto lines = physical_lines(text);
  ASSERT_GT(lines.size(), 10u);
  std::size_t continuations = 0;
  for (const auto& line : lines) {
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_EQ(std::string::npos, line.find('\n'));
    EXPECT_EQ(std::string::npos, line.find('\r'));
    if (!line.empty() && line[0] == ' ') {
      ++continuations;
      // A continuation never starts in the middle of a UTF-8 character.
      ASSERT_GT(line.size(), 1u);
      EXPECT_NE(0x80, static_cast<unsigned char>(line[1]) & 0xC0) << line;
    }
  }
  EXPECT_GE(continuations, 10u);
  EXPECT_EQ("\r\n", text.substr(text.size() - 2));

  auto calendar = parse(text);
  ASSERT_TRUE(calendar);
  EXPECT_EQ(inv.description, icalcomponent_get_description(event_of(calendar)));
}

TEST(IcsInviteTest, TextValuesAreEscaped) {
  Invitation inv = booked();
  inv.summary = "Call; pricing, terms \\ next steps";
  inv.description = "Line one\nLine two\r\nLine three, with; all \\ of them";
  inv.organizer_name = "Agent, \"The\" Closer";
  const std::string text = meeting_invitation_ics(inv);
  EXPECT_NE(std::string::npos, text.find("SUMMARY:Call\\; pricing\\, terms \\\\ next steps\r\n"));
  EXPECT_NE(std::string::npos,
            text.find("ORGANIZER;CN=\"Agent, 'The' Closer\":mailto:ada@sales.example\r\n"));

  auto calendar = parse(text);
  ASSERT_TRUE(calendar);
  icalcomponent* event = event_of(calendar);
  EXPECT_EQ(inv.summary, icalcomponent_get_summary(event));
  EXPECT_EQ("Line one\nLine two\nLine three, with; all \\ of them",
            std::string(icalcomponent_get_description(event)));
  icalproperty* organizer = icalcomponent_get_first_property(event, ICAL_ORGANIZER_PROPERTY);
  EXPECT_STREQ("Agent, 'The' Closer", icalparameter_get_cn(icalproperty_get_first_parameter(
                                          organizer, ICAL_CN_PARAMETER)));
  EXPECT_EQ(1, icalcomponent_count_components(calendar.get(), ICAL_VEVENT_COMPONENT));
}

TEST(IcsInviteTest, NoValueCanInjectAProperty) {
  Invitation inv = booked();
  inv.summary = "Hi\r\nATTENDEE:mailto:evil@example.com";
  inv.attendee_email = "vic@visitor.example\r\nATTENDEE:mailto:evil@example.com";
  inv.organizer_name = "Ada\r\nX-EVIL:1";
  auto calendar = parse(meeting_invitation_ics(inv));
  ASSERT_TRUE(calendar);
  icalcomponent* event = event_of(calendar);
  EXPECT_EQ(1, icalcomponent_count_properties(event, ICAL_ATTENDEE_PROPERTY));
  EXPECT_EQ(0, icalcomponent_count_properties(event, ICAL_X_PROPERTY));
  EXPECT_STREQ("Hi\nATTENDEE:mailto:evil@example.com", icalcomponent_get_summary(event));
}

}  // namespace
}  // namespace parley::calendar
