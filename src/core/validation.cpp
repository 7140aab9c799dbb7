#include "core/validation.hpp"

#include <algorithm>

namespace parley::core {

std::string trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string lowercase_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : char(c); });
  return out;
}

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra;
    if (c < 0x80) extra = 0;
    else if ((c >> 5) == 0x6 && c >= 0xC2) extra = 1;   // 0xC0/0xC1 would be overlong
    else if ((c >> 4) == 0xE) extra = 2;
    else if ((c >> 3) == 0x1E && c <= 0xF4) extra = 3;
    else return false;
    if (i + extra >= s.size() && extra > 0) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    }
    i += extra + 1;
  }
  return true;
}

Result<std::string> validate_message_body(std::string_view body) {
  if (body.size() > kMaxMessageBytes) {
    return Error{ErrorCode::payload_too_large,
                 "message body is over " + std::to_string(kMaxMessageBytes) + " bytes"};
  }
  if (!is_valid_utf8(body)) return bad_request("message body is not valid UTF-8");
  std::string trimmed = trim(body);
  if (trimmed.empty()) return bad_request("message body is empty");
  return trimmed;
}

Status validate_client_id(std::string_view client_id) {
  if (client_id.empty()) return bad_request("client_id is required");
  if (client_id.size() > kMaxClientIdBytes) {
    return bad_request("client_id is over " + std::to_string(kMaxClientIdBytes) + " bytes");
  }
  for (unsigned char c : client_id) {
    if (c < 0x21 || c > 0x7e) return bad_request("client_id must be printable ASCII");
  }
  return Ok{};
}

bool looks_like_email(std::string_view email) {
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size()) return false;
  if (email.find('@', at + 1) != std::string_view::npos) return false;
  auto domain = email.substr(at + 1);
  auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return false;
  return std::none_of(email.begin(), email.end(),
                      [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

namespace {
Result<std::optional<std::string>> optional_field(const std::optional<std::string>& v,
                                                  const char* name, std::size_t limit) {
  if (!v) return std::optional<std::string>{};
  std::string t = trim(*v);
  if (t.size() > limit) return bad_request(std::string(name) + " is too long");
  if (!is_valid_utf8(t)) return bad_request(std::string(name) + " is not valid UTF-8");
  if (t.empty()) return std::optional<std::string>{};
  return std::optional<std::string>{std::move(t)};
}
}  // namespace

Result<PreChatForm> validate_pre_chat_form(PreChatForm form) {
  form.name = trim(form.name);
  if (form.name.empty()) return bad_request("name is required");
  if (form.name.size() > kMaxFieldBytes || !is_valid_utf8(form.name)) {
    return bad_request("name is too long or not valid UTF-8");
  }
  form.email = lowercase_ascii(trim(form.email));
  if (form.email.empty()) return bad_request("email is required");
  if (form.email.size() > kMaxFieldBytes || !looks_like_email(form.email)) {
    return bad_request("email is not a valid address");
  }
  auto job = optional_field(form.job_title, "job_title", kMaxFieldBytes);
  if (!job) return job.error();
  auto phone = optional_field(form.phone, "phone", kMaxFieldBytes);
  if (!phone) return phone.error();
  auto company = optional_field(form.company, "company", kMaxFieldBytes);
  if (!company) return company.error();
  form.job_title = *job;
  form.phone = *phone;
  form.company = *company;
  auto question = optional_field(form.question, "question", kMaxQuestionBytes);
  if (!question) return question.error();
  form.question = *question;
  if (form.page_url.size() > kMaxUrlBytes) return bad_request("page_url is too long");
  if (!is_valid_utf8(form.page_url)) return bad_request("page_url is not valid UTF-8");
  return form;
}

}  // namespace parley::core
