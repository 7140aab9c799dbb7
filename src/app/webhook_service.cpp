#include "app/webhook_service.hpp"

#include <boost/json.hpp>
#include <date/tz.h>

#include <algorithm>
#include <map>

#include "app/webhook_signature.hpp"
#include "core/team.hpp"
#include "core/transcript.hpp"
#include "store/store.hpp"

namespace parley::app {

namespace json = boost::json;

namespace {

json::value opt(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value opt(const std::optional<core::Id>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object message_json(const core::Message& m) {
  return {{"id", m.id},
          {"seq", m.seq},
          {"sender", core::to_string(m.sender)},
          {"agent_id", opt(m.agent_id)},
          {"kind", m.kind},
          {"body", m.body},
          {"created_at", m.created_at}};
}

json::object conversation_json(const core::ConversationSummary& s) {
  const auto& c = s.conversation;
  json::value agent = nullptr;
  if (c.agent_id) agent = json::object{{"id", *c.agent_id}, {"name", opt(s.agent_name)}};
  return {{"id", c.id},
          {"status", core::to_string(c.status)},
          {"page_url", c.page_url},
          {"created_at", c.created_at},
          {"accepted_at", opt(c.accepted_at)},
          {"ended_at", opt(c.ended_at)},
          {"end_reason", opt(c.end_reason)},
          {"agent", std::move(agent)},
          {"visitor", json::object{{"id", c.visitor_id},
                                   {"name", s.visitor_name},
                                   {"email", opt(s.visitor_email)}}}};
}

json::object person_json(const core::Person& p) {
  return {{"id", p.id},           {"email", p.email},     {"name", opt(p.name)},
          {"job_title", opt(p.job_title)}, {"phone", opt(p.phone)}, {"company", opt(p.company)},
          {"crm_status", opt(p.crm_status)}};
}

std::vector<core::Message> all_events(store::Store& store, core::Id conversation_id) {
  std::vector<core::Message> events;
  for (std::int64_t after = 0;;) {
    auto page = store.events_after(conversation_id, after, 500);
    if (page.empty()) break;
    after = page.back().seq;
    events.insert(events.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
  }
  return events;
}

bool is_2xx(const std::optional<int>& status) { return status && *status >= 200 && *status < 300; }

}  // namespace

core::Status WebhookService::check_url(const std::string& url) {
  if (auto ok = core::validate_webhook_url(url); !ok) return ok;
  if (transport_.check) return transport_.check(url, store_.load_chat_policy().fetch_allowed_hosts);
  return core::Ok{};
}

core::Result<std::vector<core::WebhookEndpoint>> WebhookService::list(const core::Agent& admin) {
  if (auto ok = core::team::require_admin(admin); !ok) return ok.error();
  return store_.list_webhooks();
}

core::Result<core::WebhookEndpoint> WebhookService::create(const core::Agent& admin,
                                                           const WebhookInput& input) {
  if (auto ok = core::team::require_admin(admin); !ok) return ok.error();
  auto events = core::parse_webhook_events(input.events);
  if (!events) return events.error();
  if (auto ok = check_url(input.url); !ok) return ok.error();
  core::WebhookEndpoint e;
  e.url = input.url;
  e.events = std::move(*events);
  e.secret = new_webhook_secret();
  e.active = input.active;
  e.created_at = clock_();
  return store_.create_webhook(e);
}

core::Result<core::WebhookEndpoint> WebhookService::update(const core::Agent& admin, core::Id id,
                                                           const WebhookInput& input) {
  if (auto ok = core::team::require_admin(admin); !ok) return ok.error();
  auto events = core::parse_webhook_events(input.events);
  if (!events) return events.error();
  auto current = store_.find_webhook(id);
  if (!current) return core::not_found("no such webhook endpoint");
  if (input.url != current->url) {
    if (auto ok = check_url(input.url); !ok) return ok.error();
  }
  core::WebhookEndpoint e = *current;
  e.url = input.url;
  e.events = std::move(*events);
  e.active = input.active;
  auto updated = store_.update_webhook(e);
  if (!updated) return core::not_found("no such webhook endpoint");
  return *updated;
}

core::Result<core::WebhookEndpoint> WebhookService::rotate_secret(const core::Agent& admin, core::Id id) {
  if (auto ok = core::team::require_admin(admin); !ok) return ok.error();
  if (!store_.set_webhook_secret(id, new_webhook_secret())) return core::not_found("no such webhook endpoint");
  return *store_.find_webhook(id);
}

core::Status WebhookService::remove(const core::Agent& admin, core::Id id) {
  if (auto ok = core::team::require_admin(admin); !ok) return ok.error();
  if (!store_.delete_webhook(id)) return core::not_found("no such webhook endpoint");
  return core::Ok{};
}

core::Result<std::vector<core::WebhookDelivery>> WebhookService::deliveries(const core::Agent& admin,
                                                                           core::Id id) {
  if (auto ok = core::team::require_admin(admin); !ok) return ok.error();
  if (!store_.find_webhook(id)) return core::not_found("no such webhook endpoint");
  return store_.webhook_deliveries(id, kMaxLogged);
}

core::Status WebhookService::redeliver(const core::Agent& admin, core::Id endpoint_id,
                                       core::Id delivery_id) {
  if (auto ok = core::team::require_admin(admin); !ok) return ok.error();
  if (!store_.redeliver_webhook(endpoint_id, delivery_id, clock_())) {
    return core::not_found("no such delivery");
  }
  return core::Ok{};
}

std::string WebhookService::render(const store::ClaimedDelivery& claimed) {
  const auto& ev = claimed.event;
  json::object data;
  if (ev.type == "message.created" && ev.conversation_id && ev.seq) {
    data["conversation_id"] = *ev.conversation_id;
    auto page = store_.events_after(*ev.conversation_id, *ev.seq - 1, 1);
    data["message"] = page.empty() ? json::value(nullptr) : json::value(message_json(page.front()));
  } else if (ev.type.starts_with("chat.") && ev.conversation_id) {
    auto summary = store_.find_summary(*ev.conversation_id);
    if (summary) {
      data["conversation"] = conversation_json(*summary);
      if (ev.type == "chat.ended") {
        auto events = all_events(store_, *ev.conversation_id);
        std::map<core::Id, std::string> agent_names;
        for (auto& a : store_.list_agents()) agent_names.emplace(a.id, std::move(a.name));
        const auto& c = summary->conversation;
        core::TranscriptHeader header{c.id, summary->visitor_name, summary->visitor_email,
                                      summary->agent_name, c.created_at, c.ended_at};
        data["transcript"] = core::format_transcript(header, events, agent_names, *date::locate_zone("UTC"));
        json::array messages;
        for (const auto& m : events) {
          if (m.kind == "text") messages.push_back(message_json(m));
        }
        data["messages"] = std::move(messages);
      }
    } else {
      data["conversation"] = json::object{{"id", *ev.conversation_id}};
    }
  } else if (ev.type.starts_with("meeting.") && ev.meeting_id) {
    auto m = store_.find_meeting(*ev.meeting_id);
    if (m) {
      std::optional<std::string> agent_name;
      if (auto a = store_.find_agent(m->agent_id)) agent_name = a->name;
      data["meeting"] = json::object{{"id", m->id},
                                     {"agent", json::object{{"id", m->agent_id}, {"name", opt(agent_name)}}},
                                     {"visitor_id", opt(m->visitor_id)},
                                     {"conversation_id", opt(m->conversation_id)},
                                     {"booker_email", m->booker_email},
                                     {"start", m->start},
                                     {"end", m->end},
                                     {"status", core::to_string(m->status)},
                                     {"sequence", m->sequence}};
    } else {
      data["meeting"] = json::object{{"id", *ev.meeting_id}};
    }
  } else if (ev.type == "person.updated" && ev.person_id) {
    auto p = store_.find_person(*ev.person_id);
    data["person"] = p ? json::value(person_json(*p)) : json::value(json::object{{"id", *ev.person_id}});
  }
  json::object body{{"id", std::to_string(ev.id)},
                    {"type", ev.type},
                    {"created_at", ev.created_at},
                    {"data", std::move(data)}};
  return json::serialize(body);
}

DeliveryPass WebhookService::deliver_due() {
  DeliveryPass pass;
  std::optional<std::vector<std::string>> allowed;
  // One claim at a time: a claim is one short write, and a delivery is leased only while it
  // is actually being sent, so a node that dies holds at most one.
  for (int i = 0; i < kBatch; ++i) {
    auto claimed = store_.claim_webhook_deliveries(node_id_, clock_(), lease_, 1);
    if (claimed.empty()) break;
    const auto& c = claimed.front();
    if (!allowed) allowed = store_.load_chat_policy().fetch_allowed_hosts;
    WebhookRequest request;
    request.url = c.endpoint.url;
    request.body = render(c);
    auto timestamp = std::to_string(clock_() / 1000);
    request.headers = {{"Content-Type", "application/json"},
                       {"Parley-Webhook-Id", std::to_string(c.event.id)},
                       {"Parley-Webhook-Timestamp", timestamp},
                       {"Parley-Webhook-Signature", webhook_signature(c.endpoint.secret, timestamp, request.body)}};
    request.allowed_hosts = *allowed;
    request.deadline = std::min<core::Millis>(10'000, lease_ * 2 / 3);
    WebhookAnswer answer;
    try {
      answer = transport_.post(request);
    } catch (const std::exception& e) {
      answer.error = std::string("could not send: ") + e.what();
    }
    store::WebhookAttemptResult result;
    result.delivery_id = c.delivery_id;
    result.claimed_by = node_id_;
    result.attempt.attempt = c.attempt;
    result.attempt.at = clock_();
    result.attempt.http_status = answer.status;
    result.attempt.snippet = core::webhook_snippet(answer.body);
    if (is_2xx(answer.status)) {
      result.status = core::DeliveryStatus::delivered;
      result.next_attempt_at = result.attempt.at;
    } else {
      result.attempt.error = answer.status ? "answered " + std::to_string(*answer.status) : answer.error;
      auto next = core::webhook_next_attempt(c.started_at, result.attempt.at, c.attempt, retry_base_);
      result.status = next ? core::DeliveryStatus::pending : core::DeliveryStatus::failed;
      result.next_attempt_at = next.value_or(result.attempt.at);
    }
    if (!store_.finish_webhook_attempt(result)) continue;  // the lease ran out: another node has it
    bool delivered = result.status == core::DeliveryStatus::delivered;
    if (on_outcome_) on_outcome_(delivered);
    if (delivered) {
      ++pass.delivered;
    } else if (result.status == core::DeliveryStatus::failed) {
      ++pass.failed;
    } else {
      ++pass.retried;
    }
  }
  return pass;
}

}  // namespace parley::app
