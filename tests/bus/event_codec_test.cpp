// bus/event_codec: every payload type survives encode → decode with every field intact, each
// optional both set and unset, `about` both ways; anything else decodes to nullopt.
#include "bus/event_codec.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>
#include <limits>

namespace parley::bus {
namespace {

namespace json = boost::json;
using core::Millis;

constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();

// --- field-by-field comparisons (most core types have no operator==)

void expect_same(const core::Conversation& a, const core::Conversation& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.visitor_id, b.visitor_id);
  EXPECT_EQ(a.agent_id, b.agent_id);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.last_seq, b.last_seq);
  EXPECT_EQ(a.page_url, b.page_url);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.last_activity_at, b.last_activity_at);
  EXPECT_EQ(a.accepted_at, b.accepted_at);
  EXPECT_EQ(a.ended_at, b.ended_at);
  EXPECT_EQ(a.end_reason, b.end_reason);
  EXPECT_EQ(a.offer_expires_at, b.offer_expires_at);
  EXPECT_EQ(a.offers_made, b.offers_made);
  EXPECT_EQ(a.agent_read_seq, b.agent_read_seq);
  EXPECT_EQ(a.visitor_read_seq, b.visitor_read_seq);
}

void expect_same(const core::ConversationSummary& a, const core::ConversationSummary& b) {
  expect_same(a.conversation, b.conversation);
  EXPECT_EQ(a.visitor_name, b.visitor_name);
  EXPECT_EQ(a.agent_name, b.agent_name);
  EXPECT_EQ(a.last_text, b.last_text);
  EXPECT_EQ(a.visitor_email, b.visitor_email);
  EXPECT_EQ(a.unread, b.unread);
}

void expect_same(const core::Message& a, const core::Message& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.conversation_id, b.conversation_id);
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.sender, b.sender);
  EXPECT_EQ(a.agent_id, b.agent_id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.client_id, b.client_id);
  EXPECT_EQ(a.created_at, b.created_at);
}

void expect_same(const core::VisitorProfile& a, const core::VisitorProfile& b) {
  EXPECT_EQ(a.visitor.id, b.visitor.id);
  EXPECT_EQ(a.visitor.person_id, b.visitor.person_id);
  EXPECT_EQ(a.visitor.created_at, b.visitor.created_at);
  EXPECT_EQ(a.visitor.page_url, b.visitor.page_url);
  EXPECT_EQ(a.visitor.page_title, b.visitor.page_title);
  ASSERT_EQ(a.person.has_value(), b.person.has_value());
  if (!a.person) return;
  EXPECT_EQ(a.person->id, b.person->id);
  EXPECT_EQ(a.person->email, b.person->email);
  EXPECT_EQ(a.person->name, b.person->name);
  EXPECT_EQ(a.person->job_title, b.person->job_title);
  EXPECT_EQ(a.person->phone, b.person->phone);
  EXPECT_EQ(a.person->company, b.person->company);
  EXPECT_EQ(a.person->crm_status, b.person->crm_status);
}

void expect_same(const core::Agent& a, const core::Agent& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.max_chats, b.max_chats);
  EXPECT_EQ(a.active, b.active);
  EXPECT_EQ(a.time_zone, b.time_zone);
  EXPECT_EQ(a.schedule, b.schedule);
  EXPECT_EQ(a.override_state, b.override_state);
  EXPECT_EQ(a.sound, b.sound);
  EXPECT_EQ(a.takes_chats, b.takes_chats);
  EXPECT_EQ(a.initials, b.initials);
}

void expect_same(const core::EffectiveStatus& a, const core::EffectiveStatus& b) {
  EXPECT_EQ(a.available, b.available);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.until, b.until);
}

void expect_same(const core::Meeting& a, const core::Meeting& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.agent_id, b.agent_id);
  EXPECT_EQ(a.visitor_id, b.visitor_id);
  EXPECT_EQ(a.conversation_id, b.conversation_id);
  EXPECT_EQ(a.booker_email, b.booker_email);
  EXPECT_EQ(a.start, b.start);
  EXPECT_EQ(a.end, b.end);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.sequence, b.sequence);
  EXPECT_EQ(a.created_at, b.created_at);
}

// --- sample values: "full" sets every optional and moves every field off its default;
// "bare" leaves every optional unset.

core::Conversation full_conversation() {
  core::Conversation c;
  c.id = kMaxId;
  c.visitor_id = 42;
  c.agent_id = 7;
  c.status = core::ConversationStatus::ended;
  c.last_seq = 19;
  c.page_url = "https://example.com/pricing?plan=pro#faq";
  c.created_at = 1700000000001;
  c.last_activity_at = 1700000000999;
  c.accepted_at = 1700000000100;
  c.ended_at = 1700000000900;
  c.end_reason = "inactivity";
  c.offer_expires_at = 1700000000050;
  c.offers_made = 3;
  c.agent_read_seq = 17;
  c.visitor_read_seq = 18;
  return c;
}

core::Conversation bare_conversation() {
  core::Conversation c;
  c.id = 5;
  c.visitor_id = 6;
  c.status = core::ConversationStatus::missed;
  return c;
}

core::ConversationSummary full_summary() {
  return {full_conversation(), "Ada Lovelace", "Grace", "see you \"soon\"", "ada@example.com", 4};
}

core::ConversationSummary bare_summary() {
  return {bare_conversation(), "Visitor #6", std::nullopt, std::nullopt, std::nullopt, 0};
}

core::Message full_message() {
  core::Message m;
  m.id = kMaxId - 1;
  m.conversation_id = 9;
  m.seq = 12;
  m.sender = core::SenderKind::agent;
  m.agent_id = 7;
  m.kind = "text";
  // Quotes, escapes, a NUL byte, non-ASCII text and an emoji must all come back as bytes.
  m.body = std::string("Grüße \"quoted\"\n\t<b>&</b> \\ ") + '\0' + "😀 end";
  m.client_id = "c-8f3a";
  m.created_at = -1;  // before 1970: negative instants are still instants
  return m;
}

core::Message bare_message() {
  core::Message m;
  m.id = 1;
  m.conversation_id = 9;
  m.seq = 1;
  m.sender = core::SenderKind::system;
  m.kind = "chat.ended";
  return m;
}

core::VisitorProfile full_visitor() {
  core::VisitorProfile v;
  v.visitor = {42, 77, 1600000000000, "https://example.com/a", "A page"};
  v.person =
      core::Person{77, "ada@example.com", "Ada", "Engineer", "+44 20 1234", "Analytical", "lead"};
  return v;
}

core::VisitorProfile bare_visitor() {
  core::VisitorProfile v;
  v.visitor.id = 43;
  v.visitor.created_at = 1600000000001;
  return v;
}

// A person with only the email: the person is there, each of its optionals is not.
core::VisitorProfile visitor_with_bare_person() {
  core::VisitorProfile v = bare_visitor();
  v.person = core::Person{78, "x@example.com", {}, {}, {}, {}, {}};
  return v;
}

core::Agent full_agent() {
  core::Agent a;
  a.id = 7;
  a.name = "Grace";
  a.email = "grace@example.com";
  a.role = core::Role::admin;
  a.max_chats = 3;
  a.active = false;
  a.time_zone = "Europe/Berlin";
  a.schedule.blocks = {{1, 540, 1020}, {5, 1320, 120}, {7, 0, 1440}};
  a.override_state = core::AvailabilityOverride{true, 1700000000123};
  a.sound = false;
  a.takes_chats = false;
  a.initials = "GH";
  return a;
}

core::Agent bare_agent() {
  core::Agent a;
  a.id = 8;
  a.name = "Linus";
  a.email = "linus@example.com";
  return a;
}

core::Meeting full_meeting() {
  core::Meeting m;
  m.id = 31;
  m.agent_id = 7;
  m.visitor_id = 42;
  m.conversation_id = 9;
  m.booker_email = "ada@example.com";
  m.start = 1700003600000;
  m.end = 1700005400000;
  m.status = core::MeetingStatus::rescheduled;
  m.sequence = 2;
  m.created_at = 1700000000000;
  return m;
}

core::Meeting bare_meeting() {
  core::Meeting m;
  m.id = 32;
  m.agent_id = 7;
  m.booker_email = "b@example.com";
  m.start = 1;
  m.end = 2;
  m.status = core::MeetingStatus::cancelled;
  return m;
}

// Encodes, decodes, and checks the topic, the payload's type and `about`; the payload is
// handed back for the field comparisons. The text must also come back unchanged when the
// decoded event is encoded again.
template <class P>
std::optional<P> round_trip(const P& payload, const std::optional<core::Conversation>& about) {
  const std::string topic = "conversation:9";
  const Event event(payload, about);
  const std::string text = encode_event(topic, event);
  const std::optional<DecodedEvent> decoded = decode_event(text);
  if (!decoded) {
    ADD_FAILURE() << "did not decode: " << text;
    return std::nullopt;
  }
  EXPECT_EQ(decoded->topic, topic);
  EXPECT_EQ(encode_event(topic, *decoded->event), text);
  EXPECT_EQ(decoded->event->about().has_value(), about.has_value());
  if (about && decoded->event->about()) expect_same(*decoded->event->about(), *about);
  const P* back = std::get_if<P>(&decoded->event->payload());
  if (back == nullptr) {
    ADD_FAILURE() << "decoded to another payload type: " << text;
    return std::nullopt;
  }
  return *back;
}

TEST(EventCodec, ConversationEventFullAndBare) {
  for (const core::Message& m : {full_message(), bare_message()}) {
    auto back = round_trip(ConversationEvent{m}, full_conversation());
    ASSERT_TRUE(back);
    expect_same(back->message, m);
  }
}

TEST(EventCodec, ConversationChangedFullAndBare) {
  for (const core::ConversationSummary& s : {full_summary(), bare_summary()}) {
    auto back = round_trip(ConversationChanged{s}, s.conversation);
    ASSERT_TRUE(back);
    expect_same(back->summary, s);
  }
}

TEST(EventCodec, ChatRequestedFullAndBare) {
  const std::pair<core::ConversationSummary, core::VisitorProfile> cases[] = {
      {full_summary(), full_visitor()},
      {bare_summary(), bare_visitor()},
      {bare_summary(), visitor_with_bare_person()}};
  for (const auto& [summary, visitor] : cases) {
    auto back = round_trip(
        ChatRequested{summary, std::make_shared<const core::VisitorProfile>(visitor)},
        summary.conversation);
    ASSERT_TRUE(back);
    expect_same(back->summary, summary);
    expect_same(*back->visitor, visitor);
  }
}

TEST(EventCodec, AgentStatusChangedFullAndBare) {
  const core::EffectiveStatus full{true, core::StatusSource::override, 1700000000456};
  const core::EffectiveStatus bare{false, core::StatusSource::schedule, std::nullopt};
  const std::pair<core::Agent, core::EffectiveStatus> cases[] = {{full_agent(), full},
                                                                 {bare_agent(), bare}};
  for (const auto& [agent, status] : cases) {
    auto back = round_trip(AgentStatusChanged{agent, status}, std::nullopt);
    ASSERT_TRUE(back);
    expect_same(back->agent, agent);
    expect_same(back->status, status);
  }
}

TEST(EventCodec, OfferWithdrawn) {
  auto back = round_trip(OfferWithdrawn{9, 7, "timeout"}, full_conversation());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->conversation_id, 9);
  EXPECT_EQ(back->agent_id, 7);
  EXPECT_EQ(back->reason, "timeout");
}

TEST(EventCodec, TypingEverySender) {
  for (core::SenderKind sender :
       {core::SenderKind::visitor, core::SenderKind::agent, core::SenderKind::system}) {
    auto back = round_trip(Typing{9, sender}, std::nullopt);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->conversation_id, 9);
    EXPECT_EQ(back->sender, sender);
  }
}

TEST(EventCodec, ReadMarkedEveryReader) {
  for (core::Reader reader : {core::Reader::agent, core::Reader::visitor}) {
    auto back = round_trip(ReadMarked{9, reader, 14}, full_conversation());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->conversation_id, 9);
    EXPECT_EQ(back->reader, reader);
    EXPECT_EQ(back->seq, 14);
  }
}

TEST(EventCodec, VisitorPage) {
  auto back = round_trip(VisitorPage{9, "https://example.com/é?q=1&r=2", ""}, bare_conversation());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->conversation_id, 9);
  EXPECT_EQ(back->url, "https://example.com/é?q=1&r=2");
  EXPECT_EQ(back->title, "");
}

TEST(EventCodec, MeetingChangedFullAndBare) {
  const MeetingChanged cases[] = {
      {"meeting.rescheduled", full_meeting(), "Grace", "Europe/Berlin", "Ada"},
      {"meeting.cancelled", bare_meeting(), "Grace", "UTC", std::nullopt},
      {"meeting.booked", full_meeting(), "", "", std::string()}};  // empty, but set
  for (const MeetingChanged& changed : cases) {
    auto back = round_trip(changed, std::nullopt);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->what, changed.what);
    expect_same(back->meeting, changed.meeting);
    EXPECT_EQ(back->agent_name, changed.agent_name);
    EXPECT_EQ(back->time_zone, changed.time_zone);
    EXPECT_EQ(back->booker_name, changed.booker_name);
  }
}

TEST(EventCodec, EveryConversationAndMeetingStatus) {
  for (auto status : {core::ConversationStatus::pending, core::ConversationStatus::active,
                      core::ConversationStatus::ended, core::ConversationStatus::missed}) {
    core::Conversation c = bare_conversation();
    c.status = status;
    auto back = round_trip(Typing{}, c);
    ASSERT_TRUE(back);
  }
  for (auto status : {core::MeetingStatus::scheduled, core::MeetingStatus::rescheduled,
                      core::MeetingStatus::cancelled}) {
    core::Meeting m = bare_meeting();
    m.status = status;
    auto back = round_trip(MeetingChanged{"meeting.booked", m, "G", "UTC", {}}, std::nullopt);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->meeting.status, status);
  }
  core::Agent agent = bare_agent();
  agent.role = core::Role::agent;
  auto back = round_trip(AgentStatusChanged{agent, {}}, std::nullopt);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->agent.role, core::Role::agent);
}

// An agent from a node older than issue 13 has no initials: decoded, it has none (its name's
// letters are shown), and a deactivated agent stays deactivated (what closes their sockets).
TEST(EventCodec, AgentWithoutInitialsFromAnOlderNode) {
  core::Agent agent = full_agent();
  auto text = encode_event("agent:7", Event(AgentStatusChanged{agent, {}}, std::nullopt));
  auto at = text.find("\"initials\":\"GH\",");
  ASSERT_NE(std::string::npos, at) << text;
  text.erase(at, std::string("\"initials\":\"GH\",").size());
  auto decoded = decode_event(text);
  ASSERT_TRUE(decoded) << text;
  const auto* back = std::get_if<AgentStatusChanged>(&decoded->event->payload());
  ASSERT_NE(nullptr, back);
  EXPECT_EQ("", back->agent.initials);
  EXPECT_FALSE(back->agent.active);
  EXPECT_EQ("Grace", back->agent.name.substr(0, 5));
}

// The format itself: versioned, enums by name, unset optionals left out, readable keys.
TEST(EventCodec, TextFormat) {
  const std::string text =
      encode_event("agent:7", Event(ChatRequested{bare_summary(), std::make_shared<const core::VisitorProfile>(
                                                bare_visitor())},
                                  std::nullopt));
  const json::object o = json::parse(text).as_object();
  EXPECT_EQ(o.at("v"), 1);
  EXPECT_EQ(o.at("topic"), "agent:7");
  EXPECT_EQ(o.at("type"), "chat_requested");
  EXPECT_FALSE(o.contains("about"));
  const json::object& conversation = o.at("data").at("summary").at("conversation").as_object();
  EXPECT_EQ(conversation.at("status"), "missed");
  EXPECT_FALSE(conversation.contains("agent_id"));
  EXPECT_FALSE(o.at("data").at("visitor").as_object().contains("person"));
}

// --- malformed input

// A valid encoding, as JSON to break one piece of.
json::object valid() {
  core::Message m = full_message();
  return json::parse(
             encode_event("conversation:9", Event(ConversationEvent{m}, full_conversation())))
      .as_object();
}

std::string with(const std::function<void(json::object&)>& change) {
  json::object o = valid();
  change(o);
  return json::serialize(o);
}

json::object& message(json::object& o) { return o["data"].as_object()["message"].as_object(); }
json::object& about(json::object& o) { return o["about"].as_object(); }

TEST(EventCodecRejects, EmptyAndNotJson) {
  for (const char* text : {"", " ", "not json", "{", "{\"v\":1", "[1,2]", "null", "42", "\"v\"",
                           "{\"v\":1,}", "{'v':1}"}) {
    EXPECT_FALSE(decode_event(text)) << text;
  }
}

TEST(EventCodecRejects, EveryTruncationOfAValidText) {
  const std::string text = json::serialize(valid());
  ASSERT_TRUE(decode_event(text));
  for (std::size_t n = 0; n < text.size(); ++n) {
    EXPECT_FALSE(decode_event(std::string_view(text).substr(0, n))) << n;
  }
}

TEST(EventCodecRejects, WrongVersion) {
  EXPECT_FALSE(decode_event(with([](json::object& o) { o["v"] = 2; })));
  EXPECT_FALSE(decode_event(with([](json::object& o) { o["v"] = 0; })));
  EXPECT_FALSE(decode_event(with([](json::object& o) { o["v"] = "1"; })));
  EXPECT_FALSE(decode_event(with([](json::object& o) { o["v"] = 1.0; })));
  EXPECT_FALSE(decode_event(with([](json::object& o) { o.erase("v"); })));
}

TEST(EventCodecRejects, UnknownPayloadType) {
  EXPECT_FALSE(decode_event(with([](json::object& o) { o["type"] = "chat_exploded"; })));
  EXPECT_FALSE(decode_event(with([](json::object& o) { o["type"] = ""; })));
  // Right name, wrong shape: a conversation event's data read as a typing event.
  EXPECT_FALSE(decode_event(with([](json::object& o) { o["type"] = "typing"; })));
}

TEST(EventCodecRejects, MissingRequiredField) {
  for (const char* key : {"topic", "type", "data"}) {
    EXPECT_FALSE(decode_event(with([&](json::object& o) { o.erase(key); }))) << key;
  }
  for (const char* key : {"id", "conversation_id", "seq", "sender", "kind", "body", "created_at"}) {
    EXPECT_FALSE(decode_event(with([&](json::object& o) { message(o).erase(key); }))) << key;
  }
  EXPECT_FALSE(decode_event(with([](json::object& o) { about(o).erase("status"); })));
}

TEST(EventCodecRejects, FieldOfTheWrongType) {
  const std::pair<const char*, json::value> cases[] = {{"id", "12"},
                                                       {"seq", true},
                                                       {"body", 5},
                                                       {"sender", "robot"},
                                                       {"sender", 1},
                                                       {"agent_id", "7"},
                                                       {"client_id", 8},
                                                       {"kind", nullptr},
                                                       {"seq", json::array{}},
                                                       {"created_at", json::object{}}};
  for (const auto& field : cases) {
    // (A pair, not a structured binding: clang 15 cannot capture those in a lambda.)
    const auto& key = field.first;
    const auto& value = field.second;
    EXPECT_FALSE(decode_event(with([&](json::object& o) { message(o)[key] = value; })))
        << key << " = " << json::serialize(value);
  }
  EXPECT_FALSE(decode_event(with([](json::object& o) { o["topic"] = 9; })));
  EXPECT_FALSE(decode_event(with([](json::object& o) { o["data"] = "message"; })));
  EXPECT_FALSE(decode_event(with([](json::object& o) { o["about"] = json::array{}; })));
  EXPECT_FALSE(decode_event(with([](json::object& o) { about(o)["status"] = "archived"; })));
}

TEST(EventCodecRejects, WrongTypesInsideAnAgent) {
  const std::string text =
      encode_event("agents", Event(AgentStatusChanged{full_agent(), {}}, std::nullopt));
  ASSERT_TRUE(decode_event(text));
  const std::function<void(json::object&)> changes[] = {
      [](json::object& a) { a["active"] = 1; },
      [](json::object& a) { a["role"] = "owner"; },
      [](json::object& a) { a["schedule"] = json::object{}; },
      [](json::object& a) { a["schedule"].as_array()[0].as_object()["weekday"] = "Mon"; },
      [](json::object& a) { a["schedule"].as_array()[1].as_object().erase("end_minute"); },
      [](json::object& a) { a["override_state"] = true; },
      [](json::object& a) { a["override_state"].as_object().erase("set_at"); }};
  for (const auto& change : changes) {
    json::object o = json::parse(text).as_object();
    change(o["data"].as_object()["agent"].as_object());
    EXPECT_FALSE(decode_event(json::serialize(o))) << json::serialize(o);
  }
}

TEST(EventCodecRejects, OutOfRangeNumbers) {
  // Above INT64_MAX, fractional, or in exponent form: not an id.
  for (const char* number : {"9223372036854775808", "18446744073709551615", "1e400", "1.5", "1e3",
                             "-9223372036854775809"}) {
    std::string text = with([](json::object& o) { message(o)["id"] = "@"; });
    text.replace(text.find("\"@\""), 3, number);
    EXPECT_FALSE(decode_event(text)) << number;
  }
  // Beyond int: the field is an int in core.
  EXPECT_FALSE(decode_event(with([](json::object& o) { about(o)["offers_made"] = 2147483648LL; })));
  EXPECT_FALSE(
      decode_event(with([](json::object& o) { about(o)["offers_made"] = -2147483649LL; })));
  // The edges themselves are fine.
  EXPECT_TRUE(decode_event(with([](json::object& o) { about(o)["offers_made"] = 2147483647; })));
  EXPECT_TRUE(decode_event(
      with([](json::object& o) { message(o)["id"] = std::numeric_limits<std::int64_t>::min(); })));
}

// --- what is accepted beyond encode_event's own output

TEST(EventCodecAccepts, NullForAnUnsetOptionalAndUnknownFields) {
  const auto decoded = decode_event(with([](json::object& o) {
    message(o)["agent_id"] = nullptr;
    message(o)["client_id"] = nullptr;
    o["about"] = nullptr;
    o["origin"] = "node-b";  // a field this version does not know
    message(o)["reactions"] = json::array{};
  }));
  ASSERT_TRUE(decoded);
  const auto& m = std::get<ConversationEvent>(decoded->event->payload()).message;
  EXPECT_FALSE(m.agent_id);
  EXPECT_FALSE(m.client_id);
  EXPECT_FALSE(decoded->event->about());
}

}  // namespace
}  // namespace parley::bus
