// The inbox scenario: latency of the Agent Inbox's list queries (and search, once the
// server has it) for a logged-in agent and an admin, one request at a time over a
// keep-alive connection, on a database the seeder filled (bench/seed).
//
// Search is GET /api/v1/conversations?q=... (another issue adds it). A probe with a term
// that matches nothing tells whether the server answers it: 400/404, or a non-empty list
// (the parameter ignored), mean "not implemented" and the figure is reported as n/a.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <random>

#include "histogram.hpp"
#include "result.hpp"
#include "scenarios.hpp"
#include "words.hpp"

namespace parley::bench {

namespace json = boost::json;

namespace {

using namespace std::chrono_literals;

struct RoleFigures {
  std::string role;
  Histogram first_page, next_pages, deep_cursor, active, search;
  int http_errors = 0;
  std::string search_status;  // "measured" or "n/a (...)"
  std::vector<std::string> errors;
};

struct Client {
  beast::tcp_stream& stream;
  const Target& target;
  std::string cookie;
  RoleFigures& fig;
};

// GET with the session cookie; records the round trip in `h` (when given) on success.
awaitable<HttpReply> timed_get(Client& c, const std::string& path, Histogram* h) {
  auto start = now_ns();
  HttpReply reply;
  if (c.stream.socket().is_open()) {
    reply = co_await http_call(c.stream, c.target, http::verb::get, path, "", c.cookie, "", 30s);
  }
  auto elapsed = now_ns() - start;
  if (!reply.ec && reply.status == 200) {
    if (h) h->record(static_cast<std::uint64_t>(elapsed));
  } else if (reply.status != 400 && reply.status != 404) {
    c.fig.http_errors++;
    if (c.fig.errors.size() < 5) {
      c.fig.errors.push_back(c.fig.role + " GET " + path + ": HTTP " + std::to_string(reply.status) +
                             " " + reply.body.substr(0, 200) + reply.ec.message());
    }
  }
  co_return reply;
}

std::string next_cursor(const std::string& body) {
  auto o = parse_object(body);
  if (!o || !o->contains("next") || !o->at("next").is_string()) return {};
  return std::string(o->at("next").as_string());
}

std::int64_t newest_activity(const std::string& body) {
  auto o = parse_object(body);
  if (!o || !o->contains("conversations")) return 0;
  const auto& a = o->at("conversations").as_array();
  if (a.empty()) return 0;
  return a[0].as_object().at("last_activity_at").to_number<std::int64_t>();
}

std::size_t list_size(const std::string& body) {
  auto o = parse_object(body);
  if (!o || !o->contains("conversations") || !o->at("conversations").is_array()) return 0;
  return o->at("conversations").as_array().size();
}

awaitable<void> measure_role(const InboxOptions& o, std::string email, RoleFigures& fig) {
  auto executor = co_await asio::this_coro::executor;
  beast::tcp_stream stream(executor);
  SourceAddresses sources(o.common.source_addresses);
  auto ec = co_await tcp_connect(stream, o.common.target, sources.next(), 15s);
  if (ec) {
    fig.errors.push_back("connect: " + ec.message());
    co_return;
  }
  std::string login = json::serialize(json::object{{"email", email}, {"password", o.password}});
  std::string_view login_path = "/api/v1/auth/login";
  auto reply = co_await http_call(stream, o.common.target, http::verb::post, login_path, login, "", "", 60s);
  if (reply.ec || reply.status != 200 || reply.cookie.empty()) {
    fig.errors.push_back("login " + email + ": HTTP " + std::to_string(reply.status) + " " + reply.body);
    co_return;
  }
  Client c{stream, o.common.target, reply.cookie, fig};
  std::string first = "/api/v1/conversations?status=all&limit=50";

  // Warm the server's caches and the connection; not measured.
  for (int i = 0; i < 20; ++i) co_await timed_get(c, first, nullptr);

  std::string body;
  for (int i = 0; i < o.requests; ++i) {
    auto r = co_await timed_get(c, first, &fig.first_page);
    if (i == 0) body = r.body;
  }
  std::int64_t newest = newest_activity(body);
  if (list_size(body) == 0) fig.errors.push_back(fig.role + ": the inbox list is empty (database not seeded?)");

  // Paged walks: follow `next` from the first page, as scrolling does.
  int walks = std::max(1, o.requests / std::max(1, o.pages));
  for (int w = 0; w < walks; ++w) {
    std::string cursor = next_cursor(body);
    for (int p = 0; p < o.pages && !cursor.empty(); ++p) {
      std::string path = first + "&before=" + cursor;
      auto r = co_await timed_get(c, path, &fig.next_pages);
      cursor = next_cursor(r.body);
    }
  }

  // Deep cursors: jump to a random point in the seeded span (an old page).
  std::mt19937_64 rng(42);
  auto span = static_cast<std::int64_t>(o.span_days * 86400.0 * 1000.0);
  for (int i = 0; i < o.requests && newest > 0; ++i) {
    std::int64_t at = newest - static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(std::max<std::int64_t>(1, span)));
    std::string path = first + "&before=" + std::to_string(at) + ":9223372036854775807";
    co_await timed_get(c, path, &fig.deep_cursor);
  }

  std::string active = "/api/v1/conversations?status=active&limit=50";
  for (int i = 0; i < o.requests / 2; ++i) co_await timed_get(c, active, &fig.active);

  // Search, if the server has it.
  std::string probe = first + "&q=zzqxbenchnomatch";
  auto pr = co_await timed_get(c, probe, nullptr);
  if (pr.ec) {
    fig.search_status = "n/a (probe failed: " + pr.ec.message() + ")";
  } else if (pr.status == 400 || pr.status == 404) {
    fig.search_status = "n/a (search not implemented: HTTP " + std::to_string(pr.status) + ")";
  } else if (pr.status == 200 && list_size(pr.body) > 0) {
    fig.search_status = "n/a (search not implemented: ?q= is ignored)";
  } else if (pr.status == 200) {
    fig.search_status = "measured";
    for (int i = 0; i < o.requests; ++i) {
      std::string path = first + "&q=" + std::string(kWords[static_cast<std::size_t>(i) % kWords.size()]);
      co_await timed_get(c, path, &fig.search);
    }
  } else {
    fig.search_status = "n/a (probe answered HTTP " + std::to_string(pr.status) + ")";
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

json::object role_json(const RoleFigures& f) {
  Histogram list;
  list.merge(f.first_page);
  list.merge(f.next_pages);
  list.merge(f.deep_cursor);
  json::object o{{"list", latency_json(list)},
                 {"list_first_page", latency_json(f.first_page)},
                 {"list_next_pages", latency_json(f.next_pages)},
                 {"list_deep_cursor", latency_json(f.deep_cursor)},
                 {"list_active", latency_json(f.active)},
                 {"search_status", f.search_status},
                 {"http_errors", f.http_errors}};
  if (f.search_status == "measured") o["search"] = latency_json(f.search);
  return o;
}

}  // namespace

int run_inbox(const InboxOptions& o) {
  RoleFigures agent, admin;
  agent.role = "agent";
  admin.role = "admin";
  asio::io_context ioc{1};
  asio::co_spawn(ioc, measure_role(o, o.agent_email, agent), asio::detached);
  ioc.run();
  ioc.restart();
  asio::co_spawn(ioc, measure_role(o, o.admin_email, admin), asio::detached);
  ioc.run();

  json::object figures{{"agent", role_json(agent)}, {"admin", role_json(admin)}};
  double list_p99 = 0, search_p99 = -1;
  for (const auto* f : {&agent, &admin}) {
    Histogram list;
    list.merge(f->first_page);
    list.merge(f->next_pages);
    list.merge(f->deep_cursor);
    list_p99 = std::max(list_p99, static_cast<double>(list.value_at_quantile(0.99)) / 1e6);
    if (f->search_status == "measured") {
      search_p99 = std::max(search_p99, static_cast<double>(f->search.value_at_quantile(0.99)) / 1e6);
    }
  }
  figures["list_p99_ms"] = list_p99;
  figures["search_status"] = agent.search_status.empty() ? admin.search_status : agent.search_status;
  if (search_p99 >= 0) figures["search_p99_ms"] = search_p99;
  else figures["search_p99_ms"] = nullptr;

  json::array errors;
  for (const auto* f : {&agent, &admin}) {
    for (const auto& e : f->errors) errors.push_back(json::value(e));
  }
  json::object params{{"agent_email", o.agent_email},
                      {"admin_email", o.admin_email},
                      {"requests", o.requests},
                      {"pages", o.pages},
                      {"span_days", o.span_days},
                      {"port", o.common.target.port}};
  std::string name = o.common.name.empty() ? "parley-inbox" : o.common.name;
  bool ok = errors.empty() && agent.http_errors == 0 && admin.http_errors == 0;
  auto result = make_result(name, "inbox", "parley", params, figures, ok, errors);
  if (!o.common.out.empty()) write_json_file(o.common.out, result);
  for (const auto* f : {&agent, &admin}) {
    Histogram list;
    list.merge(f->first_page);
    list.merge(f->next_pages);
    list.merge(f->deep_cursor);
    std::cout << "| " << name << " " << f->role << " | list p50 "
              << static_cast<double>(list.value_at_quantile(0.5)) / 1e6 << " ms p99 "
              << static_cast<double>(list.value_at_quantile(0.99)) / 1e6 << " ms | search "
              << (f->search_status == "measured"
                      ? std::to_string(static_cast<double>(f->search.value_at_quantile(0.99)) / 1e6) + " ms p99"
                      : f->search_status)
              << " |\n";
  }
  for (const auto& e : errors) std::cerr << "  error: " << e.as_string() << "\n";
  return ok ? 0 : 1;
}

}  // namespace parley::bench
