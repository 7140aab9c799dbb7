#include "net/smtp_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "core/mail_message.hpp"
#include "core/validation.hpp"
#include "net/host_lookup.hpp"
#include "net/log.hpp"
#include "net/tls_client.hpp"

namespace parley::net {

namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

// What the caller is told, and what only the log sees.
struct Failed {
  std::string reason;
  std::string detail;
};

struct Reply {
  int code = 0;
  std::vector<std::string> lines;  // the text after "250-" / "250 "
  std::string first() const { return lines.empty() ? std::string() : lines.front(); }
};

// The server's words for the log: printable, short.
std::string loggable(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 200)) out += c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?';
  return out;
}

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool is_ip_literal(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

class Dialogue {
 public:
  Dialogue(asio::io_context& ioc, ssl::context& ctx, const core::SmtpSettings& server,
           const SmtpMail& mail, const SmtpOptions& options)
      : stream_(ioc, ctx), server_(server), mail_(mail), options_(options) {}

  tcp::socket& socket() { return stream_.next_layer(); }
  bool expect_name() { return expect_server_name(stream_, server_.host, is_ip_literal(server_.host)); }
  void time_out() {
    timed_out_ = true;
    error_code ignored;
    socket().close(ignored);
  }

  asio::awaitable<std::optional<Failed>> run(const std::vector<tcp::endpoint>& endpoints) {
    auto token = asio::redirect_error(asio::use_awaitable, ec_);
    bool connected = false;
    for (const auto& ep : endpoints) {
      if (timed_out_) co_return late();
      error_code ignored;
      if (socket().is_open()) socket().close(ignored);
      co_await socket().async_connect(ep, token);
      if (timed_out_) co_return late();
      if (!ec_) {
        connected = true;
        break;
      }
    }
    if (!connected) co_return Failed{"could not connect", ec_.message()};
    if (server_.security == core::SmtpSecurity::tls) {
      auto f = co_await handshake();
      if (f) co_return f;
    }
    auto greeting = co_await read_reply();
    if (!greeting) co_return broken("the greeting");
    if (greeting->code != 220) co_return refused("the server refused the connection", "greeting", *greeting);

    auto hello = co_await ehlo();
    if (!hello) co_return broken("EHLO");
    if (hello->code != 250) co_return refused("the server refused the greeting (EHLO)", "EHLO", *hello);
    if (server_.security == core::SmtpSecurity::starttls) {
      if (!offers(*hello, "STARTTLS")) {
        co_return Failed{"the server does not offer STARTTLS", "no STARTTLS in EHLO"};
      }
      auto r = co_await command("STARTTLS");
      if (!r) co_return broken("STARTTLS");
      if (r->code != 220) co_return refused("the server refused STARTTLS", "STARTTLS", *r);
      auto f = co_await handshake();
      if (f) co_return f;
      hello = co_await ehlo();  // the extensions may differ once encrypted (AUTH often appears)
      if (!hello) co_return broken("EHLO after STARTTLS");
      if (hello->code != 250) co_return refused("the server refused the greeting (EHLO)", "EHLO", *hello);
    }
    if (!server_.user.empty()) {
      auto f = co_await login(*hello);
      if (f) co_return f;
    }
    auto r = co_await command("MAIL FROM:<" + mail_.from + ">");
    if (!r) co_return broken("MAIL FROM");
    if (r->code != 250) co_return refused("the server refused the sender", "MAIL FROM", *r);
    r = co_await command("RCPT TO:<" + mail_.to + ">");
    if (!r) co_return broken("RCPT TO");
    if (r->code != 250 && r->code != 251) {
      co_return refused("the server refused the recipient", "RCPT TO", *r);
    }
    r = co_await command("DATA");
    if (!r) co_return broken("DATA");
    if (r->code != 354) co_return refused("the server refused the message", "DATA", *r);
    auto sent = co_await write(core::dot_stuffed(mail_.data) + ".\r\n");
    if (!sent) co_return broken("the message");
    r = co_await read_reply();
    if (!r) co_return broken("the end of the message");
    if (r->code != 250) co_return refused("the server refused the message", "end of DATA", *r);
    // Accepted: the mail is the server's now. QUIT is politeness; its answer changes nothing.
    bool quit = co_await write("QUIT\r\n");
    if (quit) co_await read_reply();
    co_return std::nullopt;
  }

 private:
  Failed late() const { return {"timed out", "after " + std::to_string(options_.deadline.count()) + " ms"}; }
  Failed broken(const std::string& during) const {
    if (timed_out_) return late();
    return {"the connection broke off", during + ": " + ec_.message()};
  }
  static Failed refused(const std::string& reason, const std::string& step, const Reply& r) {
    return {reason, step + ": " + std::to_string(r.code) + " " + loggable(r.first())};
  }

  asio::awaitable<std::optional<Failed>> handshake() {
    co_await stream_.async_handshake(ssl::stream_base::client,
                                     asio::redirect_error(asio::use_awaitable, ec_));
    if (timed_out_) co_return late();
    if (ec_) co_return Failed{"the TLS handshake or the certificate check failed", ec_.message()};
    tls_ = true;
    buffer_.clear();  // nothing sent in clear before the handshake may be read as encrypted
    co_return std::nullopt;
  }

  asio::awaitable<bool> write(std::string data) {
    auto token = asio::redirect_error(asio::use_awaitable, ec_);
    if (tls_) {
      co_await asio::async_write(stream_, asio::buffer(data), token);
    } else {
      co_await asio::async_write(socket(), asio::buffer(data), token);
    }
    co_return !ec_ && !timed_out_;
  }

  asio::awaitable<std::optional<std::string>> read_line() {
    auto token = asio::redirect_error(asio::use_awaitable, ec_);
    auto buffer = asio::dynamic_buffer(buffer_, options_.max_reply_bytes);
    std::size_t n = 0;
    if (tls_) {
      n = co_await asio::async_read_until(stream_, buffer, '\n', token);
    } else {
      n = co_await asio::async_read_until(socket(), buffer, '\n', token);
    }
    if (ec_ || timed_out_) co_return std::nullopt;
    std::string line = buffer_.substr(0, n - 1);
    buffer_.erase(0, n);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    co_return line;
  }

  // One reply: lines "250-..." continue it, "250 ..." (or "250") ends it.
  asio::awaitable<std::optional<Reply>> read_reply() {
    Reply reply;
    std::size_t total = 0;
    for (;;) {
      auto line = co_await read_line();
      if (!line) co_return std::nullopt;
      total += line->size();
      bool coded = line->size() >= 3 && std::isdigit(static_cast<unsigned char>((*line)[0])) &&
                   std::isdigit(static_cast<unsigned char>((*line)[1])) &&
                   std::isdigit(static_cast<unsigned char>((*line)[2]));
      if (!coded || total > options_.max_reply_bytes) {
        ec_ = asio::error::invalid_argument;
        co_return std::nullopt;
      }
      int code = std::stoi(line->substr(0, 3));
      if (reply.code != 0 && code != reply.code) {
        ec_ = asio::error::invalid_argument;
        co_return std::nullopt;
      }
      reply.code = code;
      reply.lines.push_back(line->size() > 4 ? line->substr(4) : std::string());
      if (line->size() < 4 || (*line)[3] != '-') co_return reply;
    }
  }

  // (Plain statements around each co_await: GCC 12 miscompiles a co_await inside a
  // condition or a co_return expression here.)
  asio::awaitable<std::optional<Reply>> command(std::string line) {
    line += "\r\n";
    bool sent = co_await write(std::move(line));
    if (!sent) co_return std::nullopt;
    std::optional<Reply> reply = co_await read_reply();
    co_return reply;
  }

  asio::awaitable<std::optional<Reply>> ehlo() {
    auto at = mail_.from.rfind('@');
    std::string name = at == std::string::npos ? "localhost" : mail_.from.substr(at + 1);
    auto r = co_await command("EHLO " + name);
    if (r && r->code >= 500 && server_.user.empty() &&
        server_.security != core::SmtpSecurity::starttls) {
      r = co_await command("HELO " + name);  // a very old server: no extensions needed
    }
    co_return r;
  }

  // The EHLO reply lists `keyword` (first word of an extension line, any case).
  static bool offers(const Reply& hello, std::string_view keyword) {
    for (std::size_t i = 1; i < hello.lines.size(); ++i) {
      auto upper = upper_ascii(hello.lines[i]);
      if (upper == keyword || upper.starts_with(std::string(keyword) + " ")) return true;
    }
    return false;
  }

  static std::vector<std::string> auth_methods(const Reply& hello) {
    std::vector<std::string> out;
    for (std::size_t i = 1; i < hello.lines.size(); ++i) {
      auto upper = upper_ascii(hello.lines[i]);
      if (!upper.starts_with("AUTH ") && !upper.starts_with("AUTH=")) continue;
      std::string word;
      for (char c : upper.substr(5) + " ") {
        if (c == ' ') {
          if (!word.empty()) out.push_back(word);
          word.clear();
        } else {
          word += c;
        }
      }
    }
    return out;
  }

  asio::awaitable<std::optional<Failed>> login(const Reply& hello) {
    auto methods = auth_methods(hello);
    auto has = [&](std::string_view m) {
      return std::find(methods.begin(), methods.end(), m) != methods.end();
    };
    std::optional<Reply> r;
    if (has("PLAIN")) {
      std::string secret = std::string(1, '\0') + server_.user + '\0' + server_.password;
      r = co_await command("AUTH PLAIN " + core::base64(secret));
    } else if (has("LOGIN")) {
      r = co_await command("AUTH LOGIN");
      if (r && r->code == 334) r = co_await command(core::base64(server_.user));
      if (r && r->code == 334) r = co_await command(core::base64(server_.password));
    } else {
      co_return Failed{"the server offers no login method Parley knows (PLAIN, LOGIN)",
                       "AUTH methods: " + loggable(hello.lines.empty() ? "" : hello.lines.back())};
    }
    if (!r) co_return broken("AUTH");
    if (r->code != 235) co_return refused("the server refused the login", "AUTH", *r);
    co_return std::nullopt;
  }

  ssl::stream<tcp::socket> stream_;
  const core::SmtpSettings& server_;
  const SmtpMail& mail_;
  const SmtpOptions& options_;
  bool tls_ = false;
  bool timed_out_ = false;
  std::string buffer_;
  error_code ec_;
};

core::Error fail(const core::SmtpSettings& server, const Failed& f) {
  log_info("email not sent", {{"smtp_host", server.host + ":" + std::to_string(server.port)},
                              {"reason", f.reason},
                              {"detail", f.detail}});
  return core::bad_gateway("could not send: " + f.reason);
}

}  // namespace

core::Status smtp_send(const core::SmtpSettings& server, const SmtpMail& mail,
                       const SmtpOptions& options) {
  if (!server.configured()) return core::conflict("email is not set up");
  auto deadline = Clock::now() + options.deadline;
  auto lookup = lookup_host(server.host, std::to_string(server.port), deadline);
  if (lookup.outcome == HostLookup::Outcome::timed_out) {
    return fail(server, {"timed out", "looking up the host name"});
  }
  if (lookup.outcome == HostLookup::Outcome::failed) {
    return fail(server, {"the host name could not be resolved", lookup.detail});
  }
  asio::io_context ioc;
  auto ctx = verifying_client_context();
  Dialogue dialogue(ioc, ctx, server, mail, options);
  if (server.security != core::SmtpSecurity::none && !dialogue.expect_name()) {
    return fail(server, {"the TLS handshake or the certificate check failed", "SNI refused"});
  }
  asio::steady_timer timer(ioc, deadline);
  timer.async_wait([&](error_code ec) {
    if (!ec) dialogue.time_out();
  });
  std::optional<Failed> result = Failed{"the connection broke off", "did not finish"};
  asio::co_spawn(ioc, dialogue.run(lookup.endpoints),
                 [&](std::exception_ptr e, std::optional<Failed> r) {
                   timer.cancel();
                   result = e ? Failed{"the connection broke off", "exception"} : std::move(r);
                 });
  ioc.run();
  if (result) return fail(server, *result);
  log_info("email sent", {{"smtp_host", server.host}, {"bytes", std::to_string(mail.data.size())}});
  return core::Ok{};
}

}  // namespace parley::net
