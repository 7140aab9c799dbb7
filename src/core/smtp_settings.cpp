#include "core/smtp_settings.hpp"

#include <algorithm>

#include "core/mail_message.hpp"
#include "core/validation.hpp"

namespace parley::core {

namespace {

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

// A DNS name, an IPv4 address or an IPv6 address (without brackets): the characters only;
// whether it resolves is the connection's business.
bool host_characters(std::string_view h) {
  return !h.empty() && h.size() <= kMaxSmtpHostBytes &&
         std::all_of(h.begin(), h.end(), [](unsigned char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.' || c == '_' || c == ':';
         });
}

}  // namespace

std::string_view to_string(SmtpSecurity security) {
  switch (security) {
    case SmtpSecurity::none: return "none";
    case SmtpSecurity::starttls: return "starttls";
    case SmtpSecurity::tls: return "tls";
  }
  return "starttls";
}

std::optional<SmtpSecurity> smtp_security_of(std::string_view text) {
  if (text == "none") return SmtpSecurity::none;
  if (text == "starttls") return SmtpSecurity::starttls;
  if (text == "tls") return SmtpSecurity::tls;
  return std::nullopt;
}

Status validate_smtp_settings(const SmtpSettings& s) {
  if (s.host.empty()) return Ok{};
  if (!host_characters(s.host)) {
    return bad_request("smtp host must be a host name or an IP address (no scheme or port)");
  }
  if (s.port < 1 || s.port > 65535) return bad_request("smtp port must be 1..65535");
  if (s.user.size() > kMaxSmtpUserBytes || has_control(s.user) || !is_valid_utf8(s.user)) {
    return bad_request("smtp user is too long or holds control characters");
  }
  if (s.password.size() > kMaxSmtpPasswordBytes || has_control(s.password) ||
      !is_valid_utf8(s.password)) {
    return bad_request("smtp password is too long or holds control characters");
  }
  if (!is_mail_address(s.from_address)) {
    return bad_request("smtp from_address must be a plain address like support@example.com");
  }
  if (s.from_name.size() > kMaxSmtpFromNameBytes || has_control(s.from_name) ||
      !is_valid_utf8(s.from_name)) {
    return bad_request("smtp from_name is too long or holds control characters");
  }
  return Ok{};
}

}  // namespace parley::core
