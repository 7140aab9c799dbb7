// The activity history window (SPEC §2: "only the last 90 days", computed on the server):
// the boundary pinned with a moving clock, and the setting that moves it.
#include "app/inbox_queries.hpp"
#include "app_fixture.hpp"

namespace parley::app::testing {
namespace {

constexpr core::Millis kMinute = 60'000;
constexpr core::Millis kHour = 60 * kMinute;
constexpr core::Millis kDay = 24 * kHour;

class HistoryWindowTest : public AppTest {
 protected:
  // An accepted chat for `ann` and two page visits written `ages` before "now".
  core::Id chat_with_old_visits(const core::Agent& ann, std::initializer_list<core::Millis> ages) {
    auto c = request();
    EXPECT_TRUE(node().chats.accept(ann, c.id));
    for (auto age : ages) {
      node().store->record_activity({0, c.visitor_id, "page_visit", "aged " + std::to_string(age),
                                     std::nullopt, std::nullopt, now_.load() - age});
    }
    return c.id;
  }
  std::vector<std::string> visits_seen(const core::Agent& ann, core::Id id) {
    InboxQueries inbox(*node().store, node().chats, node().clock);
    auto d = inbox.open(ann, id);
    EXPECT_TRUE(d);
    std::vector<std::string> out;
    for (const auto& a : d->activities) {
      if (a.type == "page_visit") out.push_back(a.detail);
    }
    return out;
  }
};

TEST_F(HistoryWindowTest, NinetyDaysAreShownToTheMinute) {
  auto ann = agent("ann");
  auto shown = 89 * kDay + 23 * kHour;
  auto hidden = 90 * kDay + kMinute;
  auto id = chat_with_old_visits(ann, {shown, hidden});
  EXPECT_EQ(visits_seen(ann, id), (std::vector<std::string>{"aged " + std::to_string(shown)}));

  // The window moves with the clock: two hours later the 89 d 23 h visit is gone too.
  advance(2 * kHour);
  EXPECT_TRUE(visits_seen(ann, id).empty());
}

TEST_F(HistoryWindowTest, TheWindowIsAnAdminSetting) {
  auto ann = agent("ann");
  auto id = chat_with_old_visits(ann, {10 * kDay, 100 * kDay});
  EXPECT_EQ(visits_seen(ann, id).size(), 1u);

  core::ChatPolicy policy = node().chats.policy();
  policy.history_days = 120;
  node().store->save_chat_policy(policy);
  EXPECT_EQ(visits_seen(ann, id).size(), 2u);

  policy.history_days = 0;
  EXPECT_FALSE(core::validate_chat_policy(policy));
}

}  // namespace
}  // namespace parley::app::testing
