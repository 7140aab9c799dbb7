#include "proc_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

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

std::optional<std::uint64_t> parse_vmrss(const std::string& text) { return parse_status_kb(text, "VmRSS:"); }

std::optional<std::uint64_t> parse_status_kb(const std::string& text, const std::string& key) {
  auto pos = text.find(key);
  if (pos == std::string::npos) return std::nullopt;
  std::istringstream line(text.substr(pos + key.size()));
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

std::optional<pid_t> parse_stat_ppid(const std::string& stat) {
  auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(stat.substr(close + 1));
  std::string state;
  long ppid = 0;
  if (!(rest >> state >> ppid)) return std::nullopt;
  return static_cast<pid_t>(ppid);
}

namespace {

// One "<key> <n> kB" line of /proc/<pid>/status, in bytes.
std::optional<std::uint64_t> status_bytes(pid_t pid, const std::string& key) {
  auto text = slurp("/proc/" + std::to_string(pid) + "/status");
  if (!text) return std::nullopt;
  return parse_status_kb(*text, key);
}

// utime + stime of a /proc/.../stat file, in seconds.
std::optional<double> stat_cpu_seconds(const std::string& path) {
  auto text = slurp(path);
  if (!text) return std::nullopt;
  auto ticks = parse_stat_ticks(*text);
  if (!ticks) return std::nullopt;
  return static_cast<double>(*ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

std::optional<std::uint64_t> rss_bytes(pid_t pid) { return status_bytes(pid, "VmRSS:"); }

std::optional<std::uint64_t> peak_rss_bytes(pid_t pid) { return status_bytes(pid, "VmHWM:"); }

bool reset_peak_rss(pid_t pid) {
  std::ofstream out("/proc/" + std::to_string(pid) + "/clear_refs");
  if (!out) return false;
  out << "5\n";
  out.flush();
  return static_cast<bool>(out);
}

std::optional<double> cpu_seconds(pid_t pid) {
  return stat_cpu_seconds("/proc/" + std::to_string(pid) + "/stat");
}

std::optional<double> thread_cpu_seconds(pid_t tid) {
  return stat_cpu_seconds("/proc/self/task/" + std::to_string(tid) + "/stat");
}

std::map<pid_t, double> cpu_seconds_by_process(pid_t pid) {
  // One pass over /proc: every process's parent and ticks, then the tree under `pid`.
  std::map<pid_t, std::vector<pid_t>> children;
  std::map<pid_t, std::uint64_t> ticks;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    auto text = slurp(entry.path().string() + "/stat");
    if (!text) continue;  // exited meanwhile
    auto ppid = parse_stat_ppid(*text);
    auto t = parse_stat_ticks(*text);
    if (!ppid || !t) continue;
    auto p = static_cast<pid_t>(std::stol(name));
    children[*ppid].push_back(p);
    ticks[p] = *t;
  }
  std::map<pid_t, double> out;
  if (!ticks.count(pid)) return out;
  const auto hz = static_cast<double>(sysconf(_SC_CLK_TCK));
  std::vector<pid_t> todo{pid};
  while (!todo.empty()) {
    pid_t p = todo.back();
    todo.pop_back();
    out[p] = static_cast<double>(ticks[p]) / hz;
    for (pid_t c : children[p]) todo.push_back(c);
  }
  return out;
}

std::optional<double> cpu_seconds_tree(pid_t pid) {
  auto by = cpu_seconds_by_process(pid);
  if (by.empty()) return std::nullopt;
  double total = 0;
  for (const auto& [p, secs] : by) total += secs;
  return total;
}

std::optional<CpuTicks> parse_proc_stat_cpu(const std::string& line) {
  std::istringstream in(line);
  std::string label;
  if (!(in >> label) || label != "cpu") return std::nullopt;
  // user nice system idle iowait irq softirq steal (guest and guest_nice are inside user/nice)
  std::uint64_t v[8] = {};
  int n = 0;
  while (n < 8 && in >> v[n]) ++n;
  if (n < 4) return std::nullopt;
  CpuTicks t;
  for (int i = 0; i < n; ++i) t.total += v[i];
  t.busy = t.total - v[3] - (n > 4 ? v[4] : 0);
  return t;
}

std::optional<CpuTicks> machine_cpu_ticks() {
  std::ifstream in("/proc/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  return parse_proc_stat_cpu(line);
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
