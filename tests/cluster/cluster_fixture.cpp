#include "cluster_fixture.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "../integration/test_server.hpp"
#include "store/postgres/pg_connection.hpp"

namespace parley::testing {

namespace {
// The directory of the run's servers (scripts/local_servers.sh), or empty.
std::string servers_dir() {
  const char* dir = std::getenv("PARLEY_TEST_DB_DIR");
  if (!dir) {
    ADD_FAILURE() << "PARLEY_TEST_DB_DIR is not set: run through CTest (make test), which "
                     "starts PostgreSQL and Redis";
    return "";
  }
  return dir;
}
}  // namespace

std::string fresh_database_uri() {
  auto dir = servers_dir();
  if (dir.empty()) return "";
  std::string base = "postgresql://parley@/postgres?host=" + dir + "&port=5432";
  static std::atomic<int> next{0};
  std::string schema = "c" + std::to_string(getpid()) + "_" + std::to_string(++next);
  store::postgres::PgConnection admin(base);
  admin.exec("CREATE SCHEMA " + schema);
  return base + "&options=-csearch_path%3D" + schema;
}

std::string redis_url() {
  auto dir = servers_dir();
  return dir.empty() ? "" : "unix://" + dir + "/redis.sock";
}

void RedisProcess::start() {
  std::string cmd = "redis-server --port 0 --unixsocket " + dir_ + "/redis.sock --save '' "
                    "--appendonly no --daemonize yes --pidfile " + dir_ + "/redis.pid --logfile " +
                    dir_ + "/redis.log";
  ASSERT_EQ(0, std::system(cmd.c_str()));
  std::string ping = "redis-cli -s " + dir_ + "/redis.sock ping >/dev/null 2>&1";
  for (int i = 0; i < 100 && std::system(ping.c_str()) != 0; ++i) usleep(50'000);
  ASSERT_EQ(0, std::system(ping.c_str())) << "redis did not start in " << dir_;
  running_ = true;
}

void RedisProcess::stop() {
  if (!running_) return;
  std::string cmd = "kill -9 $(cat " + dir_ + "/redis.pid) && rm -f " + dir_ + "/redis.sock";
  std::system(cmd.c_str());
  running_ = false;
}

void create_agent(const std::string& uri, const std::string& name, const std::string& email,
                  const std::string& password, const std::string& role) {
  std::string input = password + "\n";
  ASSERT_EQ(0, run_cli({"admin", "create-agent", "--db", uri, "--name", name, "--email", email,
                        "--role", role},
                       nullptr, &input));
}

void TwoNodes::SetUp() {
  uri = fresh_database_uri();
  redis = bus_url();
  ASSERT_FALSE(uri.empty() || redis.empty());
  for (const auto& account : accounts()) {
    create_agent(uri, account.name, account.email, kClusterPassword, account.role);
  }
  a = node(dir_a, "node-a");
  b = node(dir_b, "node-b");
}

std::unique_ptr<ServerProcess> TwoNodes::node(TempDir& dir, const std::string& id) {
  auto n = std::make_unique<ServerProcess>(
      dir.path, std::filesystem::path{},
      std::vector<std::string>{"--db", uri, "--bus", redis, "--node-id", id});
  n->start();
  return n;
}

std::vector<DemoLogin> demo_logins(const std::string& data_dir) {
  std::vector<DemoLogin> out;
  std::ifstream in(data_dir + "/demo-credentials.txt");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    DemoLogin d;
    std::string name;
    if (std::getline(fields, d.role, '\t') && std::getline(fields, name, '\t') &&
        std::getline(fields, d.email, '\t') && std::getline(fields, d.password, '\t')) {
      out.push_back(d);
    }
  }
  return out;
}

}  // namespace parley::testing
