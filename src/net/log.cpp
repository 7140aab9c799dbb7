#include "net/log.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>

namespace parley::net {

void log(LogLevel level, std::string_view msg, boost::json::object fields) {
  using namespace std::chrono;
  boost::json::object line;
  line["ts"] = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  line["level"] = level == LogLevel::info ? "info" : level == LogLevel::warn ? "warn" : "error";
  line["msg"] = msg;
  for (auto& kv : fields) line[kv.key()] = std::move(kv.value());
  std::string text = boost::json::serialize(line);
  text += '\n';
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace parley::net
