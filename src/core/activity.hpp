// The activity history of a visitor (SPEC §2): which kinds exist, which the widget may
// report, and what a custom activity posted through the API may carry.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/validation.hpp"

namespace parley::core::activity {

// Written by the server as things happen.
inline constexpr std::string_view kFormFilled = "form_filled";
inline constexpr std::string_view kChatStarted = "chat_started";
inline constexpr std::string_view kChatEnded = "chat_ended";
inline constexpr std::string_view kMeetingBooked = "meeting_booked";
inline constexpr std::string_view kMeetingRescheduled = "meeting_rescheduled";
inline constexpr std::string_view kMeetingCancelled = "meeting_cancelled";
inline constexpr std::string_view kFollowupEmailed = "followup_emailed";
// Reported by the widget.
inline constexpr std::string_view kPageVisit = "page_visit";
inline constexpr std::string_view kLinkClicked = "link_clicked";
// Posted through the API by an integration.
inline constexpr std::string_view kCustom = "custom";

inline constexpr std::size_t kMaxDetailBytes = 500;

// The detail of a form_filled activity: which fields the visitor gave, with their values
// ("Name: Ann Lee · Email: ann@example.com · Company: Acme").
std::string form_filled_detail(const PreChatForm& form);

// What the widget reports: a page view (URL, title) or a click on a link in the chat (URL).
struct VisitorReport {
  std::string type;   // page_visit or link_clicked
  std::string url;    // http(s), at most kMaxUrlBytes
  std::string title;  // page title (may be empty; cut to kMaxDetailBytes)
};
// Checks the type and the URL, trims and cuts the title. bad_request otherwise.
Result<VisitorReport> validate_visitor_report(VisitorReport report);

// A custom activity's text: trimmed, 1..kMaxDetailBytes of UTF-8. An optional URL must be
// http(s).
Result<std::string> validate_custom_detail(std::string_view detail);
Status validate_activity_url(std::string_view url);

}  // namespace parley::core::activity
