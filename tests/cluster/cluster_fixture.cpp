#include "cluster_fixture.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "store/postgres/pg_connection.hpp"

namespace parley::testing {

std::string fresh_database_uri() {
  const char* base = std::getenv("PARLEY_TEST_PG_URI");
  if (!base) {
    ADD_FAILURE() << "PARLEY_TEST_PG_URI is not set: run through CTest (make test), which "
                     "starts a PostgreSQL server";
    return "";
  }
  static std::atomic<int> next{0};
  std::string schema = "c" + std::to_string(getpid()) + "_" + std::to_string(++next);
  store::postgres::PgConnection admin(base);
  admin.exec("CREATE SCHEMA " + schema);
  return std::string(base) + "&options=-csearch_path%3D" + schema;
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
