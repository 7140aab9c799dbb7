// Deactivating an agent in a cluster (issue 13): the admin acts on node A, the agent's Inbox is
// on node B. Their socket on B is told and closed (the event crosses Redis), their cookie is
// refused on both nodes, and a request waiting for them moves to the other agent at once.
#include <boost/json.hpp>

#include "../integration/test_server.hpp"
#include "cluster_fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

class DeactivationCluster : public TwoNodes {
 protected:
  std::vector<Account> accounts() override {
    return {{"Alice Agent", "alice@example.com", "agent"},
            {"Bob Agent", "bob@example.com", "agent"},
            {"Ada Admin", "admin@example.com", "admin"}};
  }
};

TEST_F(DeactivationCluster, TheAgentsSocketOnTheOtherNodeClosesAndTheirOfferMovesOn) {
  auto alice = login_agent(b->port(), "alice@example.com", kClusterPassword);
  ASSERT_EQ(200, alice.http.request(verb::put, "/api/v1/me/availability", R"({"available":true})").status);
  WsClient alice_ws(b->port(), alice.http.cookie());
  alice_ws.expect("hello");
  // A request offered to Alice (the only one online), then Bob comes online on node A.
  auto visitor = new_visitor(a->port());
  auto requested = visitor.http.post("/api/v1/visitor/chats",
                                     json::object{{"name", "Vera"}, {"email", "vera@example.com"}});
  ASSERT_EQ(201, requested.status) << requested.body;
  auto id = requested.json().at("conversation").at("id").as_int64();
  alice_ws.expect("chat.requested");
  auto bob = login_agent(a->port(), "bob@example.com", kClusterPassword);
  ASSERT_EQ(200, bob.http.request(verb::put, "/api/v1/me/availability", R"({"available":true})").status);
  WsClient bob_ws(a->port(), bob.http.cookie());
  bob_ws.expect("hello");

  auto admin = login_agent(a->port(), "admin@example.com", kClusterPassword);
  auto alice_id = alice.agent.at("id").as_int64();
  auto r = admin.http.post("/api/v1/admin/agents/" + std::to_string(alice_id) + "/deactivate");
  ASSERT_EQ(200, r.status) << r.body;

  // Alice's socket on node B: told why, then closed.
  bool told = false;
  while (auto f = alice_ws.next(5s)) {
    told = told || (f->at("type") == "error" && f->at("code") == "unauthorized");
  }
  EXPECT_TRUE(told);
  EXPECT_TRUE(alice_ws.closed());
  for (auto port : {a->port(), b->port()}) {
    HttpClient replay(port);
    EXPECT_EQ(401, replay.request(verb::get, "/api/v1/me", "", {{"Cookie", alice.http.cookie()}}).status);
  }
  // The request she held is Bob's now, long before its accept window ends.
  auto offered = bob_ws.expect("chat.requested", 5s);
  EXPECT_EQ(id, offered.at("conversation").at("id").as_int64());
}

}  // namespace
}  // namespace parley::testing
