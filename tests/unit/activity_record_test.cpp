// The stored form of a form_filled or meeting activity (core/activity_record.hpp): the English
// sentence and the fields, as one JSON object, every string escaped. (net/json_codec reads it
// back; the integration tests check the wire.)
#include <gtest/gtest.h>

#include "core/activity.hpp"
#include "core/activity_record.hpp"

namespace parley::core {
namespace {

TEST(ActivityRecord, OnlyFormAndMeetingActivitiesAreRecords) {
  EXPECT_TRUE(activity::is_record_type("form_filled"));
  EXPECT_TRUE(activity::is_record_type("meeting_booked"));
  EXPECT_TRUE(activity::is_record_type("meeting_rescheduled"));
  EXPECT_TRUE(activity::is_record_type("meeting_cancelled"));
  for (auto type : {"page_visit", "custom", "chat_started", "chat_ended", "link_clicked"}) {
    EXPECT_FALSE(activity::is_record_type(type)) << type;
  }
}

TEST(ActivityRecord, EscapesEveryStringAndWritesNumbersBare) {
  EXPECT_EQ(activity::make_record("Meeting with \"Ann\" \\ co",
                                  {{"agent_name", "Ann\n\t\u00c5sa\x01"},
                                   {"start", "1782900000000", true}}),
            "{\"text\":\"Meeting with \\\"Ann\\\" \\\\ co\","
            "\"agent_name\":\"Ann\\n\\t\u00c5sa\\u0001\",\"start\":1782900000000}");
}

TEST(ActivityRecord, AFormKeepsItsSentenceAndTheFieldsGiven) {
  PreChatForm f{"Ann", "ann@example.com", std::nullopt, "+1 555", "Acme", ""};
  EXPECT_EQ(activity::form_filled_record(f),
            "{\"text\":\"" + activity::form_filled_detail(f) +
                "\",\"name\":\"Ann\",\"email\":\"ann@example.com\",\"phone\":\"+1 555\","
                "\"company\":\"Acme\"}");
}

}  // namespace
}  // namespace parley::core
