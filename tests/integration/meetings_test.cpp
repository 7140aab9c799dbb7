// Calendar sharing and meetings against a real server (issue 6): concurrent bookings of one
// slot, cancel frees it, who may see and change a meeting, the calendar card in a chat and
// after a missed request, Calendar Agents, busy times from an uploaded file, validation.
#include <atomic>
#include <fstream>
#include <thread>

#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

class MeetingsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    ASSERT_EQ(
        0, run_cli({"admin", "create-agent", "--data", dir.path.string(), "--name", "Carl Calendar",
                    "--email", "carl@example.com", "--password", kPassword, "--calendar-only"}));
    carl = std::make_unique<AgentLogin>(login("carl@example.com"));
    carl_id = carl->agent.at("id").as_int64();
    EXPECT_FALSE(carl->agent.at("takes_chats").as_bool());
    auto r = put_calendar(*carl, all_day());
    ASSERT_EQ(200, r.status) << r.body;
  }

  // Bookable at any hour: every day 00:00-24:00, 30-minute meetings.
  static json::object all_day() {
    json::array blocks;
    for (int d = 1; d <= 7; ++d)
      blocks.push_back({{"weekday", d}, {"start", "00:00"}, {"end", "24:00"}});
    return {{"time_zone", "UTC"}, {"blocks", blocks}, {"duration_minutes", 30}};
  }
  HttpResult put_calendar(AgentLogin& who, const json::object& body) {
    return who.http.request(verb::put, "/api/v1/me/calendar", json::serialize(body));
  }
  json::array slots_for(VisitorClient& v, std::int64_t agent_id) {
    auto r = v.http.get("/api/v1/visitor/calendars/" + std::to_string(agent_id) + "/slots");
    EXPECT_EQ(200, r.status) << r.body;
    return r.json().at("slots").as_array();
  }
  static bool has_start(const json::array& slots, std::int64_t start) {
    for (const auto& s : slots) {
      if (s.at("start").as_int64() == start) return true;
    }
    return false;
  }
  HttpResult book(VisitorClient& v, std::int64_t start, const std::string& email,
                  std::optional<std::int64_t> conversation = std::nullopt) {
    json::object body{{"agent_id", carl_id}, {"start", start}, {"email", email}};
    if (conversation) body["conversation_id"] = *conversation;
    return v.http.post("/api/v1/visitor/meetings", body);
  }
  std::string meeting_path(std::int64_t id, const std::string& rest) {
    return "/api/v1/meetings/" + std::to_string(id) + rest;
  }

  std::unique_ptr<AgentLogin> carl;
  std::int64_t carl_id = 0;
};

TEST_F(MeetingsTest, TwentyConcurrentBookingsOfOneSlotMakeExactlyOne) {
  std::vector<VisitorClient> visitors;
  for (int i = 0; i < 20; ++i) visitors.push_back(new_visitor(port()));
  auto start = slots_for(visitors[0], carl_id).at(2).at("start").as_int64();

  std::vector<HttpResult> results(20);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < 20) std::this_thread::yield();  // all at once
      results[i] = book(visitors[i], start, "v" + std::to_string(i) + "@example.com");
    });
  }
  for (auto& t : threads) t.join();

  int created = 0, taken = 0;
  for (const auto& r : results) {
    if (r.status == 201) ++created;
    if (r.status == 409) {
      ++taken;
      auto e = r.json().at("error");
      EXPECT_EQ("That time was just taken", e.at("message").as_string());
      EXPECT_FALSE(has_start(e.at("slots").as_array(), start));  // fresh slots, without it
      EXPECT_FALSE(e.at("slots").as_array().empty());
    }
  }
  EXPECT_EQ(1, created);
  EXPECT_EQ(19, taken);
  auto list = carl->http.get("/api/v1/meetings").json().at("meetings").as_array();
  ASSERT_EQ(1u, list.size());
  EXPECT_EQ(start, list[0].at("start").as_int64());
  EXPECT_FALSE(has_start(slots_for(visitors[0], carl_id), start));
}

TEST_F(MeetingsTest, CancelFreesTheSlot) {
  auto v = new_visitor(port());
  auto start = slots_for(v, carl_id).at(1).at("start").as_int64();
  auto booked = book(v, start, "Vera@Example.com");
  ASSERT_EQ(201, booked.status) << booked.body;
  auto meeting = booked.json().at("meeting").as_object();
  EXPECT_EQ("vera@example.com", meeting.at("booker_email").as_string());
  EXPECT_EQ("scheduled", meeting.at("status").as_string());
  EXPECT_EQ("Carl Calendar", meeting.at("agent_name").as_string());
  EXPECT_FALSE(meeting.at("passed").as_bool());
  EXPECT_FALSE(has_start(slots_for(v, carl_id), start));

  auto cancelled = carl->http.post(meeting_path(id_of(meeting), "/cancel"));
  ASSERT_EQ(200, cancelled.status) << cancelled.body;
  EXPECT_EQ("cancelled", cancelled.json().at("meeting").at("status").as_string());
  EXPECT_TRUE(has_start(slots_for(v, carl_id), start));
  EXPECT_EQ(409, carl->http.post(meeting_path(id_of(meeting), "/cancel")).status);

  auto other = new_visitor(port());
  EXPECT_EQ(201, book(other, start, "other@example.com").status);
}

TEST_F(MeetingsTest, RescheduleMovesToAFreeSlotAndRefusesATakenOne) {
  auto v = new_visitor(port());
  auto slots = slots_for(v, carl_id);
  auto first = slots.at(1).at("start").as_int64(), second = slots.at(3).at("start").as_int64();
  auto mine = book(v, first, "v@example.com").json().at("meeting").as_object();
  auto theirs = new_visitor(port());
  ASSERT_EQ(201, book(theirs, second, "t@example.com").status);

  auto clash =
      carl->http.post(meeting_path(id_of(mine), "/reschedule"), json::object{{"start", second}});
  ASSERT_EQ(409, clash.status);
  EXPECT_FALSE(has_start(clash.json().at("error").at("slots").as_array(), second));
  auto later = slots.at(5).at("start").as_int64();
  auto moved =
      carl->http.post(meeting_path(id_of(mine), "/reschedule"), json::object{{"start", later}});
  ASSERT_EQ(200, moved.status) << moved.body;
  EXPECT_EQ("rescheduled", moved.json().at("meeting").at("status").as_string());
  EXPECT_EQ(later, moved.json().at("meeting").at("start").as_int64());
  EXPECT_TRUE(has_start(slots_for(v, carl_id), first));  // the old time is free again
  // A time that is not a slot (misaligned) is refused.
  EXPECT_EQ(409, carl->http
                     .post(meeting_path(id_of(mine), "/reschedule"),
                           json::object{{"start", later + 60'000}})
                     .status);
}

// The manage link moves and cancels a meeting, and the calendar's agent hears of each change on
// their Inbox socket; the agents' own slot list is the visitors' one without a zone.
TEST_F(MeetingsTest, TheManageLinkMovesAndCancelsAndTheCalendarsAgentIsTold) {
  WsClient inbox(port(), carl->http.cookie());
  inbox.expect("hello");
  auto v = new_visitor(port());
  auto slots = slots_for(v, carl_id);
  auto listed = carl->http.get("/api/v1/calendars/" + std::to_string(carl_id) + "/slots");
  ASSERT_EQ(200, listed.status) << listed.body;
  EXPECT_EQ(slots.at(0).at("start"), listed.json().at("slots").at(0).at("start"));
  auto booked = book(v, slots.at(0).at("start").as_int64(), "v@example.com");
  ASSERT_EQ(201, booked.status) << booked.body;
  auto token = std::string(booked.json().at("manage_token").as_string());
  EXPECT_EQ("scheduled", inbox.expect("meeting.booked").at("meeting").at("status").as_string());

  HttpClient anyone(port());
  auto later = slots.at(2).at("start").as_int64();
  auto moved = anyone.post("/api/v1/meeting-links/" + token + "/reschedule",
                           json::object{{"start", later}});
  ASSERT_EQ(200, moved.status) << moved.body;
  EXPECT_EQ(later, inbox.expect("meeting.rescheduled").at("meeting").at("start").as_int64());
  ASSERT_EQ(200, anyone.post("/api/v1/meeting-links/" + token + "/cancel").status);
  EXPECT_EQ("cancelled", inbox.expect("meeting.cancelled").at("meeting").at("status").as_string());
}

TEST_F(MeetingsTest, OnlyTheCalendarsAgentOrAnAdminReachesAMeeting) {
  auto v = new_visitor(port());
  auto booked = book(v, slots_for(v, carl_id).at(0).at("start").as_int64(), "v@example.com");
  ASSERT_EQ(201, booked.status);
  auto id = id_of(booked.json().at("meeting").as_object());
  auto token = std::string(booked.json().at("manage_token").as_string());

  auto alice = login("alice@example.com");
  EXPECT_EQ(404, alice.http.post(meeting_path(id, "/cancel")).status);
  EXPECT_EQ(404, alice.http.get(meeting_path(id, "/invite.ics")).status);
  EXPECT_EQ(404,
            alice.http.post(meeting_path(id, "/reschedule"), json::object{{"start", 0}}).status);
  EXPECT_EQ(403, alice.http.get("/api/v1/meetings?scope=all").status);
  EXPECT_TRUE(alice.http.get("/api/v1/meetings").json().at("meetings").as_array().empty());
  auto admin = login("admin@example.com");
  EXPECT_EQ(1u,
            admin.http.get("/api/v1/meetings?scope=all").json().at("meetings").as_array().size());

  auto stranger = new_visitor(port());
  EXPECT_EQ(
      404,
      stranger.http.get("/api/v1/visitor/meetings/" + std::to_string(id) + "/invite.ics").status);
  auto ics = v.http.get("/api/v1/visitor/meetings/" + std::to_string(id) + "/invite.ics");
  ASSERT_EQ(200, ics.status);
  EXPECT_EQ("text/calendar; charset=utf-8", ics.headers["content-type"]);
  EXPECT_NE(std::string::npos, ics.body.find("METHOD:REQUEST"));
  EXPECT_NE(std::string::npos, ics.body.find("ATTENDEE"));

  // The manage link: the token alone opens, cancels and downloads; a wrong token nothing.
  HttpClient anyone(port());
  EXPECT_EQ(404, anyone.get("/api/v1/meeting-links/not-a-token").status);
  EXPECT_EQ(404, anyone.post("/api/v1/meeting-links/not-a-token/cancel").status);
  auto opened = anyone.get("/api/v1/meeting-links/" + token);
  ASSERT_EQ(200, opened.status);
  EXPECT_EQ(id, id_of(opened.json().at("meeting").as_object()));
  EXPECT_FALSE(opened.json().at("slots").as_array().empty());
  EXPECT_EQ(200, anyone.post("/api/v1/meeting-links/" + token + "/cancel").status);
  auto cancelled_ics = anyone.get("/api/v1/meeting-links/" + token + "/invite.ics");
  EXPECT_NE(std::string::npos, cancelled_ics.body.find("METHOD:CANCEL"));
}

TEST_F(MeetingsTest, ACardSharedInAChatIsBookedThereAndBothSidesAreTold) {
  auto alice = available_agent("alice@example.com");
  auto v = new_visitor(port());
  auto id = id_of(request_chat(v));
  ASSERT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);

  WsClient visitor_ws(port());
  visitor_ws.send(json::object{{"type", "auth"}, {"visitor_token", v.token}});
  visitor_ws.expect("hello");
  visitor_ws.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 2}});
  WsClient carl_ws(port(), carl->http.cookie());
  carl_ws.expect("hello");

  // Who may share: the chat's agent, a calendar that is bookable.
  auto bob = login("bob@example.com");
  EXPECT_EQ(
      404,
      bob.http.post(conv_path(id, "/calendar-card"), json::object{{"agent_id", carl_id}}).status);
  auto alice_id = alice.agent.at("id").as_int64();
  EXPECT_EQ(404,
            alice.http.post(conv_path(id, "/calendar-card"), json::object{{"agent_id", alice_id}})
                .status);
  auto shared =
      alice.http.post(conv_path(id, "/calendar-card"), json::object{{"agent_id", carl_id}});
  ASSERT_EQ(201, shared.status) << shared.body;
  auto card = visitor_ws.expect("event").at("event").as_object();
  EXPECT_EQ("calendar.card", card.at("kind").as_string());
  auto card_body = json::parse(card.at("body").as_string());
  EXPECT_EQ(carl_id, card_body.at("agent_id").as_int64());
  EXPECT_EQ("Carl Calendar", card_body.at("agent_name").as_string());

  // The picker: Alice has no calendar yet, so Carl only; then hers first.
  auto calendars = alice.http.get("/api/v1/calendars").json().at("calendars").as_array();
  ASSERT_EQ(1u, calendars.size());
  ASSERT_EQ(200, put_calendar(alice, all_day()).status);
  calendars = alice.http.get("/api/v1/calendars").json().at("calendars").as_array();
  ASSERT_EQ(2u, calendars.size());
  EXPECT_EQ(alice_id, calendars[0].at("agent_id").as_int64());
  EXPECT_TRUE(calendars[0].at("own").as_bool());

  // Booking from the card: a confirmation on both sides, a notice for Carl, an activity.
  auto start = slots_for(v, carl_id).at(0).at("start").as_int64();
  auto stranger = new_visitor(port());
  EXPECT_EQ(404, book(stranger, start, "s@example.com", id).status);  // not their chat
  auto booked = book(v, start, "vera@example.com", id);
  ASSERT_EQ(201, booked.status) << booked.body;
  auto confirmation = visitor_ws.expect("event").at("event").as_object();
  EXPECT_EQ("meeting.booked", confirmation.at("kind").as_string());
  EXPECT_EQ(start, json::parse(confirmation.at("body").as_string()).at("start").as_int64());
  auto notice = carl_ws.expect("meeting.booked");
  EXPECT_EQ(start, notice.at("meeting").at("start").as_int64());
  EXPECT_EQ("vera@example.com", notice.at("meeting").at("booker_email").as_string());
  auto events = alice.http.get(conv_path(id, "/events")).json().at("events").as_array();
  EXPECT_EQ("meeting.booked", events.back().at("kind").as_string());
  // Alice shared Carl's calendar: she may download the invitation of a meeting booked in
  // her chat (Bob, who may not see the chat, may not).
  auto meeting_id = id_of(booked.json().at("meeting").as_object());
  EXPECT_EQ("Vera Visitor", booked.json().at("meeting").at("booker_name").as_string());
  EXPECT_EQ(200, alice.http.get(meeting_path(meeting_id, "/invite.ics")).status);
  EXPECT_EQ(404, bob.http.get(meeting_path(meeting_id, "/invite.ics")).status);
  EXPECT_EQ(404, alice.http.post(meeting_path(meeting_id, "/cancel")).status);  // not hers
  auto activities = alice.http.get(conv_path(id)).json().at("activities").as_array();
  EXPECT_EQ("meeting_booked", activities.at(0).at("type").as_string());
  EXPECT_NE(std::string::npos,
            std::string(activities.at(0).at("detail").as_string()).find("Carl Calendar"));
  // The facts behind the sentence, for the Inbox to word in its language and the agent's zone.
  const auto& data = activities.at(0).at("data").as_object();
  EXPECT_EQ("Carl Calendar", data.at("agent_name").as_string());
  EXPECT_EQ(booked.json().at("meeting").at("start").as_int64(), data.at("start").as_int64());
  EXPECT_EQ(booked.json().at("meeting").at("end").as_int64(), data.at("end").as_int64());
  EXPECT_FALSE(data.at("time_zone").as_string().empty());
}

TEST_F(MeetingsTest, CalendarAgentsTakeNoChatsAndAMissedRequestOffersACalendar) {
  // Carl is available (by his toggle) but takes no chats: nobody is eligible.
  ASSERT_EQ(
      200,
      carl->http.request(verb::put, "/api/v1/me/availability", R"({"available":true})").status);
  auto v = new_visitor(port());
  auto conversation = request_chat(v);
  EXPECT_EQ("missed", conversation.at("status").as_string());
  auto events =
      v.http.get(visitor_path(id_of(conversation), "/events")).json().at("events").as_array();
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ("chat.missed", events[events.size() - 2].at("kind").as_string());
  EXPECT_EQ("calendar.card", events.back().at("kind").as_string());
  EXPECT_EQ(carl_id, json::parse(events.back().at("body").as_string()).at("agent_id").as_int64());
}

TEST_F(MeetingsTest, BusyTimesFromAnUploadedFileRemoveTheirSlots) {
  auto v = new_visitor(port());
  auto before = slots_for(v, carl_id);
  // An all-day event tomorrow (UTC), repeated once the day after: 48 hours busy.
  auto tomorrow_ms = (before.at(0).at("start").as_int64() / 86'400'000 + 1) * 86'400'000;
  std::time_t t = tomorrow_ms / 1000;
  char day[16];
  std::strftime(day, sizeof day, "%Y%m%d", std::gmtime(&t));
  std::string ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
      "UID:busy-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:" +
      std::string(day) +
      "\r\nRRULE:FREQ=DAILY;COUNT=2\r\nSUMMARY:Offsite\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  auto r = carl->http.request(verb::put, "/api/v1/me/calendar/busy", ics,
                              {{"Content-Type", "text/calendar"}});
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ(2, r.json().at("calendar").at("busy_count").as_int64());
  auto after = slots_for(v, carl_id);
  for (const auto& s : after) {
    auto start = s.at("start").as_int64();
    EXPECT_FALSE(start >= tomorrow_ms && start < tomorrow_ms + 2 * 86'400'000) << start;
  }
  EXPECT_TRUE(has_start(after, tomorrow_ms + 2 * 86'400'000));  // the third day is free
  EXPECT_EQ(before.size() - 96, after.size());                  // 2 days x 48 slots

  auto bad = carl->http.request(verb::put, "/api/v1/me/calendar/busy",
                                "BEGIN:VCALENDAR\r\nnonsense", {{"Content-Type", "text/calendar"}});
  EXPECT_EQ(400, bad.status);
  EXPECT_EQ(
      2, carl->http.get("/api/v1/me/calendar").json().at("calendar").at("busy_count").as_int64());
  EXPECT_EQ(400, carl->http.post("/api/v1/me/calendar/busy/refresh").status);  // no URL saved
}

TEST_F(MeetingsTest, BusyTimesAreFetchedFromTheSavedUrl) {
  // Another Parley process plays the calendar host: it serves a static busy.ics.
  TempDir host_data, host_web;
  std::time_t in_three_days = std::time(nullptr) + 3 * 86'400;
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT100000Z", std::gmtime(&in_three_days));
  {
    std::ofstream f(host_web.path / "busy.ics", std::ios::binary);
    f << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\n"
         "DTSTAMP:20260101T000000Z\r\nDTSTART:20991231T100000Z\r\nDTEND:20991231T110000Z\r\n"
         "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:u2\r\nDTSTAMP:20260101T000000Z\r\n"
         "DTSTART:"
      << stamp
      << "\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
         "END:VEVENT\r\nEND:VCALENDAR\r\n";
  }
  ServerProcess host(host_data.path, host_web.path);
  host.start();
  // The calendar host is on this machine, so the admin allows its name (fetch_guard_test
  // has the refusals).
  auto admin = login("admin@example.com");
  ASSERT_EQ(200, admin.http
                     .request(verb::put, "/api/v1/admin/settings",
                              R"({"fetch_allowed_hosts":["localhost"]})")
                     .status);
  auto base = "http://localhost:" + std::to_string(host.port());

  ASSERT_EQ(200,
            put_calendar(*carl, {{"ics_url", base + "/busy.ics"}, {"horizon_days", 90}}).status);
  auto r = carl->http.post("/api/v1/me/calendar/busy/refresh");
  ASSERT_EQ(200, r.status) << r.body;
  // The weekly event's three hours; the 2099 one is beyond the 365 days imported.
  EXPECT_EQ(3, r.json().at("calendar").at("busy_count").as_int64());
  EXPECT_FALSE(r.json().at("calendar").at("busy_updated_at").is_null());

  ASSERT_EQ(200, put_calendar(*carl, {{"ics_url", base + "/missing.ics"}}).status);
  auto missing = carl->http.post("/api/v1/me/calendar/busy/refresh");
  EXPECT_EQ(400, missing.status);
  // Generic: the remote status is not passed on.
  EXPECT_NE(std::string::npos,
            missing.body.find("could not fetch: the server answered with an error"));
  EXPECT_EQ(std::string::npos, missing.body.find("404"));
  EXPECT_EQ(
      3, carl->http.get("/api/v1/me/calendar").json().at("calendar").at("busy_count").as_int64());
  ASSERT_EQ(200, put_calendar(*carl, {{"ics_url", "http://localhost:1/x.ics"}}).status);
  auto refused = carl->http.post("/api/v1/me/calendar/busy/refresh");
  EXPECT_EQ(400, refused.status);
  EXPECT_NE(std::string::npos, refused.body.find("could not fetch: could not connect"));
  // An address (not a name) is not allowed even so, and is refused when saved.
  EXPECT_EQ(400, put_calendar(*carl, {{"ics_url", "http://127.0.0.1:1/x.ics"}}).status);
}

TEST_F(MeetingsTest, CalendarSettingsAreValidated) {
  EXPECT_EQ(400, put_calendar(*carl, {{"time_zone", "Mars/Olympus"}}).status);
  EXPECT_EQ(400, put_calendar(*carl, {{"duration_minutes", 3}}).status);
  EXPECT_EQ(400, put_calendar(*carl, {{"horizon_days", 0}}).status);
  EXPECT_EQ(400, put_calendar(*carl, {{"ics_url", "ftp://cal.example/x.ics"}}).status);
  json::array overlapping{json::object{{"weekday", 1}, {"start", "09:00"}, {"end", "12:00"}},
                          json::object{{"weekday", 1}, {"start", "11:00"}, {"end", "13:00"}}};
  EXPECT_EQ(400, put_calendar(*carl, {{"blocks", overlapping}}).status);
  auto ok = put_calendar(*carl, {{"time_zone", "Europe/Oslo"},
                                 {"buffer_minutes", 15},
                                 {"ics_url", "https://cal.example/carl.ics"}});
  ASSERT_EQ(200, ok.status) << ok.body;
  auto c = carl->http.get("/api/v1/me/calendar").json().at("calendar");
  EXPECT_EQ("Europe/Oslo", c.at("time_zone").as_string());
  EXPECT_EQ(15, c.at("buffer_minutes").as_int64());
  EXPECT_EQ(30, c.at("duration_minutes").as_int64());  // kept
  EXPECT_EQ(7u, c.at("blocks").as_array().size());     // kept
  EXPECT_TRUE(c.at("bookable").as_bool());
  auto v = new_visitor(port());
  EXPECT_EQ(404,
            v.http
                .get("/api/v1/visitor/calendars/" +
                     std::to_string(login("bob@example.com").agent.at("id").as_int64()) + "/slots")
                .status);
  EXPECT_EQ(400, book(v, 0, "not-an-email").status);
}

TEST_F(MeetingsTest, AVisitorIsOfferedSlotsOnlyInsideTheirReasonableHours) {
  auto v = new_visitor(port());
  auto utc_hour = [](const json::value& slot) { return (slot.at("start").as_int64() / 60'000) % (24 * 60); };
  // Carl is bookable around the clock; a visitor in UTC sees 08:00-20:00 only (the default).
  auto r = v.http.get("/api/v1/visitor/calendars/" + std::to_string(carl_id) + "/slots?tz=UTC");
  ASSERT_EQ(200, r.status) << r.body;
  auto slots = r.json().at("slots").as_array();
  ASSERT_FALSE(slots.empty());
  for (const auto& s : slots) {
    EXPECT_GE(utc_hour(s), 8 * 60);
    EXPECT_LE(utc_hour(s), 19 * 60 + 30);
  }
  EXPECT_GT(slots_for(v, carl_id).size(), slots.size()) << "no zone given: every slot";
  // The admin narrows the hours; a zone that does not exist is a clear error.
  auto admin = login("admin@example.com");
  auto saved = admin.http.request(verb::put, "/api/v1/admin/settings",
                                  R"({"visitor_day_start":"09:00","visitor_day_end":"10:00"})");
  ASSERT_EQ(200, saved.status) << saved.body;
  EXPECT_EQ("09:00", saved.json().at("settings").at("visitor_day_start").as_string());
  auto narrow = v.http.get("/api/v1/visitor/calendars/" + std::to_string(carl_id) +
                           "/slots?tz=Asia/Kolkata").json().at("slots").as_array();
  ASSERT_FALSE(narrow.empty());
  for (const auto& s : narrow) {
    auto local = (utc_hour(s) + 5 * 60 + 30) % (24 * 60);  // UTC+05:30 all year
    EXPECT_TRUE(local == 9 * 60 || local == 9 * 60 + 30) << local;
  }
  EXPECT_EQ(400, v.http.get("/api/v1/visitor/calendars/" + std::to_string(carl_id) +
                            "/slots?tz=Mars/Olympus").status);
  EXPECT_EQ(400, admin.http.request(verb::put, "/api/v1/admin/settings",
                                    R"({"visitor_day_start":"21:00","visitor_day_end":"20:00"})").status);
}

}  // namespace
}  // namespace parley::testing
