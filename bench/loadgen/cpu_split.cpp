#include "cpu_split.hpp"

#include <algorithm>
#include <cstdio>

namespace parley::bench {

namespace json = boost::json;

namespace {
std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::optional<double> number_at(const json::object& o, const char* section, const char* key) {
  auto s = o.find(section);
  if (s == o.end() || !s->value().is_object()) return std::nullopt;
  auto v = s->value().as_object().find(key);
  if (v == s->value().as_object().end() || !v->value().is_number()) return std::nullopt;
  return v->value().to_number<double>();
}

std::string core_s(double c) { return fmt(c, 2) + " cores"; }
}  // namespace

double cores(double cpu_s, double window_s) { return window_s > 0 ? cpu_s / window_s : 0.0; }

bool generator_saturated(const CpuSplit& s) {
  if (s.window_s <= 0) return false;
  if (s.busiest_thread_cpu_s && cores(*s.busiest_thread_cpu_s, s.window_s) >= kGeneratorSaturatedShare) {
    return true;
  }
  int threads = std::max(1, s.loadgen_threads);
  return cores(s.loadgen_cpu_s, s.window_s) >= kGeneratorSaturatedShare * threads;
}

std::optional<CpuSplit> cpu_split_of(const json::object& result) {
  CpuSplit s;
  // The CPU readings' own window when the result has it (chat results since issue 15), else
  // the measured window (they were taken at its ends, a sleep tick apart).
  auto window = number_at(result, "figures", "cpu_window_s");
  if (!window) window = number_at(result, "figures", "measured_s");
  auto gen = number_at(result, "figures", "loadgen_cpu_s");
  if (!window || !gen || *window <= 0) return std::nullopt;
  s.window_s = *window;
  s.loadgen_cpu_s = *gen;
  s.server_cpu_s = number_at(result, "figures", "server_cpu_s");
  s.busiest_thread_cpu_s = number_at(result, "figures", "loadgen_busiest_thread_cpu_s");
  s.machine_busy_pct = number_at(result, "figures", "machine_cpu_busy_pct");
  if (auto t = number_at(result, "figures", "loadgen_threads")) {
    s.loadgen_threads = static_cast<int>(*t);
  } else if (auto p = number_at(result, "params", "threads")) {
    s.loadgen_threads = static_cast<int>(*p);
  }
  return s;
}

json::object to_json(const CpuSplit& s) {
  json::object o{{"window_s", s.window_s},
                 {"loadgen_cpu_s", s.loadgen_cpu_s},
                 {"loadgen_cores", cores(s.loadgen_cpu_s, s.window_s)},
                 {"loadgen_threads", s.loadgen_threads},
                 {"generator_saturated", generator_saturated(s)}};
  o["server_cpu_s"] = s.server_cpu_s ? json::value(*s.server_cpu_s) : json::value(nullptr);
  o["server_cores"] = s.server_cpu_s ? json::value(cores(*s.server_cpu_s, s.window_s)) : json::value(nullptr);
  o["loadgen_busiest_thread_cores"] =
      s.busiest_thread_cpu_s ? json::value(cores(*s.busiest_thread_cpu_s, s.window_s)) : json::value(nullptr);
  o["machine_busy_pct"] = s.machine_busy_pct ? json::value(*s.machine_busy_pct) : json::value(nullptr);
  return o;
}

std::string describe(const CpuSplit& s) {
  std::string out = "server ";
  out += s.server_cpu_s ? core_s(cores(*s.server_cpu_s, s.window_s)) + " (" + fmt(*s.server_cpu_s, 2) + " s)"
                        : std::string("-");
  out += " / load generator " + core_s(cores(s.loadgen_cpu_s, s.window_s)) + " (" + fmt(s.loadgen_cpu_s, 2) +
         " s, " + std::to_string(s.loadgen_threads) + (s.loadgen_threads == 1 ? " thread" : " threads");
  if (s.busiest_thread_cpu_s && s.loadgen_threads > 1) {
    out += ", busiest " + fmt(cores(*s.busiest_thread_cpu_s, s.window_s), 2);
  }
  out += ")";
  if (s.machine_busy_pct) out += "; machine " + fmt(*s.machine_busy_pct, 0) + " % busy";
  if (generator_saturated(s)) out += " - GENERATOR SATURATED";
  return out;
}

std::string saturation_warning(const std::string& name, const CpuSplit& s) {
  if (!generator_saturated(s)) return "";
  double per_thread = cores(s.loadgen_cpu_s, s.window_s) / std::max(1, s.loadgen_threads);
  std::string busiest =
      s.busiest_thread_cpu_s ? ", busiest thread " + fmt(cores(*s.busiest_thread_cpu_s, s.window_s), 2) : "";
  return "WARNING: the load generator saturated a core in " + name + " (" + fmt(per_thread, 2) +
         " core per generator thread" + busiest + " over " + fmt(s.window_s, 1) +
         " s): its figures are a floor set by the generator, not the server's limit (run it again with "
         "LOADGEN_THREADS=2, or on a machine with a spare core)";
}

}  // namespace parley::bench
