#include "store/policy_settings.hpp"

#include <stdexcept>
#include <string_view>

#include "store/store_common.hpp"

namespace parley::store {
namespace {

// A list of host names in one settings value, one a line (names hold no line breaks).
std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : "\n") + i;
  return out;
}

std::vector<std::string> split_lines(std::string_view value) {
  std::vector<std::string> out;
  while (!value.empty()) {
    auto nl = value.find('\n');
    out.emplace_back(value.substr(0, nl));
    value = nl == std::string_view::npos ? std::string_view{} : value.substr(nl + 1);
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> policy_settings(const core::ChatPolicy& p) {
  return {{"accept_timeout_ms", std::to_string(p.accept_timeout)},
          {"inactivity_timeout_ms", std::to_string(p.inactivity_timeout)},
          {"max_offers", std::to_string(p.max_offers)},
          {"fallback_message", p.fallback_message},
          {"history_days", std::to_string(p.history_days)},
          {"fetch_allowed_hosts", join_lines(p.fetch_allowed_hosts)},
          {"visitor_day_start", std::to_string(p.visitor_day_start)},
          {"visitor_day_end", std::to_string(p.visitor_day_end)}};
}

void apply_policy_setting(core::ChatPolicy& p, const std::string& key, const std::string& value) {
  try {
    if (key == "accept_timeout_ms") p.accept_timeout = std::stoll(value);
    else if (key == "inactivity_timeout_ms") p.inactivity_timeout = std::stoll(value);
    else if (key == "max_offers") p.max_offers = std::stoi(value);
    else if (key == "fallback_message") p.fallback_message = value;
    else if (key == "history_days") p.history_days = std::stoi(value);
    else if (key == "fetch_allowed_hosts") p.fetch_allowed_hosts = split_lines(value);
    else if (key == "visitor_day_start") p.visitor_day_start = std::stoi(value);
    else if (key == "visitor_day_end") p.visitor_day_end = std::stoi(value);
  } catch (const std::exception&) {
    throw StoreFailure("store: setting " + key + " holds a malformed value");
  }
}

}  // namespace parley::store
