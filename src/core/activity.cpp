#include "core/activity.hpp"

#include "core/validation.hpp"

namespace parley::core::activity {

namespace {
// Cuts to at most `max` bytes without splitting a UTF-8 sequence.
std::string cut_utf8(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}
}  // namespace

std::string form_filled_detail(const PreChatForm& form) {
  std::string out = "Name: " + form.name + " \u00b7 Email: " + form.email;
  for (auto [label, field] : {std::pair{"Job title", &form.job_title},
                              {"Phone", &form.phone},
                              {"Company", &form.company}}) {
    if (field->has_value()) out += std::string(" \u00b7 ") + label + ": " + **field;
  }
  return out;
}

Status validate_activity_url(std::string_view url) {
  auto lower = lowercase_ascii(url.substr(0, 8));
  if (!(lower.starts_with("https://") || lower.starts_with("http://"))) {
    return bad_request("url must start with http:// or https://");
  }
  if (url.size() > kMaxUrlBytes) return bad_request("url is longer than 2000 bytes");
  if (!is_valid_utf8(url)) return bad_request("url must be UTF-8");
  for (char c : url) {
    if (static_cast<unsigned char>(c) < 0x20) return bad_request("url contains control characters");
  }
  return Ok{};
}

Result<VisitorReport> validate_visitor_report(VisitorReport report) {
  if (report.type != kPageVisit && report.type != kLinkClicked) {
    return bad_request("type must be page_visit or link_clicked");
  }
  report.url = trim(report.url);
  if (auto ok = validate_activity_url(report.url); !ok) return ok.error();
  if (!is_valid_utf8(report.title)) return bad_request("title must be UTF-8");
  report.title = cut_utf8(trim(report.title), kMaxDetailBytes);
  return report;
}

Result<std::string> validate_custom_detail(std::string_view detail) {
  auto d = trim(detail);
  if (d.empty()) return bad_request("detail is required");
  if (d.size() > kMaxDetailBytes) return bad_request("detail is longer than 500 bytes");
  if (!is_valid_utf8(d)) return bad_request("detail must be UTF-8");
  return d;
}

}  // namespace parley::core::activity
