// Fixture of the use-case tests: the real services over a real SQLite file in a scratch
// directory, the local bus with a recording subscriber per topic, and a settable clock.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>

#include "app/agent_service.hpp"
#include "app/auth_service.hpp"
#include "app/chat_service.hpp"
#include "app/presence.hpp"
#include "app/sweeper.hpp"
#include "bus/local_bus.hpp"
#include "store/store.hpp"

namespace parley::app::testing {

// Records every event published on the topics it listens to.
class Recorder : public bus::Subscriber {
 public:
  void deliver(const bus::EventPtr& e) override {
    std::lock_guard lock(mutex_);
    events_.push_back(e);
  }
  template <class T>
  std::vector<T> all() {
    std::lock_guard lock(mutex_);
    std::vector<T> out;
    for (const auto& e : events_) {
      if (auto* p = std::get_if<T>(&e->payload())) out.push_back(*p);
    }
    return out;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    events_.clear();
  }

 private:
  std::mutex mutex_;
  std::vector<bus::EventPtr> events_;
};

// One node: a store over the shared file and its services.
struct Node {
  Node(const std::filesystem::path& db, std::atomic<core::Millis>& now)
      : store(store::open_sqlite_store(db.string())),
        clock([&now] { return now.load(); }),
        auth(*store, clock),
        agents(*store, bus, clock),
        chats(*store, bus, clock),
        sweeper(*store, chats, agents, clock),
        presence(*store, "node-" + std::to_string(++nodes_made()), clock) {}
  static int& nodes_made() {
    static int n = 0;
    return n;
  }
  std::unique_ptr<store::Store> store;
  bus::LocalBus bus;
  Clock clock;
  AuthService auth;
  AgentService agents;
  ChatService chats;
  Sweeper sweeper;
  Presence presence;
};

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("parley-app-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    node_ = std::make_unique<Node>(db(), now_);
  }
  void TearDown() override {
    node_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path db() const { return dir_ / "parley.db"; }
  Node& node() { return *node_; }
  void restart() {  // a new process over the same file
    node_.reset();
    node_ = std::make_unique<Node>(db(), now_);
  }

  // Listens on a topic of the current node's bus.
  std::shared_ptr<Recorder> listen(const std::string& topic) {
    auto r = std::make_shared<Recorder>();
    node().bus.subscribe(topic, r);
    recorders_.push_back(r);
    return r;
  }

  // An agent with the Inbox open on the current node, available unless told otherwise.
  core::Agent agent(const std::string& name, bool available = true) {
    auto a = node().auth.create_agent(name, name + "@example.com", "password123", core::Role::agent);
    EXPECT_TRUE(a.ok());
    node().presence.connected(a->id);
    if (!available) return *a;
    return *node().agents.set_availability(*a, true);
  }

  core::Conversation request() {
    auto v = node().auth.new_visitor();
    core::PreChatForm f{"Vera", "vera" + std::to_string(v.visitor.id) + "@example.com", {}, {}, {}, ""};
    auto c = node().chats.request_chat(v.visitor.id, f);
    EXPECT_TRUE(c.ok());
    return c->conversation;
  }

  void set_policy(core::Millis accept, core::Millis idle, int offers = 3) {
    core::ChatPolicy p;
    p.accept_timeout = accept;
    p.inactivity_timeout = idle;
    p.max_offers = offers;
    node().store->save_chat_policy(p);
  }

  // Time passes; the node's heartbeat keeps its agents' Inboxes reported open meanwhile.
  void advance(core::Millis ms) {
    now_ += ms;
    node().presence.heartbeat();
  }

  // 2026-11-27 (a Friday) 09:00 UTC.
  std::atomic<core::Millis> now_{1'795'770'000'000};

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Node> node_;
  std::vector<std::shared_ptr<Recorder>> recorders_;
};

}  // namespace parley::app::testing
