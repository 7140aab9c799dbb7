// Readings of a process from /proc: resident memory and CPU time. Used to cost the
// server (its pid is passed in) and the load generator itself.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace parley::bench {

// VmRSS of `pid` in bytes, from /proc/<pid>/status; nullopt when the process is gone.
std::optional<std::uint64_t> rss_bytes(pid_t pid);

// utime + stime of `pid` in seconds, from /proc/<pid>/stat (all its threads).
std::optional<double> cpu_seconds(pid_t pid);

// CPU seconds used by this process so far (user + system).
double self_cpu_seconds();

// Raises RLIMIT_NOFILE's soft limit to the hard limit; returns the new soft limit.
std::uint64_t raise_fd_limit();

// Parses the VmRSS line out of a /proc/<pid>/status text (exposed for tests).
std::optional<std::uint64_t> parse_vmrss(const std::string& status_text);
// Parses utime + stime (clock ticks) out of a /proc/<pid>/stat line (exposed for tests).
std::optional<std::uint64_t> parse_stat_ticks(const std::string& stat_line);

}  // namespace parley::bench
