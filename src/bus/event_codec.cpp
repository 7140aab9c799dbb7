#include "bus/event_codec.hpp"

#include <boost/json.hpp>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

namespace parley::bus {

namespace json = boost::json;

namespace {

constexpr std::int64_t kVersion = 1;

// Every pair is declared first: the generic helpers below reach nested types through them.
json::value to_json(std::int64_t v);
json::value to_json(const std::string& v);
json::value to_json(const core::Schedule& s);
json::value to_json(const core::AvailabilityOverride& o);
json::value to_json(const core::Agent& a);
json::value to_json(const core::EffectiveStatus& s);
json::value to_json(const core::Conversation& c);
json::value to_json(const core::ConversationSummary& s);
json::value to_json(const core::FollowUp& f);
json::value to_json(const core::Message& m);
json::value to_json(const core::Person& p);
json::value to_json(const core::VisitorProfile& v);
json::value to_json(const core::Meeting& m);

bool from_json(const json::value& v, std::int64_t& out);
bool from_json(const json::value& v, int& out);
bool from_json(const json::value& v, bool& out);
bool from_json(const json::value& v, std::string& out);
bool from_json(const json::value& v, core::Role& out);
bool from_json(const json::value& v, core::ConversationStatus& out);
bool from_json(const json::value& v, core::SenderKind& out);
bool from_json(const json::value& v, core::MeetingStatus& out);
bool from_json(const json::value& v, core::Reader& out);
bool from_json(const json::value& v, core::StatusSource& out);
bool from_json(const json::value& v, core::WeeklyBlock& out);
bool from_json(const json::value& v, core::Schedule& out);
bool from_json(const json::value& v, core::AvailabilityOverride& out);
bool from_json(const json::value& v, core::Agent& out);
bool from_json(const json::value& v, core::EffectiveStatus& out);
bool from_json(const json::value& v, core::Conversation& out);
bool from_json(const json::value& v, core::ConversationSummary& out);
bool from_json(const json::value& v, core::FollowUp& out);
bool from_json(const json::value& v, core::Message& out);
bool from_json(const json::value& v, core::Person& out);
bool from_json(const json::value& v, core::Visitor& out);
bool from_json(const json::value& v, core::VisitorProfile& out);
bool from_json(const json::value& v, core::Meeting& out);

// An unset optional is left out of the object.
template <class T>
void put(json::object& o, std::string_view key, const std::optional<T>& v) {
  if (v) o[key] = to_json(*v);
}

// Reads the fields of one object; the first missing or malformed one makes ok() false and
// the rest are skipped. An optional field may be absent or null.
class Fields {
 public:
  explicit Fields(const json::value& v) : object_(v.if_object()), ok_(object_ != nullptr) {}

  template <class T>
  Fields& get(std::string_view key, T& out) {
    const json::value* v = ok_ ? object_->if_contains(key) : nullptr;
    ok_ = v != nullptr && from_json(*v, out);
    return *this;
  }

  template <class T>
  Fields& get(std::string_view key, std::optional<T>& out) {
    const json::value* v = ok_ ? object_->if_contains(key) : nullptr;
    if (v == nullptr || v->is_null()) {
      out.reset();
      return *this;
    }
    T value{};
    ok_ = from_json(*v, value);
    if (ok_) out = std::move(value);
    return *this;
  }

  bool ok() const { return ok_; }

 private:
  const json::object* object_;
  bool ok_;
};

// Enums travel as names: core's to_string where it has one.
const char* name(core::Role e) { return core::to_string(e); }
const char* name(core::ConversationStatus e) { return core::to_string(e); }
const char* name(core::SenderKind e) { return core::to_string(e); }
const char* name(core::MeetingStatus e) { return core::to_string(e); }
const char* name(core::Reader e) { return e == core::Reader::visitor ? "visitor" : "agent"; }
const char* name(core::StatusSource e) {
  return e == core::StatusSource::override ? "override" : "schedule";
}

template <class E, std::size_t N>
bool enum_from(const json::value& v, E& out, const E (&values)[N]) {
  const json::string* s = v.if_string();
  if (s == nullptr) return false;
  for (E e : values) {
    if (std::string_view(*s) == name(e)) {
      out = e;
      return true;
    }
  }
  return false;
}

// --- primitives: integers must be integers in range; no number stands in for another type.

json::value to_json(std::int64_t v) { return v; }
json::value to_json(const std::string& v) { return json::string(v); }

bool from_json(const json::value& v, std::int64_t& out) {
  const std::int64_t* i = v.if_int64();  // an integer above INT64_MAX parses as uint64
  if (i == nullptr) return false;
  out = *i;
  return true;
}

bool from_json(const json::value& v, int& out) {
  const std::int64_t* i = v.if_int64();
  if (i == nullptr || *i < std::numeric_limits<int>::min() ||
      *i > std::numeric_limits<int>::max()) {
    return false;
  }
  out = static_cast<int>(*i);
  return true;
}

bool from_json(const json::value& v, bool& out) {
  const bool* b = v.if_bool();
  if (b == nullptr) return false;
  out = *b;
  return true;
}

bool from_json(const json::value& v, std::string& out) {
  const json::string* s = v.if_string();
  if (s == nullptr) return false;
  out.assign(s->data(), s->size());
  return true;
}

bool from_json(const json::value& v, core::Role& out) {
  return enum_from(v, out, {core::Role::agent, core::Role::admin});
}
bool from_json(const json::value& v, core::ConversationStatus& out) {
  using S = core::ConversationStatus;
  return enum_from(v, out, {S::pending, S::active, S::ended, S::missed});
}
bool from_json(const json::value& v, core::SenderKind& out) {
  using S = core::SenderKind;
  return enum_from(v, out, {S::visitor, S::agent, S::system});
}
bool from_json(const json::value& v, core::MeetingStatus& out) {
  using S = core::MeetingStatus;
  return enum_from(v, out, {S::scheduled, S::rescheduled, S::cancelled});
}
bool from_json(const json::value& v, core::Reader& out) {
  return enum_from(v, out, {core::Reader::agent, core::Reader::visitor});
}
bool from_json(const json::value& v, core::StatusSource& out) {
  return enum_from(v, out, {core::StatusSource::schedule, core::StatusSource::override});
}

// --- agents and their status

json::value to_json(const core::Schedule& s) {
  json::array blocks;
  for (const core::WeeklyBlock& b : s.blocks) {
    blocks.push_back(json::object{
        {"weekday", b.weekday}, {"start_minute", b.start_minute}, {"end_minute", b.end_minute}});
  }
  return blocks;
}

bool from_json(const json::value& v, core::WeeklyBlock& out) {
  return Fields(v)
      .get("weekday", out.weekday)
      .get("start_minute", out.start_minute)
      .get("end_minute", out.end_minute)
      .ok();
}

bool from_json(const json::value& v, core::Schedule& out) {
  const json::array* blocks = v.if_array();
  if (blocks == nullptr) return false;
  out.blocks.clear();
  for (const json::value& b : *blocks) {
    if (!from_json(b, out.blocks.emplace_back())) return false;
  }
  return true;
}

json::value to_json(const core::AvailabilityOverride& o) {
  return json::object{{"available", o.available}, {"set_at", o.set_at}};
}

bool from_json(const json::value& v, core::AvailabilityOverride& out) {
  return Fields(v).get("available", out.available).get("set_at", out.set_at).ok();
}

json::value to_json(const core::Agent& a) {
  json::object o{{"id", a.id},
                 {"name", a.name},
                 {"email", a.email},
                 {"role", name(a.role)},
                 {"max_chats", a.max_chats},
                 {"active", a.active},
                 {"time_zone", a.time_zone},
                 {"schedule", to_json(a.schedule)},
                 {"sound", a.sound},
                 {"takes_chats", a.takes_chats},
                 {"initials", a.initials},
                 {"language", a.language}};
  put(o, "override_state", a.override_state);
  return o;
}

bool from_json(const json::value& v, core::Agent& out) {
  // initials came later (issue 13): an event of an older node has none, which means "from
  // the name".
  std::optional<std::string> initials;
  Fields(v).get("initials", initials);
  out.initials = initials.value_or("");
  // So did the language (issue 13); none: follow the browser.
  std::optional<std::string> language;
  Fields(v).get("language", language);
  out.language = language.value_or("");
  return Fields(v)
      .get("id", out.id)
      .get("name", out.name)
      .get("email", out.email)
      .get("role", out.role)
      .get("max_chats", out.max_chats)
      .get("active", out.active)
      .get("time_zone", out.time_zone)
      .get("schedule", out.schedule)
      .get("override_state", out.override_state)
      .get("sound", out.sound)
      .get("takes_chats", out.takes_chats)
      .ok();
}

json::value to_json(const core::EffectiveStatus& s) {
  json::object o{{"available", s.available}, {"source", name(s.source)}};
  put(o, "until", s.until);
  return o;
}

bool from_json(const json::value& v, core::EffectiveStatus& out) {
  return Fields(v)
      .get("available", out.available)
      .get("source", out.source)
      .get("until", out.until)
      .ok();
}

// --- conversations and messages

json::value to_json(const core::Conversation& c) {
  json::object o{{"id", c.id},
                 {"visitor_id", c.visitor_id},
                 {"status", name(c.status)},
                 {"last_seq", c.last_seq},
                 {"page_url", c.page_url},
                 {"created_at", c.created_at},
                 {"last_activity_at", c.last_activity_at},
                 {"offers_made", c.offers_made},
                 {"agent_read_seq", c.agent_read_seq},
                 {"visitor_read_seq", c.visitor_read_seq}};
  put(o, "agent_id", c.agent_id);
  put(o, "accepted_at", c.accepted_at);
  put(o, "ended_at", c.ended_at);
  put(o, "end_reason", c.end_reason);
  put(o, "offer_expires_at", c.offer_expires_at);
  return o;
}

bool from_json(const json::value& v, core::Conversation& out) {
  return Fields(v)
      .get("id", out.id)
      .get("visitor_id", out.visitor_id)
      .get("agent_id", out.agent_id)
      .get("status", out.status)
      .get("last_seq", out.last_seq)
      .get("page_url", out.page_url)
      .get("created_at", out.created_at)
      .get("last_activity_at", out.last_activity_at)
      .get("accepted_at", out.accepted_at)
      .get("ended_at", out.ended_at)
      .get("end_reason", out.end_reason)
      .get("offer_expires_at", out.offer_expires_at)
      .get("offers_made", out.offers_made)
      .get("agent_read_seq", out.agent_read_seq)
      .get("visitor_read_seq", out.visitor_read_seq)
      .ok();
}

json::value to_json(const core::ConversationSummary& s) {
  json::object o{{"conversation", to_json(s.conversation)},
                 {"visitor_name", s.visitor_name},
                 {"unread", s.unread}};
  put(o, "agent_name", s.agent_name);
  put(o, "last_text", s.last_text);
  put(o, "visitor_email", s.visitor_email);
  put(o, "followup", s.followup);
  return o;
}

json::value to_json(const core::FollowUp& f) {
  json::object o{{"agent_id", f.agent_id}, {"agent_name", f.agent_name}, {"claimed_at", f.claimed_at}};
  put(o, "done_at", f.done_at);
  return o;
}

bool from_json(const json::value& v, core::FollowUp& out) {
  return Fields(v)
      .get("agent_id", out.agent_id)
      .get("agent_name", out.agent_name)
      .get("claimed_at", out.claimed_at)
      .get("done_at", out.done_at)
      .ok();
}

bool from_json(const json::value& v, core::ConversationSummary& out) {
  // followup came later (issue 13): absent from an older node's event means none.
  return Fields(v)
      .get("conversation", out.conversation)
      .get("visitor_name", out.visitor_name)
      .get("agent_name", out.agent_name)
      .get("last_text", out.last_text)
      .get("visitor_email", out.visitor_email)
      .get("unread", out.unread)
      .get("followup", out.followup)
      .ok();
}

json::value to_json(const core::Message& m) {
  json::object o{{"id", m.id},
                 {"conversation_id", m.conversation_id},
                 {"seq", m.seq},
                 {"sender", name(m.sender)},
                 {"kind", m.kind},
                 {"body", m.body},
                 {"created_at", m.created_at}};
  put(o, "agent_id", m.agent_id);
  put(o, "client_id", m.client_id);
  return o;
}

bool from_json(const json::value& v, core::Message& out) {
  return Fields(v)
      .get("id", out.id)
      .get("conversation_id", out.conversation_id)
      .get("seq", out.seq)
      .get("sender", out.sender)
      .get("agent_id", out.agent_id)
      .get("kind", out.kind)
      .get("body", out.body)
      .get("client_id", out.client_id)
      .get("created_at", out.created_at)
      .ok();
}

// --- visitors and people

json::value to_json(const core::Person& p) {
  json::object o{{"id", p.id}, {"email", p.email}};
  put(o, "name", p.name);
  put(o, "job_title", p.job_title);
  put(o, "phone", p.phone);
  put(o, "company", p.company);
  put(o, "crm_status", p.crm_status);
  return o;
}

bool from_json(const json::value& v, core::Person& out) {
  return Fields(v)
      .get("id", out.id)
      .get("email", out.email)
      .get("name", out.name)
      .get("job_title", out.job_title)
      .get("phone", out.phone)
      .get("company", out.company)
      .get("crm_status", out.crm_status)
      .ok();
}

json::value to_json(const core::VisitorProfile& p) {
  const core::Visitor& v = p.visitor;
  json::object visitor{{"id", v.id}, {"created_at", v.created_at}};
  put(visitor, "person_id", v.person_id);
  put(visitor, "page_url", v.page_url);
  put(visitor, "page_title", v.page_title);
  json::object o{{"visitor", std::move(visitor)}};
  put(o, "person", p.person);
  return o;
}

bool from_json(const json::value& v, core::Visitor& out) {
  return Fields(v)
      .get("id", out.id)
      .get("person_id", out.person_id)
      .get("created_at", out.created_at)
      .get("page_url", out.page_url)
      .get("page_title", out.page_title)
      .ok();
}

bool from_json(const json::value& v, core::VisitorProfile& out) {
  return Fields(v).get("visitor", out.visitor).get("person", out.person).ok();
}

// --- meetings

json::value to_json(const core::Meeting& m) {
  json::object o{{"id", m.id},
                 {"agent_id", m.agent_id},
                 {"booker_email", m.booker_email},
                 {"start", m.start},
                 {"end", m.end},
                 {"status", name(m.status)},
                 {"sequence", m.sequence},
                 {"created_at", m.created_at}};
  put(o, "visitor_id", m.visitor_id);
  put(o, "conversation_id", m.conversation_id);
  return o;
}

bool from_json(const json::value& v, core::Meeting& out) {
  return Fields(v)
      .get("id", out.id)
      .get("agent_id", out.agent_id)
      .get("visitor_id", out.visitor_id)
      .get("conversation_id", out.conversation_id)
      .get("booker_email", out.booker_email)
      .get("start", out.start)
      .get("end", out.end)
      .get("status", out.status)
      .get("sequence", out.sequence)
      .get("created_at", out.created_at)
      .ok();
}

// --- payloads: each has a wire name (its "type") and a pair of functions.

template <class T>
using Is = std::type_identity<T>;

const char* type_name(Is<ConversationEvent>) { return "conversation_event"; }
const char* type_name(Is<ConversationChanged>) { return "conversation_changed"; }
const char* type_name(Is<ChatRequested>) { return "chat_requested"; }
const char* type_name(Is<AgentStatusChanged>) { return "agent_status_changed"; }
const char* type_name(Is<OfferWithdrawn>) { return "offer_withdrawn"; }
const char* type_name(Is<Typing>) { return "typing"; }
const char* type_name(Is<ReadMarked>) { return "read_marked"; }
const char* type_name(Is<VisitorPage>) { return "visitor_page"; }
const char* type_name(Is<MeetingChanged>) { return "meeting_changed"; }

json::value to_json(const ConversationEvent& p) {
  return json::object{{"message", to_json(p.message)}};
}
bool from_json(const json::value& v, ConversationEvent& out) {
  return Fields(v).get("message", out.message).ok();
}

json::value to_json(const ConversationChanged& p) {
  return json::object{{"summary", to_json(p.summary)}};
}
bool from_json(const json::value& v, ConversationChanged& out) {
  return Fields(v).get("summary", out.summary).ok();
}

json::value to_json(const ChatRequested& p) {
  return json::object{{"summary", to_json(p.summary)}, {"visitor", to_json(*p.visitor)}};
}
bool from_json(const json::value& v, ChatRequested& out) {
  core::VisitorProfile visitor;
  if (!Fields(v).get("summary", out.summary).get("visitor", visitor).ok()) return false;
  out.visitor = std::make_shared<const core::VisitorProfile>(std::move(visitor));
  return true;
}

json::value to_json(const AgentStatusChanged& p) {
  return json::object{{"agent", to_json(p.agent)}, {"status", to_json(p.status)}};
}
bool from_json(const json::value& v, AgentStatusChanged& out) {
  return Fields(v).get("agent", out.agent).get("status", out.status).ok();
}

json::value to_json(const OfferWithdrawn& p) {
  return json::object{
      {"conversation_id", p.conversation_id}, {"agent_id", p.agent_id}, {"reason", p.reason}};
}
bool from_json(const json::value& v, OfferWithdrawn& out) {
  return Fields(v)
      .get("conversation_id", out.conversation_id)
      .get("agent_id", out.agent_id)
      .get("reason", out.reason)
      .ok();
}

json::value to_json(const Typing& p) {
  return json::object{{"conversation_id", p.conversation_id}, {"sender", name(p.sender)}};
}
bool from_json(const json::value& v, Typing& out) {
  return Fields(v).get("conversation_id", out.conversation_id).get("sender", out.sender).ok();
}

json::value to_json(const ReadMarked& p) {
  return json::object{
      {"conversation_id", p.conversation_id}, {"reader", name(p.reader)}, {"seq", p.seq}};
}
bool from_json(const json::value& v, ReadMarked& out) {
  return Fields(v)
      .get("conversation_id", out.conversation_id)
      .get("reader", out.reader)
      .get("seq", out.seq)
      .ok();
}

json::value to_json(const VisitorPage& p) {
  return json::object{{"conversation_id", p.conversation_id}, {"url", p.url}, {"title", p.title}};
}
bool from_json(const json::value& v, VisitorPage& out) {
  return Fields(v)
      .get("conversation_id", out.conversation_id)
      .get("url", out.url)
      .get("title", out.title)
      .ok();
}

json::value to_json(const MeetingChanged& p) {
  json::object o{{"what", p.what},
                 {"meeting", to_json(p.meeting)},
                 {"agent_name", p.agent_name},
                 {"time_zone", p.time_zone}};
  put(o, "booker_name", p.booker_name);
  return o;
}
bool from_json(const json::value& v, MeetingChanged& out) {
  return Fields(v)
      .get("what", out.what)
      .get("meeting", out.meeting)
      .get("agent_name", out.agent_name)
      .get("time_zone", out.time_zone)
      .get("booker_name", out.booker_name)
      .ok();
}

// The alternative of Payload whose type name is `type`, read from `data`.
template <std::size_t I = 0>
bool payload_from(std::string_view type, const json::value& data, Payload& out) {
  if constexpr (I == std::variant_size_v<Payload>) {
    return false;
  } else {
    using Alternative = std::variant_alternative_t<I, Payload>;
    if (type != type_name(Is<Alternative>{})) return payload_from<I + 1>(type, data, out);
    Alternative payload;
    if (!from_json(data, payload)) return false;
    out = std::move(payload);
    return true;
  }
}

}  // namespace

std::string encode_event(const std::string& topic, const Event& event) {
  json::object o{{"v", kVersion}, {"topic", topic}};
  std::visit(
      [&](const auto& payload) {
        o["type"] = type_name(Is<std::decay_t<decltype(payload)>>{});
        o["data"] = to_json(payload);
      },
      event.payload());
  put(o, "about", event.about());
  return json::serialize(o);
}

// Parsing reports errors through `ec`; the catch is for allocation failure, so that a
// receiving node drops the message instead of dying on it.
std::optional<DecodedEvent> decode_event(std::string_view text) try {
  json::error_code ec;
  const json::value root = json::parse(text, ec);
  if (ec) return std::nullopt;
  std::int64_t version = 0;
  if (!Fields(root).get("v", version).ok() || version != kVersion) return std::nullopt;

  std::string topic;
  std::string type;
  std::optional<core::Conversation> about;
  if (!Fields(root).get("topic", topic).get("type", type).get("about", about).ok()) {
    return std::nullopt;
  }
  const json::value* data = root.as_object().if_contains("data");
  Payload payload;
  if (data == nullptr || !payload_from(type, *data, payload)) return std::nullopt;
  return DecodedEvent{std::move(topic),
                      std::make_shared<const Event>(std::move(payload), std::move(about))};
} catch (const std::exception&) {
  return std::nullopt;
}

}  // namespace parley::bus
