#include "core/followup_email.hpp"

#include "core/validation.hpp"

namespace parley::core {

std::string_view to_string(FollowupEmailKind kind) {
  return kind == FollowupEmailKind::reply ? "reply" : "transcript";
}

std::optional<FollowupEmailKind> followup_email_kind_of(std::string_view text) {
  if (text == "transcript") return FollowupEmailKind::transcript;
  if (text == "reply") return FollowupEmailKind::reply;
  return std::nullopt;
}

Result<std::string> validate_reply_body(std::string_view body) {
  auto t = trim(body);
  if (t.empty()) return bad_request("the reply is empty");
  if (t.size() > kMaxReplyBytes) {
    return Error{ErrorCode::payload_too_large,
                 "the reply is over " + std::to_string(kMaxReplyBytes) + " bytes"};
  }
  if (!is_valid_utf8(t)) return bad_request("the reply is not valid UTF-8");
  return t;
}

FollowupEmailText followup_email_text(const FollowupEmailInput& in) {
  bool sv = in.language == Language::sv;
  FollowupEmailText out;
  std::string greeting = in.visitor_name.empty()
                             ? std::string(sv ? "Hej!" : "Hello,")
                             : (sv ? "Hej " + in.visitor_name + "!" : "Hello " + in.visitor_name + ",");
  std::string signature = in.agent_name + "\n" + in.team_name;
  if (in.kind == FollowupEmailKind::transcript) {
    out.subject = (sv ? "Utskrift av din chatt med " : "Transcript of your chat with ") + in.team_name;
    out.body = greeting + "\n\n" +
               (sv ? "Tack för ditt meddelande. Här är en utskrift av din chatt med oss."
                   : "Thank you for your message. Here is the transcript of your chat with us.") +
               "\n\n" + in.transcript.value_or("") + "\n-- \n" + signature + "\n";
    return out;
  }
  out.subject = (sv ? "Svar på ditt meddelande till " : "Reply to your message to ") + in.team_name;
  out.body = in.reply + "\n\n-- \n" + signature + "\n";
  if (in.transcript) {
    out.body += "\n" + std::string(sv ? "Din chatt med oss:" : "Your chat with us:") + "\n\n" +
                *in.transcript;
  }
  return out;
}

std::string followup_email_activity(FollowupEmailKind kind, std::string_view agent_name) {
  return std::string(kind == FollowupEmailKind::reply ? "Reply emailed by " : "Transcript emailed by ") +
         std::string(agent_name);
}

}  // namespace parley::core
