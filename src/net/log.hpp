// Structured logs: one JSON object per line on stderr, {"ts":..,"level":..,"msg":..,...}.
#pragma once

#include <boost/json.hpp>
#include <string_view>

namespace parley::net {

enum class LogLevel { info, warn, error };

void log(LogLevel level, std::string_view msg, boost::json::object fields = {});
inline void log_info(std::string_view msg, boost::json::object f = {}) { log(LogLevel::info, msg, std::move(f)); }
inline void log_warn(std::string_view msg, boost::json::object f = {}) { log(LogLevel::warn, msg, std::move(f)); }
inline void log_error(std::string_view msg, boost::json::object f = {}) { log(LogLevel::error, msg, std::move(f)); }

}  // namespace parley::net
