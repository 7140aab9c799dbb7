// Contract: what the Inbox views read (issue 5): search, unread counts and read marks,
// the visitor's current page, people and their merged histories.
#include <chrono>
#include <thread>

#include "core/search.hpp"
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

using core::SenderKind;

std::vector<Id> ids_of(const std::vector<ConversationSummary>& rows) {
  std::vector<Id> out;
  for (const auto& r : rows) out.push_back(r.conversation.id);
  return out;
}

// The conversation ids the viewer's list shows for a search, newest activity first, once
// every message stored so far is searchable (flush()).
std::vector<Id> search_ids(Store& store, const core::Agent& viewer, std::string_view q,
                           StatusFilter filter = StatusFilter::all) {
  store.flush();
  ConversationQuery query{core::viewer_of(viewer), filter};
  query.search = core::search_terms(q);
  return ids_of(store.list_conversations(query));
}

TEST_P(StoreContract, SearchFindsMessageTextByEveryWordAsPrefix) {
  auto a = agent("ann");
  auto c1 = ended_chat(a.id);
  auto c2 = ended_chat(a.id);
  // Messages can only be appended while active: write them first, then end.
  auto live = active_chat(a.id);
  send(live.id, "Our invoice for the renewal is wrong", "m1");
  send(live.id, "Thanks!", "m2", SenderKind::agent, a.id);
  ASSERT_TRUE(store().end_conversation(live.id, "agent", tick()));

  EXPECT_EQ(search_ids(store(), a, "invoice"), (std::vector<Id>{live.id}));
  EXPECT_EQ(search_ids(store(), a, "INVO renew"),
            (std::vector<Id>{live.id}));                                    // prefixes, any case
  EXPECT_EQ(search_ids(store(), a, "thanks"), (std::vector<Id>{live.id}));  // the agent's words too
  EXPECT_TRUE(search_ids(store(), a, "invoice refund").empty());            // every word must match
  EXPECT_TRUE(search_ids(store(), a, "voice").empty());                     // prefix, not infix
  (void)c1;
  (void)c2;
}

TEST_P(StoreContract, MessagesBecomeSearchableShortlyWithoutAFlush) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  send(c.id, "a gazebo for the garden", "g1");
  ConversationQuery q{core::viewer_of(a), StatusFilter::all};
  q.search = core::search_terms("gazebo");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::vector<Id> found;
  while (found.empty() && std::chrono::steady_clock::now() < deadline) {
    found = ids_of(store().list_conversations(q));
    if (found.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(found, (std::vector<Id>{c.id}));
}

// A new visitor's chat with `agent`, from the form's name and email, accepted.
Id accepted_chat_of(Store& store, const core::Agent& agent, core::PreChatForm form, Millis at) {
  auto c = store.request_chat({store.create_visitor("searched-" + form.email, at).id, form, "sorry"},
                              [&](const RoutingSnapshot&) { return core::RouteChoice{agent.id}; },
                              at);
  if (!c) throw std::runtime_error(c.error().message);
  if (auto accepted = store.accept_chat(c->conversation.id, agent.id, at + 1); !accepted) {
    throw std::runtime_error(accepted.error().message);
  }
  return c->conversation.id;
}

TEST_P(StoreContract, SearchFindsVisitorNameAndEmail) {
  auto a = agent("ann");
  auto zelda = accepted_chat_of(store(), a, form("Zelda Quinn", "zq@acme-widgets.example"), tick());
  auto other = active_chat(a.id);

  EXPECT_EQ(search_ids(store(), a, "zelda"), (std::vector<Id>{zelda}));
  EXPECT_EQ(search_ids(store(), a, "quinn zel"), (std::vector<Id>{zelda}));
  EXPECT_EQ(search_ids(store(), a, "acme-widgets"), (std::vector<Id>{zelda}));
  EXPECT_EQ(search_ids(store(), a, "zq@acme"), (std::vector<Id>{zelda}));
  EXPECT_TRUE(search_ids(store(), a, "nobody-like-this").empty());
  (void)other;
}

// The product is Swedish: "asa" finds Åsa and "jose cafe" finds José's "Café?", on every
// adapter (SQLite's tokenizer removes diacritics; PostgreSQL unaccents both sides).
TEST_P(StoreContract, SearchIgnoresDiacriticsAndTheCaseOfAccentedLetters) {
  auto a = agent("ann");
  auto asa = accepted_chat_of(store(), a, form("Åsa Öberg", "asa@example.se"), tick());
  auto jose = active_chat(a.id);
  send(jose.id, "Hej! Träffas vi på ett Café i Malmö?", "j1");
  auto other = active_chat(a.id);

  EXPECT_EQ(search_ids(store(), a, "asa"), (std::vector<Id>{asa}));
  EXPECT_EQ(search_ids(store(), a, "ÅSA öberg"), (std::vector<Id>{asa}));
  EXPECT_EQ(search_ids(store(), a, "obe"), (std::vector<Id>{asa}));
  EXPECT_EQ(search_ids(store(), a, "cafe malmo"), (std::vector<Id>{jose.id}));
  EXPECT_EQ(search_ids(store(), a, "Träffas"), (std::vector<Id>{jose.id}));
  EXPECT_EQ(search_ids(store(), a, "traffas"), (std::vector<Id>{jose.id}));
  (void)other;
}

TEST_P(StoreContract, SearchKeepsTheVisibilityRuleAndTheFilter) {
  auto a = agent("ann");
  auto b = agent("bob");
  auto admin = agent("root", true, 10, core::Role::admin);
  auto a_live = active_chat(a.id);
  send(a_live.id, "secret pricing question", "s1");
  auto b_live = active_chat(b.id);
  send(b_live.id, "pricing for bob", "s2");
  ASSERT_TRUE(store().end_conversation(b_live.id, "agent", tick()));

  // Bob never finds Ann's live chat, by text or by name; he finds his own ended one.
  EXPECT_EQ(search_ids(store(), b, "pricing"), (std::vector<Id>{b_live.id}));
  EXPECT_TRUE(search_ids(store(), b, "secret").empty());
  EXPECT_TRUE(search_ids(store(), b, "vera").size() == 1);  // only the ended chat's visitor
  // Ann sees both; the Active filter keeps only her live one.
  EXPECT_EQ(search_ids(store(), a, "pricing"), (std::vector<Id>{b_live.id, a_live.id}));
  EXPECT_EQ(search_ids(store(), a, "pricing", StatusFilter::active), (std::vector<Id>{a_live.id}));
  // View-all sees everything that matches.
  EXPECT_EQ(search_ids(store(), admin, "secret"), (std::vector<Id>{a_live.id}));
}

TEST_P(StoreContract, SearchResultsPageByTheSameCursor) {
  auto a = agent("ann");
  std::vector<Id> expected;
  for (int i = 0; i < 5; ++i) {
    auto c = active_chat(a.id);
    send(c.id, "shipping " + std::to_string(i), "p" + std::to_string(i));
    ASSERT_TRUE(store().end_conversation(c.id, "agent", tick()));
    expected.insert(expected.begin(), c.id);
  }
  ConversationQuery q{core::viewer_of(a), StatusFilter::all};
  q.search = core::search_terms("ship");
  q.limit = 2;
  store().flush();
  std::vector<Id> seen;
  for (;;) {
    auto page = store().list_conversations(q);
    for (const auto& r : page) seen.push_back(r.conversation.id);
    if (static_cast<int>(page.size()) < q.limit) break;
    q.before_activity = page.back().conversation.last_activity_at;
    q.before_id = page.back().conversation.id;
  }
  EXPECT_EQ(seen, expected);
}

TEST_P(StoreContract, UnreadCountsTheVisitorsTextAfterTheAssignedAgentsReadMark) {
  auto a = agent("ann");
  auto b = agent("bob");
  auto c = active_chat(a.id);
  send(c.id, "one", "u1");
  send(c.id, "two", "u2");
  send(c.id, "reply", "u3", SenderKind::agent, a.id);
  auto third = send(c.id, "three", "u4");

  auto unread_for = [&](const core::Agent& viewer) -> std::int64_t {
    auto rows = store().list_conversations({core::viewer_of(viewer), StatusFilter::all});
    for (const auto& r : rows) {
      if (r.conversation.id == c.id) return r.unread;
    }
    return -1;
  };
  EXPECT_EQ(unread_for(a), 3);  // the agent's own reply and chat events do not count

  auto read = store().mark_read(c.id, Reader::agent, third.seq - 1);
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->advanced);
  EXPECT_EQ(read->conversation.agent_read_seq, third.seq - 1);
  EXPECT_EQ(unread_for(a), 1);
  ASSERT_TRUE(store().mark_read(c.id, Reader::agent, third.seq));
  EXPECT_EQ(unread_for(a), 0);

  ASSERT_TRUE(store().end_conversation(c.id, "agent", tick()));
  EXPECT_EQ(unread_for(b), 0);  // not Bob's chat: nothing is unread for him
}

TEST_P(StoreContract, ReadMarksOnlyGrowAndStopAtTheNewestEvent) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  auto m = send(c.id, "hi", "r1");

  auto beyond = store().mark_read(c.id, Reader::visitor, m.seq + 50);
  ASSERT_TRUE(beyond);
  EXPECT_TRUE(beyond->advanced);
  EXPECT_EQ(beyond->conversation.visitor_read_seq, m.seq);  // capped at last_seq
  EXPECT_EQ(beyond->conversation.agent_read_seq, 0);        // the other mark is untouched

  auto back = store().mark_read(c.id, Reader::visitor, 1);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->advanced);
  EXPECT_EQ(back->conversation.visitor_read_seq, m.seq);

  auto again = store().mark_read(c.id, Reader::visitor, m.seq);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->advanced);

  auto missing = store().mark_read(c.id + 1000, Reader::agent, 1);
  ASSERT_FALSE(missing);
  EXPECT_EQ(error_code(missing.error()), "not_found");
  EXPECT_EQ(store().find_conversation(c.id)->visitor_read_seq, m.seq);
}

TEST_P(StoreContract, PageVisitIsAnActivityAndTheVisitorsCurrentPage) {
  auto v = visitor();
  auto first = store().record_page_visit(v.id, "https://shop.example/", "Home", tick());
  auto second = store().record_page_visit(v.id, "https://shop.example/pricing", "Pricing", tick());
  EXPECT_GT(second.id, first.id);
  EXPECT_EQ(second.type, "page_visit");

  auto profile = store().visitor_profile(v.id);
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->visitor.page_url, "https://shop.example/pricing");
  EXPECT_EQ(profile->visitor.page_title, "Pricing");

  auto history = store().activities(v.id, 0, 10);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].detail, "Pricing");
  EXPECT_EQ(history[0].url, "https://shop.example/pricing");
  EXPECT_EQ(history[1].url, "https://shop.example/");
}

TEST_P(StoreContract, TwoVisitorsWithOneEmailAreOnePersonWithOneHistory) {
  auto a = agent("ann");
  auto v1 = visitor();
  auto v2 = visitor();
  auto stranger = visitor();
  store().record_page_visit(v1.id, "https://x.example/1", "First visit", tick());
  ChatRequest r1{v1.id, form("Mia", "Mia@Example.com"), "sorry"};
  ASSERT_TRUE(store().request_chat(r1, route_to(a.id), tick()));
  store().record_page_visit(v2.id, "https://x.example/2", "Second device", tick());
  ChatRequest r2{v2.id, form("Mia Wong", "mia@example.COM"), "sorry"};
  ASSERT_TRUE(store().request_chat(r2, route_to(std::nullopt), tick()));
  store().record_page_visit(stranger.id, "https://x.example/3", "Someone else", tick());

  auto p1 = store().visitor_profile(v1.id);
  auto p2 = store().visitor_profile(v2.id);
  ASSERT_TRUE(p1 && p2 && p1->person && p2->person);
  EXPECT_EQ(p1->person->id, p2->person->id);
  EXPECT_EQ(p2->person->name, "Mia Wong");  // the newest form wins

  // Either visitor's history is the person's: both visits and both forms, newest first,
  // and nothing of the stranger's.
  for (Id vid : {v1.id, v2.id}) {
    auto history = store().activities(vid, 0, 20);
    std::vector<std::string> details;
    for (const auto& act : history) {
      if (act.type == "page_visit") details.push_back(act.detail);
    }
    EXPECT_EQ(details, (std::vector<std::string>{"Second device", "First visit"}));
    int forms = 0;
    for (const auto& act : history) forms += act.type == "form_filled";
    EXPECT_EQ(forms, 2);
  }
  EXPECT_EQ(store().newest_visitor_of_person(p1->person->id), v2.id);
  EXPECT_EQ(store().activities(stranger.id, 0, 20).size(), 1u);
}

TEST_P(StoreContract, PeopleAreUpsertedByEmailKeepingWhatIsNotGiven) {
  core::PersonInput first{"lee@example.com", "Lee", "CTO", std::nullopt, "Acme", "Lead"};
  auto p = store().upsert_person(first, tick());
  EXPECT_GT(p.id, 0);
  EXPECT_EQ(p.crm_status, "Lead");

  core::PersonInput update{"lee@example.com", std::nullopt, std::nullopt,
                           "+1 555",          std::nullopt, "Customer"};
  auto q = store().upsert_person(update, tick());
  EXPECT_EQ(q.id, p.id);
  EXPECT_EQ(q.name, "Lee");
  EXPECT_EQ(q.job_title, "CTO");
  EXPECT_EQ(q.phone, "+1 555");
  EXPECT_EQ(q.crm_status, "Customer");

  auto found = store().find_person_by_email("LEE@example.com");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, p.id);
  EXPECT_FALSE(store().find_person_by_email("nobody@example.com"));
  EXPECT_FALSE(store().newest_visitor_of_person(p.id));
}

TEST_P(StoreContract, ImportWritesEveryPersonAndTheyAreSearchable) {
  auto a = agent("ann");
  std::vector<core::PersonInput> rows{
      {"kim@example.com", "Kim Park", std::nullopt, std::nullopt, "Initech", "Customer"},
      {"raj@example.com", "Raj Iyer", "Buyer", std::nullopt, std::nullopt, "Lead"}};
  EXPECT_EQ(store().import_people(rows, tick()), 2);
  EXPECT_EQ(store().find_person_by_email("raj@example.com")->job_title, "Buyer");

  // A visitor who then gives that email is that person, name and CRM status included,
  // and a renamed person is found by the new name only.
  auto v = visitor();
  ChatRequest r{v.id, form("Kim", "kim@example.com"), "sorry"};
  auto c = store().request_chat(r, route_to(a.id), tick());
  ASSERT_TRUE(c);
  ASSERT_TRUE(store().accept_chat(c->conversation.id, a.id, tick()));
  EXPECT_EQ(store().visitor_profile(v.id)->person->crm_status, "Customer");
  EXPECT_EQ(search_ids(store(), a, "kim"), (std::vector<Id>{c->conversation.id}));
  EXPECT_TRUE(search_ids(store(), a, "park").empty());  // the form's "Kim" replaced "Kim Park"
}

TEST_P(StoreContract, SummaryCarriesTheVisitorsEmail) {
  auto a = agent("ann");
  auto c = active_chat(a.id);
  auto s = store().find_summary(c.id);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->visitor_email, "vera" + std::to_string(c.visitor_id) + "@example.com");
  EXPECT_EQ(s->unread, 0);
}

}  // namespace
}  // namespace parley::store::testing
