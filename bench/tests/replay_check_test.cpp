// The long-chat scenario's replay check: every seq after after_seq up to head_seq once, in order.
#include "replay_check.hpp"

#include <gtest/gtest.h>

#include "report.hpp"
#include "result.hpp"

using namespace parley::bench;

TEST(ReplayCheckTest, EverySeqOnceInOrderIsCompleteAndClean) {
  ReplayCheck c;
  c.expect(0, 5);
  EXPECT_FALSE(c.complete());
  for (int s = 1; s <= 4; ++s) c.add(s);
  EXPECT_FALSE(c.complete());
  EXPECT_EQ(c.missing(), 1);
  c.add(5);
  EXPECT_TRUE(c.complete());
  EXPECT_TRUE(c.clean());
  EXPECT_EQ(c.owed(), 5);
  EXPECT_EQ(c.received(), 5);
  // A live event after the head does not spoil it.
  c.add(6);
  EXPECT_TRUE(c.clean());
}

TEST(ReplayCheckTest, AGapIsMissingAndALateSeqIsOutOfOrder) {
  ReplayCheck c;
  c.expect(0, 4);
  c.add(1);
  c.add(3);
  c.add(4);
  EXPECT_FALSE(c.complete());
  EXPECT_EQ(c.missing(), 1);
  c.add(2);  // arrives after 4
  EXPECT_TRUE(c.complete());
  EXPECT_FALSE(c.clean());
  EXPECT_EQ(c.out_of_order(), 1);
}

TEST(ReplayCheckTest, ASeqTwiceIsADuplicateAndOneNotOwedIsCounted) {
  ReplayCheck c;
  c.expect(10, 12);
  c.add(11);
  c.add(11);
  c.add(9);  // at or before after_seq: not owed
  c.add(12);
  EXPECT_TRUE(c.complete());
  EXPECT_FALSE(c.clean());
  EXPECT_EQ(c.duplicates(), 1);
  EXPECT_EQ(c.outside(), 1);
  EXPECT_EQ(c.owed(), 2);
}

TEST(ReplayCheckTest, NothingOwedIsCompleteAtOnceButNotBeforeTheHeadIsKnown) {
  ReplayCheck c;
  EXPECT_FALSE(c.complete());
  c.expect(7, 7);
  EXPECT_TRUE(c.complete());
  EXPECT_TRUE(c.clean());
}

namespace {
json::object long_chat(bool clean) {
  json::object replay{{"after_seq", 0}, {"head_seq", 100004}, {"seconds", 4.2}, {"events_per_s", 23810.5},
                      {"first_event_ms", 1.5}, {"every_seq_once_in_order", clean}, {"missing", clean ? 0 : 3},
                      {"duplicates", 0}, {"out_of_order", clean ? 0 : 1}};
  json::object figures{{"replay", replay}, {"fill_s", 12.5}, {"fill_msgs_per_s", 8000.0}, {"acked", 100000},
                       {"server_rss_start_bytes", 40.0 * 1024 * 1024}, {"server_rss_peak_bytes", 55.3 * 1024 * 1024},
                       {"server_rss_end_bytes", 52.0 * 1024 * 1024}, {"cpu_window_s", 4.3}, {"server_cpu_s", 4.0},
                       {"loadgen_cpu_s", 1.2}, {"loadgen_threads", 1}, {"loadgen_busiest_thread_cpu_s", 1.1}};
  return make_result("parley-long-chat", "long-chat", "parley", json::object{{"messages", 100000}}, figures, clean, {});
}
const json::object* row_of(const json::object& report, const std::string& prefix) {
  for (const auto& r : report.at("rows").as_array()) {
    const auto& o = r.as_object();
    if (std::string(o.at("what").as_string()).rfind(prefix, 0) == 0) return &o;
  }
  return nullptr;
}
}  // namespace

TEST(ReplayCheckTest, TheReportShowsTheReplayTimeAndRssWithoutAVerdict) {
  ResultSet rs;
  rs["parley-long-chat"] = long_chat(true);
  auto report = build_report(rs, "short");
  auto r = row_of(report, "Long chat: replay of 100,004 events after_seq 0");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->at("parley").as_string(),
            "4.20 s (23,811 events/s, first after 1.5 ms), server RSS start / peak / end 40.0 / 55.3 / 52.0 MiB");
  EXPECT_EQ(r->at("verdict").as_string(), "");
  auto check = row_of(report, "  every seq once and in order");
  ASSERT_TRUE(check);
  EXPECT_EQ(check->at("parley").as_string(),
            "yes; filled through the server: 100,000 messages in 12.5 s (8,000 msg/s)");
  auto cpu = row_of(report, "  CPU during the replay");
  ASSERT_TRUE(cpu);
  EXPECT_EQ(cpu->at("parley").as_string(), "server 0.93 cores (4.00 s) / load generator 0.28 cores (1.20 s, 1 thread)");
  EXPECT_EQ(report.at("long_chat").as_object().at("replay_s").as_double(), 4.2);
  // No budget: the counts of PASS / FAIL / n/a do not move.
  auto without = build_report({}, "short");
  EXPECT_EQ(report.at("summary"), without.at("summary"));

  rs["parley-long-chat"] = long_chat(false);
  auto bad = build_report(rs, "short");
  EXPECT_EQ(std::string(row_of(bad, "  every seq once and in order")->at("parley").as_string()).substr(0, 40),
            "NO: 3 missing, 0 duplicated, 1 out of or");
  EXPECT_EQ(row_of(build_report({}, "short"), "Long chat: replay of ? events")->at("parley").as_string(), "not run");
}
