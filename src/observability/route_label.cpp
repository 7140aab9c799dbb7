#include "observability/route_label.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace parley::observability {

namespace {

// The server's own routes, outside the REST API.
constexpr std::string_view kServerRoutes[] = {"/healthz", "/readyz", "/metrics", "/ws"};

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;  // past the leading '/'
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() <= 19 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool matches(const std::vector<std::string>& pattern,
             const std::vector<std::string_view>& segments) {
  if (pattern.size() != segments.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == "{id}") {
      if (!all_digits(segments[i])) return false;
    } else if (pattern[i] == "{token}") {
      if (segments[i].empty()) return false;
    } else if (pattern[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

RouteLabels::RouteLabels(const std::vector<std::string>& api_patterns) {
  for (auto route : kServerRoutes) patterns_.emplace_back(route);
  patterns_.insert(patterns_.end(), api_patterns.begin(), api_patterns.end());
  for (const auto& pattern : patterns_) {
    std::vector<std::string> segments;
    for (auto segment : split(pattern)) segments.emplace_back(segment);
    split_.push_back(std::move(segments));
  }
}

std::string RouteLabels::label(std::string_view path, int status) const {
  if (path.empty() || path.front() != '/') return "other";
  auto segments = split(path);
  for (std::size_t i = 0; i < split_.size(); ++i) {
    if (matches(split_[i], segments)) return patterns_[i];
  }
  if (!path.starts_with("/api/") && status < 400) return "static";
  return "other";
}

std::string_view method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kMethods = {"GET",    "POST", "PUT",    "PATCH",
                                                              "DELETE", "HEAD", "OPTIONS"};
  for (auto m : kMethods) {
    if (m == method) return m;
  }
  return "other";
}

}  // namespace parley::observability
