// The Inbox views over HTTP and WebSocket against a real server (issue 5): the visibility
// rule on every read path that issue adds (search, transcript, read marks, live read and
// page frames), read state, the visitor's page, people and their CSV import, custom
// activities, merged histories, the transcript's format.
#include "fixture.hpp"

namespace parley::testing {
namespace {

using boost::beast::http::verb;

class InboxViewsTest : public ServerTest {
 protected:
  // A chat Alice accepted; the visitor said `first` in it.
  struct Chat {
    AgentLogin alice;
    VisitorClient visitor;
    std::int64_t id = 0;
  };
  Chat alice_chat(const std::string& first = "Do you offer volume pricing?",
                  const std::string& name = "Vera Visitor",
                  const std::string& email = "vera@example.com") {
    Chat c{available_agent("alice@example.com"), new_visitor(port()), 0};
    c.id = id_of(request_chat(c.visitor, name, email));
    EXPECT_EQ(200, c.alice.http.post(conv_path(c.id, "/accept")).status);
    say(c, first, "v-first");
    return c;
  }
  void say(Chat& c, const std::string& text, const std::string& client_id) {
    auto r = c.visitor.http.post(visitor_path(c.id, "/messages"),
                                 json::object{{"client_id", client_id}, {"body", text}});
    EXPECT_EQ(201, r.status) << r.body;
  }
  json::array list(AgentLogin& who, const std::string& query) {
    auto r = who.http.get("/api/v1/conversations?" + query);
    EXPECT_EQ(200, r.status) << r.body;
    return r.json().at("conversations").as_array();
  }
  // Search trails the messages by a fraction of a second: waits (bounded) until `who` finds
  // `want` rows, so that a later "finds nothing" is not just "not indexed yet".
  json::array search_until(AgentLogin& who, const std::string& query, std::size_t want) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    json::array rows;
    do {
      rows = list(who, query);
      if (rows.size() == want) break;
      std::this_thread::sleep_for(20ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return rows;
  }
  static bool contains(const json::array& rows, std::int64_t id) {
    for (const auto& row : rows) {
      if (row.at("id").as_int64() == id) return true;
    }
    return false;
  }
  HttpResult admin_put_person(AgentLogin& who, const json::object& person) {
    return who.http.request(verb::put, "/api/v1/admin/people", json::serialize(person));
  }
  HttpResult import_csv(AgentLogin& who, const std::string& csv) {
    return who.http.request(verb::post, "/api/v1/admin/people/import", csv,
                            {{"Content-Type", "text/csv"}});
  }
};

// --- the visibility rule on the new read paths: 404 / absent, never 403 ---

TEST_F(InboxViewsTest, SearchNeverFindsAnotherAgentsActiveChat) {
  auto c = alice_chat("Quarterly zeppelin budget");
  auto bob = login("bob@example.com");
  for (const char* q : {"q=zeppelin", "q=vera", "q=vera%40example.com", "q=quarterly+budget"}) {
    EXPECT_EQ(1u, search_until(c.alice, std::string(q) + "&status=all", 1).size()) << q;
    EXPECT_TRUE(list(bob, std::string(q) + "&status=all").empty()) << q;
  }
  // Once it ends, Bob finds it like any ended chat.
  EXPECT_EQ(200, c.alice.http.post(conv_path(c.id, "/end")).status);
  auto found = list(bob, "q=zeppelin&status=all");
  ASSERT_EQ(1u, found.size());
  EXPECT_EQ("Alice Agent", found[0].at("agent_name").as_string());
  EXPECT_TRUE(list(bob, "q=zeppelin&status=active").empty());
}

TEST_F(InboxViewsTest, TranscriptOfAnotherAgentsActiveChatIsNotFound) {
  auto c = alice_chat();
  auto bob = login("bob@example.com");
  EXPECT_EQ(404, bob.http.get(conv_path(c.id, "/transcript")).status);
  // Alice's own live chat has no transcript yet: 409, not a partial file.
  EXPECT_EQ(409, c.alice.http.get(conv_path(c.id, "/transcript")).status);
  EXPECT_EQ(200, c.alice.http.post(conv_path(c.id, "/end")).status);
  EXPECT_EQ(200, bob.http.get(conv_path(c.id, "/transcript")).status);
}

TEST_F(InboxViewsTest, ReadMarkOfAnotherAgentsActiveChatIsNotFoundAndMovesNothing) {
  auto c = alice_chat();
  auto bob = login("bob@example.com");
  EXPECT_EQ(404, bob.http.post(conv_path(c.id, "/read"), json::object{{"seq", 99}}).status);
  WsClient ws(port(), bob.http.cookie());
  ws.expect("hello");
  ws.send(json::object{{"type", "read"}, {"conversation_id", c.id}, {"seq", 99}});
  EXPECT_EQ("not_found", ws.expect("error").at("code").as_string());
  ws.send(json::object{{"type", "typing"}, {"conversation_id", c.id}});
  EXPECT_EQ("not_found", ws.expect("error").at("code").as_string());
  auto rows = list(c.alice, "status=active");
  ASSERT_EQ(1u, rows.size());
  EXPECT_EQ(1, rows[0].at("unread").as_int64());  // still unread for Alice
}

TEST_F(InboxViewsTest, LiveReadAndPageFramesOfAnotherAgentsChatNeverReachThem) {
  auto c = alice_chat();
  auto bob = login("bob@example.com");
  WsClient bob_ws(port(), bob.http.cookie());
  bob_ws.expect("hello");
  WsClient alice_ws(port(), c.alice.http.cookie());
  alice_ws.expect("hello");
  alice_ws.send(json::object{{"type", "subscribe"}, {"conversation_id", c.id}, {"after_seq", 0}});
  alice_ws.expect("event");

  auto r = c.visitor.http.post(
      "/api/v1/visitor/activities",
      json::object{
          {"type", "page_visit"}, {"url", "https://acme.test/checkout"}, {"title", "Checkout"}});
  EXPECT_EQ(201, r.status) << r.body;
  c.visitor.http.post(visitor_path(c.id, "/read"), json::object{{"seq", 10}});
  auto page = alice_ws.expect("visitor.page");
  EXPECT_EQ("https://acme.test/checkout", page.at("url").as_string());
  EXPECT_EQ("Checkout", page.at("title").as_string());
  EXPECT_EQ("visitor", alice_ws.expect("read").at("reader").as_string());
  EXPECT_TRUE(bob_ws.quiet("visitor.page", 300ms));
  EXPECT_TRUE(bob_ws.quiet("read", 100ms));
}

// --- read state ---

TEST_F(InboxViewsTest, UnreadCountsFallWhenTheAgentReadsAndTheVisitorIsTold) {
  auto c = alice_chat("one");
  say(c, "two", "v-2");
  WsClient visitor_ws(port());
  visitor_ws.send(json::object{{"type", "auth"}, {"visitor_token", c.visitor.token}});
  visitor_ws.expect("hello");
  visitor_ws.send(json::object{{"type", "subscribe"}, {"conversation_id", c.id}, {"after_seq", 0}});

  auto rows = list(c.alice, "status=active");
  ASSERT_EQ(1u, rows.size());
  EXPECT_EQ(2, rows[0].at("unread").as_int64());
  auto last_seq = rows[0].at("last_seq").as_int64();

  EXPECT_EQ(204,
            c.alice.http.post(conv_path(c.id, "/read"), json::object{{"seq", last_seq}}).status);
  auto read = visitor_ws.expect("read");
  EXPECT_EQ("agent", read.at("reader").as_string());
  EXPECT_EQ(last_seq, read.at("seq").as_int64());
  EXPECT_EQ(0, list(c.alice, "status=active")[0].at("unread").as_int64());

  auto opened = c.alice.http.get(conv_path(c.id)).json();
  EXPECT_EQ(last_seq, opened.at("read").at("agent_seq").as_int64());
  EXPECT_EQ(0, opened.at("read").at("visitor_seq").as_int64());

  // A reader sending an older seq does not move the mark back, and tells nobody.
  EXPECT_EQ(204, c.alice.http.post(conv_path(c.id, "/read"), json::object{{"seq", 1}}).status);
  EXPECT_TRUE(visitor_ws.quiet("read", 300ms));
  EXPECT_EQ(400, c.alice.http.post(conv_path(c.id, "/read"), json::object{{"seq", "x"}}).status);
}

// --- the visitor's page, activity history, people ---

TEST_F(InboxViewsTest, WidgetReportsPageVisitsAndLinkClicksIntoTheHistory) {
  auto visitor = new_visitor(port());
  auto report = [&](const json::object& body) {
    return visitor.http.post("/api/v1/visitor/activities", body);
  };
  EXPECT_EQ(
      201,
      report({{"type", "page_visit"}, {"url", "https://acme.test/"}, {"title", "Home"}}).status);
  auto alice = available_agent("alice@example.com");
  auto id = id_of(request_chat(visitor));
  EXPECT_EQ(200, alice.http.post(conv_path(id, "/accept")).status);
  EXPECT_EQ(201, report({{"type", "link_clicked"}, {"url", "https://docs.acme.test/a"}}).status);
  EXPECT_EQ(400, report({{"type", "link_clicked"}, {"url", "javascript:alert(1)"}}).status);
  EXPECT_EQ(400, report({{"type", "meeting_booked"}, {"url", "https://acme.test/"}}).status);
  EXPECT_EQ(400, report({{"type", "page_visit"}}).status);

  auto opened = alice.http.get(conv_path(id)).json().as_object();
  EXPECT_EQ("https://acme.test/", opened.at("visitor").at("page_url").as_string());
  EXPECT_EQ("Home", opened.at("visitor").at("page_title").as_string());
  std::vector<std::string> types;
  for (const auto& a : opened.at("activities").as_array())
    types.emplace_back(a.at("type").as_string());
  EXPECT_EQ(types, (std::vector<std::string>{"link_clicked", "chat_started", "form_filled",
                                             "page_visit"}));
  EXPECT_EQ("https://docs.acme.test/a", opened.at("activities").at(0).at("url").as_string());
}

TEST_F(InboxViewsTest, UnknownVisitorFieldsAreNullNeverEmpty) {
  auto alice = available_agent("alice@example.com");
  auto visitor = new_visitor(port());
  auto r = visitor.http.post("/api/v1/visitor/chats",
                             json::object{{"name", "Nia"}, {"email", "nia@example.com"}});
  ASSERT_EQ(201, r.status);
  auto id = id_of(r.json().at("conversation").as_object());
  alice.http.post(conv_path(id, "/accept"));
  auto v = alice.http.get(conv_path(id)).json().at("visitor").as_object();
  EXPECT_EQ("Nia", v.at("name").as_string());
  EXPECT_EQ("nia@example.com", v.at("email").as_string());
  for (const char* field : {"job_title", "phone", "crm_status", "company", "page_url"}) {
    EXPECT_TRUE(v.at(field).is_null()) << field;
  }
}

TEST_F(InboxViewsTest, PeopleAreForAdminsOnly) {
  auto alice = login("alice@example.com");
  EXPECT_EQ(403,
            admin_put_person(alice, {{"email", "x@example.com"}, {"crm_status", "Lead"}}).status);
  EXPECT_EQ(403, import_csv(alice, "email,crm_status\nx@example.com,Lead\n").status);
  EXPECT_EQ(403, alice.http.get("/api/v1/admin/people?email=x@example.com").status);
  EXPECT_EQ(403, alice.http
                     .post("/api/v1/admin/activities",
                           json::object{{"email", "x@example.com"}, {"detail", "hi"}})
                     .status);
  auto admin = login("admin@example.com");
  EXPECT_EQ(404, admin.http.get("/api/v1/admin/people?email=x@example.com").status);
}

TEST_F(InboxViewsTest, AdminUpsertsAPersonAndTheVisitorWithThatEmailShowsIt) {
  auto admin = login("admin@example.com");
  auto put = admin_put_person(
      admin,
      {{"email", "Vera@Example.com"}, {"crm_status", "Customer"}, {"phone", "+47 555 0100"}});
  ASSERT_EQ(200, put.status) << put.body;
  EXPECT_EQ("vera@example.com", put.json().at("person").at("email").as_string());
  EXPECT_EQ(400, admin_put_person(admin, {{"email", "not-an-email"}}).status);
  EXPECT_EQ(400, admin_put_person(admin, {{"name", "No Email"}}).status);

  auto c = alice_chat();
  auto v = c.alice.http.get(conv_path(c.id)).json().at("visitor").as_object();
  EXPECT_EQ("Vera Visitor", v.at("name").as_string());  // from the form
  EXPECT_EQ("CTO", v.at("job_title").as_string());
  EXPECT_EQ("+47 555 0100", v.at("phone").as_string());  // from the CRM
  EXPECT_EQ("Customer", v.at("crm_status").as_string());
}

TEST_F(InboxViewsTest, CsvImportOfAGoodFileWritesEveryRow) {
  auto admin = login("admin@example.com");
  auto r = import_csv(admin,
                      "\xEF\xBB\xBF"
                      "Email,Name,Job Title,Phone,Company,CRM Status\r\n"
                      "kim@example.com,Kim Park,Buyer,,Initech,Customer\r\n"
                      "\"raj@example.com\",\"Iyer, Raj\",,+1 555,,Lead\r\n");
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ(2, r.json().at("imported").as_int64());
  auto raj = admin.http.get("/api/v1/admin/people?email=RAJ@example.com").json().at("person");
  EXPECT_EQ("Iyer, Raj", raj.at("name").as_string());
  EXPECT_EQ("Lead", raj.at("crm_status").as_string());
  EXPECT_TRUE(raj.at("job_title").is_null());
}

TEST_F(InboxViewsTest, CsvImportWithBadRowsReportsEachAndImportsNothing) {
  auto admin = login("admin@example.com");
  auto r = import_csv(admin,
                      "email,name,crm_status\n"
                      "good@example.com,Good,Lead\n"
                      "not-an-email,Bad,Lead\n"
                      "short@example.com,Short\n"
                      "ok@example.com,OK,Customer\n");
  ASSERT_EQ(400, r.status) << r.body;
  auto rows = r.json().at("error").at("rows").as_array();
  ASSERT_EQ(2u, rows.size());
  EXPECT_EQ(3, rows[0].at("line").as_int64());
  EXPECT_EQ(4, rows[1].at("line").as_int64());
  EXPECT_NE(std::string::npos,
            std::string(rows[1].at("message").as_string()).find("expected 3 cells"));
  EXPECT_EQ(404, admin.http.get("/api/v1/admin/people?email=good@example.com").status);
  EXPECT_EQ(404, admin.http.get("/api/v1/admin/people?email=ok@example.com").status);

  auto unknown = import_csv(admin, "email,shoe_size\na@example.com,44\n");
  EXPECT_EQ(400, unknown.status);
  EXPECT_NE(std::string::npos, unknown.body.find("shoe_size"));
}

TEST_F(InboxViewsTest, CsvImportWithOneEmailTwiceIsRefusedNamingBothLines) {
  auto admin = login("admin@example.com");
  auto r = import_csv(admin, "email,name\nsam@example.com,Sam\nSAM@example.com,Samuel\n");
  ASSERT_EQ(400, r.status);
  auto rows = r.json().at("error").at("rows").as_array();
  ASSERT_EQ(1u, rows.size());
  EXPECT_EQ(3, rows[0].at("line").as_int64());
  EXPECT_NE(std::string::npos, std::string(rows[0].at("message").as_string()).find("line 2"));
  EXPECT_EQ(404, admin.http.get("/api/v1/admin/people?email=sam@example.com").status);
}

TEST_F(InboxViewsTest, TwoVisitorsWithOneEmailShowOneMergedHistory) {
  auto alice = available_agent("alice@example.com");
  auto laptop = new_visitor(port());
  laptop.http.post("/api/v1/visitor/activities", json::object{{"type", "page_visit"},
                                                              {"url", "https://acme.test/laptop"},
                                                              {"title", "On the laptop"}});
  auto first = id_of(request_chat(laptop, "Mo", "mo@example.com"));
  alice.http.post(conv_path(first, "/accept"));
  alice.http.post(conv_path(first, "/end"));

  auto phone = new_visitor(port());
  phone.http.post("/api/v1/visitor/activities", json::object{{"type", "page_visit"},
                                                             {"url", "https://acme.test/phone"},
                                                             {"title", "On the phone"}});
  auto second = id_of(request_chat(phone, "Mo Chen", "MO@example.com"));
  alice.http.post(conv_path(second, "/accept"));

  auto opened = alice.http.get(conv_path(second)).json().as_object();
  EXPECT_EQ("Mo Chen", opened.at("visitor").at("name").as_string());
  std::vector<std::string> pages;
  int chats_ended = 0;
  for (const auto& a : opened.at("activities").as_array()) {
    if (a.at("type").as_string() == "page_visit") pages.emplace_back(a.at("detail").as_string());
    chats_ended += a.at("type").as_string() == "chat_ended";
  }
  EXPECT_EQ(pages, (std::vector<std::string>{"On the phone", "On the laptop"}));
  EXPECT_EQ(1, chats_ended);  // the laptop's chat is in the phone visitor's history
}

TEST_F(InboxViewsTest, CustomActivitiesArePostedByEmailOrVisitorId) {
  auto c = alice_chat();
  auto admin = login("admin@example.com");
  auto by_email = admin.http.post("/api/v1/admin/activities",
                                  json::object{{"email", "VERA@example.com"},
                                               {"detail", "Downloaded the pricing PDF"},
                                               {"url", "https://acme.test/pricing.pdf"}});
  ASSERT_EQ(201, by_email.status) << by_email.body;
  EXPECT_EQ("custom", by_email.json().at("activity").at("type").as_string());
  EXPECT_EQ(201, admin.http
                     .post("/api/v1/admin/activities",
                           json::object{{"visitor_id", c.visitor.id}, {"detail", "Webinar"}})
                     .status);
  EXPECT_EQ(404, admin.http
                     .post("/api/v1/admin/activities",
                           json::object{{"email", "ghost@example.com"}, {"detail", "x"}})
                     .status);
  EXPECT_EQ(400, admin.http
                     .post("/api/v1/admin/activities",
                           json::object{{"email", "vera@example.com"}, {"detail", "  "}})
                     .status);

  auto activities = c.alice.http.get(conv_path(c.id)).json().at("activities").as_array();
  ASSERT_GE(activities.size(), 2u);
  EXPECT_EQ("Webinar", activities[0].at("detail").as_string());
  EXPECT_EQ("Downloaded the pricing PDF", activities[1].at("detail").as_string());
}

// --- transcripts ---

TEST_F(InboxViewsTest, TranscriptIsATextFileWithAHeaderAndOneLinePerMessage) {
  auto c = alice_chat("Hello there");
  c.alice.http.post(conv_path(c.id, "/messages"),
                    json::object{{"client_id", "a-1"}, {"body", "Hi Vera!\nHow can I help?"}});
  say(c, "<script>alert(1)</script>", "v-2");
  EXPECT_EQ(200, c.alice.http.post(conv_path(c.id, "/end")).status);

  auto r = c.alice.http.get(conv_path(c.id, "/transcript"));
  ASSERT_EQ(200, r.status) << r.body;
  EXPECT_EQ("text/plain; charset=utf-8", r.headers["content-type"]);
  EXPECT_EQ("attachment; filename=\"parley-conversation-" + std::to_string(c.id) + ".txt\"",
            r.headers["content-disposition"]);
  std::vector<std::string> lines;
  std::istringstream in(r.body);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_GE(lines.size(), 11u) << r.body;
  EXPECT_EQ("Parley transcript of conversation #" + std::to_string(c.id), lines[0]);
  EXPECT_EQ("Visitor: Vera Visitor <vera@example.com>", lines[1]);
  EXPECT_EQ("Agent: Alice Agent", lines[2]);
  EXPECT_TRUE(lines[3].starts_with("Start: 20")) << lines[3];
  EXPECT_TRUE(lines[4].starts_with("End: 20")) << lines[4];
  EXPECT_EQ("Times: UTC", lines[5]);
  EXPECT_EQ("", lines[6]);
  auto message = [](const std::string& line) { return line.substr(line.find("] ") + 2); };
  EXPECT_EQ('[', lines[7][0]);
  EXPECT_EQ("Vera Visitor: Hello there", message(lines[7]));
  EXPECT_EQ("Alice Agent: Hi Vera!", message(lines[8]));
  EXPECT_EQ("  How can I help?", lines[9]);
  EXPECT_EQ("Vera Visitor: <script>alert(1)</script>", message(lines[10]));  // text, as typed
  EXPECT_EQ(11u, lines.size());  // no life-cycle events in the body
}

}  // namespace
}  // namespace parley::testing
