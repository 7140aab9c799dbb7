// core/webhook: the events an endpoint may ask for, URLs, the retry schedule and the
// delivery log's snippet.
#include "core/webhook.hpp"

#include <gtest/gtest.h>

namespace parley::core {
namespace {

TEST(WebhookEvents, KnownEventsOnceEachInTheirOrder) {
  auto ok = parse_webhook_events({"chat.ended", "message.created"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, (std::vector<std::string>{"chat.ended", "message.created"}));
  EXPECT_FALSE(parse_webhook_events({}).ok());
  EXPECT_FALSE(parse_webhook_events({"chat.exploded"}).ok());
  EXPECT_FALSE(parse_webhook_events({"chat.ended", "chat.ended"}).ok());
  EXPECT_EQ(webhook_event_names().size(), 9u);
}

TEST(WebhookEvents, StoredFormRoundTripsWithSpacesAroundEachName) {
  std::vector<std::string> events{"chat.started", "person.updated"};
  auto stored = encode_webhook_events(events);
  EXPECT_EQ(stored, " chat.started person.updated ");
  EXPECT_NE(stored.find(" person.updated "), std::string::npos);
  EXPECT_EQ(stored.find(" chat.start "), std::string::npos);  // no prefix match
  EXPECT_EQ(decode_webhook_events(stored), events);
}

TEST(WebhookUrl, HttpOrHttpsWithAHost) {
  EXPECT_TRUE(validate_webhook_url("https://crm.example.com/hooks/parley").ok());
  EXPECT_TRUE(validate_webhook_url("http://127.0.0.1:9000/").ok());
  EXPECT_FALSE(validate_webhook_url("ftp://example.com/").ok());
  EXPECT_FALSE(validate_webhook_url("https:///path").ok());
  EXPECT_FALSE(validate_webhook_url("https://exa mple.com/").ok());
  EXPECT_FALSE(validate_webhook_url("https://example.com/" + std::string(2000, 'a')).ok());
}

TEST(WebhookRetries, BackOffGrowsThenStaysAtTheCap) {
  constexpr Millis base = 10'000;
  EXPECT_EQ(webhook_retry_delay(1, base), 10'000);
  EXPECT_EQ(webhook_retry_delay(2, base), 30'000);
  EXPECT_EQ(webhook_retry_delay(3, base), 60'000);
  EXPECT_EQ(webhook_retry_delay(4, base), 300'000);
  EXPECT_EQ(webhook_retry_delay(5, base), 600'000);
  EXPECT_EQ(webhook_retry_delay(6, base), 1'800'000);
  EXPECT_EQ(webhook_retry_delay(7, base), 3'600'000);
  EXPECT_EQ(webhook_retry_delay(50, base), 3'600'000);
  EXPECT_EQ(webhook_retry_delay(1, 100), 100);  // a test's base scales everything
}

TEST(WebhookRetries, GivesUpOnceTheNextTryWouldBeAfter24Hours) {
  constexpr Millis base = 10'000, day = 24LL * 3600 * 1000, start = 1'000'000;
  EXPECT_EQ(webhook_next_attempt(start, start, 1, base), start + 10'000);
  EXPECT_EQ(webhook_next_attempt(start, start + day - 3'600'000, 9, base), start + day);
  EXPECT_FALSE(webhook_next_attempt(start, start + day - 3'599'999, 9, base).has_value());
  // The whole schedule: tries until 24 h have passed, then failed.
  Millis now = start;
  int attempts = 0;
  while (auto next = webhook_next_attempt(start, now, ++attempts, base)) now = *next;
  EXPECT_LE(now, start + day);
  EXPECT_GT(now + webhook_retry_delay(attempts, base), start + day);
  EXPECT_EQ(attempts, 30);  // 7 growing steps (~1 h 46 min) then hourly
}

TEST(WebhookSnippet, AtMostOneKilobyteNeverSplittingACharacter) {
  EXPECT_EQ(webhook_snippet("ok"), "ok");
  std::string big(2000, 'x');
  EXPECT_EQ(webhook_snippet(big).size(), kWebhookSnippetBytes);
  std::string accents = std::string(1023, 'a') + "\xc3\xa5" + "tail";  // å across the cut
  auto cut = webhook_snippet(accents);
  EXPECT_EQ(cut, std::string(1023, 'a'));
}

}  // namespace
}  // namespace parley::core
