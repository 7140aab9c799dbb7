#include "proc_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace parley::bench {

namespace {
std::optional<std::string> slurp(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

std::optional<std::uint64_t> parse_vmrss(const std::string& text) {
  auto pos = text.find("VmRSS:");
  if (pos == std::string::npos) return std::nullopt;
  std::istringstream line(text.substr(pos + 6));
  std::uint64_t kb = 0;
  std::string unit;
  if (!(line >> kb >> unit)) return std::nullopt;
  return kb * 1024;
}

std::optional<std::uint64_t> parse_stat_ticks(const std::string& stat) {
  // The command name (field 2) is in parentheses and may hold spaces: skip past the
  // last ')', then field 3 is the state; utime and stime are fields 14 and 15.
  auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(stat.substr(close + 1));
  std::string field;
  std::uint64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15; ++i) {
    if (!(rest >> field)) return std::nullopt;
    try {
      if (i == 14) utime = std::stoull(field);
      if (i == 15) stime = std::stoull(field);
    } catch (...) {
      return std::nullopt;
    }
  }
  return utime + stime;
}

std::optional<std::uint64_t> rss_bytes(pid_t pid) {
  auto text = slurp("/proc/" + std::to_string(pid) + "/status");
  if (!text) return std::nullopt;
  return parse_vmrss(*text);
}

std::optional<double> cpu_seconds(pid_t pid) {
  auto text = slurp("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return std::nullopt;
  auto ticks = parse_stat_ticks(*text);
  if (!ticks) return std::nullopt;
  return static_cast<double>(*ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double self_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

std::uint64_t raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
  getrlimit(RLIMIT_NOFILE, &lim);
  return lim.rlim_cur;
}

}  // namespace parley::bench
