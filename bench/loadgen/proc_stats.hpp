// Readings of a process from /proc: resident memory and CPU time. Used to cost the
// server (its pid is passed in) and the load generator itself.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace parley::bench {

// VmRSS of `pid` in bytes, from /proc/<pid>/status; nullopt when the process is gone.
std::optional<std::uint64_t> rss_bytes(pid_t pid);

// VmHWM of `pid` in bytes: the peak resident set size since the process started, or since
// reset_peak_rss(pid); nullopt when the process is gone.
std::optional<std::uint64_t> peak_rss_bytes(pid_t pid);
// Resets VmHWM of `pid` to its current RSS (writes 5 to /proc/<pid>/clear_refs, Linux 4.0+;
// needs the right to write there, i.e. the same user); false when it could not.
bool reset_peak_rss(pid_t pid);

// utime + stime of `pid` in seconds, from /proc/<pid>/stat (all its threads).
std::optional<double> cpu_seconds(pid_t pid);

// utime + stime of one thread of this process (its kernel thread id, gettid()), in seconds,
// from /proc/self/task/<tid>/stat; nullopt when the thread is gone.
std::optional<double> thread_cpu_seconds(pid_t tid);

// utime + stime of `pid` and of every process descended from it (a PostgreSQL postmaster and
// its backends, say), in seconds; nullopt when `pid` is gone. A descendant that exited before
// the reading is not counted.
std::optional<double> cpu_seconds_tree(pid_t pid);
// The same, process by process: pid -> utime + stime in seconds (empty when `pid` is gone).
std::map<pid_t, double> cpu_seconds_by_process(pid_t pid);

// The whole machine's CPU time since boot, in clock ticks over all CPUs, from /proc/stat:
// busy is everything but idle and iowait. Two readings give the share of the machine in use.
struct CpuTicks {
  std::uint64_t busy = 0;
  std::uint64_t total = 0;
};
std::optional<CpuTicks> machine_cpu_ticks();
// Parses the "cpu  user nice system idle iowait irq softirq steal ..." line (exposed for tests).
std::optional<CpuTicks> parse_proc_stat_cpu(const std::string& first_line);

// CPU seconds used by this process so far (user + system).
double self_cpu_seconds();

// Raises RLIMIT_NOFILE's soft limit to the hard limit; returns the new soft limit.
std::uint64_t raise_fd_limit();

// Parses the VmRSS line out of a /proc/<pid>/status text (exposed for tests).
std::optional<std::uint64_t> parse_vmrss(const std::string& status_text);
// The same for any "<key> <n> kB" line of it ("VmHWM:", say), in bytes.
std::optional<std::uint64_t> parse_status_kb(const std::string& status_text, const std::string& key);
// Parses utime + stime (clock ticks) out of a /proc/<pid>/stat line (exposed for tests).
std::optional<std::uint64_t> parse_stat_ticks(const std::string& stat_line);
// Parses the parent pid (field 4) out of a /proc/<pid>/stat line (exposed for tests).
std::optional<pid_t> parse_stat_ppid(const std::string& stat_line);

}  // namespace parley::bench
