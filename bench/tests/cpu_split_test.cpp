// The CPU split of a step and the rule that calls the load generator saturated (issue 15),
// and how the report prints both.
#include "cpu_split.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include "proc_stats.hpp"
#include "report.hpp"
#include "result.hpp"

using namespace parley::bench;

namespace {
CpuSplit split(double window, double gen, int threads, std::optional<double> busiest, std::optional<double> server) {
  CpuSplit s;
  s.window_s = window;
  s.loadgen_cpu_s = gen;
  s.loadgen_threads = threads;
  s.busiest_thread_cpu_s = busiest;
  s.server_cpu_s = server;
  return s;
}

json::object chat_result(const std::string& name, double window, double server, double gen, int threads,
                         std::optional<double> busiest) {
  json::object figures{{"measured_s", window}, {"cpu_window_s", window}, {"server_cpu_s", server},
                       {"loadgen_cpu_s", gen}, {"loadgen_threads", threads}};
  if (busiest) figures["loadgen_busiest_thread_cpu_s"] = *busiest;
  return make_result(name, "throughput", "parley", json::object{{"threads", threads}}, figures, true, {});
}

std::string cell_of(const json::object& report, const std::string& prefix, const char* column) {
  for (const auto& r : report.at("rows").as_array()) {
    const auto& o = r.as_object();
    if (std::string(o.at("what").as_string()).rfind(prefix, 0) == 0) return std::string(o.at(column).as_string());
  }
  return "missing";
}
}  // namespace

TEST(CpuSplitTest, OneThreadBusyNineTenthsOfTheWindowIsSaturated) {
  EXPECT_FALSE(generator_saturated(split(10.0, 8.9, 1, std::nullopt, 12.0)));
  EXPECT_TRUE(generator_saturated(split(10.0, 9.0, 1, std::nullopt, 12.0)));
  EXPECT_TRUE(generator_saturated(split(10.0, 9.9, 1, 9.9, 12.0)));
  EXPECT_DOUBLE_EQ(cores(9.0, 10.0), 0.9);
  EXPECT_DOUBLE_EQ(cores(1.0, 0.0), 0.0);  // no window, no figure
}

TEST(CpuSplitTest, WithSeveralThreadsTheRuleIsPerThread) {
  // Two threads, 1.2 cores in all, evenly spread: neither is saturated.
  EXPECT_FALSE(generator_saturated(split(10.0, 12.0, 2, 6.1, 12.0)));
  // The same total with one thread doing nearly all of it: that thread is the bottleneck.
  EXPECT_TRUE(generator_saturated(split(10.0, 12.0, 2, 9.5, 12.0)));
  // Without per-thread figures (an older result), 0.9 core per thread on average.
  EXPECT_FALSE(generator_saturated(split(10.0, 12.0, 2, std::nullopt, 12.0)));
  EXPECT_TRUE(generator_saturated(split(10.0, 18.0, 2, std::nullopt, 12.0)));
  EXPECT_FALSE(generator_saturated(split(0.0, 18.0, 2, std::nullopt, 12.0)));
}

TEST(CpuSplitTest, ReadsTheSplitOutOfAResultAndPrefersTheCpuWindow) {
  auto r = chat_result("parley-throughput", 10.0, 14.5, 5.2, 1, 5.1);
  r["figures"].as_object()["cpu_window_s"] = 10.4;
  auto s = cpu_split_of(r);
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(s->window_s, 10.4);
  EXPECT_DOUBLE_EQ(*s->server_cpu_s, 14.5);
  EXPECT_DOUBLE_EQ(s->loadgen_cpu_s, 5.2);
  EXPECT_EQ(s->loadgen_threads, 1);
  // An older result: the measured window, the thread count from the params.
  json::object old = make_result("baseline-latency", "latency", "baseline", json::object{{"threads", 2}},
                                 json::object{{"measured_s", 10.0}, {"loadgen_cpu_s", 3.0}}, true, {});
  auto o = cpu_split_of(old);
  ASSERT_TRUE(o);
  EXPECT_DOUBLE_EQ(o->window_s, 10.0);
  EXPECT_EQ(o->loadgen_threads, 2);
  EXPECT_FALSE(o->server_cpu_s.has_value());
  EXPECT_FALSE(o->busiest_thread_cpu_s.has_value());
  // No generator CPU, or no window: nothing to say.
  EXPECT_FALSE(cpu_split_of(make_result("x", "idle", "parley", {}, json::object{{"measured_s", 1.0}}, true, {})));
  EXPECT_FALSE(cpu_split_of(make_result("x", "idle", "parley", {}, json::object{{"loadgen_cpu_s", 1.0}}, true, {})));
}

TEST(CpuSplitTest, DescribesBothSidesAsCoresBusy) {
  EXPECT_EQ(describe(split(10.0, 5.2, 1, 5.1, 14.5)),
            "server 1.45 cores (14.50 s) / load generator 0.52 cores (5.20 s, 1 thread)");
  EXPECT_EQ(describe(split(10.0, 9.7, 1, 9.6, 10.1)),
            "server 1.01 cores (10.10 s) / load generator 0.97 cores (9.70 s, 1 thread) - GENERATOR SATURATED");
  EXPECT_EQ(describe(split(10.0, 12.0, 2, 6.1, std::nullopt)),
            "server - / load generator 1.20 cores (12.00 s, 2 threads, busiest 0.61)");
  // With the whole machine's share: 0.69 cores between them on a machine 99 % busy says the
  // neighbours had the rest, not that the server idled.
  auto busy = split(10.0, 1.3, 1, 1.3, 5.6);
  busy.machine_busy_pct = 99.4;
  EXPECT_EQ(describe(busy), "server 0.56 cores (5.60 s) / load generator 0.13 cores (1.30 s, 1 thread); machine 99 % busy");
  EXPECT_EQ(saturation_warning("parley-throughput", split(10.0, 5.2, 1, 5.1, 14.5)), "");
  auto w = saturation_warning("baseline-throughput", split(10.0, 9.7, 1, 9.6, 10.1));
  EXPECT_EQ(w.rfind("WARNING: the load generator saturated a core in baseline-throughput (0.97 core per "
                    "generator thread, busiest thread 0.96 over 10.0 s)", 0),
            0u)
      << w;
}

TEST(CpuSplitTest, TheReportPrintsTheSplitOfEachStepAndWarnsWhenTheGeneratorSaturated) {
  ResultSet rs;
  rs["parley-throughput"] = chat_result("parley-throughput", 10.0, 14.5, 5.2, 1, 5.1);
  rs["parley-throughput"]["figures"].as_object()["machine_cpu_busy_pct"] = 97.0;
  rs["baseline-throughput"] = chat_result("baseline-throughput", 10.0, 10.1, 9.7, 1, 9.6);
  rs["parley-latency"] = chat_result("parley-latency", 10.0, 4.0, 2.0, 1, 1.9);
  auto report = build_report(rs, "short");
  const std::string what = "  CPU over the measured window: server / load generator (cores busy)";
  EXPECT_EQ(cell_of(report, what, "parley"),
            "server 1.45 cores (14.50 s) / load generator 0.52 cores (5.20 s, 1 thread); machine 97 % busy");
  EXPECT_NE(cell_of(report, what, "baseline").find("GENERATOR SATURATED"), std::string::npos);
  // Both steps have the row; a step that did not run says "-".
  int rows = 0;
  for (const auto& r : report.at("rows").as_array()) {
    const auto& o = r.as_object();
    if (o.at("what").as_string() == what) {
      ++rows;
      EXPECT_EQ(o.at("verdict").as_string(), "");  // a figure, never a budget
    }
  }
  EXPECT_EQ(rows, 2);
  // summary.json: the split of every step that ran, and one warning.
  const auto& by = report.at("cpu_split").as_object();
  EXPECT_EQ(by.size(), 3u);
  EXPECT_TRUE(by.at("baseline-throughput").as_object().at("generator_saturated").as_bool());
  EXPECT_FALSE(by.at("parley-throughput").as_object().at("generator_saturated").as_bool());
  EXPECT_DOUBLE_EQ(by.at("parley-throughput").as_object().at("server_cores").as_double(), 1.45);
  ASSERT_EQ(report.at("warnings").as_array().size(), 1u);
  auto table = markdown_table(report);
  EXPECT_NE(table.find("\nWARNING: the load generator saturated a core in baseline-throughput"), std::string::npos)
      << table;
  EXPECT_NE(table.find("| - |  |  |  |\n"), std::string::npos) << table;  // baseline-latency did not run
  // No saturation, no warning line.
  rs.erase("baseline-throughput");
  EXPECT_EQ(markdown_table(build_report(rs, "short")).find("WARNING"), std::string::npos);
}

TEST(ProcStatsTest, ReadsOneThreadsCpuAndThePeakRss) {
  auto mine = thread_cpu_seconds(static_cast<pid_t>(::gettid()));
  ASSERT_TRUE(mine.has_value());
  EXPECT_GE(*mine, 0.0);
  EXPECT_FALSE(thread_cpu_seconds(0x7ffffff0).has_value());
  EXPECT_EQ(parse_status_kb("VmHWM:\t  4096 kB\nVmRSS:\t 1024 kB\n", "VmHWM:"), 4096u * 1024);
  EXPECT_EQ(parse_status_kb("VmHWM:\t  4096 kB\nVmRSS:\t 1024 kB\n", "VmRSS:"), 1024u * 1024);
  EXPECT_FALSE(parse_status_kb("VmRSS:\t 1024 kB\n", "VmHWM:").has_value());
  // The current size first: the peak read after it can only be as large or larger (read the
  // other way round, a page touched in between made "now" exceed the peak).
  auto now = rss_bytes(::getpid());
  auto peak = peak_rss_bytes(::getpid());
  ASSERT_TRUE(peak && now);
  EXPECT_GE(*peak, *now);
}
