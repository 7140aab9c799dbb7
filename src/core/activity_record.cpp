#include "core/activity_record.hpp"

#include "core/activity.hpp"
#include "core/json_text.hpp"

namespace parley::core::activity {

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
