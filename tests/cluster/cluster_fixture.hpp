// What the cluster tests share: the PostgreSQL server CTest starts for the run (fixture
// test_databases, scripts/local_servers.sh), a fresh database namespace per test (a
// schema, named in the URI's search_path), and `parley` processes pointed at it.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "../integration/test_server.hpp"

namespace parley::testing {

inline const std::string kClusterPassword = "correct horse 1";

// A postgresql:// URI whose search_path is a new, empty schema; fails the test (returns
// empty) when no server was started for the run.
std::string fresh_database_uri();

// The Redis server of the run (unix://…/redis.sock); fails the test when there is none.
std::string redis_url();

// A Redis server of a test's own (unix socket in `dir`), for tests that stop and restart it.
class RedisProcess {
 public:
  explicit RedisProcess(std::string dir) : dir_(std::move(dir)) {}
  ~RedisProcess() { stop(); }
  void start();  // returns once the socket answers
  void stop();   // kills the server; pub/sub connections drop
  std::string url() const { return "unix://" + dir_ + "/redis.sock"; }

 private:
  std::string dir_;
  bool running_ = false;
};

// Creates an agent in the database at `uri` through `parley admin create-agent`.
void create_agent(const std::string& uri, const std::string& name, const std::string& email,
                  const std::string& password, const std::string& role = "agent");

// Two `parley serve` nodes, a and b, on a fresh database and a Redis bus, with the accounts
// a test names (all with kClusterPassword) created before they start.
class TwoNodes : public ::testing::Test {
 protected:
  struct Account {
    std::string name, email, role;
  };
  // The accounts to create; Alice, an agent, unless a test names others.
  virtual std::vector<Account> accounts() { return {{"Alice Agent", "alice@example.com", "agent"}}; }
  // The Redis the nodes use: the run's (redis_url()) unless a test brings its own.
  virtual std::string bus_url() { return redis_url(); }

  void SetUp() override;

  std::string uri, redis;
  TempDir dir_a, dir_b;
  std::unique_ptr<ServerProcess> a, b;

 private:
  std::unique_ptr<ServerProcess> node(TempDir& dir, const std::string& id);
};

// The demo accounts `parley serve --demo` wrote under `data_dir` (role, email, password).
struct DemoLogin {
  std::string role, email, password;
};
std::vector<DemoLogin> demo_logins(const std::string& data_dir);

}  // namespace parley::testing
