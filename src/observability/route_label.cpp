#include "observability/route_label.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace parley::observability {

namespace {

// Every route of docs/api.md (tests/unit/route_label_test.cpp checks that each documented
// path maps to one of these). {id} matches digits only; {token} any one segment.
constexpr std::string_view kRoutes[] = {
    "/healthz",
    "/readyz",
    "/metrics",
    "/ws",
    "/api/v1/auth/login",
    "/api/v1/auth/logout",
    "/api/v1/auth/password-link",
    "/api/v1/auth/password-link/check",
    "/api/v1/me",
    "/api/v1/me/availability",
    "/api/v1/me/settings",
    "/api/v1/me/password",
    "/api/v1/me/profile",
    "/api/v1/me/calendar",
    "/api/v1/me/calendar/busy",
    "/api/v1/me/calendar/busy/refresh",
    "/api/v1/agents",
    "/api/v1/email",
    "/api/v1/calendars",
    "/api/v1/calendars/{id}/slots",
    "/api/v1/conversations",
    "/api/v1/conversations/{id}",
    "/api/v1/conversations/{id}/accept",
    "/api/v1/conversations/{id}/calendar-card",
    "/api/v1/conversations/{id}/end",
    "/api/v1/conversations/{id}/events",
    "/api/v1/conversations/{id}/followup/claim",
    "/api/v1/conversations/{id}/followup/done",
    "/api/v1/conversations/{id}/followup/email",
    "/api/v1/conversations/{id}/followup/release",
    "/api/v1/conversations/{id}/messages",
    "/api/v1/conversations/{id}/pass-on",
    "/api/v1/conversations/{id}/person",
    "/api/v1/conversations/{id}/read",
    "/api/v1/conversations/{id}/transcript",
    "/api/v1/meetings",
    "/api/v1/meetings/{id}",
    "/api/v1/meetings/{id}/cancel",
    "/api/v1/meetings/{id}/invite.ics",
    "/api/v1/meetings/{id}/reschedule",
    "/api/v1/meeting-links/{token}",
    "/api/v1/meeting-links/{token}/cancel",
    "/api/v1/meeting-links/{token}/reschedule",
    "/api/v1/meeting-links/{token}/invite.ics",
    "/api/v1/admin/activities",
    "/api/v1/admin/api-tokens",
    "/api/v1/admin/api-tokens/{id}",
    "/api/v1/admin/agents",
    "/api/v1/admin/email",
    "/api/v1/admin/email/test",
    "/api/v1/admin/agents/{id}",
    "/api/v1/admin/agents/{id}/deactivate",
    "/api/v1/admin/agents/{id}/password-link",
    "/api/v1/admin/agents/{id}/reactivate",
    "/api/v1/admin/people",
    "/api/v1/admin/webhooks",
    "/api/v1/admin/webhooks/{id}",
    "/api/v1/admin/webhooks/{id}/deliveries",
    "/api/v1/admin/webhooks/{id}/deliveries/{id}/redeliver",
    "/api/v1/admin/webhooks/{id}/rotate-secret",
    "/api/v1/admin/people/import",
    "/api/v1/admin/routing",
    "/api/v1/admin/routing/accounts.csv",
    "/api/v1/admin/settings",
    "/api/v1/visitor/activities",
    "/api/v1/visitor/calendars/{id}/slots",
    "/api/v1/visitor/chats",
    "/api/v1/visitor/chats/current",
    "/api/v1/visitor/chats/{id}/end",
    "/api/v1/visitor/chats/{id}/events",
    "/api/v1/visitor/chats/{id}/messages",
    "/api/v1/visitor/chats/{id}/read",
    "/api/v1/visitor/meetings",
    "/api/v1/visitor/meetings/{id}/invite.ics",
    "/api/v1/visitor/session",
    "/api/v1/visitor/status",
};

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

bool matches(const std::vector<std::string_view>& pattern,
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

std::string route_label(std::string_view path, int status) {
  if (path.empty() || path.front() != '/') return "other";
  // The patterns, split once (they are string literals: the views stay valid).
  static const auto patterns = [] {
    std::vector<std::vector<std::string_view>> out;
    for (auto route : kRoutes) out.push_back(split(route));
    return out;
  }();
  auto segments = split(path);
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    if (matches(patterns[i], segments)) return std::string(kRoutes[i]);
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
