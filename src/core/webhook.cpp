#include "core/webhook.hpp"

#include <algorithm>
#include <array>

namespace parley::core {

const std::vector<std::string>& webhook_event_names() {
  static const std::vector<std::string> names{
      "chat.requested",  "chat.started",        "chat.ended",        "chat.missed",
      "message.created", "meeting.booked",      "meeting.rescheduled", "meeting.cancelled",
      "person.updated"};
  return names;
}

Result<std::vector<std::string>> parse_webhook_events(const std::vector<std::string>& names) {
  if (names.empty()) return bad_request("choose at least one event");
  const auto& known = webhook_event_names();
  std::vector<std::string> out;
  for (const auto& name : names) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return bad_request("unknown event '" + name + "'");
    }
    if (std::find(out.begin(), out.end(), name) != out.end()) {
      return bad_request("event '" + name + "' is listed twice");
    }
    out.push_back(name);
  }
  return out;
}

std::string encode_webhook_events(const std::vector<std::string>& events) {
  std::string out = " ";
  for (const auto& e : events) out += e + " ";
  return out;
}

std::vector<std::string> decode_webhook_events(std::string_view stored) {
  std::vector<std::string> out;
  while (!stored.empty()) {
    auto space = stored.find(' ');
    auto name = stored.substr(0, space);
    if (!name.empty()) out.emplace_back(name);
    stored = space == std::string_view::npos ? std::string_view() : stored.substr(space + 1);
  }
  return out;
}

Status validate_webhook_url(std::string_view url) {
  if (url.size() > 2000) return bad_request("url is over 2,000 characters");
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return bad_request("url must start with http:// or https://");
  }
  auto host_end = rest.find_first_of("/?#");
  if (rest.substr(0, host_end).empty()) return bad_request("url has no host");
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return bad_request("url must not contain spaces or control characters");
    }
  }
  return Ok{};
}

const char* to_string(DeliveryStatus s) {
  switch (s) {
    case DeliveryStatus::pending: return "pending";
    case DeliveryStatus::delivered: return "delivered";
    case DeliveryStatus::failed: return "failed";
  }
  return "pending";
}

std::optional<DeliveryStatus> delivery_status_from_string(std::string_view s) {
  if (s == "pending") return DeliveryStatus::pending;
  if (s == "delivered") return DeliveryStatus::delivered;
  if (s == "failed") return DeliveryStatus::failed;
  return std::nullopt;
}

Millis webhook_retry_delay(int attempts_made, Millis base) {
  static constexpr std::array<Millis, 7> kSteps{1, 3, 6, 30, 60, 180, 360};
  auto i = static_cast<std::size_t>(std::clamp(attempts_made, 1, static_cast<int>(kSteps.size())) - 1);
  return base * kSteps[i];
}

std::optional<Millis> webhook_next_attempt(Millis started_at, Millis now, int attempts_made,
                                           Millis base) {
  Millis next = now + webhook_retry_delay(attempts_made, base);
  if (next > started_at + kWebhookGiveUpFactor * base) return std::nullopt;
  return next;
}

std::string webhook_snippet(std::string_view body, std::size_t max) {
  if (body.size() <= max) return std::string(body);
  std::size_t cut = max;
  // Step back over continuation bytes (10xxxxxx) so a character is never split.
  while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
  return std::string(body.substr(0, cut));
}

}  // namespace parley::core
