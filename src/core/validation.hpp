// Input rules that do not depend on storage: sizes, formats, required fields.
// Limits are documented in docs/api.md; change them there too.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace parley::core {

inline constexpr std::size_t kMaxMessageBytes = 4000;     // one chat message body
inline constexpr std::size_t kMaxClientIdBytes = 64;      // client message id
inline constexpr std::size_t kMaxFieldBytes = 200;        // a pre-chat form field
inline constexpr std::size_t kMaxUrlBytes = 2000;         // the visitor's page URL

// Trims, checks non-empty, size and UTF-8. Returns the trimmed body.
Result<std::string> validate_message_body(std::string_view body);
Status validate_client_id(std::string_view client_id);

bool looks_like_email(std::string_view email);
std::string lowercase_ascii(std::string_view s);
std::string trim(std::string_view s);
bool is_valid_utf8(std::string_view s);

// The pre-chat form: name and email required; job title, phone, company optional.
struct PreChatForm {
  std::string name;
  std::string email;  // lower-cased on validation
  std::optional<std::string> job_title;
  std::optional<std::string> phone;
  std::optional<std::string> company;
  std::string page_url;
  // "How can we help?" (or the offline form's message): kept as the visitor's first text
  // message of the chat, so the request banner, the Missed list and the transcript show it.
  std::optional<std::string> question = std::nullopt;
};
// The longest question the form takes: a chat message's limit.
inline constexpr std::size_t kMaxQuestionBytes = 4000;
Result<PreChatForm> validate_pre_chat_form(PreChatForm form);

}  // namespace parley::core
