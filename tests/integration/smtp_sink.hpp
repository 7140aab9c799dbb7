// A real SMTP server for the tests, on a loopback port in the test process: it speaks SMTP to
// Parley's client (EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA with dot-unstuffing, RSET,
// QUIT) and records what it received. It can ask for a login, refuse a step with a 5xx,
// or advertise no extensions at all. Not a mock: the bytes go over a real socket.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace parley::testing {

struct SinkOptions {
  // With a user, AUTH is required before MAIL and checked against user/password.
  std::string user{};
  std::string password{};
  std::vector<std::string> auth_methods{"PLAIN", "LOGIN"};
  // A step ("MAIL", "RCPT", "DATA" = after the message) answered with this reply instead.
  std::map<std::string, std::string> refuse{};
  // TLS: "starttls" offers STARTTLS, "tls" speaks TLS from the first byte; with the
  // certificate and key (PEM files) given here.
  std::string tls{};
  std::string cert_file{};
  std::string key_file{};
};

struct ReceivedMail {
  std::string ehlo;
  std::string auth_mechanism;  // "" without AUTH
  std::string auth_user;
  bool tls = false;  // the message came over TLS
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  std::string data;  // as sent, dot-unstuffed, CRLF line ends, without the final "."

  // The value of header `name` (continuation lines joined), "" when absent.
  std::string header(const std::string& name) const;
  // The number of header lines whose name is `name` (case-insensitive).
  int header_count(const std::string& name) const;
  // The body, quoted-printable decoded.
  std::string text() const;
};

class SmtpSink {
 public:
  explicit SmtpSink(SinkOptions options = {});
  ~SmtpSink();
  unsigned short port() const { return port_; }
  // Waits for the next accepted message (throws after `timeout`).
  ReceivedMail wait_for_mail(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::vector<ReceivedMail> mails();
  int connections();
  // Connections whose TLS handshake failed (the client refused the certificate, say).
  int failed_handshakes();

 private:
  void serve(boost::asio::ip::tcp::socket socket);
  SinkOptions options_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<ReceivedMail> mails_;
  std::size_t taken_ = 0;
  int connections_ = 0;
  int failed_handshakes_ = 0;
  std::thread thread_;
};

// Base64 decoding, for the tests' own checks.
std::string base64_decode(const std::string& in);

}  // namespace parley::testing
