// The result file every scenario writes (bench/results/<name>.json): what ran, on what
// machine, with which parameters, and the figures. One shape for all scenarios so the
// report (report.hpp) and a later reader can compare runs.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <string>

#include "histogram.hpp"

namespace parley::bench {

namespace json = boost::json;

struct MachineInfo {
  int nproc = 0;
  std::string cpu_model;
  std::string kernel;
  std::uint64_t mem_total_bytes = 0;
  std::string date_utc;  // ISO 8601, when the result was made
  double loadavg_1m = 0;  // the machine is shared: a busy neighbour shows here
};

MachineInfo machine_info();
json::object to_json(const MachineInfo& m);

// {count, mean_ms, p50_ms, p90_ms, p99_ms, p999_ms, max_ms} of a histogram of nanoseconds.
json::object latency_json(const Histogram& h);

// {"schema":1, "name", "scenario", "target", "machine", "params", "figures", "ok", "errors"}
json::object make_result(const std::string& name, const std::string& scenario,
                         const std::string& target, json::object params, json::object figures,
                         bool ok, json::array errors);

// Throws std::runtime_error when the object lacks a key of the shape above.
void check_result_shape(const json::object& result);

// Indented JSON, for files a person reads.
std::string pretty(const json::value& v);

void write_json_file(const std::filesystem::path& path, const json::value& v);
json::value read_json_file(const std::filesystem::path& path);

}  // namespace parley::bench
