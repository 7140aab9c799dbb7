// The Store contract of follow-up email: the admin's SMTP setting (off until saved, every field
// kept, the password too, beside the chat policy without touching it) and the record of a
// sent email (the chat's followup.emailed event and the visitor's history, in one go).
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

TEST_P(StoreContract, TheSmtpSettingIsOffUntilSavedAndKeepsEveryField) {
  auto none = store().load_smtp_settings();
  EXPECT_FALSE(none.configured());
  EXPECT_EQ(587, none.port);
  EXPECT_EQ(core::SmtpSecurity::starttls, none.security);

  core::ChatPolicy policy;
  policy.fallback_message = "Back soon";
  store().save_chat_policy(policy);
  core::SmtpSettings s{"smtp.acme.test", 465, core::SmtpSecurity::tls, "mailer",
                       "p@ss wörd", "support@acme.test", "Kundtjänst Åre"};
  store().save_smtp_settings(s);
  auto loaded = store().load_smtp_settings();
  EXPECT_EQ(s.host, loaded.host);
  EXPECT_EQ(465, loaded.port);
  EXPECT_EQ(core::SmtpSecurity::tls, loaded.security);
  EXPECT_EQ("mailer", loaded.user);
  EXPECT_EQ("p@ss wörd", loaded.password);
  EXPECT_EQ("support@acme.test", loaded.from_address);
  EXPECT_EQ("Kundtjänst Åre", loaded.from_name);
  EXPECT_TRUE(loaded.configured());
  // The chat policy and the SMTP setting share the settings table and leave each other alone.
  EXPECT_EQ(policy, store().load_chat_policy());
  store().save_chat_policy(core::ChatPolicy{});
  EXPECT_EQ("p@ss wörd", store().load_smtp_settings().password);

  // Turned off and the password cleared: stored as such.
  s.host.clear();
  s.password.clear();
  s.security = core::SmtpSecurity::none;
  store().save_smtp_settings(s);
  loaded = store().load_smtp_settings();
  EXPECT_FALSE(loaded.configured());
  EXPECT_EQ("", loaded.password);
  EXPECT_EQ(core::SmtpSecurity::none, loaded.security);
  EXPECT_EQ("support@acme.test", loaded.from_address);
}

TEST_P(StoreContract, ASentFollowupEmailIsLoggedInTheChatAndTheVisitorsHistory) {
  auto ann = agent("ann");
  auto missed = pending_chat(std::nullopt);
  ASSERT_TRUE(store().claim_followup(missed.id, ann.id, tick()).ok());
  auto at = tick();
  auto t = store().record_followup_email(missed.id, R"({"agent_name":"ann","kind":"reply"})",
                                         "Reply emailed by ann", at);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ("followup.emailed", t->event.kind);
  EXPECT_EQ(core::SenderKind::system, t->event.sender);
  EXPECT_EQ(R"({"agent_name":"ann","kind":"reply"})", t->event.body);
  EXPECT_EQ(t->event.seq, t->conversation.last_seq);
  EXPECT_EQ(core::ConversationStatus::missed, t->conversation.status);
  auto events = store().events_after(missed.id, 0, 100);
  EXPECT_EQ("followup.emailed", events.back().kind);

  auto acts = store().activities(missed.visitor_id, 0, 10);
  ASSERT_FALSE(acts.empty());
  EXPECT_EQ("followup_emailed", acts.front().type);
  EXPECT_EQ("Reply emailed by ann", acts.front().detail);
  EXPECT_EQ(missed.id, acts.front().conversation_id);
  EXPECT_EQ(at, acts.front().at);

  auto absent = store().record_followup_email(missed.id + 1000, "{}", "x", tick());
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ("not_found", error_code(absent.error()));
}

}  // namespace
}  // namespace parley::store::testing
