// What the cluster tests share: the PostgreSQL server CTest starts for the run (fixture
// test_databases, tests/support/test_databases.sh), a fresh database namespace per test (a
// schema, named in the URI's search_path), and `parley` processes pointed at it.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace parley::testing {

// A postgresql:// URI whose search_path is a new, empty schema; fails the test (returns
// empty) when no server was started for the run.
std::string fresh_database_uri();

// The demo accounts `parley serve --demo` wrote under `data_dir` (role, email, password).
struct DemoLogin {
  std::string role, email, password;
};
std::vector<DemoLogin> demo_logins(const std::string& data_dir);

}  // namespace parley::testing
