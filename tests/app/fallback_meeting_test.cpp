// The "book a meeting instead" offer of a missed request (SPEC §3.4) on both paths to the
// fallback: nobody eligible at once, and an offer that lapsed with nobody left. The process
// wires ChatService::on_missed to MeetingService::offer_fallback_card (cli/main.cpp); the
// test wires it the same way.
#include "app/meeting_service.hpp"
#include "app_fixture.hpp"

namespace parley::app::testing {
namespace {

constexpr core::Millis kSecond = 1000;

class FallbackMeetingTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    meetings = std::make_unique<MeetingService>(*node().store, node().bus, node().clock,
                                                UrlFetcher{});
    node().chats.on_missed(
        [this](const core::Conversation& c) { meetings->offer_fallback_card(c); });
  }
  void bookable(const core::Agent& a) {
    core::MeetingCalendar cal;
    cal.blocks.blocks.push_back({1, 9 * 60, 17 * 60});
    ASSERT_TRUE(node().store->save_calendar(a.id, cal, std::nullopt));
  }
  std::vector<core::Message> events_of(core::Id id) {
    return node().store->events_after(id, 0, 100);
  }

  std::unique_ptr<MeetingService> meetings;
};

TEST_F(FallbackMeetingTest, ALapsedOfferWithNobodyLeftOffersTheNextBookableCalendar) {
  set_policy(100 * kSecond, 600 * kSecond, 1);
  auto ann = agent("ann");
  auto cal = agent("cal", false);  // not available: only bookable
  bookable(cal);
  auto c = request();
  ASSERT_EQ(ann.id, c.agent_id);
  EXPECT_EQ("chat.requested", events_of(c.id).back().kind);  // no card while it waits

  advance(100 * kSecond);
  node().sweeper.tick();
  auto events = events_of(c.id);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ("chat.missed", events[events.size() - 2].kind);
  EXPECT_EQ("calendar.card", events.back().kind);
  EXPECT_NE(std::string::npos, events.back().body.find("\"agent_id\":" + std::to_string(cal.id)));
}

TEST_F(FallbackMeetingTest, CardsGoRoundRobinAndNoCalendarMeansNoCard) {
  auto first = request();  // nobody available, nobody bookable
  EXPECT_EQ("chat.missed", events_of(first.id).back().kind);

  auto a = agent("a", false), b = agent("b", false);
  bookable(a);
  bookable(b);
  std::vector<std::string> picked;
  for (int i = 0; i < 3; ++i) {
    auto c = request();
    auto card = events_of(c.id).back();
    ASSERT_EQ("calendar.card", card.kind);
    picked.push_back(card.body.substr(0, card.body.find(',')));
  }
  auto id_of = [](const core::Agent& x) { return "{\"agent_id\":" + std::to_string(x.id); };
  EXPECT_EQ(picked, (std::vector<std::string>{id_of(a), id_of(b), id_of(a)}));
}

TEST_F(FallbackMeetingTest, TheCardIsTheCalendarOfTheAgentTheRulesPickAndNeverOneWithout) {
  auto admin = agent("root", false);  // no calendar of their own: never offered
  auto ann = agent("ann", false), bob = agent("bob", false);
  bookable(ann);
  bookable(bob);
  core::RoutingRules rules;
  rules.accounts = {{0, core::AccountRule::Kind::domain, "globex.com", bob.id},
                    {0, core::AccountRule::Kind::domain, "initech.com", admin.id}};
  ASSERT_TRUE(node().store->save_routing_rules(rules).ok());
  auto ask = [&](const std::string& email) {
    auto v = node().auth.new_visitor();
    core::PreChatForm f{"Vera", email, {}, {}, {}, ""};
    auto c = node().chats.request_chat(v.visitor.id, f);
    EXPECT_TRUE(c.ok());
    auto events = events_of(c->conversation.id);
    EXPECT_EQ("calendar.card", events.back().kind);
    return events.back().body;
  };
  auto id_in = [](core::Id id) { return "\"agent_id\":" + std::to_string(id); };
  // Globex's account rule names Bob: his calendar, every time (not the round robin).
  for (int i = 0; i < 3; ++i) {
    EXPECT_NE(std::string::npos, ask("v" + std::to_string(i) + "@globex.com").find(id_in(bob.id)));
  }
  // Initech's names the admin, who has no calendar: the round robin of those who do.
  auto other = ask("v@initech.com");
  EXPECT_EQ(std::string::npos, other.find(id_in(admin.id)));
  EXPECT_TRUE(other.find(id_in(ann.id)) != std::string::npos || other.find(id_in(bob.id)) != std::string::npos);
}

}  // namespace
}  // namespace parley::app::testing
