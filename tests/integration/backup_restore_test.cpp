// `parley backup` and `parley restore` (docs/operations.md, "Backups"): a backup taken by a
// separate process while real WebSocket clients keep writing, restored into a fresh data
// directory and served again, holds every message acknowledged before the backup began,
// once, and of the later ones a prefix (never a hole, never half a batch). Then the
// refusals: a running server, an existing database or file, a damaged, foreign or newer
// file, PostgreSQL, bad paths and bad arguments.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "fixture.hpp"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;
using boost::beast::http::verb;
using Clock = std::chrono::steady_clock;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Every event of a conversation, oldest first, through the agents' REST API.
json::array all_events(HttpClient& http, std::int64_t conversation_id) {
  json::array events;
  std::int64_t after = 0;
  for (;;) {
    auto r = http.get("/api/v1/conversations/" + std::to_string(conversation_id) +
                      "/events?after_seq=" + std::to_string(after) + "&limit=1000");
    EXPECT_EQ(200, r.status) << r.body;
    if (r.status != 200) return events;
    auto page = r.json().as_object();
    for (const auto& e : page.at("events").as_array()) {
      events.push_back(e);
      after = e.at("seq").as_int64();
    }
    if (!page.at("has_more").as_bool()) return events;
  }
}

// One visitor's chat, its socket, and what the server acknowledged on it (message numbers
// with the time of their ack).
struct LoadedChat {
  explicit LoadedChat(VisitorClient v) : visitor(std::move(v)) {}
  VisitorClient visitor;
  std::unique_ptr<WsClient> ws;
  std::int64_t id = 0;
  std::mutex mutex;
  std::vector<std::pair<int, Clock::time_point>> acked;
  std::thread writer;
};

std::string body_of(std::int64_t chat, int n) {
  return "chat " + std::to_string(chat) + " message " + std::to_string(n);
}

class BackupUnderLoadTest : public ServerTest {
 protected:
  // No rate limit: the clients write as fast as the acks come.
  std::vector<std::string> serve_flags() const override { return {"--rate-limit", "all=off"}; }
};

TEST_F(BackupUnderLoadTest, EveryMessageAcknowledgedBeforeTheBackupIsRestoredExactlyOnce) {
  constexpr int kChats = 3;
  auto agent = available_agent("alice@example.com");
  std::vector<std::unique_ptr<LoadedChat>> chats;
  for (int i = 0; i < kChats; ++i) {
    auto c = std::make_unique<LoadedChat>(new_visitor(port()));
    c->ws = std::make_unique<WsClient>(port());
    c->ws->send(json::object{{"type", "auth"}, {"visitor_token", c->visitor.token}});
    c->ws->expect("hello");
    c->id = id_of(request_chat(c->visitor, "Visitor " + std::to_string(i),
                               "v" + std::to_string(i) + "@example.com"));
    agent.inbox->expect("chat.requested");
    agent.inbox->send(json::object{{"type", "chat.accept"}, {"conversation_id", c->id}});
    c->ws->send(json::object{{"type", "subscribe"}, {"conversation_id", c->id}, {"after_seq", 0}});
    chats.push_back(std::move(c));
  }
  for (auto& c : chats) {
    // Accepted: the visitor's socket sees chat.accepted (after chat.requested).
    for (;;) {
      auto e = c->ws->expect("event").at("event").as_object();
      if (e.at("kind").as_string() == "chat.accepted") break;
    }
  }

  // The load: each visitor sends numbered messages, one after the other, as fast as the
  // server acknowledges them (an ack is sent once the message is committed to disk).
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  for (auto& c : chats) {
    c->writer = std::thread([&stop, &failures, chat = c.get()] {
      for (int n = 0; !stop.load(); ++n) {
        chat->ws->send(json::object{{"type", "message.send"}, {"conversation_id", chat->id},
                                    {"client_id", "m-" + std::to_string(n)},
                                    {"body", body_of(chat->id, n)}});
        try {
          chat->ws->expect("message.ack", 10s);
        } catch (const std::exception&) {
          ++failures;
          return;
        }
        std::lock_guard lock(chat->mutex);
        chat->acked.emplace_back(n, Clock::now());
      }
    });
  }
  auto acked_count = [&](LoadedChat& c) {
    std::lock_guard lock(c.mutex);
    return c.acked.size();
  };
  auto deadline = Clock::now() + 30s;
  for (auto& c : chats) {
    while (acked_count(*c) < 30 && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
  }

  // The backup, as its own process, while the clients go on writing: small steps with a
  // rest between them, so the copy surely spans many commits.
  auto backup = dir.path / "backups" / "parley-backup.db";
  fs::create_directories(backup.parent_path());
  auto began = Clock::now();
  std::string backup_out, out;
  int rc = run_cli({"backup", "--data", dir.path.string(), "--to", backup.string(),
                    "--pages-per-step", "2", "--step-pause", "5"},
                   &backup_out);
  auto ended = Clock::now();
  std::this_thread::sleep_for(200ms);
  stop = true;
  for (auto& c : chats) c->writer.join();
  out = backup_out;
  ASSERT_EQ(0, rc) << out;
  ASSERT_EQ(0, failures.load());
  EXPECT_TRUE(contains(out, "integrity check ok")) << out;
  EXPECT_TRUE(contains(out, "restore rebuilds it")) << out;
  // "(N pages in M steps": one pass. Without the snapshot the backup holds, the API starts the
  // copy over at every commit of the server; under this load it then never ends (tried: the
  // backup process ran until CTest's timeout).
  auto pages_at = out.find(" pages in ");
  ASSERT_NE(std::string::npos, pages_at) << out;
  auto pages = std::stol(out.substr(out.rfind('(', pages_at) + 1));
  auto steps = std::stol(out.substr(pages_at + 10));
  EXPECT_LE(steps, pages / 2 + 2) << out;
  EXPECT_GT(steps, 10) << "the copy should span many steps: " << out;

  std::size_t before = 0, during = 0, total = 0;
  for (auto& c : chats) {
    for (const auto& [n, at] : c->acked) {
      ++total;
      if (at < began) ++before;
      else if (at < ended) ++during;
    }
  }
  // The copy really ran under load: messages were acknowledged while it was being taken.
  EXPECT_GT(during, 0u) << "before " << before << ", total " << total;
  ASSERT_EQ(0, server->stop());

  // Restored into a fresh data directory (created by restore), and served again.
  TempDir fresh;
  auto restored_dir = fresh.path / "data";
  ASSERT_EQ(0, run_cli({"restore", "--from", backup.string(), "--data", restored_dir.string()},
                       &out))
      << out;
  EXPECT_TRUE(contains(out, "search index rebuilt")) << out;
  EXPECT_TRUE(fs::exists(restored_dir / "parley-search.db"));
  ServerProcess restored(restored_dir);
  restored.start();
  auto alice = login_agent(restored.port(), "alice@example.com", kPassword);

  std::size_t present_total = 0;
  for (auto& c : chats) {
    auto events = all_events(alice.http, c->id);
    std::vector<int> numbers;
    std::int64_t expected_seq = 1;
    for (const auto& v : events) {
      const auto& e = v.as_object();
      EXPECT_EQ(expected_seq++, e.at("seq").as_int64()) << "a hole in the events";
      if (e.at("kind").as_string() != "text") continue;
      std::string body(e.at("body").as_string());
      auto prefix = "chat " + std::to_string(c->id) + " message ";
      ASSERT_TRUE(body.starts_with(prefix)) << body;
      numbers.push_back(std::stoi(body.substr(prefix.size())));
    }
    // Sent one at a time, so a consistent copy holds exactly messages 0..k-1: each once,
    // none missing in between, and k at least every message acknowledged before the backup.
    for (std::size_t i = 0; i < numbers.size(); ++i) {
      ASSERT_EQ(static_cast<int>(i), numbers[i]) << "chat " << c->id;
    }
    std::size_t acked_before = 0;
    for (const auto& [n, at] : c->acked) {
      if (at < began) acked_before = static_cast<std::size_t>(n) + 1;
    }
    EXPECT_GE(numbers.size(), acked_before) << "chat " << c->id;
    EXPECT_LE(numbers.size(), c->acked.size() + 1) << "chat " << c->id;
    present_total += numbers.size();
  }
  std::cout << "[ backup ] " << backup_out.substr(0, backup_out.find(';')) << "\n[ backup ] " << before << " messages acknowledged before the backup began, "
            << during << " while it ran, " << total << " in all; the restore holds "
            << present_total << "\n";

  // The restored search index was rebuilt from the messages: search finds them.
  auto found = alice.http.get("/api/v1/conversations?status=all&q=message");
  ASSERT_EQ(200, found.status) << found.body;
  EXPECT_EQ(static_cast<std::size_t>(kChats),
            found.json().at("conversations").as_array().size()) << found.body;
}

// Refusals and checks, around one small database with a backup of it.
class BackupRestoreCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data = dir.path / "data";
    ASSERT_EQ(0, run_cli({"admin", "create-agent", "--data", data.string(), "--name", "Ada Admin",
                          "--email", "admin@example.com", "--password", kPassword, "--role",
                          "admin"}));
    good = dir.path / "good.db";
    ASSERT_EQ(0, run_cli({"backup", "--data", data.string(), "--to", good.string()}, &out, nullptr,
                         &err))
        << err;
  }

  int cli(const std::vector<std::string>& args) { return run_cli(args, &out, nullptr, &err); }

  // Restore `file` into a new directory holding an old database; checks it was refused with
  // `reason` and that nothing there changed.
  void expect_refused(const fs::path& file, const std::string& reason) {
    auto target = dir.path / ("refused-" + std::to_string(++refusals));
    ASSERT_EQ(0, cli({"restore", "--from", good.string(), "--data", target.string()})) << err;
    auto before = read_file(target / "parley.db");
    EXPECT_EQ(1, cli({"restore", "--from", file.string(), "--data", target.string(), "--force"}));
    EXPECT_TRUE(contains(err, reason)) << err;
    EXPECT_TRUE(contains(err, "nothing was changed")) << err;
    EXPECT_EQ(before, read_file(target / "parley.db"));
    for (const auto& entry : fs::directory_iterator(target)) {
      auto name = entry.path().filename().string();
      EXPECT_FALSE(contains(name, "before-restore")) << name;
      EXPECT_FALSE(contains(name, "restoring")) << name;
    }
  }

  TempDir dir;
  fs::path data, good;
  std::string out, err;
  int refusals = 0;
};

TEST_F(BackupRestoreCliTest, TheBackupIsOneCheckedSelfContainedFile) {
  EXPECT_TRUE(contains(out, "integrity check ok")) << out;
  // Rollback journal mode (header bytes 18 and 19 are 1), no -wal or temporary file beside it.
  auto bytes = read_file(good);
  ASSERT_GT(bytes.size(), 100u);
  EXPECT_EQ(0, bytes.compare(0, 16, std::string("SQLite format 3\0", 16)));
  EXPECT_EQ(1, bytes[18]);
  EXPECT_EQ(1, bytes[19]);
  for (const auto& entry : fs::directory_iterator(dir.path)) {
    auto name = entry.path().filename().string();
    EXPECT_FALSE(contains(name, "good.db-")) << name;
    EXPECT_FALSE(contains(name, ".tmp-")) << name;
  }
}

TEST_F(BackupRestoreCliTest, BackupRefusesAnExistingFileUnlessForced) {
  write_file(good, "keep me");
  EXPECT_EQ(1, cli({"backup", "--data", data.string(), "--to", good.string()}));
  EXPECT_TRUE(contains(err, "exists; pass --force")) << err;
  EXPECT_EQ("keep me", read_file(good));
  EXPECT_EQ(0, cli({"backup", "--data", data.string(), "--to", good.string(), "--force"})) << err;
  EXPECT_EQ(0, read_file(good).compare(0, 15, "SQLite format 3"));
}

TEST_F(BackupRestoreCliTest, BackupExplainsBadPaths) {
  EXPECT_EQ(1, cli({"backup", "--data", (dir.path / "nowhere").string(), "--to",
                    (dir.path / "x.db").string()}));
  EXPECT_TRUE(contains(err, "there is no database at")) << err;
  EXPECT_EQ(1, cli({"backup", "--data", data.string(), "--to",
                    (dir.path / "no-such-dir" / "x.db").string()}));
  EXPECT_TRUE(contains(err, "is not an existing directory")) << err;
  EXPECT_EQ(1, cli({"backup", "--data", data.string(), "--to", dir.path.string()}));
  EXPECT_TRUE(contains(err, "is a directory")) << err;
  EXPECT_EQ(1, cli({"backup", "--data", data.string(), "--to", (data / "parley.db").string(),
                    "--force"}));
  EXPECT_TRUE(contains(err, "is the live database itself")) << err;
  if (::geteuid() != 0) {  // root writes anywhere
    auto locked = dir.path / "read-only";
    fs::create_directories(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    EXPECT_EQ(1, cli({"backup", "--data", data.string(), "--to", (locked / "x.db").string()}));
    EXPECT_TRUE(contains(err, "cannot write to")) << err;
    EXPECT_EQ(1, cli({"restore", "--from", good.string(), "--data", locked.string()}));
    EXPECT_TRUE(contains(err, "cannot write to")) << err;
    fs::permissions(locked, fs::perms::owner_all);
  }
}

TEST_F(BackupRestoreCliTest, RestoreRefusesWhileAServerUsesTheDirectory) {
  ServerProcess server(data);
  server.start();
  EXPECT_EQ(1, cli({"restore", "--from", good.string(), "--data", data.string(), "--force"}));
  EXPECT_TRUE(contains(err, "is using")) << err;
  EXPECT_TRUE(contains(err, "stop it before restoring")) << err;
  // A backup, though, is taken while it runs.
  EXPECT_EQ(0, cli({"backup", "--data", data.string(), "--to", (dir.path / "live.db").string()}))
      << err;
  EXPECT_EQ(0, server.stop());
  EXPECT_EQ(0, cli({"restore", "--from", good.string(), "--data", data.string(), "--force"}))
      << err;
}

TEST_F(BackupRestoreCliTest, AServerDoesNotStartWhileARestoreHoldsTheDirectory) {
  // What `parley restore` does while it swaps the files: the lock, exclusive.
  int fd = ::open((data / "parley.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(0, ::flock(fd, LOCK_EX | LOCK_NB));
  EXPECT_EQ(1, cli({"serve", "--data", data.string(), "--listen", "127.0.0.1:0"}));
  EXPECT_TRUE(contains(err, "a restore is running")) << err;
  EXPECT_EQ(1, cli({"migrate", "--data", data.string()}));
  EXPECT_TRUE(contains(err, "a restore is running")) << err;
  ::close(fd);
  EXPECT_EQ(0, cli({"migrate", "--data", data.string()})) << err;
}

TEST_F(BackupRestoreCliTest, RestoreKeepsTheOldDatabaseAsideAndRestoresIntoPlace) {
  // A second agent after the backup: the restore takes the database back to before it.
  ASSERT_EQ(0, cli({"admin", "create-agent", "--data", data.string(), "--name", "Late Agent",
                    "--email", "late@example.com", "--password", kPassword}));
  EXPECT_EQ(1, cli({"restore", "--from", good.string(), "--data", data.string()}));
  EXPECT_TRUE(contains(err, "already has a database")) << err;
  EXPECT_TRUE(contains(err, "--force")) << err;

  ASSERT_EQ(0, cli({"restore", "--from", good.string(), "--data", data.string(), "--force"}))
      << err;
  EXPECT_TRUE(contains(out, "the previous database is kept as")) << out;
  std::vector<std::string> aside;
  for (const auto& entry : fs::directory_iterator(data)) {
    auto name = entry.path().filename().string();
    if (contains(name, ".before-restore-")) aside.push_back(name);
  }
  std::sort(aside.begin(), aside.end());
  ASSERT_GE(aside.size(), 2u);
  EXPECT_TRUE(aside[0].starts_with("parley-search.db.before-restore-")) << aside[0];
  EXPECT_TRUE(aside.back().starts_with("parley.db.before-restore-")) << aside.back();

  ServerProcess server(data);
  server.start();
  HttpClient http(server.port());
  auto late = http.post("/api/v1/auth/login",
                        json::object{{"email", "late@example.com"}, {"password", kPassword}});
  EXPECT_EQ(401, late.status);
  auto admin = http.post("/api/v1/auth/login",
                         json::object{{"email", "admin@example.com"}, {"password", kPassword}});
  EXPECT_EQ(200, admin.status);
  EXPECT_EQ(0, server.stop());

  // The set-aside database is whole: restored back, the late agent is there again.
  fs::path old_db;
  for (const auto& name : aside) {
    if (name.starts_with("parley.db.before-restore-") && !contains(name, "-wal") &&
        !contains(name, "-shm")) {
      old_db = data / name;
    }
  }
  auto again = dir.path / "old-again";
  ASSERT_EQ(0, cli({"restore", "--from", old_db.string(), "--data", again.string()})) << err;
  ServerProcess old_server(again);
  old_server.start();
  HttpClient old_http(old_server.port());
  EXPECT_EQ(200, old_http
                     .post("/api/v1/auth/login",
                           json::object{{"email", "late@example.com"}, {"password", kPassword}})
                     .status);
}

TEST_F(BackupRestoreCliTest, RestoreRefusesDamagedForeignAndNewerFiles) {
  auto bytes = read_file(good);
  ASSERT_GT(bytes.size(), 8192u);

  auto junk = dir.path / "junk.db";
  write_file(junk, std::string(8192, 'x'));
  expect_refused(junk, "is not a SQLite database");

  auto truncated = dir.path / "truncated.db";
  write_file(truncated, bytes.substr(0, bytes.size() / 2));
  expect_refused(truncated, "is damaged");

  auto scribbled = dir.path / "scribbled.db";
  std::string damaged = bytes;
  for (std::size_t i = 4096; i < damaged.size(); i += 4096) {  // each page's header, from page 2
    for (std::size_t j = 0; j < 64 && i + j < damaged.size(); ++j) damaged[i + j] = '\x5a';
  }
  write_file(scribbled, damaged);
  expect_refused(scribbled, "is damaged");

  // A SQLite database that is not Parley's: the search index of the restored directory.
  auto foreign = dir.path / "foreign.db";
  fs::copy_file(dir.path / "refused-1" / "parley-search.db", foreign);
  expect_refused(foreign, "not a Parley one");

  // Written by a newer Parley: user_version (big-endian at offset 60) past what this knows.
  auto newer = dir.path / "newer.db";
  std::string future = bytes;
  future[60] = 0;
  future[61] = 0;
  future[62] = 0x7f;
  future[63] = 0;
  write_file(newer, future);
  expect_refused(newer, "was written by a newer Parley");

  EXPECT_EQ(1, cli({"restore", "--from", (dir.path / "missing.db").string(), "--data",
                    (dir.path / "x").string()}));
  EXPECT_TRUE(contains(err, "does not exist")) << err;
  EXPECT_EQ(1, cli({"restore", "--from", dir.path.string(), "--data", (dir.path / "x").string()}));
  EXPECT_TRUE(contains(err, "is not a regular file")) << err;
}

TEST_F(BackupRestoreCliTest, PostgreSqlIsPointedToItsOwnTools) {
  EXPECT_EQ(2, cli({"backup", "--db", "postgresql://parley:secret@db.example/parley", "--to",
                    (dir.path / "x.dump").string()}));
  EXPECT_TRUE(contains(err, "pg_dump")) << err;
  EXPECT_FALSE(contains(err, "secret")) << err;
  EXPECT_EQ(2, cli({"restore", "--db", "postgresql://parley@db.example/parley", "--from",
                    good.string()}));
  EXPECT_TRUE(contains(err, "pg_restore")) << err;
}

TEST_F(BackupRestoreCliTest, ArgumentsAreChecked) {
  EXPECT_NE(0, cli({"backup", "--data", data.string()}));
  EXPECT_TRUE(contains(err, "--to")) << err;
  EXPECT_NE(0, cli({"restore", "--data", data.string()}));
  EXPECT_TRUE(contains(err, "--from")) << err;
  EXPECT_NE(0, cli({"backup", "--data", data.string(), "--to", "x.db", "--pages-per-step", "0"}));
  EXPECT_TRUE(contains(err, "pages-per-step")) << err;
  EXPECT_NE(0, cli({"backup", "--data", data.string(), "--to", "x.db", "--step-pause", "70000"}));
  EXPECT_TRUE(contains(err, "step-pause")) << err;
  EXPECT_NE(0, cli({"backup", "--db", "mysql://x", "--to", "x.db"}));
  EXPECT_TRUE(contains(err, "postgresql://")) << err;
  EXPECT_FALSE(fs::exists("x.db"));
}

}  // namespace
}  // namespace parley::testing
