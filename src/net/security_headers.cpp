#include "net/security_headers.hpp"

namespace parley::net {

namespace {

// The pages agents and visitors use inside Parley itself (not the demo host page, which
// stands for a customer's own site).
bool is_app_page(std::string_view path) {
  return path == "/inbox" || path.starts_with("/inbox/") || path == "/meeting" ||
         path.starts_with("/meeting/");
}

}  // namespace

void add_security_headers(std::string_view path, Response& res) {
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "strict-origin-when-cross-origin");
  if (is_app_page(path)) {
    res.set("Content-Security-Policy", kAppPagePolicy);
    res.set("X-Frame-Options", "DENY");  // for browsers without frame-ancestors
  }
}

}  // namespace parley::net
