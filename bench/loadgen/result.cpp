#include "result.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace parley::bench {

MachineInfo machine_info() {
  MachineInfo m;
  m.nproc = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("model name", 0) == 0) {
        auto colon = line.find(':');
        if (colon != std::string::npos) {
          m.cpu_model = line.substr(colon + 1);
          auto first = m.cpu_model.find_first_not_of(" \t");
          m.cpu_model = first == std::string::npos ? "" : m.cpu_model.substr(first);
        }
        break;
      }
    }
  }
  {
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::uint64_t kb = 0;
    std::string unit;
    while (in >> key >> kb >> unit) {
      if (key == "MemTotal:") {
        m.mem_total_bytes = kb * 1024;
        break;
      }
    }
  }
  {
    std::ifstream in("/proc/loadavg");
    in >> m.loadavg_1m;
  }
  utsname u{};
  if (uname(&u) == 0) m.kernel = std::string(u.sysname) + " " + u.release;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  m.date_utc = buf;
  return m;
}

json::object to_json(const MachineInfo& m) {
  return {{"nproc", m.nproc},
          {"cpu_model", m.cpu_model},
          {"kernel", m.kernel},
          {"mem_total_bytes", m.mem_total_bytes},
          {"date", m.date_utc},
          {"loadavg_1m", m.loadavg_1m}};
}

json::object latency_json(const Histogram& h) {
  auto ms = [](std::uint64_t ns) { return static_cast<double>(ns) / 1e6; };
  return {{"count", h.count()},
          {"mean_ms", h.mean() / 1e6},
          {"p50_ms", ms(h.value_at_quantile(0.50))},
          {"p90_ms", ms(h.value_at_quantile(0.90))},
          {"p99_ms", ms(h.value_at_quantile(0.99))},
          {"p999_ms", ms(h.value_at_quantile(0.999))},
          {"max_ms", ms(h.max())}};
}

json::object make_result(const std::string& name, const std::string& scenario,
                         const std::string& target, json::object params, json::object figures,
                         bool ok, json::array errors) {
  return {{"schema", 1},
          {"name", name},
          {"scenario", scenario},
          {"target", target},
          {"machine", to_json(machine_info())},
          {"params", std::move(params)},
          {"figures", std::move(figures)},
          {"ok", ok},
          {"errors", std::move(errors)}};
}

void check_result_shape(const json::object& r) {
  auto need = [&](const char* key, json::kind k) {
    auto it = r.find(key);
    if (it == r.end()) throw std::runtime_error(std::string("result lacks '") + key + "'");
    if (it->value().kind() != k) throw std::runtime_error(std::string("result '") + key + "' has the wrong type");
  };
  need("schema", json::kind::int64);
  need("name", json::kind::string);
  need("scenario", json::kind::string);
  need("target", json::kind::string);
  need("machine", json::kind::object);
  need("params", json::kind::object);
  need("figures", json::kind::object);
  need("ok", json::kind::bool_);
  need("errors", json::kind::array);
  const auto& m = r.at("machine").as_object();
  for (const char* key : {"nproc", "cpu_model", "kernel", "mem_total_bytes", "date"}) {
    if (!m.contains(key)) throw std::runtime_error(std::string("result machine lacks '") + key + "'");
  }
}

namespace {
void pretty_into(std::ostringstream& out, const json::value& v, int indent) {
  std::string pad(indent * 2, ' '), inner((indent + 1) * 2, ' ');
  if (v.is_object()) {
    const auto& o = v.get_object();
    if (o.empty()) {
      out << "{}";
      return;
    }
    out << "{\n";
    bool first = true;
    for (const auto& kv : o) {
      if (!first) out << ",\n";
      first = false;
      out << inner << json::serialize(json::value(kv.key())) << ": ";
      pretty_into(out, kv.value(), indent + 1);
    }
    out << "\n" << pad << "}";
  } else if (v.is_array()) {
    const auto& a = v.get_array();
    if (a.empty()) {
      out << "[]";
      return;
    }
    // Arrays of scalars stay on one line (RSS samples, parameters).
    bool scalars = true;
    for (const auto& e : a) scalars = scalars && !e.is_object() && !e.is_array();
    if (scalars) {
      out << "[";
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (i) out << ", ";
        pretty_into(out, a[i], indent + 1);
      }
      out << "]";
      return;
    }
    out << "[\n";
    bool first = true;
    for (const auto& e : a) {
      if (!first) out << ",\n";
      first = false;
      out << inner;
      pretty_into(out, e, indent + 1);
    }
    out << "\n" << pad << "]";
  } else if (v.is_double()) {
    // Boost.JSON writes 5000.0 as 5E3; people read these files.
    double d = v.get_double();
    if (!std::isfinite(d)) {
      out << "null";
      return;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", d);
    std::string text = buf;
    // Keep it a double when read back: 5000 -> 5000.0.
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";
    out << text;
  } else {
    out << json::serialize(v);
  }
}
}  // namespace

std::string pretty(const json::value& v) {
  std::ostringstream out;
  pretty_into(out, v, 0);
  out << "\n";
  return out.str();
}

void write_json_file(const std::filesystem::path& path, const json::value& v) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out << pretty(v);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

json::value read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

}  // namespace parley::bench
