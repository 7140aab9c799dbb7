// The stored form of an activity the server writes about a form or a meeting: a JSON object
// {"text": <the English sentence>, <fields>...}. The fields let each reader write the entry in
// its own language and time zone (the Inbox does); the sentence is what the API's `detail`
// says, as it always has. Rows written before this form are plain sentences and stay so.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/validation.hpp"

namespace parley::core::activity {

// Whether activities of `type` are stored as a record (form_filled and the meeting_* kinds).
// Only these: a page title or a custom text that happens to look like JSON stays text.
bool is_record_type(std::string_view type);

// One field of a record: a string value, or a number (written without quotes).
struct RecordField {
  std::string key;
  std::string value;
  bool number = false;
};

// {"text":"...", "<key>":..., ...} with every string escaped as JSON requires.
std::string make_record(std::string_view text, const std::vector<RecordField>& fields);

// The stored detail of a form_filled activity: the sentence of form_filled_detail() and the
// fields the visitor gave (name, email, and job_title / phone / company when given).
std::string form_filled_record(const PreChatForm& form);

}  // namespace parley::core::activity
