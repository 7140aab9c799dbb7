// parley-seed: fills a Parley SQLite database (made by `parley migrate`, agents made by
// `parley admin create-agent`) with a realistic inbox for the inbox benchmark: by default
// 100,000 conversations and 1,000,000 events, people and visitors, activities.
//
// Fast by construction: prepared statements bound and reset in a loop, a few big
// transactions, synchronous=OFF for this connection only (a seed that crashes is simply
// redone), foreign keys unchecked. The rows follow the store's invariants:
// conversations.last_seq = the highest seq of its events, last_text = its newest text body,
// last_activity_at = its newest event time; at most one open chat per visitor; ended
// conversations end with a chat.ended event, missed ones have no agent.
//
//   parley-seed --db DATA/parley.db [--conversations 100000] [--messages 1000000]
//               [--active-agents 3] [--active-per-agent 20] [--days 90] [--out seed.json]
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "result.hpp"
#include "words.hpp"

namespace {

using namespace parley::bench;
namespace json = boost::json;

struct Db {
  sqlite3* db = nullptr;
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      throw std::runtime_error("open " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db, 5000);
  }
  ~Db() { sqlite3_close(db); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error("sqlite: " + msg + " in: " + sql.substr(0, 120));
    }
  }
  std::int64_t scalar(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db));
    }
    std::int64_t v = 0;
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
  }
};

class Stmt {
 public:
  Stmt(Db& db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v3(db.db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("sqlite prepare: ") + sqlite3_errmsg(db.db));
    }
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt& i(int col, std::int64_t v) {
    sqlite3_bind_int64(s_, col, v);
    return *this;
  }
  Stmt& t(int col, const std::string& v) {
    sqlite3_bind_text(s_, col, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& null(int col) {
    sqlite3_bind_null(s_, col);
    return *this;
  }
  void run() {
    int rc = sqlite3_step(s_);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
      std::string msg = sqlite3_errmsg(db_.db);
      sqlite3_reset(s_);
      throw std::runtime_error("sqlite step: " + msg);
    }
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

 private:
  Db& db_;
  sqlite3_stmt* s_ = nullptr;
};

struct Agent {
  std::int64_t id;
  std::string name;
};

struct Event {
  std::string sender;  // visitor | agent | system
  std::string kind;
  std::string body;
  std::int64_t at;
};

constexpr const char* kFirst[] = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Dennis",
                                  "Margaret", "Linus", "Radia", "Frances", "John", "Sophie",
                                  "Tim", "Hedy", "Katherine"};
constexpr const char* kLast[] = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson",
                                 "Ritchie", "Hamilton", "Torvalds", "Perlman", "Allen", "McCarthy",
                                 "Wilson", "Berners-Lee", "Lamarr", "Johnson"};
constexpr const char* kFiller[] = {"I", "have", "a", "question", "about", "the", "my", "can", "you",
                                   "help", "with", "please", "when", "is", "our", "new", "for",
                                   "this", "we", "need"};

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"parley-seed: fill a Parley database for the inbox benchmark"};
  std::string db_path, out;
  long long conversations = 100000, messages = 1000000;
  int active_agents = 3, active_per_agent = 20;
  double days = 90;
  cli.add_option("--db", db_path, "The SQLite file (parley migrate made it)")->required();
  cli.add_option("--conversations", conversations)->check(CLI::Range(1LL, 100000000LL));
  cli.add_option("--messages", messages, "Events in total (system events included)")
      ->check(CLI::Range(1LL, 1000000000LL));
  cli.add_option("--active-agents", active_agents, "Agents with active chats");
  cli.add_option("--active-per-agent", active_per_agent);
  cli.add_option("--days", days, "Span of activity, ending now");
  cli.add_option("--out", out, "Result file (JSON)");
  CLI11_PARSE(cli, argc, argv);

  try {
    if (messages < 3 * conversations) throw std::runtime_error("--messages must be at least 3 per conversation");
    auto started = std::chrono::steady_clock::now();
    Db db(db_path);
    if (db.scalar("PRAGMA user_version") < 1) throw std::runtime_error("run `parley migrate` first");
    db.exec("PRAGMA synchronous=OFF");
    db.exec("PRAGMA cache_size=-262144");
    db.exec("PRAGMA temp_store=MEMORY");

    std::vector<Agent> agents;
    {
      sqlite3_stmt* s = nullptr;
      sqlite3_prepare_v2(db.db, "SELECT id, name FROM agents WHERE role = 'agent' AND active = 1 ORDER BY id", -1, &s, nullptr);
      while (sqlite3_step(s) == SQLITE_ROW) {
        agents.push_back({sqlite3_column_int64(s, 0), reinterpret_cast<const char*>(sqlite3_column_text(s, 1))});
      }
      sqlite3_finalize(s);
    }
    if (agents.empty()) throw std::runtime_error("no agents: create them with `parley admin create-agent` first");
    active_agents = std::min<int>(active_agents, static_cast<int>(agents.size()));

    const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();
    const std::int64_t span = static_cast<std::int64_t>(days * 86400.0 * 1000.0);
    std::mt19937_64 rng(20240601);
    auto pick = [&](auto& arr) { return arr[rng() % (sizeof(arr) / sizeof(arr[0]))]; };
    auto sentence = [&]() {
      std::string s;
      int n = 5 + static_cast<int>(rng() % 8);
      for (int k = 0; k < n; ++k) {
        if (!s.empty()) s += ' ';
        // Search words: common ones often, rare ones seldom (a skewed pick).
        if (rng() % 4 == 0) {
          auto r = rng() % 1000;
          std::size_t idx = r < 700 ? r % 8 : r < 950 ? 8 + r % 16 : 24 + r % 8;
          s += kWords[idx];
        } else {
          s += pick(kFiller);
        }
      }
      s += '.';
      return s;
    };

    const long long people = conversations * 6 / 10;
    const long long visitors = std::max<long long>(conversations * 8 / 10, active_agents * active_per_agent + 1);
    const long long active = static_cast<long long>(active_agents) * active_per_agent;

    Stmt ins_person(db, "INSERT INTO people (id, email, name, job_title, phone, company, created_at, updated_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)");
    Stmt ins_visitor(db, "INSERT INTO visitors (id, token_hash, person_id, created_at) VALUES (?1, ?2, ?3, ?4)");
    Stmt ins_conv(db, "INSERT INTO conversations (id, visitor_id, agent_id, status, last_seq, page_url, created_at, "
                      "last_activity_at, accepted_at, ended_at, end_reason, last_text) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    Stmt ins_msg(db, "INSERT INTO messages (conversation_id, seq, sender, agent_id, kind, body, client_id, created_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    Stmt ins_act(db, "INSERT INTO activities (visitor_id, type, detail, conversation_id, at) VALUES (?1, ?2, ?3, ?4, ?5)");

    std::int64_t base_person = db.scalar("SELECT coalesce(max(id), 0) FROM people");
    std::int64_t base_visitor = db.scalar("SELECT coalesce(max(id), 0) FROM visitors");
    std::int64_t base_conv = db.scalar("SELECT coalesce(max(id), 0) FROM conversations");

    db.exec("BEGIN");
    for (long long p = 1; p <= people; ++p) {
      std::string first = pick(kFirst), last = pick(kLast);
      ins_person.i(1, base_person + p)
          .t(2, "person" + std::to_string(base_person + p) + "@example" + std::to_string(p % 97) + ".com")
          .t(3, first + " " + last)
          .t(4, p % 3 ? "Head of Operations" : "Buyer")
          .t(5, "+1 555 " + std::to_string(1000000 + p))
          .t(6, "Company " + std::to_string(p % 5000))
          .i(7, now - span - 86400000)
          .run();
    }
    for (long long v = 1; v <= visitors; ++v) {
      ins_visitor.i(1, base_visitor + v).t(2, "seed-token-" + std::to_string(base_visitor + v));
      if (v <= people) ins_visitor.i(3, base_person + v);
      else ins_visitor.null(3);
      ins_visitor.i(4, now - span - 86400000).run();
    }
    db.exec("COMMIT");

    long long events_left = messages, n_active = 0, n_ended = 0, n_missed = 0, n_activities = 0;
    std::vector<Event> evs;
    db.exec("BEGIN");
    for (long long c = 0; c < conversations; ++c) {
      std::int64_t id = base_conv + c + 1;
      // The newest `active` conversations are live chats of the first agents; the rest ended
      // (95 %) or missed (5 %).
      bool is_active = c >= conversations - active;
      bool is_missed = !is_active && rng() % 20 == 0;
      // Events per conversation: around the average of what is left, so the total is exact
      // and no conversation soaks up the rounding.
      long long k;
      long long remaining_convs = conversations - c;
      long long avg = events_left / remaining_convs;
      if (remaining_convs == 1) {
        k = events_left;
      } else {
        long long spread = std::max<long long>(0, avg - 3);
        long long d = spread ? static_cast<long long>(rng() % (2 * spread + 1)) - spread : 0;
        k = std::clamp<long long>(avg + d, 3, events_left - 3 * (remaining_convs - 1));
      }
      if (is_missed) k = 2;
      events_left -= k;

      std::int64_t visitor = base_visitor + 1 + (c % visitors);
      const Agent* agent = nullptr;
      if (is_active) agent = &agents[static_cast<std::size_t>((c - (conversations - active)) % active_agents)];
      else if (!is_missed) agent = &agents[static_cast<std::size_t>(rng() % agents.size())];

      // Conversations spread over the span, newest last; events 5 s to 3 min apart.
      std::int64_t t = now - span + static_cast<std::int64_t>(static_cast<double>(span) * c / conversations);
      if (is_active) t = now - 30 * 60 * 1000 + static_cast<std::int64_t>(rng() % (20 * 60 * 1000));
      std::int64_t created = t;
      std::string visitor_name = std::string(pick(kFirst)) + " " + pick(kLast);
      evs.clear();
      evs.push_back({"system", "chat.requested", visitor_name, t});
      std::int64_t accepted_at = 0;
      if (is_missed) {
        t += 100000;
        evs.push_back({"system", "chat.missed", "Sorry, no one is available right now.", t});
      } else {
        t += 5000 + static_cast<std::int64_t>(rng() % 60000);
        accepted_at = t;
        evs.push_back({"system", "chat.accepted", agent->name, t});
        long long texts = k - 2 - (is_active ? 0 : 1);
        for (long long m = 0; m < texts; ++m) {
          t += 5000 + static_cast<std::int64_t>(rng() % 175000);
          evs.push_back({m % 2 == 0 ? "visitor" : "agent", "text", sentence(), t});
        }
        if (!is_active) {
          t += 60000;
          const char* reasons[] = {"agent", "visitor", "inactivity"};
          evs.push_back({"system", "chat.ended", reasons[rng() % 3], t});
        }
      }
      std::string last_text;
      for (const auto& e : evs) if (e.kind == "text") last_text = e.body;

      ins_conv.i(1, id).i(2, visitor);
      if (agent) ins_conv.i(3, agent->id);
      else ins_conv.null(3);
      ins_conv.t(4, is_active ? "active" : is_missed ? "missed" : "ended")
          .i(5, static_cast<std::int64_t>(evs.size()))
          .t(6, "https://www.example.com/pricing")
          .i(7, created)
          .i(8, evs.back().at);
      if (accepted_at) ins_conv.i(9, accepted_at);
      else ins_conv.null(9);
      if (is_active) ins_conv.null(10).null(11);
      else ins_conv.i(10, evs.back().at).t(11, is_missed ? "no_agent" : evs.back().body);
      if (last_text.empty()) ins_conv.null(12);
      else ins_conv.t(12, last_text);
      ins_conv.run();

      for (std::size_t s = 0; s < evs.size(); ++s) {
        const auto& e = evs[s];
        ins_msg.i(1, id).i(2, static_cast<std::int64_t>(s + 1)).t(3, e.sender);
        if (e.sender == "agent") ins_msg.i(4, agent->id);
        else ins_msg.null(4);
        ins_msg.t(5, e.kind).t(6, e.body);
        if (e.kind == "text") ins_msg.t(7, "seed-" + std::to_string(id) + "-" + std::to_string(s + 1));
        else ins_msg.null(7);
        ins_msg.i(8, e.at).run();
      }

      ins_act.i(1, visitor).t(2, "form_filled").t(3, "pre-chat form").i(4, id).i(5, created).run();
      ++n_activities;
      if (accepted_at) {
        ins_act.i(1, visitor).t(2, "chat_started").t(3, agent->name).i(4, id).i(5, accepted_at).run();
        ++n_activities;
      }
      if (!is_active && !is_missed) {
        std::string snippet = evs.size() > 2 ? evs[2].body.substr(0, 80) : "";
        ins_act.i(1, visitor).t(2, "chat_ended").t(3, snippet).i(4, id).i(5, evs.back().at).run();
        ++n_activities;
      }
      if (is_active) ++n_active;
      else if (is_missed) ++n_missed;
      else ++n_ended;

      if ((c + 1) % 20000 == 0) {
        db.exec("COMMIT");
        db.exec("BEGIN");
      }
    }
    db.exec("COMMIT");
    long long seeded_messages = messages - events_left;

    // The message search index lives in its own file and is built by the server (run.sh
    // runs `parley migrate` after seeding, which brings it up to date).
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    auto bytes = std::filesystem::file_size(db_path);

    json::object figures{{"conversations", conversations},
                         {"messages", seeded_messages},
                         {"people", people},
                         {"visitors", visitors},
                         {"activities", n_activities},
                         {"active", n_active},
                         {"ended", n_ended},
                         {"missed", n_missed},
                         {"db_bytes", static_cast<std::uint64_t>(bytes)},
                         {"seconds", seconds},
                         {"rows_per_s", static_cast<double>(seeded_messages + conversations + people + visitors + n_activities) / seconds}};
    json::object params{{"conversations", conversations}, {"messages", messages},
                        {"active_agents", active_agents}, {"active_per_agent", active_per_agent},
                        {"days", days}};
    auto result = make_result("seed", "seed", "parley", params, figures, true, json::array{});
    if (!out.empty()) write_json_file(out, result);
    std::cout << "seeded " << conversations << " conversations (" << n_active << " active, " << n_ended
              << " ended, " << n_missed << " missed), " << seeded_messages << " events, " << people
              << " people, " << visitors << " visitors, " << n_activities << " activities in "
              << seconds << " s (" << bytes / (1024 * 1024) << " MiB)\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parley-seed: " << e.what() << "\n";
    return 1;
  }
}
