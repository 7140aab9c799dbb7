// Contract: webhook endpoints, and the outbox the database writes in the transaction of each
// change (a rolled-back change leaves no event), fanned out to the active endpoints that asked
// for the event; deliveries are claimed by one node at a time and kept in order per
// conversation per endpoint.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

constexpr Millis kHour = 3'600'000;
constexpr Millis kLease = 30'000;

core::WebhookEndpoint hook(std::vector<std::string> events, bool active = true) {
  core::WebhookEndpoint e;
  e.url = "https://crm.example.com/hook";
  e.events = std::move(events);
  e.secret = "whsec_test";
  e.active = active;
  e.created_at = 1'700'000'000'000;
  return e;
}

std::vector<std::string> types(const std::vector<core::WebhookDelivery>& deliveries) {
  std::vector<std::string> out;
  for (auto it = deliveries.rbegin(); it != deliveries.rend(); ++it) out.push_back(it->event);
  return out;  // oldest first
}

core::MeetingCalendar every_day() {
  core::MeetingCalendar c;
  c.time_zone = "UTC";
  for (int d = 1; d <= 7; ++d) c.blocks.blocks.push_back({d, 0, 24 * 60});
  c.duration_minutes = 60;
  return c;
}

WebhookAttemptResult delivered(const ClaimedDelivery& c, const std::string& by, Millis at) {
  WebhookAttemptResult r;
  r.delivery_id = c.delivery_id;
  r.claimed_by = by;
  r.attempt = {c.attempt, at, 200, "", "ok"};
  r.status = core::DeliveryStatus::delivered;
  r.next_attempt_at = at;
  return r;
}

TEST_P(StoreContract, WebhookEndpointsRoundTrip) {
  auto created = store().create_webhook(hook({"chat.ended", "message.created"}));
  EXPECT_GT(created.id, 0);
  auto found = store().find_webhook(created.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->events, (std::vector<std::string>{"chat.ended", "message.created"}));
  EXPECT_EQ(found->secret, "whsec_test");
  EXPECT_TRUE(found->active);
  auto changed = *found;
  changed.url = "https://other.example.com/";
  changed.events = {"chat.started"};
  changed.active = false;
  auto updated = store().update_webhook(changed);
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->url, "https://other.example.com/");
  EXPECT_FALSE(updated->active);
  EXPECT_EQ(updated->secret, "whsec_test");  // only set_webhook_secret changes it
  EXPECT_TRUE(store().set_webhook_secret(created.id, "whsec_new"));
  EXPECT_EQ(store().find_webhook(created.id)->secret, "whsec_new");
  changed.id = created.id + 100;
  EXPECT_FALSE(store().update_webhook(changed));
  EXPECT_EQ(store().list_webhooks().size(), 1u);
  EXPECT_TRUE(store().delete_webhook(created.id));
  EXPECT_FALSE(store().delete_webhook(created.id));
  EXPECT_TRUE(store().list_webhooks().empty());
}

TEST_P(StoreContract, EventsFanOutOnlyToActiveEndpointsThatAskedForThem) {
  auto requests = store().create_webhook(hook({"chat.requested", "chat.started", "chat.ended"}));
  auto messages = store().create_webhook(hook({"message.created"}));
  auto off = store().create_webhook(hook({"chat.requested", "message.created"}, false));
  auto a = agent("ann");
  auto c = pending_chat(a.id);
  ASSERT_TRUE(store().accept_chat(c.id, a.id, tick()));
  send(c.id, "hello", "m1");
  send(c.id, "again", "m2");
  ASSERT_TRUE(store().end_conversation(c.id, "agent", tick()));
  EXPECT_EQ(types(store().webhook_deliveries(requests.id, 10)),
            (std::vector<std::string>{"chat.requested", "chat.started", "chat.ended"}));
  EXPECT_EQ(types(store().webhook_deliveries(messages.id, 10)),
            (std::vector<std::string>{"message.created", "message.created"}));
  EXPECT_TRUE(store().webhook_deliveries(off.id, 10).empty());
  auto d = store().webhook_deliveries(requests.id, 10);
  EXPECT_EQ(d.front().conversation_id, c.id);
  EXPECT_EQ(d.front().status, core::DeliveryStatus::pending);
  EXPECT_EQ(d.front().attempts, 0);
  // The same event has one id for every endpoint (receivers de-duplicate by it).
  auto first_message = store().webhook_deliveries(messages.id, 10).back();
  EXPECT_NE(first_message.outbox_id, d.back().outbox_id);
  EXPECT_EQ(store().count_pending_webhook_deliveries(), 5);
}

TEST_P(StoreContract, AMissedChatAndPeopleChangesAreEvents) {
  auto w = store().create_webhook(hook({"chat.missed", "person.updated"}));
  pending_chat(std::nullopt);  // nobody eligible: missed at once (its form upserts a person)
  core::PersonInput p{"lena@example.com", "Lena", {}, {}, {}, {}};
  store().upsert_person(p, tick());
  store().upsert_person(p, tick());  // nothing changed: no event
  p.company = "Globex";
  store().upsert_person(p, tick());
  auto got = types(store().webhook_deliveries(w.id, 10));
  EXPECT_EQ(std::count(got.begin(), got.end(), "chat.missed"), 1);
  EXPECT_EQ(std::count(got.begin(), got.end(), "person.updated"), 3);  // the form's + 2 of Lena's
}

TEST_P(StoreContract, AChangeRolledBackLeavesNoWebhookEvent) {
  auto w = store().create_webhook(hook({"meeting.booked", "meeting.cancelled", "meeting.rescheduled"}));
  auto a = agent("ann");
  ASSERT_TRUE(store().save_calendar(a.id, every_day(), std::nullopt));
  Millis start = now() + 48 * kHour;
  auto slot = [&start](const CalendarState&) { return std::optional<core::TimeRange>({start, start + kHour}); };
  // The booking's transaction fails after the meeting row (and so its trigger) was written.
  auto failing = [](const core::Meeting&) -> MeetingWords { throw std::runtime_error("boom"); };
  EXPECT_ANY_THROW((void)store().book_meeting({a.id, std::nullopt, std::nullopt, "x@example.com", "t0"},
                                              slot, failing, tick()));
  EXPECT_TRUE(store().list_meetings(a.id, 10).empty());
  EXPECT_TRUE(store().webhook_deliveries(w.id, 10).empty());
  EXPECT_EQ(store().count_pending_webhook_deliveries(), 0);

  auto words = [](const core::Meeting&) { return MeetingWords{"booked", "detail"}; };
  auto booked = store().book_meeting({a.id, std::nullopt, std::nullopt, "x@example.com", "t1"},
                                     slot, words, tick());
  ASSERT_TRUE(booked);
  start += 2 * kHour;
  ASSERT_TRUE(store().reschedule_meeting(booked->meeting.id, slot, words, tick()));
  ASSERT_TRUE(store().cancel_meeting(booked->meeting.id, words, tick()));
  EXPECT_EQ(types(store().webhook_deliveries(w.id, 10)),
            (std::vector<std::string>{"meeting.booked", "meeting.rescheduled", "meeting.cancelled"}));
}

TEST_P(StoreContract, OfTwoClaimersOfADeliveryOneGetsIt) {
  store().create_webhook(hook({"chat.requested"}));
  for (int i = 0; i < 20; ++i) pending_chat(std::nullopt);
  std::atomic<int> claimed{0};
  std::vector<std::thread> nodes;
  std::mutex mutex;
  std::set<Id> seen;
  bool twice = false;
  for (int n = 0; n < 4; ++n) {
    nodes.emplace_back([&, n] {
      for (;;) {
        auto got = store().claim_webhook_deliveries("node-" + std::to_string(n), now(), kLease, 3);
        if (got.empty()) break;
        std::lock_guard lock(mutex);
        for (const auto& c : got) twice |= !seen.insert(c.delivery_id).second;
        claimed += static_cast<int>(got.size());
      }
    });
  }
  for (auto& t : nodes) t.join();
  EXPECT_EQ(claimed.load(), 20);
  EXPECT_FALSE(twice);
  // All leased: nothing more until the leases run out; then another node may send them.
  EXPECT_TRUE(store().claim_webhook_deliveries("node-9", now(), kLease, 50).empty());
  auto again = store().claim_webhook_deliveries("node-9", now() + kLease, kLease, 50);
  ASSERT_EQ(again.size(), 20u);
  // The node that lost its lease cannot finish the delivery; the new holder can.
  EXPECT_FALSE(store().finish_webhook_attempt(delivered(again[0], "node-0", now())));
  EXPECT_FALSE(store().finish_webhook_attempt(delivered(again[0], "node-1", now())));
  EXPECT_TRUE(store().finish_webhook_attempt(delivered(again[0], "node-9", now())));
  EXPECT_FALSE(store().finish_webhook_attempt(delivered(again[0], "node-9", now())));  // released
  EXPECT_EQ(store().count_pending_webhook_deliveries(), 19);
}

TEST_P(StoreContract, DeliveriesOfAConversationGoOutInOrderPerEndpoint) {
  auto w = store().create_webhook(hook({"chat.requested", "message.created"}));
  auto a = agent("ann");
  auto c1 = active_chat(a.id);  // chat.accepted (seq 2) is not asked for
  send(c1.id, "one", "m1");
  send(c1.id, "two", "m2");
  auto c2 = pending_chat(a.id);
  Millis t = tick();
  auto first = store().claim_webhook_deliveries("n", t, kLease, 10);
  ASSERT_EQ(first.size(), 2u);  // the first event of each conversation; the messages wait
  EXPECT_EQ(first[0].event.type, "chat.requested");
  EXPECT_EQ(first[0].event.conversation_id, c1.id);
  EXPECT_EQ(first[0].attempt, 1);
  EXPECT_EQ(first[1].event.conversation_id, c2.id);
  EXPECT_EQ(first[1].endpoint.id, w.id);
  EXPECT_EQ(first[1].endpoint.secret, "whsec_test");
  // c1's request fails and waits for its retry: c1's messages still wait behind it.
  WebhookAttemptResult retry = delivered(first[0], "n", t);
  retry.attempt = {1, t, 500, "answered 500", "oops"};
  retry.status = core::DeliveryStatus::pending;
  retry.next_attempt_at = t + 10'000;
  ASSERT_TRUE(store().finish_webhook_attempt(retry));
  EXPECT_TRUE(store().claim_webhook_deliveries("n", t + 1, kLease, 10).empty());
  auto second = store().claim_webhook_deliveries("n", t + 10'000, kLease, 10);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].delivery_id, first[0].delivery_id);
  EXPECT_EQ(second[0].attempt, 2);
  ASSERT_TRUE(store().finish_webhook_attempt(delivered(second[0], "n", t + 10'000)));
  auto third = store().claim_webhook_deliveries("n", t + 10'000, kLease, 10);
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].event.type, "message.created");
  EXPECT_EQ(third[0].event.seq.value_or(0), 3);  // "one"
  // A failed-for-good delivery no longer holds the next one back.
  WebhookAttemptResult gave_up = delivered(third[0], "n", t + 10'000);
  gave_up.attempt = {1, t + 10'000, std::nullopt, "timed out", ""};
  gave_up.status = core::DeliveryStatus::failed;
  ASSERT_TRUE(store().finish_webhook_attempt(gave_up));
  auto fourth = store().claim_webhook_deliveries("n", t + 10'000, kLease, 10);
  ASSERT_EQ(fourth.size(), 1u);
  EXPECT_EQ(fourth[0].event.seq.value_or(0), 4);  // "two"
  // The log: attempts newest first, with status, error and snippet.
  auto log = store().webhook_deliveries(w.id, 10);
  auto request_delivery = std::find_if(log.begin(), log.end(), [&](const core::WebhookDelivery& d) {
    return d.id == first[0].delivery_id;
  });
  ASSERT_NE(request_delivery, log.end());
  EXPECT_EQ(request_delivery->status, core::DeliveryStatus::delivered);
  EXPECT_EQ(request_delivery->attempts, 2);
  ASSERT_EQ(request_delivery->log.size(), 2u);
  EXPECT_EQ(request_delivery->log[0].attempt, 2);
  EXPECT_EQ(request_delivery->log[1].http_status, 500);
  EXPECT_EQ(request_delivery->log[1].snippet, "oops");
  // Redeliver puts a finished delivery back in line, due now.
  EXPECT_TRUE(store().redeliver_webhook(w.id, first[0].delivery_id, t + 20'000));
  EXPECT_FALSE(store().redeliver_webhook(w.id + 1, first[0].delivery_id, t + 20'000));
}

}  // namespace
}  // namespace parley::store::testing
