#include "smtp_sink.hpp"

#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <sys/socket.h>
#include <istream>
#include <stdexcept>

namespace parley::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// "MAIL FROM:<a@b>" -> "a@b".
std::string bracketed(const std::string& line) {
  auto open = line.find('<'), close = line.rfind('>');
  if (open == std::string::npos || close == std::string::npos || close < open) return "";
  return line.substr(open + 1, close - open - 1);
}

}  // namespace

std::string base64_decode(const std::string& in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    auto v = kAlphabet.find(c);
    if (v == std::string::npos) continue;  // '=' and line breaks
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string ReceivedMail::header(const std::string& name) const {
  std::string value;
  bool in = false;
  std::size_t i = 0;
  for (;;) {
    auto end = data.find("\r\n", i);
    auto line = data.substr(i, end - i);
    if (line.empty() || end == std::string::npos) break;
    i = end + 2;
    if (line[0] == ' ' || line[0] == '\t') {
      if (in) value += line;
      continue;
    }
    if (in) break;
    auto colon = line.find(':');
    if (colon != std::string::npos && lower(line.substr(0, colon)) == lower(name)) {
      in = true;
      value = line.substr(colon + 1);
      if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    }
  }
  return value;
}

int ReceivedMail::header_count(const std::string& name) const {
  int n = 0;
  std::size_t i = 0;
  for (;;) {
    auto end = data.find("\r\n", i);
    auto line = data.substr(i, end - i);
    if (line.empty() || end == std::string::npos) break;
    i = end + 2;
    auto colon = line.find(':');
    if (line[0] != ' ' && colon != std::string::npos && lower(line.substr(0, colon)) == lower(name)) ++n;
  }
  return n;
}

std::string ReceivedMail::text() const {
  auto start = data.find("\r\n\r\n");
  if (start == std::string::npos) return "";
  auto qp = data.substr(start + 4);
  std::string out;
  for (std::size_t i = 0; i < qp.size(); ++i) {
    if (qp[i] != '=') {
      if (qp[i] != '\r') out += qp[i];
      continue;
    }
    if (i + 2 < qp.size() && qp[i + 1] == '\r' && qp[i + 2] == '\n') {
      i += 2;  // soft line break
      continue;
    }
    if (i + 2 < qp.size()) {
      out += static_cast<char>(std::stoi(qp.substr(i + 1, 2), nullptr, 16));
      i += 2;
    }
  }
  return out;
}

SmtpSink::SmtpSink(SinkOptions options)
    : options_(std::move(options)), acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  thread_ = std::thread([this] {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec) return;  // closed by the destructor
      {
        std::lock_guard lock(mutex_);
        ++connections_;
      }
      try {
        serve(std::move(socket));
      } catch (const std::exception&) {
        // The client went away mid-dialogue: the next connection.
      }
    }
  });
}

SmtpSink::~SmtpSink() {
  // shutdown() wakes the blocked accept() on Linux (close() alone may not); the acceptor is
  // closed only once the thread that uses it is gone (ThreadSanitizer saw the race).
  ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
  thread_.join();
  boost::system::error_code ec;
  acceptor_.close(ec);
}

void SmtpSink::serve(tcp::socket socket) {
  namespace ssl = asio::ssl;
  ssl::context ctx(ssl::context::tls_server);
  if (!options_.tls.empty()) {
    ctx.use_certificate_chain_file(options_.cert_file);
    ctx.use_private_key_file(options_.key_file, ssl::context::pem);
  }
  ssl::stream<tcp::socket> stream(std::move(socket), ctx);
  bool tls = false;
  asio::streambuf in;
  auto handshake = [&]() {
    boost::system::error_code ec;
    stream.handshake(ssl::stream_base::server, ec);
    if (ec) {
      std::lock_guard lock(mutex_);
      ++failed_handshakes_;
      throw std::runtime_error("handshake: " + ec.message());
    }
    tls = true;
    in.consume(in.size());
  };
  auto read_line = [&]() {
    if (tls) {
      asio::read_until(stream, in, "\r\n");
    } else {
      asio::read_until(stream.next_layer(), in, "\r\n");
    }
    std::istream is(&in);
    std::string line;
    std::getline(is, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  };
  auto say = [&](const std::string& reply) {
    if (tls) {
      asio::write(stream, asio::buffer(reply + "\r\n"));
    } else {
      asio::write(stream.next_layer(), asio::buffer(reply + "\r\n"));
    }
  };
  auto refusal = [&](const std::string& step) -> std::optional<std::string> {
    auto it = options_.refuse.find(step);
    if (it == options_.refuse.end()) return std::nullopt;
    return it->second;
  };
  if (options_.tls == "tls") handshake();

  ReceivedMail mail;
  bool authed = options_.user.empty();
  say("220 sink.test ESMTP ready");
  for (;;) {
    auto line = read_line();
    auto verb = upper(line.substr(0, line.find(' ')));
    if (verb == "EHLO") {
      mail.ehlo = line.substr(5);
      std::string methods;
      for (const auto& m : options_.auth_methods) methods += " " + m;
      say("250-sink.test greets you");
      say("250-8BITMIME");
      if (options_.tls == "starttls" && !tls) say("250-STARTTLS");
      if (!options_.auth_methods.empty()) say("250-AUTH" + methods);
      say("250 SIZE 1000000");
    } else if (verb == "STARTTLS" && options_.tls == "starttls" && !tls) {
      say("220 2.0.0 Ready to start TLS");
      handshake();
      mail = ReceivedMail{};  // RFC 3207: everything before is forgotten
    } else if (verb == "HELO") {
      say("250 sink.test");
    } else if (verb == "AUTH") {
      auto rest = line.substr(5);
      auto mechanism = upper(rest.substr(0, rest.find(' ')));
      std::string user, password;
      if (mechanism == "PLAIN") {
        auto space = rest.find(' ');
        std::string response = space == std::string::npos ? "" : rest.substr(space + 1);
        if (response.empty()) {
          say("334 ");
          response = read_line();
        }
        auto decoded = base64_decode(response);  // authzid \0 user \0 password
        auto first = decoded.find('\0'), second = decoded.find('\0', first + 1);
        if (first != std::string::npos && second != std::string::npos) {
          user = decoded.substr(first + 1, second - first - 1);
          password = decoded.substr(second + 1);
        }
      } else if (mechanism == "LOGIN") {
        say("334 VXNlcm5hbWU6");
        user = base64_decode(read_line());
        say("334 UGFzc3dvcmQ6");
        password = base64_decode(read_line());
      } else {
        say("504 5.5.4 unknown mechanism");
        continue;
      }
      if (user == options_.user && password == options_.password && !options_.user.empty()) {
        authed = true;
        mail.auth_mechanism = mechanism;
        mail.auth_user = user;
        say("235 2.7.0 Authentication successful");
      } else {
        say("535 5.7.8 Authentication credentials invalid");
      }
    } else if (verb == "MAIL") {
      if (!authed) {
        say("530 5.7.0 Authentication required");
      } else if (auto r = refusal("MAIL")) {
        say(*r);
      } else {
        mail.mail_from = bracketed(line);
        say("250 2.1.0 Ok");
      }
    } else if (verb == "RCPT") {
      if (auto r = refusal("RCPT")) {
        say(*r);
      } else {
        mail.rcpt_to.push_back(bracketed(line));
        say("250 2.1.5 Ok");
      }
    } else if (verb == "DATA") {
      say("354 End data with <CR><LF>.<CR><LF>");
      std::string data;
      for (;;) {
        auto l = read_line();
        if (l == ".") break;
        if (!l.empty() && l[0] == '.') l.erase(0, 1);  // dot-unstuffing
        data += l + "\r\n";
      }
      if (auto r = refusal("DATA")) {
        say(*r);
        continue;
      }
      mail.data = std::move(data);
      mail.tls = tls;
      {
        std::lock_guard lock(mutex_);
        mails_.push_back(mail);
      }
      cv_.notify_all();
      say("250 2.0.0 Ok: queued");
      mail.mail_from.clear();
      mail.rcpt_to.clear();
      mail.data.clear();
    } else if (verb == "RSET") {
      mail.mail_from.clear();
      mail.rcpt_to.clear();
      say("250 Ok");
    } else if (verb == "QUIT") {
      say("221 Bye");
      return;
    } else {
      say("502 5.5.2 Error: command not recognized");
    }
  }
}

ReceivedMail SmtpSink::wait_for_mail(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!cv_.wait_for(lock, timeout, [&] { return mails_.size() > taken_; })) {
    throw std::runtime_error("the SMTP sink received no mail");
  }
  return mails_[taken_++];
}

std::vector<ReceivedMail> SmtpSink::mails() {
  std::lock_guard lock(mutex_);
  return mails_;
}

int SmtpSink::failed_handshakes() {
  std::lock_guard lock(mutex_);
  return failed_handshakes_;
}

int SmtpSink::connections() {
  std::lock_guard lock(mutex_);
  return connections_;
}

}  // namespace parley::testing
