// What two nodes race for, through their real HTTP and WebSocket fronts: twenty accepts of one
// request spread over both nodes have one winner, and so have twenty bookings of one meeting
// slot; an accept window that lapses after the node that took the request was killed still
// fires on the node that is left, and the request is offered to the next agent there; an
// agent whose only node was killed goes offline within the presence expiry, and their offer
// moves on without waiting out its window.
#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "../integration/test_server.hpp"
#include "cluster_fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

const std::string& kPassword = kClusterPassword;

struct Races : TwoNodes {
  std::vector<Account> accounts() override {
    return {{"Ada Admin", "admin@example.com", "admin"},
            {"Alice Agent", "alice@example.com", "agent"},
            {"Bob Agent", "bob@example.com", "agent"}};
  }

  // Logs in through `port`, turns available and opens the Inbox there.
  AgentLogin available(unsigned short port, const std::string& email) {
    auto agent = login_agent(port, email, kPassword);
    auto r = agent.http.request(verb::put, "/api/v1/me/availability", R"({"available":true})");
    EXPECT_EQ(200, r.status) << r.body;
    agent.inbox = std::make_shared<WsClient>(port, agent.http.cookie());
    agent.inbox->expect("hello");
    return agent;
  }

  // The new conversation (pending with the agent it was offered to).
  json::object request_chat(unsigned short port) {
    auto v = new_visitor(port);
    auto r = v.http.post("/api/v1/visitor/chats",
                         json::object{{"name", "Vera"}, {"email", "vera@example.com"}});
    EXPECT_EQ(201, r.status) << r.body;
    return r.json().at("conversation").as_object();
  }
};

TEST_F(Races, TwentyAcceptsOverTwoNodesHaveOneWinner) {
  auto alice = available(a->port(), "alice@example.com");
  auto id = request_chat(b->port()).at("id").as_int64();
  std::vector<int> statuses(20);
  std::vector<std::thread> tabs;
  for (int i = 0; i < 20; ++i) {
    tabs.emplace_back([&, i] {
      HttpClient tab(i % 2 ? a->port() : b->port());
      statuses[i] = tab.request(verb::post, "/api/v1/conversations/" + std::to_string(id) + "/accept",
                                "", {{"Cookie", alice.http.cookie()}})
                        .status;
    });
  }
  for (auto& t : tabs) t.join();
  EXPECT_EQ(1, std::count(statuses.begin(), statuses.end(), 200));
  EXPECT_EQ(19, std::count(statuses.begin(), statuses.end(), 409));
  auto events = alice.http.get("/api/v1/conversations/" + std::to_string(id) + "/events").json();
  const auto& list = events.at("events").as_array();
  EXPECT_EQ(1, std::count_if(list.begin(), list.end(),
                             [](const auto& e) { return e.at("kind") == "chat.accepted"; }));
}

TEST_F(Races, TwentyBookingsOfOneSlotOverTwoNodesMakeOneMeeting) {
  // Alice's meeting calendar: bookable at any hour, 30-minute meetings.
  auto alice = login_agent(a->port(), "alice@example.com", kPassword);
  json::array blocks;
  for (int d = 1; d <= 7; ++d) blocks.push_back({{"weekday", d}, {"start", "00:00"}, {"end", "24:00"}});
  json::object calendar{{"time_zone", "UTC"}, {"blocks", blocks}, {"duration_minutes", 30}};
  ASSERT_EQ(200, alice.http.request(verb::put, "/api/v1/me/calendar", json::serialize(calendar)).status);
  auto alice_id = alice.agent.at("id").as_int64();
  std::vector<VisitorClient> visitors;
  for (int i = 0; i < 20; ++i) visitors.push_back(new_visitor(i % 2 ? a->port() : b->port()));
  auto slots = visitors[0].http.get("/api/v1/visitor/calendars/" + std::to_string(alice_id) + "/slots");
  ASSERT_EQ(200, slots.status) << slots.body;
  auto start = slots.json().at("slots").at(2).at("start").as_int64();

  std::vector<int> statuses(20);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < 20) std::this_thread::yield();  // all at once, half on each node
      statuses[i] = visitors[i].http
                        .post("/api/v1/visitor/meetings",
                              json::object{{"agent_id", alice_id}, {"start", start},
                                           {"email", "v" + std::to_string(i) + "@example.com"}})
                        .status;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(1, std::count(statuses.begin(), statuses.end(), 201));
  EXPECT_EQ(19, std::count(statuses.begin(), statuses.end(), 409));
  auto meetings = alice.http.get("/api/v1/meetings").json();
  const auto& list = meetings.at("meetings").as_array();
  ASSERT_EQ(1u, list.size());
  EXPECT_EQ(start, list[0].at("start").as_int64());
}

TEST_F(Races, AnAcceptWindowLapsesAfterTheNodeThatTookTheRequestDied) {
  auto admin = login_agent(b->port(), "admin@example.com", kPassword);
  ASSERT_EQ(200, admin.http.request(verb::put, "/api/v1/admin/settings",
                                    R"({"accept_timeout_seconds":5,"max_offers":3})")
                     .status);
  // Both agents on node B; the request comes in through node A, which then dies.
  auto alice = available(b->port(), "alice@example.com");
  auto bob = available(b->port(), "bob@example.com");
  WsClient alice_ws(b->port(), alice.http.cookie()), bob_ws(b->port(), bob.http.cookie());
  alice_ws.expect("hello");
  bob_ws.expect("hello");
  auto conversation = request_chat(a->port());
  a->kill_hard();  // at once: the 5 s window can only lapse on node B
  auto id = conversation.at("id").as_int64();
  // Round robin picked one of the two; the other gets it when the window lapses.
  bool alice_first = conversation.at("agent_id") == alice.agent.at("id");
  WsClient& first_ws = alice_first ? alice_ws : bob_ws;
  WsClient& second_ws = alice_first ? bob_ws : alice_ws;
  // (The first offer's banner may have died with node A before it was published; the offer
  // itself is in the database, and so is its deadline.)
  EXPECT_EQ("timeout", first_ws.expect("offer.withdrawn", 12s).at("reason").as_string());
  auto reoffer = second_ws.expect("chat.requested", 5s);
  EXPECT_EQ(id, reoffer.at("conversation").at("id").as_int64());
}

TEST_F(Races, AnOfferMovesOnWhenTheNodeHoldingItsAgentDies) {
  // Alice's Inbox is open on node B only; she is the only one online when the request comes
  // in (default 100 s accept window), so it is hers.
  auto alice = available(b->port(), "alice@example.com");
  auto id = request_chat(a->port()).at("id").as_int64();
  auto bob = available(a->port(), "bob@example.com");
  alice.inbox->expect("chat.requested");

  auto killed = std::chrono::steady_clock::now();
  b->kill_hard();  // nobody renews Alice's presence any more
  auto reoffer = bob.inbox->expect("chat.requested", 30s);
  auto took = std::chrono::steady_clock::now() - killed;
  EXPECT_EQ(id, reoffer.at("conversation").at("id").as_int64());
  // The presence expiry (15 s) and a sweep, far inside the 100 s window.
  EXPECT_LT(took, 20s) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  EXPECT_EQ(bob.agent.at("id"), reoffer.at("conversation").at("agent_id"));
  EXPECT_EQ("pending", reoffer.at("conversation").at("status"));
}

}  // namespace
}  // namespace parley::testing
