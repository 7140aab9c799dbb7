// The SMTP client of follow-up emails (app/email_service): one message to one recipient over
// a fresh connection to the admin's mail server — EHLO, STARTTLS or implicit TLS (certificate
// verified, net/tls_client), AUTH PLAIN or LOGIN when a user is set, MAIL FROM / RCPT TO /
// DATA (dot-stuffed, CRLF), QUIT. Runs on the calling thread with a private io_context: every
// step is asynchronous and one timer closes the socket at the total deadline, so a server
// that stalls costs at most that long. Call it from a worker thread, never an I/O thread.
//
// The server is the admin's choice, so unlike net/guarded_fetch any address is allowed,
// internal ones included (a relay on the same network is the common case).
#pragma once

#include <chrono>
#include <string>

#include "core/result.hpp"
#include "core/smtp_settings.hpp"

namespace parley::net {

struct SmtpMail {
  std::string from;  // envelope sender (MAIL FROM)
  std::string to;    // the one recipient (RCPT TO)
  std::string data;  // the formatted message (core::format_mail), not yet dot-stuffed
};

struct SmtpOptions {
  std::chrono::milliseconds deadline{20'000};  // everything: lookup, connect, TLS, dialogue
  std::size_t max_reply_bytes = 64 * 1024;     // one reply of the server, all its lines
};

// bad_gateway "could not send: <reason>" on failure, the reason generic ("could not connect",
// "timed out", "the server refused the login", "the server refused the recipient", ...):
// never the server's own words, which go to the log with the host (never the password).
core::Status smtp_send(const core::SmtpSettings& server, const SmtpMail& mail,
                       const SmtpOptions& options = {});

}  // namespace parley::net
