// Email (issue 13): the admin's outgoing mail server (SMTP) and the follow-up email a claimer
// sends to a missed chat's visitor — the transcript, or a reply. The rules: core/followup
// (who may write), core/followup_email (what), core/mail_message (the message, safe headers);
// the SMTP dialogue is net/'s (MailSender). Sending blocks for up to the sender's deadline, so
// it is called from the REST worker pool, never from an I/O thread.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "app/clock.hpp"
#include "app/inbox_queries.hpp"
#include "app/ports.hpp"
#include "bus/event_bus.hpp"
#include "core/followup_email.hpp"
#include "core/mail_message.hpp"
#include "core/records.hpp"
#include "core/result.hpp"
#include "core/smtp_settings.hpp"

namespace parley::app {

// One message for the SMTP server: the envelope and the formatted message (CRLF lines,
// not yet dot-stuffed).
struct OutgoingMail {
  std::string from;
  std::string to;
  std::string data;
};

// The process's SMTP client (net/smtp_client). Fails with bad_gateway "could not send:
// <generic reason>"; the server's answers go to the log only.
using MailSender = std::function<core::Status(const core::SmtpSettings&, const OutgoingMail&)>;

struct FollowupEmailRequest {
  core::FollowupEmailKind kind = core::FollowupEmailKind::transcript;
  std::string body;                // a reply's text
  bool include_transcript = false;  // a reply: the transcript below it
  core::Language language = core::Language::en;
};

class EmailService {
 public:
  EmailService(store::Store& store, InboxQueries& inbox, ChatService& chats, bus::EventBus& bus,
               Clock clock, MailSender sender)
      : store_(store), inbox_(inbox), chats_(chats), bus_(bus), clock_(std::move(clock)),
        sender_(std::move(sender)) {}

  // Admins only (forbidden otherwise). The password comes back too: the caller (net/) must
  // say only whether one is set.
  core::Result<core::SmtpSettings> settings(const core::Agent& admin);
  core::Result<core::SmtpSettings> update_settings(const core::Agent& admin,
                                                   core::SmtpSettings settings);
  // Sends a short test email with the saved setting to the admin's own address.
  core::Status send_test(const core::Agent& admin);

  // Whether follow-up emails can be sent (any agent may ask; the Inbox greys its buttons).
  bool configured();

  // The claimer of a missed chat emails its visitor (core::may_write_followup: 404 when not
  // visible, 403 for anyone else, 409 when done). conflict when email is not set up or the
  // visitor gave no usable address; bad_request / payload_too_large for a bad reply;
  // bad_gateway when the server would not take it (then nothing is recorded). On success the
  // chat gets "followup.emailed" (body: JSON {"agent_name","kind","to"}), live to every Inbox
  // that has it open, and the visitor's history a followup_emailed activity. Returns the event.
  core::Result<core::Message> email_followup(const core::Agent& agent, core::Id conversation_id,
                                             const FollowupEmailRequest& request);

 private:
  core::Status send(const core::SmtpSettings& settings, const core::MailAddress& to,
                    const std::string& subject, const std::string& body);

  store::Store& store_;
  InboxQueries& inbox_;
  ChatService& chats_;
  bus::EventBus& bus_;
  Clock clock_;
  MailSender sender_;
};

}  // namespace parley::app
