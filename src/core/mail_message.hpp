// An email as the SMTP DATA command carries it (RFC 5322 + MIME): headers (Date, Message-ID,
// From and To with names, Subject, MIME-Version, Content-Type text/plain; charset=UTF-8,
// Content-Transfer-Encoding: quoted-printable) and the body, every line ending in CRLF.
//
// Header injection: names and subjects come from visitors and agents. Every control
// character (CR, LF, TAB, ...) in them becomes a space before anything is written, and text
// that is not plain printable ASCII goes out as RFC 2047 encoded words, so nothing a person
// types can end a header line or start a new one. Addresses are not repaired: one that is not
// a plain local@domain is refused (is_mail_address), because an altered address would send
// the mail somewhere else.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/types.hpp"

namespace parley::core {

struct MailAddress {
  std::string name;  // display name; may be empty
  std::string address;
};

struct MailMessage {
  MailAddress from;
  MailAddress to;
  std::string subject;
  std::string body;  // UTF-8 text; any line breaks
  Millis date = 0;
  std::string message_id;  // without the angle brackets: "<random>@<sender's domain>"
};

inline constexpr std::size_t kMaxMailAddressBytes = 254;

// A plain ASCII address local@domain.tld usable in the SMTP envelope and a header: no spaces,
// control characters, quotes, angle brackets, commas, ... (RFC 5321 dot-atoms only).
bool is_mail_address(std::string_view address);

// Control characters (CR, LF, TAB, DEL, ...) turned into spaces, runs of spaces made one,
// trimmed: text that can never end or add a header line.
std::string header_text(std::string_view text);

// `text` (after header_text) as it may stand in a header: unchanged when it is printable
// ASCII, else RFC 2047 "=?UTF-8?B?...?=" words of at most 75 characters (never splitting a
// UTF-8 character), folded onto continuation lines ("\r\n ").
std::string encoded_words(std::string_view text);

// "Name" <address> (the name quoted, or as encoded words), or the bare address without a name.
std::string format_address(const MailAddress& address);

// RFC 5322 date in UTC: "Sun, 06 Dec 2026 17:24:17 +0000".
std::string rfc5322_date(Millis at);

// Quoted-printable (RFC 2045) of UTF-8 text: line breaks of any kind become CRLF, lines are
// at most 76 characters (soft breaks), '=' and bytes outside printable ASCII are =XX, and a
// space or tab before a line end is encoded so that no server trims it.
std::string quoted_printable(std::string_view text);

// The whole message, headers and body, CRLF line ends. bad_request when an address is not
// is_mail_address or the Message-ID holds anything but letters, digits and ".-_@".
Result<std::string> format_mail(const MailMessage& message);

// Base64 (RFC 4648, with padding): encoded words, and the SMTP AUTH exchange.
std::string base64(std::string_view bytes);

// `data` as the DATA command sends it: line ends made CRLF, a line that starts with "." gets
// one more (RFC 5321 4.5.2), ending in CRLF; the caller then sends ".\r\n".
std::string dot_stuffed(std::string_view data);

}  // namespace parley::core
