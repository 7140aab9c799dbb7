// parley: serve | migrate | admin create-agent | backup | restore | version
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <condition_variable>
#include <iostream>
#include <optional>
#include <mutex>
#include <thread>

#include "app/agent_service.hpp"
#include "app/auth_service.hpp"
#include "app/presence.hpp"
#include "app/sweeper.hpp"
#include "app/chat_service.hpp"
#include "app/credentials.hpp"
#include "app/demo_seed.hpp"
#include "app/health.hpp"
#include "app/inbox_queries.hpp"
#include "app/meeting_service.hpp"
#include "app/routing_admin.hpp"
#include "app/team_service.hpp"
#include "bus/local_bus.hpp"
#include "bus/redis_bus.hpp"
#include "cli/allocator.hpp"
#include "cli/backup_command.hpp"
#include "cli/data_dir_lock.hpp"
#include "cli/database_options.hpp"
#include "cli/metrics_options.hpp"
#include "cli/serve_options.hpp"
#include "cli/webhook_options.hpp"
#include "net/guarded_fetch.hpp"
#include "net/smtp_client.hpp"
#include "net/log.hpp"
#include "net/server.hpp"
#include "os/thread_name.hpp"
#include "store/migrate/copy_to_postgres.hpp"
#include "store/store.hpp"

namespace fs = std::filesystem;
using namespace parley;

namespace {

constexpr const char* kVersion = "0.1.0";

// One process holds one descriptor per connection: take all the kernel allows.
void raise_open_file_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  rlim_t before = lim.rlim_cur;
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
  getrlimit(RLIMIT_NOFILE, &lim);
  net::log_info("open file limit", {{"soft_before", before},
                                    {"soft", lim.rlim_cur},
                                    {"hard", lim.rlim_max}});
}

// Runs `work` every `interval` until stopped (the first run at once); a failed run is
// logged as `what` and the next one comes on time.
class PeriodicThread {
 public:
  PeriodicThread(const char* name, const char* what, std::chrono::milliseconds interval,
                 std::function<void()> work)
      : thread_([this, name, what, interval, work = std::move(work)] {
          os::name_this_thread(name);
          std::unique_lock lock(mutex_);
          while (!stopping_) {
            lock.unlock();
            try {
              work();
            } catch (const std::exception& e) {
              net::log_error(what, {{"error", e.what()}});
            }
            lock.lock();
            wake_.wait_for(lock, interval, [this] { return stopping_; });
          }
        }) {}
  ~PeriodicThread() { stop(); }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// One line, without its line ending ("\n" or "\r\n").
std::string read_line(std::istream& in) {
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The password of `admin create-agent`: from --password-file or, without it, standard input
// (one line; at a terminal, asked for without echo). The deprecated --password still works,
// with a warning: a command line can be read by every user of the machine (ps, /proc).
// nullopt after telling the user why on stderr.
std::optional<std::string> read_password(const std::optional<std::string>& on_command_line,
                                         const std::optional<std::string>& file) {
  std::string password;
  if (on_command_line) {
    std::cerr << "parley: warning: --password shows the password to every user of this machine "
                 "(ps, /proc); use --password-file PATH or standard input instead\n";
    password = *on_command_line;
  } else if (file) {
    std::ifstream in(*file);
    if (!in) {
      std::cerr << "parley: cannot read the password file " << *file << ": "
                << std::strerror(errno) << "\n";
      return std::nullopt;
    }
    password = read_line(in);
  } else if (::isatty(STDIN_FILENO)) {
    std::cerr << "Password: " << std::flush;
    termios saved{};
    bool quiet = ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (quiet) {
      termios no_echo = saved;
      no_echo.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &no_echo);
    }
    password = read_line(std::cin);
    if (quiet) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  } else {
    password = read_line(std::cin);
  }
  if (password.empty()) {
    std::cerr << "parley: the password is empty; give it on standard input (one line) or with "
                 "--password-file PATH\n";
    return std::nullopt;
  }
  return password;
}

bool split_listen(const std::string& listen, std::string& host, unsigned short& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    int p = std::stoi(listen.substr(colon + 1));
    if (p < 0 || p > 65535) return false;
    port = static_cast<unsigned short>(p);
  } catch (...) {
    return false;
  }
  return true;
}

// A cluster's node: the bus (Redis pub/sub between nodes) and the name it goes by.
struct ClusterOptions {
  std::optional<std::string> bus_url;
  std::string node_id;
};

std::string default_node_id() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid());
}

// LocalBus for one node; RedisBus when --bus names a Redis server, on the channel of the
// node's database.
std::unique_ptr<bus::EventBus> make_bus(const ClusterOptions& cluster, const std::string& node_id,
                                        store::Store& store) {
  if (!cluster.bus_url) return std::make_unique<bus::LocalBus>();
  auto channel = bus::RedisBus::channel_of(store.cluster_id());
  net::log_info("event bus",
                {{"redis", *cluster.bus_url}, {"node_id", node_id}, {"channel", channel}});
  return std::make_unique<bus::RedisBus>(*bus::parse_redis_url(*cluster.bus_url), node_id, channel);
}

int serve(const std::string& listen, const cli::DatabaseOptions& database,
          const ClusterOptions& cluster, const fs::path& web_root, int threads, bool demo,
          const cli::HardeningFlags& hardening, const cli::MetricsFlags& metrics_flags,
          const cli::WebhookFlags& webhook_flags) {
  raise_open_file_limit();
  // A peer that went away (Redis restarted, say) must be an error on that write, not a
  // signal that ends the process: Asio's sockets never raise it, hiredis's writes can.
  std::signal(SIGPIPE, SIG_IGN);
  net::ServerOptions options;
  if (!cli::apply_hardening_flags(hardening, options)) return 2;
  if (!cli::apply_metrics_flags(metrics_flags, options)) return 2;
  if (!split_listen(listen, options.host, options.port)) {
    std::cerr << "parley: --listen must be HOST:PORT, got '" << listen << "'\n";
    return 2;
  }
  options.web_root = web_root;
  options.threads = threads;
  if (!fs::exists(web_root / "inbox" / "index.html")) {
    net::log_warn("front end not built; run `make build`", {{"web", web_root.string()}});
  }

  auto store = cli::open_store(database);
  auto node_id = cluster.node_id.empty() ? default_node_id() : cluster.node_id;
  auto bus_owner = make_bus(cluster, node_id, *store);
  bus::EventBus& bus = *bus_owner;
  app::AuthService auth(*store, app::system_now);
  app::AgentService agents(*store, bus, app::system_now);
  app::ChatService chats(*store, bus, app::system_now);
  // /metrics: fed by the store and the chat service through their own ports.
  observability::Metrics metrics;
  options.metrics = &metrics;
  auto metrics_feed = cli::feed_metrics(metrics, *store, chats);
  app::InboxQueries inbox(*store, chats, app::system_now);
  app::Sweeper sweeper(*store, chats, agents, app::system_now);
  app::RoutingAdmin routing(*store);
  app::PeopleService people(*store, app::system_now);
  // Calendar feeds go through the guarded client, as every URL the server fetches must.
  app::UrlFetcher feed_fetcher{
      [](const std::string& url, const std::vector<std::string>& allowed) {
        return net::guarded_get(url, {.allowed_hosts = allowed,
                                      .accept = "text/calendar, */*;q=0.5",
                                      .user_agent = "Parley calendar import"});
      },
      [](const std::string& url, const std::vector<std::string>& allowed) {
        return net::check_fetch_url(url, {.allowed_hosts = allowed});
      }};
  app::MeetingService meetings(*store, bus, app::system_now, std::move(feed_fetcher));
  chats.on_missed([&meetings](const core::Conversation& c) { meetings.offer_fallback_card(c); });
  app::Health health(*store, bus);
  app::Presence presence(*store, node_id, app::system_now);
  app::TeamService team(*store, chats, agents, app::system_now);
  app::ApiTokenService api_tokens(*store, app::system_now);
  // Follow-up emails go out through the SMTP client, on the REST worker that asked.
  app::EmailService email(*store, inbox, chats, bus, app::system_now,
                          [](const core::SmtpSettings& server, const app::OutgoingMail& mail) {
                            return net::smtp_send(server, {mail.from, mail.to, mail.data});
                          });
  // Webhooks: the outbox is filled by the store's triggers; this node's worker sends it.
  app::WebhookService webhooks(*store, app::system_now, cli::webhook_transport(), node_id,
                               webhook_flags.retry_base, webhook_flags.lease);
  webhooks.on_outcome([&metrics](bool delivered) {
    delivered ? metrics.webhook_delivered() : metrics.webhook_failed();
  });
  net::Services services{auth,   agents,   chats, inbox,  routing,  people,
                         meetings, bus,    health, presence, team, api_tokens, email, webhooks};

  std::vector<app::DemoAccount> demo_accounts;
  if (demo) demo_accounts = app::seed_demo(auth, *store, database.data_dir);

  net::Server server(services, options);
  unsigned short port = server.start();
  std::string base = "http://" + options.host + ":" + std::to_string(port);
  net::log_info("listening", {{"url", base}, {"data", cli::describe(database)}, {"threads", threads}});
  if (options.metrics_listen) {
    net::log_info("metrics listener", {{"url", "http://" + options.metrics_listen->first + ":" +
                                                   std::to_string(server.metrics_port()) + "/metrics"}});
  }
  if (demo) {
    std::cout << "\n  Agent Inbox:  " << base << "/inbox/\n"
              << "  Demo website: " << base << "/demo\n\n";
    for (const auto& a : demo_accounts) {
      std::cout << "  " << (a.role == "admin" ? "admin " : "agent ") << a.email
                << "  password: " << a.password << "  (" << a.name << ")\n";
    }
    std::cout << "\n";
  }
  // Deadlines (accept windows, inactivity, status boundaries) fire within ~200 ms of
  // falling due; calendar feeds (busy times from a URL) are fetched again every 15 minutes.
  PeriodicThread deadlines("deadlines", "deadline sweep failed", std::chrono::milliseconds(200),
                           [&sweeper] { sweeper.tick(); });
  // This node's agents stay online while it renews their presence (app/presence.hpp).
  PeriodicThread heartbeat("presence", "presence heartbeat failed",
                           std::chrono::milliseconds(app::Presence::kHeartbeat),
                           [&presence] { presence.heartbeat(); });
  PeriodicThread feeds("calendar-feeds", "calendar feed refresh failed", std::chrono::minutes(15),
                       [&meetings] {
                         for (const auto& [agent_id, error] : meetings.refresh_feeds()) {
                           net::log_warn("calendar feed not refreshed",
                                         {{"agent_id", agent_id}, {"error", error}});
                         }
                       });
  // Webhook deliveries, off the I/O threads; a slow receiver holds up only this thread.
  PeriodicThread webhook_worker("webhooks", "webhook delivery failed",
                                std::chrono::milliseconds(webhook_flags.poll), [&webhooks] {
                                  // Keep going while full batches come back: a backlog drains
                                  // without waiting a poll interval between batches.
                                  for (;;) {
                                    auto pass = webhooks.deliver_due();
                                    if (pass.delivered + pass.retried + pass.failed <
                                        app::WebhookService::kBatch) {
                                      break;
                                    }
                                  }
                                });
  // Tests and scripts wait for this exact line.
  std::cout << "Parley listening on " << base << std::endl;
  server.run();
  webhook_worker.stop();
  feeds.stop();
  heartbeat.stop();
  deadlines.stop();
  // Writes still in the group-commit queue finish while the services their completions
  // reach are alive; then everything is torn down in reverse order.
  store->flush();
  net::log_info("stopped");
  return 0;
}

// `migrate --to-db`: the SQLite database under --data, copied and verified table by table.
int copy_to_postgres(const cli::DatabaseOptions& from, const std::string& to) {
  auto sqlite_path = (fs::path(from.data_dir) / "parley.db").string();
  auto copied = store::copy_sqlite_to_postgres(sqlite_path, to);
  if (!copied) {
    std::cerr << "parley: " << copied.error().message << "\n";
    return 1;
  }
  std::int64_t rows = 0;
  for (const auto& t : *copied) {
    std::cout << "  " << t.table << ": " << t.rows << " rows, checksum " << std::hex << t.checksum
              << std::dec << " (verified)\n";
    rows += t.rows;
  }
  std::cout << "copied " << rows << " rows from " << sqlite_path << " to "
            << cli::describe({from.data_dir, to}) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Parley: self-hosted live chat"};
  cli.require_subcommand(1);

  std::string listen = "127.0.0.1:8080";
  cli::DatabaseOptions database;
  std::string web_root = "web/dist";
  // One I/O thread per core: hashing and store writes have threads of their own, and every
  // extra I/O thread only adds wake-ups (docs/performance.md: 2 against 4 on 2 cores).
  int threads = std::max(1u, std::thread::hardware_concurrency());
  bool demo = false;
  auto* serve_cmd = cli.add_subcommand("serve", "Run the HTTP + WebSocket server");
  serve_cmd->add_option("--listen", listen, "HOST:PORT to listen on (port 0 picks one)");
  cli::add_database_options(*serve_cmd, database);
  ClusterOptions cluster;
  serve_cmd
      ->add_option("--bus", cluster.bus_url,
                   "Redis for events between nodes: redis://host:port or unix:///path.sock")
      ->check([](const std::string& url) {
        return bus::parse_redis_url(url) ? std::string()
                                         : std::string("--bus must be redis://host:port or "
                                                       "unix:///path");
      });
  serve_cmd->add_option("--node-id", cluster.node_id,
                        "This node's name in the cluster (default: hostname:pid)");
  serve_cmd->add_option("--web", web_root, "Directory of the built front ends");
  serve_cmd->add_option("--threads", threads, "I/O threads")->check(CLI::Range(1, 256));
  serve_cmd->add_flag("--demo", demo, "Seed and print demo accounts");
  parley::cli::HardeningFlags hardening;
  parley::cli::add_hardening_flags(*serve_cmd, hardening);
  parley::cli::MetricsFlags metrics_flags;
  parley::cli::add_metrics_flags(*serve_cmd, metrics_flags);
  parley::cli::WebhookFlags webhook_flags;
  parley::cli::add_webhook_flags(*serve_cmd, webhook_flags);

  auto* migrate_cmd = cli.add_subcommand(
      "migrate", "Create or upgrade the database and its search index, then exit");
  cli::add_database_options(*migrate_cmd, database);
  std::optional<std::string> to_db;
  migrate_cmd
      ->add_option("--to-db", to_db,
                   "Copy the SQLite database under --data into this empty PostgreSQL database")
      ->check([](const std::string& uri) {
        return cli::is_postgres_uri(uri) ? std::string()
                                         : std::string("--to-db must be a postgresql:// URI");
      });

  auto* admin_cmd = cli.add_subcommand("admin", "Administration");
  admin_cmd->require_subcommand(1);
  auto* create_agent_cmd = admin_cmd->add_subcommand("create-agent", "Create an agent account");
  std::string name, email, role = "agent";
  std::optional<std::string> password, password_file;
  bool calendar_only = false;
  int max_chats = 10;
  cli::add_database_options(*create_agent_cmd, database);
  create_agent_cmd->add_option("--name", name, "Display name")->required();
  create_agent_cmd->add_option("--email", email, "Login email")->required();
  // Without either flag the password is read from standard input (one line).
  auto* password_file_opt = create_agent_cmd->add_option(
      "--password-file", password_file,
      "File whose first line is the password (at least 8 characters); default: standard input");
  create_agent_cmd
      ->add_option("--password", password,
                   "The password on the command line (deprecated: visible to every user of the "
                   "machine)")
      ->excludes(password_file_opt);
  create_agent_cmd->add_option("--role", role, "agent or admin")
      ->check(CLI::IsMember({"agent", "admin"}));
  create_agent_cmd->add_flag("--calendar-only", calendar_only,
                             "A Calendar Agent: bookable for meetings, takes no chats");
  create_agent_cmd->add_option("--max-chats", max_chats, "Concurrent chat limit (default 10)")
      ->check(CLI::Range(1, 100000));

  cli::BackupCommands backups;
  cli::add_backup_commands(cli, backups);

  cli.add_subcommand("version", "Print the version");

  CLI11_PARSE(cli, argc, argv);

  try {
    app::init_crypto();
    if (backups.backup_command->parsed()) return cli::run_backup(backups.backup);
    if (backups.restore_command->parsed()) return cli::run_restore(backups.restore);
    // Held until the process ends: `parley restore` waits for no one and swaps nothing
    // under a process that has the SQLite database open (cli/data_dir_lock.hpp).
    std::optional<cli::DataDirLock> data_dir_lock;
    if (!database.db && (serve_cmd->parsed() || migrate_cmd->parsed() || create_agent_cmd->parsed())) {
      data_dir_lock.emplace(cli::lock_data_dir_for_use(database.data_dir));
    }
    if (serve_cmd->parsed()) return serve(listen, database, cluster, web_root, threads, demo, hardening,
                                           metrics_flags, webhook_flags);
    if (migrate_cmd->parsed()) {
      if (to_db && database.db) {
        std::cerr << "parley: migrate copies from --data (SQLite) to --to-db; drop --db\n";
        return 2;
      }
      // flush(): also brings the search index up to date (a first start after an upgrade,
      // or a deleted index file, would otherwise rebuild it in the background).
      cli::open_store(database)->flush();
      if (to_db) return copy_to_postgres(database, *to_db);
      std::cout << "database ready in " << cli::describe(database) << "\n";
      return 0;
    }
    if (create_agent_cmd->parsed()) {
      auto secret = read_password(password, password_file);
      if (!secret) return 1;
      auto store = cli::open_store(database);
      app::AuthService auth(*store, app::system_now);
      auto agent =
          auth.create_agent(name, email, *secret, *core::role_from_string(role), max_chats,
                            !calendar_only);
      if (!agent) {
        std::cerr << "parley: " << agent.error().message << "\n";
        return 1;
      }
      std::cout << "created " << role << " " << agent->email << " (id " << agent->id << ")\n";
      return 0;
    }
    std::cout << "parley " << kVersion << "\nmalloc: " << cli::allocator_in_use() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley: " << e.what() << "\n";
    return 1;
  }
}
