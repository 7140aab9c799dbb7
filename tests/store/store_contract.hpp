// The Store contract suite's fixture: every TEST_P(StoreContract, ...) runs once per factory
// in store_factories.cpp (SQLite now; PostgreSQL by adding one factory). Tests talk to the
// Store interface only, so they pin the contract, not an adapter.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "store/store.hpp"

namespace parley::store::testing {

struct StoreFactory {
  std::string name;  // shows in the test name: Sqlite/StoreContract.X/0
  // Opens an empty store; `scratch_dir` is a fresh directory removed after the test.
  std::function<std::unique_ptr<Store>(const std::filesystem::path& scratch_dir)> open;
  // Why the adapter cannot run here (no server), or empty; the test is then skipped.
  std::function<std::string()> missing = [] { return std::string(); };
};

// A fresh empty directory under the system temp dir, removed when destroyed.
class ScratchDir {
 public:
  ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline constexpr const char* kTestNode = "test-node";
inline constexpr Millis kOnlineForTheTest = 30LL * 24 * 3600 * 1000;

class StoreContract : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  Millis tick() { return now_ += 1000; }  // a strictly later time on every call (any thread)
  Millis now() const { return now_.load(); }

  // An agent named `name` (email <name>@example.com), available unless told otherwise, and
  // online (reported present by kTestNode) for kOnlineForTheTest.
  core::Agent agent(const std::string& name, bool available = true, int max_chats = 10,
                    core::Role role = core::Role::agent);
  core::Visitor visitor();
  core::PreChatForm form(const std::string& name, const std::string& email);

  // Routing that always answers `agent_id` (or nobody), for tests about later stages.
  static RoutingDecision route_to(std::optional<Id> agent_id);
  static RoutingDecision round_robin();

  // A request from a fresh visitor routed to `agent_id` (pending), or missed when nullopt.
  core::Conversation pending_chat(std::optional<Id> agent_id, Id visitor_id = 0);
  core::Conversation active_chat(Id agent_id, Id visitor_id = 0);
  core::Conversation ended_chat(Id agent_id, Id visitor_id = 0);
  core::Message send(Id conversation_id, const std::string& body, const std::string& client_id,
                     core::SenderKind sender = core::SenderKind::visitor,
                     std::optional<Id> agent_id = std::nullopt);

 private:
  std::unique_ptr<ScratchDir> dir_;
  std::unique_ptr<Store> store_;
  std::atomic<Millis> now_{1'700'000'000'000};
  int next_token_ = 0;
};

std::string error_code(const core::Error& e);

// core::route with the toggle as availability (the store does not know schedules; the real
// policy is app::route_at).
RoutingDecision toggle_round_robin();

}  // namespace parley::store::testing
