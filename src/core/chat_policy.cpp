#include "core/chat_policy.hpp"

#include "core/address_policy.hpp"
#include "core/validation.hpp"

namespace parley::core {

Status validate_chat_policy(const ChatPolicy& p) {
  if (p.accept_timeout < 5'000 || p.accept_timeout > 3'600'000) {
    return bad_request("accept_timeout_seconds must be between 5 and 3600");
  }
  if (p.inactivity_timeout < 5'000 || p.inactivity_timeout > 86'400'000) {
    return bad_request("inactivity_timeout_seconds must be between 5 and 86400");
  }
  if (p.max_offers < 1 || p.max_offers > 20) return bad_request("max_offers must be between 1 and 20");
  if (p.history_days < 1 || p.history_days > 3650) {
    return bad_request("history_days must be between 1 and 3650");
  }
  if (trim(p.fallback_message).empty() || p.fallback_message.size() > 1000 ||
      !is_valid_utf8(p.fallback_message)) {
    return bad_request("fallback_message must be 1 to 1000 bytes of text");
  }
  if (p.visitor_day_start < 0 || p.visitor_day_end > 24 * 60 ||
      p.visitor_day_start >= p.visitor_day_end) {
    return bad_request("visitor_day_start must be before visitor_day_end, both within the day");
  }
  return validate_fetch_allowed_hosts(p.fetch_allowed_hosts);
}

}  // namespace parley::core
