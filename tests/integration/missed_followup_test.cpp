// Missed chats, follow-up and Pass on over real HTTP and WebSocket: every agent sees a
// missed chat (with the visitor's question) and hears of it live; one claim wins and everyone
// sees who has it; Pass on moves a request to the next agent at once; the widget's status
// call tells whether anyone is there.
#include <algorithm>
#include <thread>

#include "fixture.hpp"

namespace parley::testing {
namespace {

using namespace std::chrono_literals;

class MissedChatTest : public ServerTest {
 protected:
  json::object ask(VisitorClient& v, const std::string& question) {
    auto r = v.http.post("/api/v1/visitor/chats",
                         json::object{{"name", "Vera Visitor"}, {"email", "vera@example.com"},
                                      {"question", question}});
    EXPECT_EQ(201, r.status) << r.body;
    return r.json().at("conversation").as_object();
  }
};

TEST_F(MissedChatTest, TheWidgetStatusSaysWhetherAnyoneCanTakeAChatWithoutAToken) {
  HttpClient anonymous(port());
  auto r = anonymous.get("/api/v1/visitor/status");
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_FALSE(r.json().at("agents_available").as_bool());
  EXPECT_EQ("*", r.headers["access-control-allow-origin"]);
  auto alice = available_agent("alice@example.com");
  std::this_thread::sleep_for(1100ms);  // the answer is kept for a second
  EXPECT_TRUE(anonymous.get("/api/v1/visitor/status").json().at("agents_available").as_bool());
}

TEST_F(MissedChatTest, EveryAgentSeesAMissedChatLiveWithItsQuestionAndExactlyOneClaimWins) {
  auto alice = login("alice@example.com"), bob = login("bob@example.com");
  WsClient alice_ws(port(), alice.http.cookie()), bob_ws(port(), bob.http.cookie());
  alice_ws.expect("hello");
  bob_ws.expect("hello");
  auto v = new_visitor(port());
  auto conv = ask(v, "Do you ship to <b>Norway</b>?");
  ASSERT_EQ("missed", conv.at("status").as_string());
  auto id = id_of(conv);
  // Both hear of it (the Inbox alerts on it), neither was offered it.
  for (auto* ws : {&alice_ws, &bob_ws}) {
    auto updated = ws->expect("conversation.updated");
    EXPECT_EQ("missed", updated.at("conversation").at("status").as_string());
    EXPECT_EQ("Do you ship to <b>Norway</b>?", updated.at("conversation").at("last_text").as_string());
  }
  auto list = bob.http.get("/api/v1/conversations?status=missed").json();
  EXPECT_EQ(1, list.at("missed_count").as_int64());
  auto row = list.at("conversations").as_array().at(0).as_object();
  EXPECT_EQ("vera@example.com", row.at("visitor_email").as_string());
  EXPECT_TRUE(row.at("followup").is_null());
  EXPECT_EQ(200, bob.http.get(conv_path(id)).status);  // open it: visible, like an ended chat

  // Both claim at once: one 200, one 409.
  HttpResult a_res, b_res;
  std::thread ta([&] { a_res = alice.http.post(conv_path(id, "/followup/claim")); });
  std::thread tb([&] { b_res = bob.http.post(conv_path(id, "/followup/claim")); });
  ta.join();
  tb.join();
  std::vector<int> statuses{a_res.status, b_res.status};
  std::sort(statuses.begin(), statuses.end());
  ASSERT_EQ((std::vector<int>{200, 409}), statuses) << a_res.body << b_res.body;
  auto& winner = a_res.status == 200 ? alice : bob;
  auto& loser = a_res.status == 200 ? bob : alice;
  auto winner_name = winner.agent.at("name").as_string();
  auto& lost = a_res.status == 200 ? b_res : a_res;
  EXPECT_NE(std::string::npos, lost.body.find("already claimed by")) << lost.body;

  // Everyone sees who has it.
  auto seen = loser.http.get("/api/v1/conversations?status=missed").json();
  auto followup = seen.at("conversations").as_array().at(0).at("followup").as_object();
  EXPECT_EQ(winner_name, followup.at("agent_name").as_string());
  EXPECT_TRUE(followup.at("done_at").is_null());
  // The loser can neither release nor finish it; the winner finishes it.
  EXPECT_EQ(403, loser.http.post(conv_path(id, "/followup/release")).status);
  EXPECT_EQ(403, loser.http.post(conv_path(id, "/followup/done")).status);
  auto done = winner.http.post(conv_path(id, "/followup/done"));
  ASSERT_EQ(200, done.status) << done.body;
  EXPECT_TRUE(done.json().at("conversation").at("followup").at("done_at").is_int64());
  EXPECT_EQ(0, loser.http.get("/api/v1/conversations").json().at("missed_count").as_int64());
  auto events = winner.http.get(conv_path(id, "/events")).json().at("events").as_array();
  EXPECT_EQ("followup.done", events.back().at("kind").as_string());
  EXPECT_EQ("followup.claimed", events[events.size() - 2].at("kind").as_string());
}

TEST_F(MissedChatTest, AChatThatIsNotMissedCannotBeClaimedAndAnotherAgentsLiveChatStaysHidden) {
  auto alice = available_agent("alice@example.com");
  auto bob = login("bob@example.com");
  auto v = new_visitor(port());
  auto id = id_of(ask(v, "Hello?"));
  EXPECT_EQ(404, bob.http.post(conv_path(id, "/followup/claim")).status);  // pending with Alice
  EXPECT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);
  EXPECT_EQ(404, bob.http.post(conv_path(id, "/followup/claim")).status);  // Alice's live chat
  EXPECT_EQ(409, alice.http.post(conv_path(id, "/followup/claim")).status);
  EXPECT_EQ(404, alice.http.post(conv_path(id, "/followup/nonsense")).status);
}

TEST_F(MissedChatTest, PassOnMovesTheRequestToTheNextAgentAtOnce) {
  auto alice = available_agent("alice@example.com");
  auto bob = available_agent("bob@example.com");
  auto v = new_visitor(port());
  auto conv = ask(v, "Can I pay by invoice?");
  auto id = id_of(conv);
  ASSERT_EQ(alice.agent.at("id"), conv.at("agent_id"));
  auto offer = alice.inbox->expect("chat.requested");
  EXPECT_EQ("Can I pay by invoice?", offer.at("conversation").at("last_text").as_string());
  // Bob may not pass on Alice's request (he cannot see it).
  EXPECT_EQ(404, bob.http.post(conv_path(id, "/pass-on")).status);
  auto passed = alice.http.post(conv_path(id, "/pass-on"));
  ASSERT_EQ(204, passed.status) << passed.body;
  EXPECT_EQ("declined", alice.inbox->expect("offer.withdrawn", 2s).at("reason").as_string());
  auto to_bob = bob.inbox->expect("chat.requested", 2s);
  EXPECT_EQ(id, id_of(to_bob.at("conversation").as_object()));
  EXPECT_EQ(404, alice.http.post(conv_path(id, "/pass-on")).status);  // no longer hers
  EXPECT_EQ(200, bob.http.post(conv_path(id, "/accept")).status);
}

// The Inbox passes on over its socket (chat.pass_on), answered like chat.accept: nothing on
// success (offer.withdrawn and the next offer say it), an error frame otherwise.
TEST_F(MissedChatTest, PassOnOverTheSocketMovesTheOfferAtOnceAndNeverBackToThePasser) {
  auto alice = available_agent("alice@example.com");
  auto bob = available_agent("bob@example.com");
  auto v = new_visitor(port());
  auto id = id_of(ask(v, "Do you have a Swedish invoice address?"));
  alice.inbox->expect("chat.requested");
  // Bob was not offered it: refused, and the offer stays with Alice.
  bob.inbox->send(json::object{{"type", "chat.pass_on"}, {"conversation_id", id}});
  auto refused = bob.inbox->expect("error");
  EXPECT_EQ("not_found", refused.at("code").as_string());
  EXPECT_EQ("chat.pass_on", refused.at("ref").as_string());
  EXPECT_EQ(id, refused.at("conversation_id").as_int64());
  EXPECT_TRUE(alice.inbox->quiet("offer.withdrawn"));
  // A frame without a conversation is a clear error too.
  alice.inbox->send(json::object{{"type", "chat.pass_on"}});
  EXPECT_EQ("bad_request", alice.inbox->expect("error").at("code").as_string());

  // Alice passes it on: withdrawn from her and offered to Bob at once (no waiting out the
  // 100 s accept window).
  alice.inbox->send(json::object{{"type", "chat.pass_on"}, {"conversation_id", id}});
  EXPECT_EQ("declined", alice.inbox->expect("offer.withdrawn", 2s).at("reason").as_string());
  auto to_bob = bob.inbox->expect("chat.requested", 2s);
  EXPECT_EQ(id, id_of(to_bob.at("conversation").as_object()));
  // Passing again is refused: it is Bob's now.
  alice.inbox->send(json::object{{"type", "chat.pass_on"}, {"conversation_id", id}});
  EXPECT_EQ("not_found", alice.inbox->expect("error").at("code").as_string());

  // Bob passes too. Offers are left (max_offers 3) but Alice passed in this round, so she is
  // not offered it again: nobody is left and the chat is missed.
  bob.inbox->send(json::object{{"type", "chat.pass_on"}, {"conversation_id", id}});
  EXPECT_EQ("declined", bob.inbox->expect("offer.withdrawn", 2s).at("reason").as_string());
  EXPECT_TRUE(alice.inbox->quiet("chat.requested", 500ms));
  auto c = alice.http.get(conv_path(id)).json().at("conversation").as_object();
  EXPECT_EQ("missed", c.at("status").as_string());
  EXPECT_EQ("no_answer", c.at("end_reason").as_string());
}

TEST_F(MissedChatTest, AQuestionOverTheLimitIsAClearError) {
  auto v = new_visitor(port());
  auto r = v.http.post("/api/v1/visitor/chats",
                       json::object{{"name", "Vera"}, {"email", "vera@example.com"},
                                    {"question", std::string(4001, 'x')}});
  EXPECT_EQ(400, r.status);
  EXPECT_NE(std::string::npos, r.body.find("question is too long")) << r.body;
}

}  // namespace
}  // namespace parley::testing
