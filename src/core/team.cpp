#include "core/team.hpp"

#include <cctype>
#include <vector>

#include "core/validation.hpp"

namespace parley::core::team {

namespace {

// The UTF-8 code points of `s` (already valid UTF-8), each as its bytes.
std::vector<std::string> code_points(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    auto lead = static_cast<unsigned char>(s[i]);
    std::size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    out.emplace_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// A letter or digit: ASCII alphanumerics, or any non-ASCII code point that is not
// punctuation or a space of the common blocks (a full Unicode table is not worth it here:
// the letters only ever appear as text in an avatar).
bool is_letter(const std::string& cp) {
  if (cp.size() == 1) return std::isalnum(static_cast<unsigned char>(cp[0])) != 0;
  auto lead = static_cast<unsigned char>(cp[0]);
  if (lead == 0xC2) return false;                          // U+0080..U+00BF: controls, ¡ « » ...
  if (cp.size() == 3 && lead == 0xE2) return false;        // U+2000..U+2FFF: spaces, dashes, symbols
  if (cp.size() == 3 && lead == 0xE3 && static_cast<unsigned char>(cp[1]) == 0x80) return false;
  return cp != "\xC3\x97" && cp != "\xC3\xB7";             // × ÷
}

std::string upper_ascii(std::string cp) {
  if (cp.size() == 1) cp[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(cp[0])));
  return cp;
}

}  // namespace

Status require_admin(const Agent& caller) {
  if (caller.role != Role::admin) return forbidden("only admins manage the team");
  return Ok{};
}

Result<std::string> clean_name(std::string_view name) {
  std::string clean = trim(name);
  if (clean.empty() || clean.size() > kMaxFieldBytes || !is_valid_utf8(clean)) {
    return bad_request("name is required (at most 200 bytes)");
  }
  return clean;
}

Result<std::string> clean_email(std::string_view email) {
  std::string clean = lowercase_ascii(trim(email));
  if (clean.size() > kMaxFieldBytes || !looks_like_email(clean)) {
    return bad_request("email is not a valid address");
  }
  return clean;
}

Status validate_password(std::string_view password) {
  if (password.size() < kMinPasswordBytes) {
    return bad_request("password must have at least 8 characters");
  }
  if (password.size() > kMaxPasswordBytes) return bad_request("password is too long (at most 1024 bytes)");
  return Ok{};
}

Status validate_max_chats(int max_chats) {
  if (max_chats < 1 || max_chats > kMaxChatsLimit) {
    return bad_request("max_chats must be between 1 and 1000");
  }
  return Ok{};
}

Result<std::string> clean_initials(std::string_view initials) {
  std::string clean = trim(initials);
  if (clean.empty()) return clean;
  if (!is_valid_utf8(clean)) return bad_request("initials must be one or two letters");
  auto cps = code_points(clean);
  if (cps.size() > 2) return bad_request("initials must be one or two letters");
  std::string out;
  for (const auto& cp : cps) {
    if (!is_letter(cp)) return bad_request("initials must be one or two letters");
    out += upper_ascii(cp);
  }
  return out;
}

std::string default_initials(std::string_view name) {
  std::vector<std::string> firsts;  // the first letter of each word
  std::vector<std::string> letters;  // every letter, for a one-word name
  bool word_start = true;
  for (const auto& cp : code_points(is_valid_utf8(name) ? name : std::string_view{})) {
    if (!is_letter(cp)) {
      word_start = true;
      continue;
    }
    if (word_start) firsts.push_back(upper_ascii(cp));
    letters.push_back(upper_ascii(cp));
    word_start = false;
  }
  if (firsts.size() >= 2) return firsts[0] + firsts[1];
  if (letters.size() >= 2) return letters[0] + letters[1];
  if (letters.size() == 1) return letters[0];
  return "?";
}

std::string initials_of(const Agent& agent) {
  return agent.initials.empty() ? default_initials(agent.name) : agent.initials;
}

Status keeps_an_active_admin(const Agent& before, Role role_after, bool active_after,
                             int other_active_admins) {
  bool was_active_admin = before.active && before.role == Role::admin;
  bool stays_active_admin = active_after && role_after == Role::admin;
  if (was_active_admin && !stays_active_admin && other_active_admins == 0) {
    return conflict(active_after ? "the last active admin cannot stop being an admin; make "
                                   "another agent an admin first"
                                 : "the last active admin cannot be deactivated; make another "
                                   "agent an admin first");
  }
  return Ok{};
}

bool may_edit_visitor_person(const Viewer& viewer, const Conversation& c) {
  if (viewer.view_all) return true;
  return c.status != ConversationStatus::pending && can_view(viewer, c);
}

}  // namespace parley::core::team
