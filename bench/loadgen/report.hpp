// The bench report: the result files of one run (Parley and the baseline under the same
// load) turned into one table with the budgets of issue 3 and a PASS/FAIL per budget.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <string>

namespace parley::bench {

namespace json = boost::json;

// Results by name: "parley-idle", "baseline-idle", "parley-throughput", "baseline-throughput",
// "parley-latency", "baseline-latency", "parley-login-storm", "parley-inbox", "seed",
// "parley-soak"; with profile "cluster": "sqlite-throughput", "postgres-throughput",
// "cluster-throughput-two-nodes", "cluster-latency-same-node", "cluster-latency-cross-node",
// "cluster-failover". Any may be missing; its rows then say "not run".
using ResultSet = std::map<std::string, json::object>;

ResultSet load_results(const std::filesystem::path& dir);

// {"profile", "rows": [{what, parley, baseline, ratio, budget, verdict}], "summary": {...}};
// the cluster profile's report adds "columns" (the headings of parley, baseline and ratio).
// verdict is "PASS", "FAIL", "n/a" (cannot be measured yet) or "" (a figure, no budget).
json::object build_report(const ResultSet& results, const std::string& profile);

std::string markdown_table(const json::object& report);

}  // namespace parley::bench
