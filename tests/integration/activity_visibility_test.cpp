// The activity history under the visibility rule: an entry of another agent's chat that is
// still active comes without the conversation link and without its detail (snippet, agent's
// name); once that chat has ended, or for the reader's own chats, it comes whole.
#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

class ActivityVisibilityTest : public ServerTest {
 protected:
  void set_available(AgentLogin& a, bool on) {
    auto r = a.http.request(verb::put, "/api/v1/me/availability",
                            on ? R"({"available":true})" : R"({"available":false})");
    ASSERT_EQ(200, r.status) << r.body;
  }

  // The activities `reader` gets when opening conversation `id`, newest first.
  json::array history(AgentLogin& reader, std::int64_t id) {
    auto r = reader.http.get(conv_path(id));
    EXPECT_EQ(200, r.status) << r.body;
    return r.json().at("activities").as_array();
  }

  // The entries of one type; the history is newest first.
  static std::vector<json::object> of_type(const json::array& history, const std::string& type) {
    std::vector<json::object> out;
    for (const auto& a : history) {
      if (a.at("type").as_string() == type) out.push_back(a.as_object());
    }
    return out;
  }

  static std::optional<std::int64_t> linked(const json::object& a) {
    if (a.at("conversation_id").is_null()) return std::nullopt;
    return a.at("conversation_id").as_int64();
  }
};

TEST_F(ActivityVisibilityTest, AnotherAgentsActiveChatHasNoLinkAndNoSnippetUntilItEnds) {
  auto bob = available_agent("bob@example.com");
  auto vera = new_visitor(port());
  // Bob's chat with Vera, ended: the conversation he reads her history from.
  auto first = id_of(request_chat(vera));
  ASSERT_EQ(200, bob.http.post(conv_path(first, "/accept")).status);
  ASSERT_EQ(201, vera.http
                     .post(visitor_path(first, "/messages"),
                           json::object{{"client_id", "v1"}, {"body", "Question on pricing"}})
                     .status);
  ASSERT_EQ(200, bob.http.post(conv_path(first, "/end")).status);

  // Vera's next chat goes to Alice and stays active.
  set_available(bob, false);
  auto alice = available_agent("alice@example.com");
  auto second = id_of(request_chat(vera));
  ASSERT_EQ(200, alice.http.post(conv_path(second, "/accept")).status);
  ASSERT_EQ(201, vera.http
                     .post(visitor_path(second, "/messages"),
                           json::object{{"client_id", "v2"}, {"body", "Secret merger plan"}})
                     .status);

  {
    auto h = history(bob, first);
    auto started = of_type(h, "chat_started");
    ASSERT_EQ(2u, started.size());
    // Alice's live chat: the entry is there, bare.
    EXPECT_FALSE(linked(started[0]));
    EXPECT_EQ("", started[0].at("detail").as_string());
    // Bob's own chat keeps its link and detail.
    EXPECT_EQ(first, linked(started[1]));
    EXPECT_EQ("Bob Agent", started[1].at("detail").as_string());
    auto forms = of_type(h, "form_filled");
    ASSERT_EQ(2u, forms.size());
    EXPECT_FALSE(linked(forms[0]));
    EXPECT_EQ("", forms[0].at("detail").as_string());
    EXPECT_TRUE(forms[0].at("data").is_null());  // hidden with the detail
    EXPECT_EQ(first, linked(forms[1]));
    // The form's sentence, and its fields for a reader to word in its own language.
    EXPECT_EQ("Name: Vera Visitor \u00b7 Email: vera@example.com \u00b7 Job title: CTO",
              forms[1].at("detail").as_string());
    EXPECT_EQ((json::object{{"name", "Vera Visitor"}, {"email", "vera@example.com"},
                            {"job_title", "CTO"}}),
              forms[1].at("data").as_object());
    EXPECT_TRUE(started[1].at("data").is_null());  // a plain sentence: no data
    auto ended = of_type(h, "chat_ended");
    ASSERT_EQ(1u, ended.size());
    EXPECT_EQ(first, linked(ended[0]));
    EXPECT_EQ("Question on pricing", ended[0].at("detail").as_string());
    // Nothing in Bob's answer names Alice's chat or quotes it.
    auto body = bob.http.get(conv_path(first)).body;
    EXPECT_EQ(std::string::npos, body.find("\"conversation_id\":" + std::to_string(second)));
    EXPECT_EQ(std::string::npos, body.find("Alice Agent"));
  }
  {
    // Alice reads the same history from her own chat: all of it.
    auto started = of_type(history(alice, second), "chat_started");
    ASSERT_EQ(2u, started.size());
    EXPECT_EQ(second, linked(started[0]));
    EXPECT_EQ("Alice Agent", started[0].at("detail").as_string());
    EXPECT_EQ(first, linked(started[1]));
  }
  {
    // An admin sees everything.
    auto admin = login("admin@example.com");
    auto started = of_type(history(admin, first), "chat_started");
    ASSERT_EQ(2u, started.size());
    EXPECT_EQ(second, linked(started[0]));
  }

  // Once Alice's chat has ended, Bob gets both entries whole, and the link opens it.
  ASSERT_EQ(200, alice.http.post(conv_path(second, "/end")).status);
  auto h = history(bob, first);
  auto started = of_type(h, "chat_started");
  ASSERT_EQ(2u, started.size());
  EXPECT_EQ(second, linked(started[0]));
  EXPECT_EQ("Alice Agent", started[0].at("detail").as_string());
  auto ended = of_type(h, "chat_ended");
  ASSERT_EQ(2u, ended.size());
  EXPECT_EQ(second, linked(ended[0]));
  EXPECT_EQ("Secret merger plan", ended[0].at("detail").as_string());
  EXPECT_EQ(second, linked(of_type(h, "form_filled")[0]));
  EXPECT_EQ(200, bob.http.get(conv_path(second)).status);
}

}  // namespace
}  // namespace parley::testing
