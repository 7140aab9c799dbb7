// Team management over HTTP (issue 13): admins add, edit, deactivate and reactivate agents
// and send password links; agents edit their own profile and password, and the visitor's
// person fields of chats they may read. Each rule has a test that tries to break it.
#include <thread>

#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

class TeamApiTest : public ServerTest {
 protected:
  std::int64_t agent_id(const std::string& email) {
    auto admin = login("admin@example.com");
    auto body = admin.http.get("/api/v1/agents").json();  // held: a range-for over a temporary dangles
    for (const auto& a : body.at("agents").as_array()) {
      if (a.at("email").as_string() == email) return a.at("id").as_int64();
    }
    ADD_FAILURE() << "no agent " << email;
    return 0;
  }
  static std::string agent_path(std::int64_t id, const std::string& rest = "") {
    return "/api/v1/admin/agents/" + std::to_string(id) + rest;
  }
  static std::string code(const HttpResult& r) {
    return std::string(r.json().at("error").at("code").as_string());
  }
  // The secret of a link path "/inbox/set-password#token=<secret>".
  static std::string token_of(const json::value& link) {
    std::string path(link.at("path").as_string());
    auto at = path.find("#token=");
    EXPECT_NE(std::string::npos, at) << path;
    return path.substr(at + 7);
  }
};

TEST_F(TeamApiTest, AdminAddsAnAgentWithAnInvitationThatWorksOnce) {
  auto admin = login("admin@example.com");
  auto r = admin.http.post("/api/v1/admin/agents",
                           json::object{{"name", "Nora New"}, {"email", "Nora@Example.com"},
                                        {"max_chats", 3}});
  ASSERT_EQ(201, r.status) << r.body;
  auto agent = r.json().at("agent").as_object();
  EXPECT_EQ("nora@example.com", agent.at("email").as_string());
  EXPECT_EQ("agent", agent.at("role").as_string());
  EXPECT_EQ(3, agent.at("max_chats").as_int64());
  EXPECT_TRUE(agent.at("takes_chats").as_bool());
  EXPECT_TRUE(agent.at("active").as_bool());
  EXPECT_EQ("NN", agent.at("initials").as_string());
  auto token = token_of(r.json().at("invitation"));
  EXPECT_GT(r.json().at("invitation").at("expires_at").as_int64(), 0);

  // Nobody can sign in before the invitation is used.
  HttpClient nora(port());
  EXPECT_EQ(401, nora.post("/api/v1/auth/login",
                           json::object{{"email", "nora@example.com"}, {"password", ""}})
                     .status);
  auto check = nora.post("/api/v1/auth/password-link/check", json::object{{"token", token}});
  ASSERT_EQ(200, check.status) << check.body;
  EXPECT_EQ("Nora New", check.json().at("agent").at("name").as_string());

  auto weak = nora.post("/api/v1/auth/password-link",
                        json::object{{"token", token}, {"password", "short"}});
  EXPECT_EQ(400, weak.status) << weak.body;  // a bad password does not use up the link
  auto set = nora.post("/api/v1/auth/password-link",
                       json::object{{"token", token}, {"password", "nora's password"}});
  ASSERT_EQ(200, set.status) << set.body;
  EXPECT_EQ(200, nora.get("/api/v1/me").status);  // signed in by the link

  HttpClient again(port());
  auto reuse = again.post("/api/v1/auth/password-link",
                          json::object{{"token", token}, {"password", "someone else's"}});
  EXPECT_EQ(404, reuse.status);
  EXPECT_EQ(404, again.post("/api/v1/auth/password-link/check", json::object{{"token", token}}).status);
  EXPECT_EQ(200, login_agent(port(), "nora@example.com", "nora's password").http.get("/api/v1/me").status);
}

TEST_F(TeamApiTest, AdminAddsACalendarAgentWithAPassword) {
  auto admin = login("admin@example.com");
  auto r = admin.http.post("/api/v1/admin/agents",
                           json::object{{"name", "Cal Endar"}, {"email", "cal@example.com"},
                                        {"takes_chats", false}, {"role", "agent"},
                                        {"password", "calendar pass"}});
  ASSERT_EQ(201, r.status) << r.body;
  EXPECT_FALSE(r.json().at("agent").at("takes_chats").as_bool());
  EXPECT_TRUE(r.json().at("invitation").is_null());
  EXPECT_EQ(200, login_agent(port(), "cal@example.com", "calendar pass").http.get("/api/v1/me").status);
}

TEST_F(TeamApiTest, BadInputIsRefusedWithAClearError) {
  auto admin = login("admin@example.com");
  for (const auto& body :
       {json::object{{"name", ""}, {"email", "x@example.com"}},
        json::object{{"name", "X"}, {"email", "not an email"}},
        json::object{{"name", "X"}, {"email", "x@example.com"}, {"role", "boss"}},
        json::object{{"name", "X"}, {"email", "x@example.com"}, {"max_chats", 0}},
        json::object{{"name", "X"}, {"email", "x@example.com"}, {"password", "short"}}}) {
    auto r = admin.http.post("/api/v1/admin/agents", body);
    EXPECT_EQ(400, r.status) << json::serialize(body) << " " << r.body;
  }
  auto dup = admin.http.post("/api/v1/admin/agents",
                             json::object{{"name", "Alice 2"}, {"email", "ALICE@example.com"}});
  EXPECT_EQ(409, dup.status) << dup.body;
  auto initials = admin.http.request(verb::patch, agent_path(agent_id("alice@example.com")),
                                     R"({"initials":"ABC"})");
  EXPECT_EQ(400, initials.status) << initials.body;
}

TEST_F(TeamApiTest, AgentsWhoAreNotAdminsAreRefusedEveryTeamAction) {
  auto alice = login("alice@example.com");
  auto bob = agent_id("bob@example.com");
  EXPECT_EQ(403, alice.http.post("/api/v1/admin/agents",
                                 json::object{{"name", "Mallory"}, {"email", "m@example.com"}})
                     .status);
  EXPECT_EQ(403, alice.http.request(verb::patch, agent_path(bob), R"({"role":"admin"})").status);
  EXPECT_EQ(403, alice.http.request(verb::patch, agent_path(agent_id("alice@example.com")),
                                    R"({"role":"admin"})")
                     .status);  // not even to promote themselves
  EXPECT_EQ(403, alice.http.post(agent_path(bob, "/password-link")).status);
  EXPECT_EQ(403, alice.http.post(agent_path(bob, "/deactivate")).status);
  EXPECT_EQ(403, alice.http.post(agent_path(bob, "/reactivate")).status);
  EXPECT_EQ(403, alice.http.get("/api/v1/agents").status);
  // Their own profile changes only their name and initials: a role in it is ignored.
  auto own = alice.http.request(verb::patch, "/api/v1/me/profile",
                                R"({"name":"Alice A.","initials":"aa","role":"admin"})");
  ASSERT_EQ(200, own.status) << own.body;
  EXPECT_EQ("agent", own.json().at("agent").at("role").as_string());
  EXPECT_EQ("AA", own.json().at("agent").at("initials").as_string());
  EXPECT_EQ("Alice A.", own.json().at("agent").at("name").as_string());
}

TEST_F(TeamApiTest, TheLastActiveAdminCanBeNeitherDemotedNorDeactivated) {
  auto admin = login("admin@example.com");
  auto self = agent_id("admin@example.com");
  auto demote = admin.http.request(verb::patch, agent_path(self), R"({"role":"agent"})");
  EXPECT_EQ(409, demote.status) << demote.body;
  EXPECT_NE(std::string::npos, demote.body.find("last active admin"));
  auto off = admin.http.post(agent_path(self, "/deactivate"));
  EXPECT_EQ(409, off.status) << off.body;
  EXPECT_EQ(200, admin.http.get("/api/v1/me").status);  // still signed in, still admin

  // With a second admin, the first may step down.
  auto bob = agent_id("bob@example.com");
  ASSERT_EQ(200, admin.http.request(verb::patch, agent_path(bob), R"({"role":"admin"})").status);
  auto step_down = admin.http.request(verb::patch, agent_path(self), R"({"role":"agent"})");
  ASSERT_EQ(200, step_down.status) << step_down.body;
  // ... and Bob is now the last one.
  auto b = login("bob@example.com");
  EXPECT_EQ(409, b.http.post(agent_path(bob, "/deactivate")).status);
}

TEST_F(TeamApiTest, DeactivationEndsSessionsSocketsAndChatsAndKeepsTheHistory) {
  auto alice = available_agent("alice@example.com");
  auto alice_id = id_of(alice.agent);
  std::string old_cookie = alice.http.cookie();
  // An ended chat of Alice's (history) and an active one.
  auto v1 = new_visitor(port());
  auto first = request_chat(v1, "Old Visitor", "old@example.com");
  alice.inbox->expect("chat.requested");
  ASSERT_EQ(200, alice.http.post(conv_path(id_of(first), "/accept")).status);
  ASSERT_EQ(200, alice.http.post(conv_path(id_of(first), "/end")).status);
  auto v2 = new_visitor(port());
  auto live = request_chat(v2, "Live Visitor", "live@example.com");
  alice.inbox->expect("chat.requested");
  ASSERT_EQ(200, alice.http.post(conv_path(id_of(live), "/accept")).status);

  auto admin = login("admin@example.com");
  auto r = admin.http.post(agent_path(alice_id, "/deactivate"));
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_FALSE(r.json().at("agent").at("active").as_bool());

  // The open Inbox socket is closed at once, and the old cookie no longer works, for
  // HTTP or for a new socket.
  bool told = false;  // the last frame says why, then the socket closes
  while (auto f = alice.inbox->next(5s)) {
    told = told || (f->at("type") == "error" && f->at("code") == "unauthorized");
  }
  EXPECT_TRUE(told);
  EXPECT_TRUE(alice.inbox->closed());
  HttpClient replay(port());
  EXPECT_EQ(401, replay.request(verb::get, "/api/v1/me", "", {{"Cookie", old_cookie}}).status);
  WsClient again(port(), old_cookie);  // not authenticated by the cookie: no hello
  again.send(json::object{{"type", "subscribe"}, {"conversation_id", id_of(live)}});
  EXPECT_EQ("unauthorized", again.expect("error").at("code").as_string());
  EXPECT_EQ(401, HttpClient(port())
                     .post("/api/v1/auth/login",
                           json::object{{"email", "alice@example.com"}, {"password", kPassword}})
                     .status);

  // The active chat ended with its reason; the history is all there for the admin.
  auto ended = admin.http.get(conv_path(id_of(live)));
  ASSERT_EQ(200, ended.status) << ended.body;
  EXPECT_EQ("ended", ended.json().at("conversation").at("status").as_string());
  EXPECT_EQ("agent_deactivated", ended.json().at("conversation").at("end_reason").as_string());
  auto old = admin.http.get(conv_path(id_of(first), "/events"));
  ASSERT_EQ(200, old.status);
  EXPECT_GE(old.json().at("events").as_array().size(), 3u);
  auto team = admin.http.get("/api/v1/agents").json();
  bool listed = false;
  for (const auto& a : team.at("agents").as_array()) {
    if (a.at("id").as_int64() == alice_id) listed = !a.at("active").as_bool();
  }
  EXPECT_TRUE(listed) << "the deactivated agent stays in the list, marked inactive";

  // Reactivated, Alice signs in with her old password.
  ASSERT_EQ(200, admin.http.post(agent_path(alice_id, "/reactivate")).status);
  EXPECT_EQ(200, login("alice@example.com").http.get("/api/v1/me").status);
}

TEST_F(TeamApiTest, ADeactivatedAgentIsNeverOfferedAChatAndTheirOfferMovesOn) {
  auto alice = available_agent("alice@example.com");
  auto bob = available_agent("bob@example.com");
  auto v = new_visitor(port());
  auto c = request_chat(v);
  // Whoever got it first is deactivated; the other must get it at once.
  auto admin = login("admin@example.com");
  auto first_id = admin.http.get(conv_path(id_of(c))).json().at("conversation").at("agent_id").as_int64();
  ASSERT_TRUE(first_id == id_of(alice.agent) || first_id == id_of(bob.agent));
  auto other_inbox = first_id == id_of(alice.agent) ? bob.inbox : alice.inbox;
  ASSERT_EQ(200, admin.http.post(agent_path(first_id, "/deactivate")).status);
  auto offered = other_inbox->expect("chat.requested", 3s);
  EXPECT_EQ(id_of(c), offered.at("conversation").at("id").as_int64());
}

TEST_F(TeamApiTest, APasswordResetLinkEndsTheOldSessionsOnceUsed) {
  auto alice = login("alice@example.com");
  auto admin = login("admin@example.com");
  auto r = admin.http.post(agent_path(id_of(alice.agent), "/password-link"));
  ASSERT_EQ(201, r.status) << r.body;
  auto older = token_of(r.json().at("link"));
  auto r2 = admin.http.post(agent_path(id_of(alice.agent), "/password-link"));
  auto token = token_of(r2.json().at("link"));
  HttpClient page(port());
  EXPECT_EQ(404, page.post("/api/v1/auth/password-link",
                           json::object{{"token", older}, {"password", "a new password"}})
                     .status);  // the newer link replaced it
  ASSERT_EQ(200, page.post("/api/v1/auth/password-link",
                           json::object{{"token", token}, {"password", "a new password"}})
                     .status);
  EXPECT_EQ(401, alice.http.get("/api/v1/me").status);
  EXPECT_EQ(200, login_agent(port(), "alice@example.com", "a new password").http.get("/api/v1/me").status);
  // A link from another site's page is refused like a cross-site login.
  auto foreign = page.request(verb::post, "/api/v1/auth/password-link/check",
                              json::serialize(json::object{{"token", token}}),
                              {{"Origin", "https://evil.example"}});
  EXPECT_EQ(403, foreign.status);
}

TEST_F(TeamApiTest, AnAgentChangesTheirPasswordOnlyWithTheCurrentOne) {
  auto alice = login("alice@example.com");
  auto other_browser = login("alice@example.com");
  auto wrong = alice.http.request(verb::put, "/api/v1/me/password",
                                  R"({"current_password":"guess guess","new_password":"new secret 1"})");
  EXPECT_EQ(403, wrong.status) << wrong.body;
  EXPECT_EQ(200, alice.http.get("/api/v1/me").status);  // a wrong guess does not sign out
  auto ok = alice.http.request(
      verb::put, "/api/v1/me/password",
      json::serialize(json::object{{"current_password", kPassword}, {"new_password", "new secret 1"}}));
  EXPECT_EQ(204, ok.status) << ok.body;
  EXPECT_EQ(200, alice.http.get("/api/v1/me").status);          // this browser stays
  EXPECT_EQ(401, other_browser.http.get("/api/v1/me").status);  // the others are signed out
  EXPECT_EQ(200, login_agent(port(), "alice@example.com", "new secret 1").http.get("/api/v1/me").status);
}

TEST_F(TeamApiTest, PersonFieldsOfAVisitorAreEditedByWhoMayReadTheChat) {
  auto alice = available_agent("alice@example.com");
  auto v = new_visitor(port());
  auto c = request_chat(v, "Vera Visitor", "vera@example.com");
  alice.inbox->expect("chat.requested");
  std::string body = R"({"email":"vera@acme.test","name":"Vera V","job_title":"CFO",)"
                     R"("phone":"+46 8 123","crm_status":"Customer","company":""})";
  // Offered but not accepted: not yet.
  EXPECT_EQ(403, alice.http.request(verb::put, conv_path(id_of(c), "/person"), body).status);
  ASSERT_EQ(200, alice.http.post(conv_path(id_of(c), "/accept")).status);
  // Bob may not see Alice's active chat: 404, as for any hidden chat.
  auto bob = login("bob@example.com");
  EXPECT_EQ(404, bob.http.request(verb::put, conv_path(id_of(c), "/person"), body).status);
  auto r = alice.http.request(verb::put, conv_path(id_of(c), "/person"), body);
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ("vera@acme.test", r.json().at("person").at("email").as_string());
  EXPECT_EQ("Customer", r.json().at("person").at("crm_status").as_string());
  auto open = alice.http.get(conv_path(id_of(c)));
  EXPECT_EQ("Vera V", open.json().at("visitor").at("name").as_string());
  EXPECT_EQ("CFO", open.json().at("visitor").at("job_title").as_string());
  EXPECT_EQ(400, alice.http.request(verb::put, conv_path(id_of(c), "/person"),
                                    R"({"email":"nope","name":"X"})")
                     .status);
  // Once the chat ended, Bob sees it and may edit the visitor too; an admin always may.
  ASSERT_EQ(200, alice.http.post(conv_path(id_of(c), "/end")).status);
  EXPECT_EQ(200, bob.http.request(verb::put, conv_path(id_of(c), "/person"),
                                  R"({"email":"vera@acme.test","name":"Vera Ventura"})")
                     .status);
  auto admin = login("admin@example.com");
  auto person = admin.http.get("/api/v1/admin/people?email=vera@acme.test");
  EXPECT_EQ("Vera Ventura", person.json().at("person").at("name").as_string());
  EXPECT_TRUE(person.json().at("person").at("crm_status").is_null());  // cleared by Bob's form
}

}  // namespace
}  // namespace parley::testing
