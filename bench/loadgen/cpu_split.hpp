// The CPU split of a measured window: how much the server and the load generator each used,
// as CPU seconds and as cores busy, and whether the generator saturated a core. Server and
// generator share the machine's cores; a generator thread that is busy all the time sends and
// reads as fast as it can, so the server waits on it and every figure of the step (the
// server's and the baseline's alike) is a floor set by the generator, not the server's limit.
// Pure, so that the rule is unit-tested (bench/tests/cpu_split_test.cpp).
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

namespace parley::bench {

// A generator thread at or above this share of one core over the window counts as saturated
// (the rest is the gaps of a 10 ms /proc tick and the main thread's sleeps).
constexpr double kGeneratorSaturatedShare = 0.9;

struct CpuSplit {
  double window_s = 0;                        // wall time between the two CPU readings
  std::optional<double> server_cpu_s;         // utime + stime of the server's process
  double loadgen_cpu_s = 0;                   // the whole load generator process
  int loadgen_threads = 1;                    // its I/O threads (each drives its own sockets)
  std::optional<double> busiest_thread_cpu_s; // its busiest I/O thread, when measured
  // The whole machine's CPUs over the window (all but idle and iowait): with the two shares
  // above it tells a server short of CPU because neighbours took it from one that idled.
  std::optional<double> machine_busy_pct{};
};

double cores(double cpu_s, double window_s);

// Saturated when its busiest I/O thread used >= 0.9 of a core over the window, or the whole
// process >= 0.9 core per I/O thread (the only rule for results without per-thread figures).
bool generator_saturated(const CpuSplit& s);

// The split of a chat result's figures and params ({"figures": {"cpu_window_s" or
// "measured_s", "server_cpu_s", "loadgen_cpu_s", "loadgen_busiest_thread_cpu_s"},
// "params": {"threads"}}); nullopt when the generator's CPU or the window is missing.
std::optional<CpuSplit> cpu_split_of(const boost::json::object& result);

// {"window_s", "server_cpu_s", "server_cores", "loadgen_cpu_s", "loadgen_cores",
//  "loadgen_threads", "loadgen_busiest_thread_cores", "generator_saturated"}
boost::json::object to_json(const CpuSplit& s);

// "server 1.45 cores (14.50 s) / load generator 0.52 cores (5.20 s, 1 thread); machine 99 %
// busy", and " - GENERATOR SATURATED" when it was.
std::string describe(const CpuSplit& s);

// The WARNING line of the report for the result `name` (empty when not saturated).
std::string saturation_warning(const std::string& name, const CpuSplit& s);

}  // namespace parley::bench
