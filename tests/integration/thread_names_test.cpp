// The server's threads carry names of their own (os/thread_name.hpp, docs/operations.md
// "Threads"), so `top -H` and `perf` tell the writer from the indexer from the I/O threads;
// the main thread keeps the binary's name, which `pgrep parley` and systemd go by.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fixture.hpp"

namespace parley::testing {
namespace {

using ThreadNamesTest = ServerTest;  // the harness starts `parley serve --threads 4`

std::string comm_of(const std::filesystem::path& task) {
  std::string name;
  std::getline(std::ifstream(task / "comm"), name);
  return name;
}

std::multiset<std::string> thread_names(const std::filesystem::path& tasks) {
  std::multiset<std::string> names;
  for (const auto& task : std::filesystem::directory_iterator(tasks)) names.insert(comm_of(task));
  return names;
}

TEST_F(ThreadNamesTest, EveryRoleHasItsNameAndTheMainThreadKeepsTheBinarys) {
  const std::filesystem::path tasks = "/proc/" + std::to_string(server->pid()) + "/task";
  const std::vector<std::string> roles = {
      "io-1",     "io-2",   "io-3",      "sqlite-writer", "search-index",   "checkpointer",
      "worker-0", "hash-0", "deadlines", "presence",      "calendar-feeds", "webhooks"};
  // The server says it listens before its last threads have started (and named themselves).
  auto all_named = [&] {
    auto names = thread_names(tasks);
    return std::all_of(roles.begin(), roles.end(),
                       [&](const std::string& role) { return names.count(role) == 1; });
  };
  for (auto until = std::chrono::steady_clock::now() + 5s;
       !all_named() && std::chrono::steady_clock::now() < until;) {
    std::this_thread::sleep_for(20ms);
  }
  auto names = thread_names(tasks);
  for (const auto& role : roles) EXPECT_EQ(1u, names.count(role)) << role;
  // The fourth I/O thread is the main thread, I/O thread 0.
  EXPECT_EQ(0u, names.count("io-4"));
  EXPECT_EQ("parley", comm_of(tasks / std::to_string(server->pid())));
}

}  // namespace
}  // namespace parley::testing
