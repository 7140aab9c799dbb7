#include "app/email_service.hpp"

#include <boost/json.hpp>

#include "app/credentials.hpp"
#include "core/followup.hpp"
#include "core/mail_message.hpp"
#include "core/visibility.hpp"
#include "store/store.hpp"

namespace parley::app {

namespace {

core::Status admin_only(const core::Agent& agent) {
  if (agent.role != core::Role::admin) return core::forbidden("only admins see these settings");
  return core::Ok{};
}

std::string domain_of(const std::string& address) { return address.substr(address.rfind('@') + 1); }

// The name the emails are signed with and sent from: the setting's name, else its address.
std::string team_name(const core::SmtpSettings& s) {
  return s.from_name.empty() ? s.from_address : s.from_name;
}

}  // namespace

core::Result<core::SmtpSettings> EmailService::settings(const core::Agent& admin) {
  if (auto ok = admin_only(admin); !ok) return ok.error();
  return store_.load_smtp_settings();
}

core::Result<core::SmtpSettings> EmailService::update_settings(const core::Agent& admin,
                                                               core::SmtpSettings settings) {
  if (auto ok = admin_only(admin); !ok) return ok.error();
  settings.host = core::trim(settings.host);
  settings.from_address = core::trim(settings.from_address);
  settings.from_name = core::trim(settings.from_name);
  if (auto ok = core::validate_smtp_settings(settings); !ok) return ok.error();
  store_.save_smtp_settings(settings);
  return settings;
}

bool EmailService::configured() { return store_.load_smtp_settings().configured(); }

core::Status EmailService::send(const core::SmtpSettings& settings, const core::MailAddress& to,
                                const std::string& subject, const std::string& body) {
  core::MailMessage m{{settings.from_name, settings.from_address},
                      to,
                      subject,
                      body,
                      clock_(),
                      random_token() + "@" + domain_of(settings.from_address)};
  auto data = core::format_mail(m);
  if (!data) return data.error();
  return sender_(settings, OutgoingMail{settings.from_address, to.address, std::move(*data)});
}

core::Status EmailService::send_test(const core::Agent& admin) {
  if (auto ok = admin_only(admin); !ok) return ok.error();
  auto settings = store_.load_smtp_settings();
  if (!settings.configured()) return core::conflict("email is not set up: save a mail server first");
  if (!core::is_mail_address(admin.email)) {
    return core::conflict("your own email address cannot be used for sending");
  }
  bool sv = core::language_of(admin.language) == core::Language::sv;
  return send(settings, {admin.name, admin.email},
              sv ? "Testmejl från Parley" : "Parley test email",
              sv ? "Parley kan skicka mejl med de här inställningarna.\n"
                 : "Parley can send email with these settings.\n");
}

core::Result<core::Message> EmailService::email_followup(const core::Agent& agent,
                                                         core::Id conversation_id,
                                                         const FollowupEmailRequest& request) {
  auto summary = store_.find_summary(conversation_id);
  if (!summary) return core::not_found("no such conversation");
  auto held = store_.find_followup(conversation_id);
  if (auto ok = core::may_write_followup(core::viewer_of(agent), summary->conversation, held); !ok) {
    return ok.error();
  }
  std::string reply;
  if (request.kind == core::FollowupEmailKind::reply) {
    auto body = core::validate_reply_body(request.body);
    if (!body) return body.error();
    reply = std::move(*body);
  }
  auto settings = store_.load_smtp_settings();
  if (!settings.configured()) {
    return core::conflict("email is not set up: an admin adds the mail server in Settings → Email");
  }
  if (!summary->visitor_email || summary->visitor_email->empty()) {
    return core::conflict("the visitor left no email address");
  }
  const auto& to = *summary->visitor_email;
  if (!core::is_mail_address(to)) {
    return core::conflict("the visitor's email address cannot be used for sending");
  }
  core::FollowupEmailInput input;
  input.kind = request.kind;
  input.reply = std::move(reply);
  if (request.kind == core::FollowupEmailKind::transcript || request.include_transcript) {
    auto t = inbox_.transcript(agent, conversation_id, request.language);
    if (!t) return t.error();
    input.transcript = std::move(t->text);
  }
  // A visitor without a name of their own is shown as "Visitor #12": no name in the greeting.
  auto visitor = store_.visitor_profile(summary->conversation.visitor_id);
  input.visitor_name = visitor && visitor->person && visitor->person->name ? *visitor->person->name : "";
  input.agent_name = agent.name;
  input.team_name = team_name(settings);
  input.language = request.language;
  auto text = core::followup_email_text(input);
  if (auto sent = send(settings, {input.visitor_name, to}, text.subject, text.body); !sent) {
    return sent.error();
  }

  auto body = boost::json::serialize(boost::json::object{
      {"agent_name", agent.name}, {"kind", core::to_string(request.kind)}, {"to", to}});
  auto t = store_.record_followup_email(
      conversation_id, body, core::followup_email_activity(request.kind, agent.name), clock_());
  if (!t) return t.error();
  bus_.publish(bus::conversation_topic(t->conversation.id),
               std::make_shared<bus::Event>(bus::ConversationEvent{t->event}, t->conversation));
  auto changed = chats_.summarize(t->conversation);
  bus_.publish(bus::kInboxTopic,
               std::make_shared<bus::Event>(bus::ConversationChanged{changed}, t->conversation));
  return t->event;
}

}  // namespace parley::app
