// The adapters the contract suite runs on: SQLite on a file in the scratch directory, and
// PostgreSQL on the server CTest starts (scripts/local_servers.sh), each test in a
// fresh schema of its own so tests run in parallel on one server.
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "store/postgres/pg_connection.hpp"
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

std::string postgres_conninfo() {
  const char* c = std::getenv("PARLEY_TEST_PG");
  return c ? c : "";
}

std::unique_ptr<Store> open_postgres_in_fresh_schema() {
  static std::atomic<int> next{0};
  std::string schema = "t" + std::to_string(getpid()) + "_" + std::to_string(++next);
  postgres::PgConnection admin(postgres_conninfo());
  admin.exec("CREATE SCHEMA " + schema);
  return open_postgres_store(postgres_conninfo() + " options='-csearch_path=" + schema + "'");
}

std::vector<StoreFactory> factories() {
  return {
      {"Sqlite",
       [](const std::filesystem::path& dir) {
         return open_sqlite_store((dir / "parley.db").string());
       }},
      {"Postgres", [](const std::filesystem::path&) { return open_postgres_in_fresh_schema(); },
       [] {
         return postgres_conninfo().empty()
                    ? std::string("PARLEY_TEST_PG is not set: run through CTest (make test), "
                                  "which starts a PostgreSQL server")
                    : std::string();
       }},
  };
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Adapters, StoreContract, ::testing::ValuesIn(factories()),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

}  // namespace parley::store::testing
