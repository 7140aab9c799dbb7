// The admin's outgoing mail server (issue 13: emailing a missed chat's visitor): where the
// follow-up emails go out, how the connection is secured, the optional login, and whom the
// emails are from. The server is named by the admin, so internal addresses are allowed
// (unlike the URLs of net/guarded_fetch). The password is stored so that it can be sent to
// the server; no API ever returns it, only whether one is set.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace parley::core {

// none: plain SMTP (a relay on the same host or network); starttls: plain, then STARTTLS
// before anything else (port 587); tls: TLS from the first byte (port 465).
enum class SmtpSecurity { none, starttls, tls };

std::string_view to_string(SmtpSecurity security);
std::optional<SmtpSecurity> smtp_security_of(std::string_view text);

inline constexpr std::size_t kMaxSmtpHostBytes = 253;
inline constexpr std::size_t kMaxSmtpUserBytes = 200;
inline constexpr std::size_t kMaxSmtpPasswordBytes = 1024;
inline constexpr std::size_t kMaxSmtpFromNameBytes = 200;

struct SmtpSettings {
  std::string host;  // empty: email is not set up
  int port = 587;
  SmtpSecurity security = SmtpSecurity::starttls;
  std::string user;      // empty: no AUTH
  std::string password;  // used only with a user
  std::string from_address;
  std::string from_name;

  // Whether follow-up emails can be sent at all (validate_smtp_settings checked the rest).
  bool configured() const { return !host.empty(); }
};

// An empty host switches email off (the other fields are then kept as they are). With a
// host: a host name or an IP address, a port 1..65535, a sender address, names and the
// login without control characters (they would break the SMTP dialogue or a header).
// bad_request naming the field otherwise.
Status validate_smtp_settings(const SmtpSettings& settings);

}  // namespace parley::core
