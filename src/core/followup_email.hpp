// The follow-up email to a missed chat's visitor (issue 13): the transcript of the chat, or a
// reply written by the agent who claimed it (with the transcript below it if they like). What
// may be sent and the words of the email, in the visitor's language; the sending is net/'s.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/language.hpp"
#include "core/result.hpp"

namespace parley::core {

enum class FollowupEmailKind { transcript, reply };

std::string_view to_string(FollowupEmailKind kind);
std::optional<FollowupEmailKind> followup_email_kind_of(std::string_view text);

// A reply's text: like a long chat message, enough for a proper answer.
inline constexpr std::size_t kMaxReplyBytes = 10000;

// The reply's body: trimmed, 1..kMaxReplyBytes of UTF-8. bad_request (empty, not UTF-8) or
// payload_too_large otherwise.
Result<std::string> validate_reply_body(std::string_view body);

struct FollowupEmailText {
  std::string subject;
  std::string body;
};

struct FollowupEmailInput {
  FollowupEmailKind kind = FollowupEmailKind::transcript;
  std::string reply;                      // kind reply: validate_reply_body's result
  std::optional<std::string> transcript;  // always for kind transcript; optional for a reply
  std::string visitor_name;               // "" when the visitor gave none
  std::string agent_name;
  std::string team_name;  // the sender's name of the SMTP setting (else its address)
  Language language = Language::en;
};

// Subject and plain-text body. The texts are fixed; the people's words are put in as they are
// (format_mail makes the header safe).
FollowupEmailText followup_email_text(const FollowupEmailInput& input);

// The activity's detail in the visitor's history: "Transcript emailed by Ann Agent".
std::string followup_email_activity(FollowupEmailKind kind, std::string_view agent_name);

}  // namespace parley::core
