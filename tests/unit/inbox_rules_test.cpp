// Pure rules of the Inbox views: search terms, people and their CSV, widget reports,
// custom activities, the transcript format.
#include <date/tz.h>
#include <gtest/gtest.h>

#include "core/activity.hpp"
#include "core/people.hpp"
#include "core/search.hpp"
#include "core/transcript.hpp"

namespace parley::core {
namespace {

using Terms = std::vector<std::string>;

TEST(SearchTerms, SplitOnPunctuationLowerCaseAndDropDuplicates) {
  EXPECT_EQ(search_terms("Ann@Example.com  pricing"), (Terms{"ann", "example", "com", "pricing"}));
  EXPECT_EQ(search_terms("  \"quoted\" OR (NOT) *star* "), (Terms{"quoted", "or", "not", "star"}));
  EXPECT_EQ(search_terms("Zoë zoë ZOË"), (Terms{"zoë", "zoË"}));  // only ASCII is folded here
  EXPECT_TRUE(search_terms("").empty());
  EXPECT_TRUE(search_terms(" ,.;-- ").empty());
}

TEST(SearchTerms, AreBoundedInNumberAndLength) {
  EXPECT_EQ(search_terms("aa bb cc dd ee ff gg hh ii jj").size(), kMaxSearchTerms);
  EXPECT_EQ(search_terms("a I x2 b"), (Terms{"x2"}));  // one-byte words match too much
  auto long_word = std::string(100, 'x');
  EXPECT_EQ(search_terms(long_word)[0].size(), kMaxSearchTermBytes);
  // A cut never splits a UTF-8 character: 63 ASCII bytes then a two-byte "é".
  auto t = search_terms(std::string(63, 'a') + "\xC3\xA9" + "zz");
  EXPECT_EQ(t[0], std::string(63, 'a'));
}

TEST(PersonInput, IsTrimmedLowerCasedAndChecked) {
  auto p =
      validate_person_input({"  Kim@Example.COM ", " Kim ", "  ", std::nullopt, "Acme", "Lead "});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->email, "kim@example.com");
  EXPECT_EQ(p->name, "Kim");
  EXPECT_FALSE(p->job_title);  // blank = not given
  EXPECT_EQ(p->crm_status, "Lead");
  EXPECT_FALSE(validate_person_input({"", "Kim"}));
  EXPECT_FALSE(validate_person_input({"kim-at-example", "Kim"}));
  EXPECT_FALSE(validate_person_input({"kim@example.com", std::string(201, 'k')}));
  EXPECT_FALSE(validate_person_input({"kim@example.com", std::string("\xFF\xFE")}));
}

TEST(PeopleCsv, ReadsColumnsByHeaderInAnyOrderAndCase) {
  auto csv =
      parse_people_csv("CRM Status,EMAIL,job title\nCustomer,a@example.com,CEO\n,b@example.com,\n");
  ASSERT_TRUE(csv);
  EXPECT_TRUE(csv->errors.empty());
  ASSERT_EQ(csv->people.size(), 2u);
  EXPECT_EQ(csv->people[0].email, "a@example.com");
  EXPECT_EQ(csv->people[0].crm_status, "Customer");
  EXPECT_EQ(csv->people[0].job_title, "CEO");
  EXPECT_FALSE(csv->people[1].crm_status);  // an empty cell keeps the stored value
  EXPECT_FALSE(csv->people[1].name);        // an absent column too
}

TEST(PeopleCsv, ReportsEveryBadRowWithItsLine) {
  auto csv = parse_people_csv(
      "email,name\nok@example.com,Ok\nbad,Bad\n\nx@example.com\nOK@example.com,Again\n");
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->errors.size(), 3u);
  EXPECT_EQ(csv->errors[0].line, 3);
  EXPECT_EQ(csv->errors[0].message, "email is not a valid address");
  EXPECT_EQ(csv->errors[1].line, 5);  // the blank line 4 is skipped, not an error
  EXPECT_EQ(csv->errors[1].message, "expected 2 cells, found 1");
  EXPECT_EQ(csv->errors[2].line, 6);
  EXPECT_EQ(csv->errors[2].message, "email ok@example.com is already on line 2");
  EXPECT_EQ(csv->people.size(), 1u);
}

TEST(PeopleCsv, RefusesFilesItCannotRead) {
  EXPECT_FALSE(parse_people_csv(""));
  EXPECT_FALSE(parse_people_csv("name,company\nKim,Acme\n"));             // no email column
  EXPECT_FALSE(parse_people_csv("email,email\na@example.com,b@x.io\n"));  // a column twice
  auto unknown = parse_people_csv("email,favourite_colour\n");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("favourite_colour"), std::string::npos);
  EXPECT_FALSE(parse_people_csv("email\n\"a@example.com\n"));  // unterminated quote
}

TEST(VisitorReport, AcceptsPageVisitsAndLinkClicksOverHttpOnly) {
  auto ok =
      activity::validate_visitor_report({"page_visit", " https://a.example/x ", "  Pricing  "});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->url, "https://a.example/x");
  EXPECT_EQ(ok->title, "Pricing");
  EXPECT_TRUE(activity::validate_visitor_report({"link_clicked", "HTTP://A.EXAMPLE", ""}));
  EXPECT_FALSE(activity::validate_visitor_report({"chat_ended", "https://a.example", ""}));
  EXPECT_FALSE(activity::validate_visitor_report({"page_visit", "javascript:alert(1)", ""}));
  EXPECT_FALSE(activity::validate_visitor_report({"page_visit", "https://a.example/\nx", ""}));
  EXPECT_FALSE(
      activity::validate_visitor_report({"page_visit", "https://" + std::string(2000, 'a'), ""}));
  // A long title is cut at a character boundary, not refused.
  auto long_title = activity::validate_visitor_report(
      {"page_visit", "https://a.example", std::string(499, 't') + "\xC3\xA9"});
  ASSERT_TRUE(long_title);
  EXPECT_EQ(long_title->title, std::string(499, 't'));
}

TEST(CustomActivity, DetailIsRequiredAndBounded) {
  EXPECT_EQ(*activity::validate_custom_detail("  Webinar  "), "Webinar");
  EXPECT_FALSE(activity::validate_custom_detail("   "));
  EXPECT_FALSE(activity::validate_custom_detail(std::string(501, 'x')));
}

TEST(FormFilledDetail, ListsTheFieldsTheVisitorGave) {
  PreChatForm f{"Ann", "ann@example.com", std::nullopt, "+1 555", "Acme", ""};
  EXPECT_EQ(activity::form_filled_detail(f),
            "Name: Ann \u00b7 Email: ann@example.com \u00b7 Phone: +1 555 \u00b7 Company: Acme");
}

TEST(Transcript, HasAHeaderAndOneLinePerTextMessageInTheReadersZone) {
  const auto& berlin = *date::locate_zone("Europe/Berlin");
  // 2026-07-01 10:00:00 UTC = 12:00:00 in Berlin (summer time).
  Millis t0 = 1'782'900'000'000;
  TranscriptHeader h{42, "Vera", "vera@example.com", "Alice", t0, t0 + 600'000};
  std::vector<Message> events{
      {1, 42, 1, SenderKind::system, std::nullopt, "chat.requested", "Vera", std::nullopt, t0},
      {2, 42, 2, SenderKind::visitor, std::nullopt, "text", "Hello\r\nthere", std::nullopt,
       t0 + 1000},
      {3, 42, 3, SenderKind::agent, 7, "text", "Hi!", std::nullopt, t0 + 61'000},
      {4, 42, 4, SenderKind::agent, 9, "text", "Admin here", std::nullopt, t0 + 62'000},
      {5, 42, 5, SenderKind::system, std::nullopt, "chat.ended", "agent", std::nullopt,
       t0 + 600'000}};
  auto text = format_transcript(h, events, {{7, "Alice"}}, berlin);
  EXPECT_EQ(text,
            "Parley transcript of conversation #42\n"
            "Visitor: Vera <vera@example.com>\n"
            "Agent: Alice\n"
            "Start: 2026-07-01 12:00:00\n"
            "End: 2026-07-01 12:10:00\n"
            "Times: Europe/Berlin\n"
            "\n"
            "[2026-07-01 12:00:01] Vera: Hello\n"
            "  there\n"
            "[2026-07-01 12:01:01] Alice: Hi!\n"
            "[2026-07-01 12:01:02] Agent: Admin here\n");
}

TEST(Transcript, ShowsDashesForWhatIsUnknown) {
  const auto& utc = *date::locate_zone("UTC");
  TranscriptHeader h{5, "Visitor #3", std::nullopt, std::nullopt, 0, std::nullopt};
  EXPECT_EQ(format_transcript(h, {}, {}, utc),
            "Parley transcript of conversation #5\nVisitor: Visitor #3\nAgent: -\n"
            "Start: 1970-01-01 00:00:00\nEnd: -\nTimes: UTC\n\n");
}

}  // namespace
}  // namespace parley::core
