// Emailing a missed chat's visitor (issue 13) over real HTTP, with Parley's SMTP client talking
// to a real SMTP server on a loopback port (smtp_sink): the admin's setting (the password never
// comes back), the transcript and a reply arriving with the right headers and body, only the
// claimer may send, clear errors without a setting, a server that is down or says no answers
// 502 and records nothing, AUTH when a user is set, and a visitor's name cannot add a header.
#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "fixture.hpp"
#include "smtp_sink.hpp"

namespace parley::testing {
namespace {

using namespace std::chrono_literals;

class FollowupEmailTest : public ServerTest {
 protected:
  // A missed chat (nobody is online) with the visitor's question, claimed by Alice.
  std::int64_t claimed_missed_chat(AgentLogin& claimer, const std::string& name = "Vera Visitor",
                                   const std::string& email = "vera@example.com") {
    auto v = new_visitor(port());
    auto r = v.http.post("/api/v1/visitor/chats",
                         json::object{{"name", name}, {"email", email},
                                      {"question", "Do you ship to Norway?\n.\nThanks"}});
    EXPECT_EQ(201, r.status) << r.body;
    auto conv = r.json().at("conversation").as_object();
    EXPECT_EQ("missed", conv.at("status").as_string());
    auto id = id_of(conv);
    auto claimed = claimer.http.post(conv_path(id, "/followup/claim"));
    EXPECT_EQ(200, claimed.status) << claimed.body;
    return id;
  }

  // The admin saves the mail server; returns the answer.
  HttpResult configure(unsigned short smtp_port, json::object extra = {}) {
    auto admin = login("admin@example.com");
    json::object body{{"host", "127.0.0.1"},          {"port", smtp_port},
                      {"security", "none"},           {"from_address", "support@acme.test"},
                      {"from_name", "Acme Support"}};
    for (auto& [k, v] : extra) body[k] = v;
    return admin.http.request(boost::beast::http::verb::put, "/api/v1/admin/email",
                              json::serialize(body));
  }

  HttpResult send(AgentLogin& a, std::int64_t id, json::object body) {
    return a.http.post(conv_path(id, "/followup/email"), body);
  }

  std::vector<std::string> event_kinds(AgentLogin& a, std::int64_t id) {
    std::vector<std::string> kinds;
    auto page = a.http.get(conv_path(id, "/events")).json();  // kept: the loop reads into it
    for (const auto& e : page.at("events").as_array()) {
      kinds.emplace_back(e.at("kind").as_string());
    }
    return kinds;
  }

  bool emailed(AgentLogin& a, std::int64_t id) {
    auto kinds = event_kinds(a, id);
    return std::find(kinds.begin(), kinds.end(), "followup.emailed") != kinds.end();
  }
};

TEST_F(FollowupEmailTest, AdminsKeepTheSettingAndThePasswordNeverComesBack) {
  auto admin = login("admin@example.com");
  auto alice = login("alice@example.com");
  auto empty = admin.http.get("/api/v1/admin/email");
  ASSERT_EQ(200, empty.status) << empty.body;
  EXPECT_FALSE(empty.json().at("email").at("configured").as_bool());
  EXPECT_FALSE(alice.http.get("/api/v1/email").json().at("configured").as_bool());

  auto saved = configure(2525, {{"security", "starttls"}, {"user", "mailer"},
                                {"password", "s3cret-Pa55"}});
  ASSERT_EQ(200, saved.status) << saved.body;
  auto read_back = admin.http.get("/api/v1/admin/email");
  for (const auto* r : {&saved, &read_back}) {
    EXPECT_EQ(std::string::npos, r->body.find("s3cret-Pa55")) << r->body;
    auto email = r->json().at("email").as_object();
    EXPECT_FALSE(email.contains("password"));
    EXPECT_TRUE(email.at("password_set").as_bool());
    EXPECT_EQ("mailer", email.at("user").as_string());
    EXPECT_EQ("starttls", email.at("security").as_string());
    EXPECT_EQ(2525, email.at("port").as_int64());
    EXPECT_TRUE(email.at("configured").as_bool());
  }
  EXPECT_TRUE(alice.http.get("/api/v1/email").json().at("configured").as_bool());
  // A change without a password keeps it; "" clears it.
  auto put = [&](const std::string& body) {
    return admin.http.request(boost::beast::http::verb::put, "/api/v1/admin/email", body);
  };
  EXPECT_TRUE(put(R"({"from_name":"Kundtjänst"})").json().at("email").at("password_set").as_bool());
  EXPECT_FALSE(put(R"({"password":""})").json().at("email").at("password_set").as_bool());

  // Agents who are not admins neither see nor change it; bad values are 400 with a reason.
  EXPECT_EQ(403, alice.http.get("/api/v1/admin/email").status);
  EXPECT_EQ(403, alice.http.request(boost::beast::http::verb::put, "/api/v1/admin/email",
                                    R"({"host":"evil.test"})").status);
  EXPECT_EQ(403, alice.http.post("/api/v1/admin/email/test").status);
  for (const char* bad : {R"({"security":"ssl"})", R"({"port":70000})",
                          R"({"from_address":"Support <s@acme.test>"})",
                          R"({"host":"smtp.acme.test\r\nRCPT TO:<x@evil.test>"})",
                          R"({"from_name":"A\nBcc: x@evil.test"})", R"({"port":"25"})"}) {
    auto r = put(bad);
    EXPECT_EQ(400, r.status) << bad << " " << r.body;
  }
  EXPECT_EQ(401, HttpClient(port()).get("/api/v1/admin/email").status);
}

TEST_F(FollowupEmailTest, TheTranscriptAndAReplyArriveFromTheTeamToTheVisitor) {
  SmtpSink sink;
  ASSERT_EQ(200, configure(sink.port()).status);
  auto alice = login("alice@example.com"), bob = login("bob@example.com");
  auto id = claimed_missed_chat(alice);
  // Bob has the chat open: he sees the email go out live.
  WsClient bob_ws(port(), bob.http.cookie());
  bob_ws.expect("hello");
  bob_ws.send(json::object{{"type", "subscribe"}, {"conversation_id", id}, {"after_seq", 0}});
  bob_ws.expect("subscribed");

  auto r = send(alice, id, {{"kind", "transcript"}, {"lang", "en"}});
  ASSERT_EQ(201, r.status) << r.body;
  auto event = r.json().at("event").as_object();
  EXPECT_EQ("followup.emailed", event.at("kind").as_string());
  auto body = json::parse(event.at("body").as_string()).as_object();
  EXPECT_EQ("Alice Agent", body.at("agent_name").as_string());
  EXPECT_EQ("transcript", body.at("kind").as_string());
  EXPECT_EQ("vera@example.com", body.at("to").as_string());

  auto mail = sink.wait_for_mail();
  EXPECT_EQ("support@acme.test", mail.mail_from);
  EXPECT_EQ((std::vector<std::string>{"vera@example.com"}), mail.rcpt_to);
  EXPECT_EQ("acme.test", mail.ehlo);
  EXPECT_EQ("", mail.auth_mechanism);
  EXPECT_EQ("\"Acme Support\" <support@acme.test>", mail.header("From"));
  EXPECT_EQ("\"Vera Visitor\" <vera@example.com>", mail.header("To"));
  EXPECT_EQ("Transcript of your chat with Acme Support", mail.header("Subject"));
  EXPECT_EQ("text/plain; charset=UTF-8", mail.header("Content-Type"));
  EXPECT_EQ("1.0", mail.header("MIME-Version"));
  EXPECT_TRUE(mail.header("Message-ID").ends_with("@acme.test>")) << mail.header("Message-ID");
  EXPECT_FALSE(mail.header("Date").empty());
  auto text = mail.text();
  EXPECT_NE(std::string::npos, text.find("Hello Vera Visitor,")) << text;
  EXPECT_NE(std::string::npos, text.find("Parley transcript of conversation #" + std::to_string(id))) << text;
  // The visitor's lone "." line came through (dot-stuffed on the way, unstuffed by the server).
  EXPECT_NE(std::string::npos, text.find("Do you ship to Norway?\n  .\n  Thanks")) << text;
  EXPECT_NE(std::string::npos, text.find("Alice Agent\nAcme Support")) << text;

  auto live = bob_ws.expect("event");
  while (live.at("event").at("kind").as_string() != "followup.emailed") live = bob_ws.expect("event");
  EXPECT_EQ(event.at("seq"), live.at("event").at("seq"));

  // The visitor's history says so.
  auto opened = bob.http.get(conv_path(id)).json();
  auto activities = opened.at("activities").as_array();
  ASSERT_FALSE(activities.empty());
  EXPECT_EQ("followup_emailed", activities.at(0).at("type").as_string());
  EXPECT_EQ("Transcript emailed by Alice Agent", activities.at(0).at("detail").as_string());

  // A reply in Swedish with the transcript below it.
  r = send(alice, id, {{"kind", "reply"}, {"body", "Ja, vi skickar till Norge.\n.\nHälsningar"},
                       {"include_transcript", true}, {"lang", "sv"}});
  ASSERT_EQ(201, r.status) << r.body;
  mail = sink.wait_for_mail();
  EXPECT_EQ("=?UTF-8?B?U3ZhciBww6UgZGl0dCBtZWRkZWxhbmRlIHRpbGwgQWNtZSBTdXBwb3J0?=",
            mail.header("Subject"));
  text = mail.text();
  EXPECT_TRUE(text.starts_with("Ja, vi skickar till Norge.\n.\nHälsningar\n\n-- \nAlice Agent")) << text;
  EXPECT_NE(std::string::npos, text.find("Din chatt med oss:")) << text;
  EXPECT_NE(std::string::npos, text.find("chattutskrift av konversation #")) << text;
  auto kinds = event_kinds(alice, id);
  EXPECT_EQ(2, std::count(kinds.begin(), kinds.end(), std::string("followup.emailed")));
}

TEST_F(FollowupEmailTest, OnlyTheClaimerSendsAndNothingGoesOutOtherwise) {
  SmtpSink sink;
  ASSERT_EQ(200, configure(sink.port()).status);
  auto alice = login("alice@example.com"), bob = login("bob@example.com");
  auto admin = login("admin@example.com");
  auto id = claimed_missed_chat(alice);
  EXPECT_EQ(403, send(bob, id, {{"kind", "transcript"}}).status);
  EXPECT_EQ(403, send(admin, id, {{"kind", "transcript"}}).status);  // even an admin: claim it
  EXPECT_EQ(401, HttpClient(port()).post(conv_path(id, "/followup/email"),
                                         json::object{{"kind", "transcript"}}).status);
  auto visitor = new_visitor(port());
  EXPECT_EQ(401, visitor.http.post(conv_path(id, "/followup/email"),
                                   json::object{{"kind", "transcript"}}).status);
  EXPECT_EQ(404, send(alice, id + 1000, {{"kind", "transcript"}}).status);
  // Bad requests from the claimer: clear 400 / 413.
  EXPECT_EQ(400, send(alice, id, {{"kind", "fax"}}).status);
  EXPECT_EQ(400, send(alice, id, {{"kind", "reply"}}).status);
  EXPECT_EQ(400, send(alice, id, {{"kind", "reply"}, {"body", "   "}}).status);
  EXPECT_EQ(413, send(alice, id, {{"kind", "reply"}, {"body", std::string(10001, 'a')}}).status);
  EXPECT_EQ(400, send(alice, id, {{"kind", "transcript"}, {"lang", "de"}}).status);
  // Once it is done, nobody writes any more.
  ASSERT_EQ(200, alice.http.post(conv_path(id, "/followup/done")).status);
  EXPECT_EQ(409, send(alice, id, {{"kind", "transcript"}}).status);
  // An active chat is not followed up by email.
  EXPECT_EQ(0, sink.connections());
  EXPECT_TRUE(sink.mails().empty());
  EXPECT_FALSE(emailed(alice, id));
}

TEST_F(FollowupEmailTest, WithoutASettingTheAnswerSaysEmailIsNotSetUp) {
  auto alice = login("alice@example.com");
  auto id = claimed_missed_chat(alice);
  auto r = send(alice, id, {{"kind", "transcript"}});
  EXPECT_EQ(409, r.status);
  EXPECT_NE(std::string::npos, r.body.find("email is not set up")) << r.body;
  auto admin = login("admin@example.com");
  auto test = admin.http.post("/api/v1/admin/email/test");
  EXPECT_EQ(409, test.status);
  EXPECT_FALSE(emailed(alice, id));
}

TEST_F(FollowupEmailTest, AServerThatIsDownOrSaysNoIs502AndNothingIsRecorded) {
  auto alice = login("alice@example.com");
  auto id = claimed_missed_chat(alice);
  unsigned short closed_port = 0;
  {
    SmtpSink gone;
    closed_port = gone.port();
  }  // nothing listens there any more
  ASSERT_EQ(200, configure(closed_port).status);
  auto r = send(alice, id, {{"kind", "transcript"}});
  EXPECT_EQ(502, r.status) << r.body;
  EXPECT_NE(std::string::npos, r.body.find("could not send: could not connect")) << r.body;

  SmtpSink refusing({.refuse = {{"RCPT", "550 5.1.1 internal-relay-7 says mailbox unavailable"}}});
  ASSERT_EQ(200, configure(refusing.port()).status);
  r = send(alice, id, {{"kind", "reply"}, {"body", "Hello!"}});
  EXPECT_EQ(502, r.status) << r.body;
  EXPECT_NE(std::string::npos, r.body.find("could not send: the server refused the recipient")) << r.body;
  EXPECT_EQ(std::string::npos, r.body.find("internal-relay-7")) << r.body;  // not the server's words

  SmtpSink rejecting_data({.refuse = {{"DATA", "554 5.7.1 spam"}}});
  ASSERT_EQ(200, configure(rejecting_data.port()).status);
  r = send(alice, id, {{"kind", "transcript"}});
  EXPECT_EQ(502, r.status) << r.body;
  EXPECT_NE(std::string::npos, r.body.find("the server refused the message")) << r.body;

  EXPECT_FALSE(emailed(alice, id));
  auto activities = alice.http.get(conv_path(id)).json().at("activities").as_array();
  for (const auto& a : activities) EXPECT_NE("followup_emailed", a.at("type").as_string());
}

TEST_F(FollowupEmailTest, TheLoginIsUsedWhenAUserIsSet) {
  SmtpSink sink({.user = "mailer", .password = "s3cret wörd", .auth_methods = {"PLAIN", "LOGIN"}});
  auto alice = login("alice@example.com");
  auto id = claimed_missed_chat(alice);
  ASSERT_EQ(200, configure(sink.port(), {{"user", "mailer"}, {"password", "wrong"}}).status);
  auto r = send(alice, id, {{"kind", "transcript"}});
  EXPECT_EQ(502, r.status) << r.body;
  EXPECT_NE(std::string::npos, r.body.find("could not send: the server refused the login")) << r.body;
  EXPECT_FALSE(emailed(alice, id));

  ASSERT_EQ(200, configure(sink.port(), {{"password", "s3cret wörd"}}).status);
  r = send(alice, id, {{"kind", "transcript"}});
  ASSERT_EQ(201, r.status) << r.body;
  auto mail = sink.wait_for_mail();
  EXPECT_EQ("PLAIN", mail.auth_mechanism);
  EXPECT_EQ("mailer", mail.auth_user);

  // A server that offers only LOGIN gets LOGIN.
  SmtpSink login_only({.user = "mailer", .password = "s3cret wörd", .auth_methods = {"LOGIN"}});
  ASSERT_EQ(200, configure(login_only.port()).status);
  ASSERT_EQ(201, send(alice, id, {{"kind", "transcript"}}).status);
  EXPECT_EQ("LOGIN", login_only.wait_for_mail().auth_mechanism);

  // The admin's test email goes to the admin, through the same login.
  auto admin = login("admin@example.com");
  auto test = admin.http.post("/api/v1/admin/email/test");
  EXPECT_EQ(204, test.status) << test.body;
  auto test_mail = login_only.wait_for_mail();
  EXPECT_EQ((std::vector<std::string>{"admin@example.com"}), test_mail.rcpt_to);
  EXPECT_EQ("Parley test email", test_mail.header("Subject"));
}

TEST_F(FollowupEmailTest, AVisitorsNameWithLineBreaksCannotAddAHeader) {
  SmtpSink sink;
  ASSERT_EQ(200, configure(sink.port()).status);
  auto alice = login("alice@example.com");
  auto id = claimed_missed_chat(alice, "Vera\r\nBcc: victim@evil.test\r\nX-Evil: 1", "vera@example.com");
  auto r = send(alice, id, {{"kind", "transcript"}});
  ASSERT_EQ(201, r.status) << r.body;
  auto mail = sink.wait_for_mail();
  EXPECT_EQ(0, mail.header_count("Bcc")) << mail.data;
  EXPECT_EQ(0, mail.header_count("X-Evil")) << mail.data;
  EXPECT_EQ(1, mail.header_count("To"));
  EXPECT_EQ("\"Vera Bcc: victim@evil.test X-Evil: 1\" <vera@example.com>", mail.header("To"));
  EXPECT_EQ((std::vector<std::string>{"vera@example.com"}), mail.rcpt_to);
}

}  // namespace
}  // namespace parley::testing

namespace parley::testing {
namespace {

// A self-signed certificate for 127.0.0.1 and localhost (openssl, a fresh EC key per test).
struct TestCertificate {
  std::filesystem::path cert, key;
  explicit TestCertificate(const std::filesystem::path& dir) : cert(dir / "smtp-cert.pem"), key(dir / "smtp-key.pem") {
    auto cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
               "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
               key.string() + " -out " + cert.string() + " 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl could not make a certificate");
  }
};

// The mail server's certificate is trusted by the Parley process (SSL_CERT_FILE, which OpenSSL's
// default paths read): as with a private CA an operator adds.
class TrustedTlsEmailTest : public FollowupEmailTest {
 protected:
  void SetUp() override {
    ::setenv("SSL_CERT_FILE", certificate.cert.c_str(), 1);
    FollowupEmailTest::SetUp();
    ::unsetenv("SSL_CERT_FILE");  // only the server process, started above, keeps it
  }
  TempDir cert_dir;
  TestCertificate certificate{cert_dir.path};
};

TEST_F(FollowupEmailTest, ACertificateTheSystemDoesNotTrustIsRefused) {
  TempDir cert_dir;
  TestCertificate certificate(cert_dir.path);
  SmtpSink sink({.user = "mailer", .password = "s3cret", .tls = "starttls",
                 .cert_file = certificate.cert.string(), .key_file = certificate.key.string()});
  auto alice = login("alice@example.com");
  auto id = claimed_missed_chat(alice);
  ASSERT_EQ(200, configure(sink.port(), {{"security", "starttls"}, {"user", "mailer"},
                                         {"password", "s3cret"}}).status);
  auto r = send(alice, id, {{"kind", "transcript"}});
  EXPECT_EQ(502, r.status) << r.body;
  EXPECT_NE(std::string::npos, r.body.find("could not send: the TLS handshake or the certificate check failed")) << r.body;
  EXPECT_TRUE(sink.mails().empty());
  EXPECT_FALSE(emailed(alice, id));

  // starttls asked, but the server does not offer it: no login or message in clear text.
  SmtpSink plain({.user = "mailer", .password = "s3cret"});
  ASSERT_EQ(200, configure(plain.port(), {{"security", "starttls"}}).status);
  r = send(alice, id, {{"kind", "transcript"}});
  EXPECT_EQ(502, r.status) << r.body;
  EXPECT_NE(std::string::npos, r.body.find("the server does not offer STARTTLS")) << r.body;
  EXPECT_TRUE(plain.mails().empty());
}

TEST_F(TrustedTlsEmailTest, StartTlsAndImplicitTlsCarryTheLoginAndTheMessage) {
  SmtpSink starttls({.user = "mailer", .password = "s3cret", .tls = "starttls",
                     .cert_file = certificate.cert.string(), .key_file = certificate.key.string()});
  auto alice = login("alice@example.com");
  auto id = claimed_missed_chat(alice);
  ASSERT_EQ(200, configure(starttls.port(), {{"security", "starttls"}, {"user", "mailer"},
                                             {"password", "s3cret"}}).status);
  auto r = send(alice, id, {{"kind", "transcript"}});
  ASSERT_EQ(201, r.status) << r.body;
  auto mail = starttls.wait_for_mail();
  EXPECT_TRUE(mail.tls);
  EXPECT_EQ("mailer", mail.auth_user);
  EXPECT_EQ("Transcript of your chat with Acme Support", mail.header("Subject"));

  SmtpSink implicit({.tls = "tls", .cert_file = certificate.cert.string(),
                     .key_file = certificate.key.string()});
  ASSERT_EQ(200, configure(implicit.port(), {{"security", "tls"}, {"user", ""}}).status);
  r = send(alice, id, {{"kind", "reply"}, {"body", "Over TLS."}});
  ASSERT_EQ(201, r.status) << r.body;
  mail = implicit.wait_for_mail();
  EXPECT_TRUE(mail.tls);
  EXPECT_EQ("", mail.auth_mechanism);
  EXPECT_TRUE(mail.text().starts_with("Over TLS.")) << mail.text();
}

}  // namespace
}  // namespace parley::testing
