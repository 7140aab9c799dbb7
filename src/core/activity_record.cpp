#include "core/activity_record.hpp"

#include <cstdio>

#include "core/activity.hpp"

namespace parley::core::activity {

namespace {
void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;  // UTF-8 passes through as it is
        }
    }
  }
  out += '"';
}
}  // namespace

bool is_record_type(std::string_view type) {
  return type == kFormFilled || type == kMeetingBooked || type == kMeetingRescheduled ||
         type == kMeetingCancelled;
}

std::string make_record(std::string_view text, const std::vector<RecordField>& fields) {
  std::string out = "{\"text\":";
  append_json_string(out, text);
  for (const auto& f : fields) {
    out += ',';
    append_json_string(out, f.key);
    out += ':';
    if (f.number) out += f.value;
    else append_json_string(out, f.value);
  }
  out += '}';
  return out;
}

std::string form_filled_record(const PreChatForm& form) {
  std::vector<RecordField> fields{{"name", form.name}, {"email", form.email}};
  for (auto [key, field] : {std::pair{"job_title", &form.job_title},
                            {"phone", &form.phone},
                            {"company", &form.company}}) {
    if (field->has_value()) fields.push_back({key, **field});
  }
  return make_record(form_filled_detail(form), fields);
}

}  // namespace parley::core::activity
