#include "store/rows.hpp"

#include <sstream>

namespace parley::store {

std::string sql(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

std::string utf8_prefix(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    bool starts_char = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (starts_char && chars++ == max_chars) break;
  }
  return std::string(s.substr(0, i));
}

std::optional<std::string> given(const std::optional<std::string>& field) {
  if (!field || field->empty()) return std::nullopt;
  return field;
}

core::VisitorFacts facts_of(const core::PreChatForm& form) {
  return {core::lowercase_ascii(form.email), form.name, form.company, form.job_title, form.phone,
          form.page_url};
}

core::SenderKind sender_from_string(std::string_view s) {
  if (s == "visitor") return core::SenderKind::visitor;
  if (s == "agent") return core::SenderKind::agent;
  return core::SenderKind::system;
}

std::string encode_schedule(const core::Schedule& schedule) {
  std::string out;
  for (const auto& b : schedule.blocks) {
    if (!out.empty()) out += ';';
    out += std::to_string(b.weekday) + ' ' + std::to_string(b.start_minute) + ' ' +
           std::to_string(b.end_minute);
  }
  return out;
}

core::Schedule decode_schedule(std::string_view text) {
  core::Schedule schedule;
  std::istringstream in{std::string(text)};
  std::string item;
  while (std::getline(in, item, ';')) {
    std::istringstream fields(item);
    core::WeeklyBlock b;
    if (fields >> b.weekday >> b.start_minute >> b.end_minute) schedule.blocks.push_back(b);
  }
  return schedule;
}

}  // namespace parley::store
