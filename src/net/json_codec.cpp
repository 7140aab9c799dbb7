#include "net/json_codec.hpp"

#include <chrono>

#include "core/activity_record.hpp"
#include "core/meetings.hpp"
#include "core/team.hpp"
#include "net/message_json.hpp"

namespace parley::net {

namespace {
json::value opt(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(const std::optional<core::Id>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
}  // namespace

json::object to_json(const core::EffectiveStatus& s) {
  return {{"available", s.available},
          {"source", s.source == core::StatusSource::override ? "override" : "schedule"},
          {"until", s.until ? json::value(*s.until) : json::value(nullptr)}};
}

json::object to_json(const core::Agent& a, const core::EffectiveStatus& status) {
  return {{"id", a.id},
          {"name", a.name},
          {"email", a.email},
          {"role", core::to_string(a.role)},
          {"available", status.available},
          {"status", to_json(status)},
          {"time_zone", a.time_zone},
          {"max_chats", a.max_chats},
          {"sound", a.sound},
          {"takes_chats", a.takes_chats},
          {"initials", core::team::initials_of(a)},
          {"language", a.language},
          {"active", a.active}};
}

json::object to_json(const core::ConversationSummary& s) {
  const auto& c = s.conversation;
  return {{"id", c.id},
          {"visitor_id", c.visitor_id},
          {"visitor_name", s.visitor_name},
          {"agent_id", opt(c.agent_id)},
          {"agent_name", opt(s.agent_name)},
          {"status", core::to_string(c.status)},
          {"last_seq", c.last_seq},
          {"page_url", c.page_url},
          {"created_at", c.created_at},
          {"last_activity_at", c.last_activity_at},
          {"accepted_at", opt(c.accepted_at)},
          {"ended_at", opt(c.ended_at)},
          {"end_reason", opt(c.end_reason)},
          {"offer_expires_at", c.offer_expires_at ? json::value(*c.offer_expires_at) : json::value(nullptr)},
          {"last_text", opt(s.last_text)},
          {"visitor_email", opt(s.visitor_email)},
          {"unread", s.unread},
          {"followup", s.followup ? json::value(json::object{
                                        {"agent_id", s.followup->agent_id},
                                        {"agent_name", s.followup->agent_name},
                                        {"claimed_at", s.followup->claimed_at},
                                        {"done_at", opt(s.followup->done_at)}})
                                  : json::value(nullptr)}};
}

json::object to_json(const core::Message& m) {
  return {{"id", m.id},
          {"conversation_id", m.conversation_id},
          {"seq", m.seq},
          {"sender", core::to_string(m.sender)},
          {"agent_id", opt(m.agent_id)},
          {"kind", m.kind},
          {"body", m.body},
          {"client_id", opt(m.client_id)},
          {"created_at", m.created_at}};
}

json::object to_json(const core::VisitorProfile& v) {
  json::object o{{"id", v.visitor.id}};
  const core::Person* p = v.person ? &*v.person : nullptr;
  o["name"] = p ? opt(p->name) : nullptr;
  o["job_title"] = p ? opt(p->job_title) : nullptr;
  o["email"] = p && !p->email.empty() ? json::value(p->email) : json::value(nullptr);
  o["phone"] = p ? opt(p->phone) : nullptr;
  o["company"] = p ? opt(p->company) : nullptr;
  o["crm_status"] = p ? opt(p->crm_status) : nullptr;
  o["page_url"] = opt(v.visitor.page_url);
  o["page_title"] = opt(v.visitor.page_title);
  return o;
}

json::object to_json(const core::Person& p) {
  auto opt = [](const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
  };
  return {{"id", p.id},
          {"email", p.email},
          {"name", opt(p.name)},
          {"job_title", opt(p.job_title)},
          {"phone", opt(p.phone)},
          {"company", opt(p.company)},
          {"crm_status", opt(p.crm_status)}};
}

json::object to_json(const core::Activity& a) {
  json::object o{{"id", a.id},
                 {"type", a.type},
                 {"detail", a.detail},
                 {"data", nullptr},
                 {"url", opt(a.url)},
                 {"conversation_id", opt(a.conversation_id)},
                 {"at", a.at}};
  // A record (core/activity_record.hpp): `detail` is its sentence, `data` its fields. A plain
  // sentence (an older row) or a hidden detail ("") has no data.
  if (core::activity::is_record_type(a.type) && a.detail.starts_with('{')) {
    boost::system::error_code ec;
    auto parsed = json::parse(a.detail, ec);
    if (!ec && parsed.is_object() && parsed.as_object().contains("text") &&
        parsed.as_object().at("text").is_string()) {
      auto& record = parsed.as_object();
      o["detail"] = record.at("text");
      record.erase("text");
      o["data"] = std::move(record);
    }
  }
  return o;
}

json::object meeting_json(const core::Meeting& m, const std::string& agent_name,
                          const std::string& time_zone, const std::optional<std::string>& booker_name,
                          std::optional<core::Millis> now) {
  auto t = now.value_or(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
  return {{"id", m.id},
          {"agent_id", m.agent_id},
          {"agent_name", agent_name},
          {"booker_email", m.booker_email},
          {"booker_name", opt(booker_name)},
          {"start", m.start},
          {"end", m.end},
          {"status", core::to_string(m.status)},
          {"passed", core::has_passed(m, t)},
          {"conversation_id", opt(m.conversation_id)},
          {"time_zone", time_zone}};
}

std::string encode_frame(const bus::Payload& payload) {
  struct Visitor {
    // A chat message's frame, the one sent most, is written without a JSON tree.
    std::string operator()(const bus::ConversationEvent& e) const { return event_frame(e.message); }
    std::string operator()(const bus::ConversationChanged& e) const {
      return text({{"type", "conversation.updated"}, {"conversation", to_json(e.summary)}});
    }
    std::string operator()(const bus::ChatRequested& e) const {
      return text({{"type", "chat.requested"},
                   {"conversation", to_json(e.summary)},
                   {"visitor", to_json(*e.visitor)}});
    }
    std::string operator()(const bus::AgentStatusChanged& e) const {
      return text({{"type", "agent.status"}, {"agent", to_json(e.agent, e.status)}});
    }
    std::string operator()(const bus::OfferWithdrawn& e) const {
      return text({{"type", "offer.withdrawn"},
                   {"conversation_id", e.conversation_id},
                   {"reason", e.reason}});
    }
    std::string operator()(const bus::Typing& e) const {
      return text({{"type", "typing"},
                   {"conversation_id", e.conversation_id},
                   {"sender", core::to_string(e.sender)}});
    }
    std::string operator()(const bus::ReadMarked& e) const {
      return text({{"type", "read"},
                   {"conversation_id", e.conversation_id},
                   {"reader", e.reader == core::Reader::agent ? "agent" : "visitor"},
                   {"seq", e.seq}});
    }
    std::string operator()(const bus::MeetingChanged& e) const {
      return text({{"type", e.what},
                   {"meeting", meeting_json(e.meeting, e.agent_name, e.time_zone, e.booker_name)}});
    }
    std::string operator()(const bus::VisitorPage& e) const {
      return text({{"type", "visitor.page"},
                   {"conversation_id", e.conversation_id},
                   {"url", e.url},
                   {"title", e.title}});
    }
    static std::string text(const json::object& o) { return json::serialize(o); }
  };
  return std::visit(Visitor{}, payload);
}

core::Result<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return core::bad_request("malformed JSON: " + ec.message());
  if (!v.is_object()) return core::bad_request("expected a JSON object");
  return std::move(v.as_object());
}

core::Result<std::string> required_string(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) {
    return core::bad_request(std::string(key) + " is required");
  }
  if (!it->value().is_string()) return core::bad_request(std::string(key) + " must be a string");
  return std::string(it->value().as_string());
}

core::Result<std::optional<std::string>> optional_string(const json::object& o,
                                                         std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<std::string>{};
  if (!it->value().is_string()) return core::bad_request(std::string(key) + " must be a string");
  return std::optional<std::string>{std::string(it->value().as_string())};
}

core::Result<std::int64_t> required_int(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return core::bad_request(std::string(key) + " is required");
  const auto& v = it->value();
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.as_uint64());
  }
  return core::bad_request(std::string(key) + " must be an integer");
}

core::Result<bool> required_bool(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return core::bad_request(std::string(key) + " is required");
  if (!it->value().is_bool()) return core::bad_request(std::string(key) + " must be true or false");
  return it->value().as_bool();
}

std::string error_body(const core::Error& e) {
  json::object error{{"code", core::to_string(e.code)}, {"message", e.message}};
  if (e.code == core::ErrorCode::too_many_requests) error["retry_after_ms"] = e.retry_after_ms;
  return json::serialize(json::object{{"error", std::move(error)}});
}

}  // namespace parley::net
