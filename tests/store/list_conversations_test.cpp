// Contract: the inbox list — membership exactly as core::listed_in_inbox, the Active/All filter,
// newest-activity-first order, keyset paging, and the summary fields.
#include <map>
#include <set>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

using core::ConversationStatus;

std::vector<Id> ids_of(const std::vector<ConversationSummary>& rows) {
  std::vector<Id> out;
  for (const auto& r : rows) out.push_back(r.conversation.id);
  return out;
}

std::vector<ConversationSummary> list(Store& s, core::Viewer viewer,
                                      StatusFilter filter = StatusFilter::all, int limit = 1000) {
  ConversationQuery q;
  q.viewer = viewer;
  q.filter = filter;
  q.limit = limit;
  return s.list_conversations(q);
}


TEST_P(StoreContract, AgentListsOwnActiveAndEveryEndedOrMissedChatButNoPendingOrOtherLiveChat) {
  auto a = agent("ann"), b = agent("bob");
  auto a_pending = pending_chat(a.id), a_active = active_chat(a.id), a_ended = ended_chat(a.id);
  auto b_pending = pending_chat(b.id), b_active = active_chat(b.id), b_ended = ended_chat(b.id);
  auto missed = pending_chat(std::nullopt);

  auto seen = ids_of(list(store(), {a.id, false}));
  std::set<Id> got(seen.begin(), seen.end());
  EXPECT_EQ(got, (std::set<Id>{a_active.id, a_ended.id, b_ended.id, missed.id}));
  EXPECT_EQ(seen.size(), got.size());
  (void)a_pending, (void)b_pending, (void)b_active;
}

TEST_P(StoreContract, ViewAllListsEveryConversationButPendingRequests) {
  auto a = agent("ann"), b = agent("bob");
  auto admin = agent("root", false, 10, core::Role::admin);
  pending_chat(a.id);
  std::set<Id> all{active_chat(b.id).id, ended_chat(a.id).id, pending_chat(std::nullopt).id};
  auto seen = ids_of(list(store(), core::viewer_of(admin)));
  EXPECT_EQ(std::set<Id>(seen.begin(), seen.end()), all);
}

TEST_P(StoreContract, ListMatchesListedInInboxForEveryViewerStatusAndFilter) {
  auto a = agent("ann"), b = agent("bob"), idle = agent("ida");
  auto admin = agent("root", false, 10, core::Role::admin);
  std::vector<Id> created;
  for (Id who : {a.id, b.id}) {
    created.push_back(pending_chat(who).id);
    created.push_back(active_chat(who).id);
    created.push_back(ended_chat(who).id);
    auto gone = pending_chat(who);  // offered, then withdrawn: missed with an agent set
    ASSERT_TRUE(store().end_conversation(gone.id, "inactivity", tick()).ok());
    created.push_back(gone.id);
  }
  created.push_back(pending_chat(std::nullopt).id);  // missed with nobody

  std::vector<core::Viewer> viewers{
      {a.id, false}, {b.id, false}, {idle.id, false}, core::viewer_of(admin), {a.id, true}};
  for (const auto& viewer : viewers) {
    for (auto filter : {StatusFilter::all, StatusFilter::active, StatusFilter::missed}) {
      SCOPED_TRACE("viewer " + std::to_string(viewer.agent_id) +
                   (viewer.view_all ? " view_all" : "") + " filter " +
                   std::to_string(static_cast<int>(filter)));
      auto rows = list(store(), viewer, filter);
      std::set<Id> returned;
      for (const auto& r : rows) {
        EXPECT_TRUE(core::can_view(viewer, r.conversation)) << r.conversation.id;
        returned.insert(r.conversation.id);
      }
      std::set<Id> expected;
      for (Id id : created) {
        auto c = store().find_conversation(id).value();
        if (core::listed_in_inbox(viewer, c.status, c.agent_id, filter)) {
          expected.insert(id);
        }
      }
      EXPECT_EQ(returned, expected);
      EXPECT_EQ(rows.size(), returned.size());
    }
  }
}

TEST_P(StoreContract, ActiveFilterShowsOnlyLiveChats) {
  auto a = agent("ann");
  auto p = pending_chat(a.id), act = active_chat(a.id);
  ended_chat(a.id);
  auto seen = ids_of(list(store(), {a.id, false}, StatusFilter::active));
  EXPECT_EQ(std::set<Id>(seen.begin(), seen.end()), (std::set<Id>{act.id}));
  (void)p;
}

TEST_P(StoreContract, ListIsNewestActivityFirst) {
  auto a = agent("ann");
  auto c1 = active_chat(a.id), c2 = active_chat(a.id), c3 = active_chat(a.id);
  EXPECT_EQ(ids_of(list(store(), {a.id, false})), (std::vector<Id>{c3.id, c2.id, c1.id}));
  send(c1.id, "bump", "c-1");
  EXPECT_EQ(ids_of(list(store(), {a.id, false})), (std::vector<Id>{c1.id, c3.id, c2.id}));
}

TEST_P(StoreContract, KeysetPagingVisitsEveryRowOnceInOrderEvenWithEqualTimes) {
  auto a = agent("ann");
  std::vector<core::Conversation> active;
  for (int i = 0; i < 12; ++i) active.push_back(active_chat(a.id));
  // Half of them end at one instant: many rows share last_activity_at, so the id breaks ties.
  Millis same = tick();
  for (int i = 0; i < 12; i += 2)
    ASSERT_TRUE(store().end_conversation(active[i].id, "agent", same).ok());
  tick();

  core::Viewer viewer{a.id, false};
  auto everything = list(store(), viewer);
  ASSERT_EQ(everything.size(), 12u);

  std::vector<Id> paged;
  ConversationQuery q;
  q.viewer = viewer;
  q.limit = 5;
  for (int page = 0; page < 10; ++page) {
    auto rows = store().list_conversations(q);
    for (const auto& r : rows) paged.push_back(r.conversation.id);
    if (rows.size() < 5u) break;
    q.before_activity = rows.back().conversation.last_activity_at;
    q.before_id = rows.back().conversation.id;
  }
  EXPECT_EQ(paged, ids_of(everything));
  for (std::size_t i = 1; i < everything.size(); ++i) {
    const auto& prev = everything[i - 1].conversation;
    const auto& cur = everything[i].conversation;
    EXPECT_TRUE(prev.last_activity_at > cur.last_activity_at ||
                (prev.last_activity_at == cur.last_activity_at && prev.id > cur.id));
  }
}

TEST_P(StoreContract, ListLimitCapsThePage) {
  auto a = agent("ann");
  for (int i = 0; i < 4; ++i) active_chat(a.id);
  EXPECT_EQ(list(store(), {a.id, false}, StatusFilter::all, 3).size(), 3u);
}

TEST_P(StoreContract, UnknownConversationHasNoSummary) {
  EXPECT_FALSE(store().find_summary(424242).has_value());
}

TEST_P(StoreContract, SummaryCarriesVisitorNameAgentNameAndLastText) {
  auto a = agent("Ann");
  auto v = visitor();
  ChatRequest r{v.id, form("Vera Stone", "vera@example.com"), "fallback"};
  auto c = store().request_chat(r, route_to(a.id), tick())->conversation;
  ASSERT_TRUE(store().accept_chat(c.id, a.id, tick()).ok());

  auto row = list(store(), {a.id, false}).at(0);
  EXPECT_EQ(row.conversation.id, c.id);
  EXPECT_EQ(row.visitor_name, "Vera Stone");
  EXPECT_EQ(row.agent_name, "Ann");
  EXPECT_FALSE(row.last_text);  // only life-cycle events so far

  send(c.id, "first", "c-1");
  send(c.id, "newest", "c-2", core::SenderKind::agent, a.id);
  ASSERT_TRUE(store().end_conversation(c.id, "agent", tick()).ok());
  row = list(store(), {a.id, false}).at(0);
  EXPECT_EQ(row.last_text, "newest");  // the chat.ended event is not text
  EXPECT_EQ(row.conversation.status, ConversationStatus::ended);
}

TEST_P(StoreContract, SummaryOfANamelessVisitorSaysVisitorNumber) {
  auto a = agent("ann");
  auto v = visitor();
  ChatRequest r{v.id, form("", "anon@example.com"), "fallback"};
  auto c = store().request_chat(r, route_to(a.id), tick())->conversation;
  auto row = store().find_summary(c.id).value();
  EXPECT_EQ(row.conversation.id, c.id);
  EXPECT_EQ(row.visitor_name, "Visitor #" + std::to_string(v.id));
  ASSERT_TRUE(store().accept_chat(c.id, a.id, tick()).ok());
  EXPECT_EQ(list(store(), {a.id, false}).at(0).visitor_name, "Visitor #" + std::to_string(v.id));

  auto admin = agent("root", false, 10, core::Role::admin);
  auto missed = pending_chat(std::nullopt);
  for (const auto& s : list(store(), core::viewer_of(admin))) {
    if (s.conversation.id == missed.id) {
      EXPECT_FALSE(s.agent_name);
    }
  }
}

}  // namespace
}  // namespace parley::store::testing

namespace parley::store::testing {
namespace {

TEST_P(StoreContract, PendingOffersAreTheAgentsUnacceptedRequestsOldestFirst) {
  auto a = agent("ann"), b = agent("bob");
  auto first = pending_chat(a.id), second = pending_chat(a.id);
  pending_chat(b.id);
  auto accepted = pending_chat(a.id);
  ASSERT_TRUE(store().accept_chat(accepted.id, a.id, tick()).ok());
  std::vector<Id> ids;
  for (const auto& s : store().pending_offers(a.id)) ids.push_back(s.conversation.id);
  EXPECT_EQ(ids, (std::vector<Id>{first.id, second.id}));
}

}  // namespace
}  // namespace parley::store::testing
