#include "cli/serve_options.hpp"

#include <charconv>
#include <iostream>
#include <map>

namespace parley::cli {

namespace {

std::chrono::milliseconds ms(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

// "30/60" (30 per 60 s) or "off".
std::optional<core::RateLimit> parse_rate(std::string_view text) {
  if (text == "off") return core::RateLimit{0, 60'000};
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  int count = 0;
  double seconds = 0;
  auto c = text.substr(0, slash);
  if (std::from_chars(c.data(), c.data() + c.size(), count).ec != std::errc{} || count < 1 ||
      count > 1'000'000) {
    return std::nullopt;
  }
  try {
    std::size_t used = 0;
    std::string s(text.substr(slash + 1));
    seconds = std::stod(s, &used);
    if (used != s.size() || !(seconds > 0) || seconds > 86'400) return std::nullopt;
  } catch (...) {
    return std::nullopt;
  }
  return core::RateLimit{count, static_cast<core::Millis>(seconds * 1000)};
}

}  // namespace

void add_hardening_flags(CLI::App& serve, HardeningFlags& f) {
  auto positive = CLI::Range(0.05, 86'400.0);
  serve.add_option("--workers", f.workers, "Threads for REST handlers (default 4)")
      ->check(CLI::Range(1, 256));
  serve.add_option("--idle-timeout", f.idle_timeout,
                   "Seconds a keep-alive connection may wait for its next request (60)")
      ->check(positive);
  serve.add_option("--header-timeout", f.header_timeout,
                   "Seconds a request's header may take once it has begun (10)")
      ->check(positive);
  serve.add_option("--body-timeout", f.body_timeout, "Seconds a request's body may take (30)")
      ->check(positive);
  serve.add_option("--auth-timeout", f.auth_timeout,
                   "Seconds a WebSocket may stay open without authenticating (10)")
      ->check(positive);
  serve.add_option("--ws-idle-timeout", f.ws_idle_timeout,
                   "Seconds a WebSocket may stay open with nothing arriving from its peer (300)")
      ->check(positive);
  serve.add_option("--ws-write-stall", f.ws_write_stall,
                   "Seconds a WebSocket owed a replay may take no data before it is cut off (30)")
      ->check(positive);
  serve.add_option("--max-connections-per-ip", f.max_connections_per_ip,
                   "Open connections one client address may hold; 0: no cap (256)")
      ->check(CLI::Range(0, 1'000'000));
  serve.add_option("--trusted-proxy", f.trusted_proxies,
                   "Address or CIDR range of a reverse proxy whose X-Forwarded-For and "
                   "X-Forwarded-Proto are believed (repeatable)");
  serve.add_option("--rate-limit", f.rate_limits,
                   "NAME=COUNT/SECONDS or NAME=off (repeatable); NAME is login-per-ip, "
                   "visitor-sessions-per-ip, chat-requests-per-ip, messages-per-socket, "
                   "messages-per-visitor, ws-upgrades-per-ip, or all (only with off)");
  serve.add_option("--public-url", f.public_url,
                   "The URL users reach Parley at; https://... makes the session cookie Secure");
}

bool apply_hardening_flags(const HardeningFlags& f, net::ServerOptions& o) {
  o.workers = f.workers;
  o.idle_timeout = ms(f.idle_timeout);
  o.header_timeout = ms(f.header_timeout);
  o.body_timeout = ms(f.body_timeout);
  o.auth_timeout = ms(f.auth_timeout);
  o.ws_idle_timeout = ms(f.ws_idle_timeout);
  o.ws_write_stall = ms(f.ws_write_stall);
  o.max_connections_per_ip = f.max_connections_per_ip;
  o.public_url = f.public_url;
  if (!f.public_url.empty() && !f.public_url.starts_with("https://") &&
      !f.public_url.starts_with("http://")) {
    std::cerr << "parley: --public-url must start with http:// or https://\n";
    return false;
  }
  for (const auto& text : f.trusted_proxies) {
    auto range = net::parse_address_range(text);
    if (!range) {
      std::cerr << "parley: --trusted-proxy must be an address or CIDR range, got '" << text << "'\n";
      return false;
    }
    o.trusted_proxies.push_back(*range);
  }
  auto& l = o.limits;
  const std::map<std::string, core::RateLimit*, std::less<>> by_name{
      {"login-per-ip", &l.login_per_ip},
      {"visitor-sessions-per-ip", &l.visitor_sessions_per_ip},
      {"chat-requests-per-ip", &l.chat_requests_per_ip},
      {"messages-per-socket", &l.messages_per_socket},
      {"messages-per-visitor", &l.messages_per_visitor},
      {"ws-upgrades-per-ip", &l.ws_upgrades_per_ip}};
  for (const auto& text : f.rate_limits) {
    auto eq = text.find('=');
    std::string name = text.substr(0, eq);
    auto rate = eq == std::string::npos ? std::nullopt : parse_rate(std::string_view(text).substr(eq + 1));
    if (rate && name == "all" && !rate->enabled()) {
      for (auto& [n, limit] : by_name) *limit = *rate;
      continue;
    }
    auto it = by_name.find(name);
    if (!rate || it == by_name.end()) {
      std::cerr << "parley: --rate-limit must be NAME=COUNT/SECONDS or NAME=off, got '" << text
                << "'\n";
      return false;
    }
    *it->second = *rate;
  }
  return true;
}

}  // namespace parley::cli
