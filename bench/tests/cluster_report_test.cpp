// The cluster profile's budget table (report.cpp, profile "cluster").
#include <gtest/gtest.h>

#include "report.hpp"
#include "result.hpp"

using namespace parley::bench;

namespace {
json::object fake(const std::string& name, json::object figures, json::object params = {}, bool ok = true) {
  return make_result(name, "x", "parley", std::move(params), std::move(figures), ok, {});
}
const json::object* row_of(const json::object& report, const std::string& prefix) {
  for (const auto& r : report.at("rows").as_array()) {
    const auto& o = r.as_object();
    if (std::string(o.at("what").as_string()).rfind(prefix, 0) == 0) return &o;
  }
  return nullptr;
}
std::string verdict_of(const json::object& report, const std::string& prefix) {
  auto r = row_of(report, prefix);
  return r ? std::string(r->at("verdict").as_string()) : "missing";
}
json::object lat(double p99) {
  return {{"p50_ms", 1.0}, {"p99_ms", p99}, {"p999_ms", p99 + 1}, {"max_ms", p99 + 2}};
}
json::object lat_run(double p99, double delivered = 24000) {
  return {{"latency_e2e", lat(p99)}, {"sent", 24000}, {"delivered", delivered}};
}
json::object delivery(double lost, double dup = 0, double reordered = 0) {
  return {{"sent", 3000}, {"acked", 2990}, {"unacked", 10}, {"delivered", 2990 - lost},
          {"lost", lost}, {"duplicated", dup}, {"reordered", reordered}};
}
ResultSet cluster(double pg_rate, double cross_p99, json::object failover_delivery, bool failover_ok = true) {
  ResultSet rs;
  rs["sqlite-throughput"] = fake("sqlite-throughput",
                                 {{"delivered_per_s", 15000.0}, {"server_cpu_s_per_1000_msgs", 0.1}},
                                 {{"pairs", 64}, {"window", 8}});
  rs["postgres-throughput"] = fake(
      "postgres-throughput",
      {{"delivered_per_s", pg_rate},
       {"server_cpu_s_per_1000_msgs", 0.15},
       {"other_cpu_s_per_1000_msgs", json::object{{"postgres", 0.2}, {"redis", 0.05}}},
       {"other_cpu_busiest_process",
        json::object{{"postgres", json::object{{"s_per_1000_msgs", 0.14}, {"utilisation", 0.54}}}}}},
      {{"pairs", 64}, {"window", 8}});
  rs["cluster-throughput-two-nodes"] = fake(
      "cluster-throughput-two-nodes",
      {{"delivered_per_s", pg_rate * 1.5},
       {"server_cpu_s_per_1000_msgs", 0.07},
       {"other_cpu_s_per_1000_msgs", json::object{{"node-b", 0.06}, {"postgres", 0.22}}},
       {"machine_cpu_busy_pct", 99.0},
       {"loadgen_cpu_s", 1.0},
       {"measured_s", 10.0}});
  rs["cluster-latency-same-node"] = fake("cluster-latency-same-node", lat_run(2.0), {{"rate", 2000}});
  rs["cluster-latency-cross-node"] = fake("cluster-latency-cross-node", lat_run(cross_p99), {{"rate", 2000}});
  rs["cluster-failover"] = fake("cluster-failover",
                                {{"delivery", std::move(failover_delivery)},
                                 {"reconnect_after_kill", json::object{{"count", 4}, {"p50_ms", 3.0}, {"max_ms", 7.5}}},
                                 {"sockets_dropped", 4},
                                 {"first_delivery_after_kill_ms", 9.0}},
                                {{"pairs", 32}, {"rate", 320}}, failover_ok);
  return rs;
}
}  // namespace

TEST(ClusterReportTest, JudgesTheThreeBudgets) {
  auto report = build_report(cluster(12000, 4.0, delivery(0)), "cluster");
  EXPECT_EQ(verdict_of(report, "Persisted msg/s, one node"), "PASS");
  EXPECT_EQ(verdict_of(report, "Latency p50 / p99 / p99.9 / max at 2,000 msg/s"), "PASS");
  EXPECT_EQ(verdict_of(report, "Acknowledged messages lost after kill -9"), "PASS");
  EXPECT_EQ(verdict_of(report, "  duplicated / delivered out of order"), "PASS");
  EXPECT_EQ(report.at("summary").as_object().at("fail").as_int64(), 0);

  report = build_report(cluster(9000, 5.5, delivery(2, 1, 0)), "cluster");
  EXPECT_EQ(verdict_of(report, "Persisted msg/s, one node"), "FAIL");
  EXPECT_EQ(verdict_of(report, "Latency p50 / p99 / p99.9 / max at 2,000 msg/s"), "FAIL");
  EXPECT_EQ(verdict_of(report, "Acknowledged messages lost after kill -9"), "FAIL");
  EXPECT_EQ(verdict_of(report, "  duplicated / delivered out of order"), "FAIL");
}

TEST(ClusterReportTest, PrintsTheRatioAndTheCpuOfBothStores) {
  auto report = build_report(cluster(3000, 4.0, delivery(0)), "cluster");
  auto table = markdown_table(report);
  EXPECT_NE(table.find("| What | Measured | Compared with | Ratio | Budget | Verdict |"), std::string::npos) << table;
  EXPECT_NE(table.find("| PostgreSQL 3,000 | SQLite 15,000 | 0.20x | >= 10,000 (PostgreSQL) | **FAIL** |"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("| 0.1500 s | 0.1000 s | 1.50x |"), std::string::npos) << table;
  EXPECT_NE(table.find("PostgreSQL 0.2000 s, Redis 0.0500 s"), std::string::npos) << table;
  EXPECT_NE(table.find("| 0.4000 s | 0.1000 s | 4.00x |"), std::string::npos) << table;  // all server-side
  EXPECT_NE(table.find("| 0.1400 s per 1,000 (54 % of one core) |"), std::string::npos) << table;
  EXPECT_NE(table.find("0 of 2,990 acknowledged (2,990 delivered, 10 never acknowledged)"), std::string::npos) << table;
  EXPECT_NE(table.find("3.0 / 7.5 ms (4 of 4 sockets back)"), std::string::npos) << table;
  EXPECT_NE(table.find("| 4,500; CPU per 1,000: Parley 0.1300 s (a + b), PostgreSQL 0.2200 s; 99 % busy "
                       "(load generator 0.10 CPU) | one node 3,000 | 1.50x |"),
            std::string::npos)
      << table;
}

TEST(ClusterReportTest, AFailedOrMissingRunIsNeverAPass) {
  auto report = build_report({}, "cluster");
  for (const auto& r : report.at("rows").as_array()) {
    EXPECT_NE(r.as_object().at("verdict").as_string(), "PASS") << r.as_object().at("what").as_string();
  }
  // Nothing lost, but the run itself failed (no kill happened, say): not a pass.
  report = build_report(cluster(12000, 4.0, delivery(0), false), "cluster");
  EXPECT_EQ(verdict_of(report, "Acknowledged messages lost after kill -9"), "FAIL");
}

TEST(ClusterReportTest, ALatencyRunThatLeftMessagesUndeliveredSaysSoAndFails) {
  auto rs = cluster(12000, 4.0, delivery(0));
  rs["cluster-latency-cross-node"] =
      fake("cluster-latency-cross-node", lat_run(4.0, 16000), {{"rate", 2000}});
  auto report = build_report(rs, "cluster");
  EXPECT_EQ(verdict_of(report, "Latency p50 / p99 / p99.9 / max at 2,000 msg/s"), "FAIL");
  auto table = markdown_table(report);
  EXPECT_NE(table.find("cross-node 1.00 / 4.00 / 5.00 / 6.00 ms (8,000 of 24,000 never delivered)"), std::string::npos)
      << table;
}
