#include "core/validation.hpp"

#include <gtest/gtest.h>

namespace parley::core {
namespace {

TEST(ValidationTest, MessageBodyIsTrimmedAndMustNotBeEmpty) {
  EXPECT_EQ("hi there", *validate_message_body("  hi there \n"));
  EXPECT_EQ(ErrorCode::bad_request, validate_message_body(" \t\n").error().code);
}

TEST(ValidationTest, MessageBodyOverTheLimitIsPayloadTooLarge) {
  EXPECT_TRUE(validate_message_body(std::string(kMaxMessageBytes, 'a')).ok());
  EXPECT_EQ(ErrorCode::payload_too_large,
            validate_message_body(std::string(kMaxMessageBytes + 1, 'a')).error().code);
}

TEST(ValidationTest, Utf8IsCheckedStrictly) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));      // truncated
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong
  EXPECT_FALSE(is_valid_utf8("a\x80" "b"));     // stray continuation
}

TEST(ValidationTest, ClientIdMustBeShortPrintableAscii) {
  EXPECT_TRUE(validate_client_id("c-123_abc").ok());
  EXPECT_FALSE(validate_client_id("").ok());
  EXPECT_FALSE(validate_client_id("has space").ok());
  EXPECT_FALSE(validate_client_id(std::string(kMaxClientIdBytes + 1, 'x')).ok());
}

TEST(ValidationTest, EmailsAreCheckedAndLowerCased) {
  EXPECT_TRUE(looks_like_email("a@b.co"));
  EXPECT_FALSE(looks_like_email("a@b"));
  EXPECT_FALSE(looks_like_email("@b.co"));
  EXPECT_FALSE(looks_like_email("a@@b.co"));
  EXPECT_FALSE(looks_like_email("a b@c.de"));
  PreChatForm f{"  Vera ", " Vera@Example.COM ", std::string(" CTO "), std::string("  "), std::nullopt, ""};
  auto v = validate_pre_chat_form(f);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ("Vera", v->name);
  EXPECT_EQ("vera@example.com", v->email);
  EXPECT_EQ("CTO", v->job_title);
  EXPECT_EQ(std::nullopt, v->phone);  // blank optional fields are unknown, not ""
}

TEST(ValidationTest, PreChatFormRequiresNameAndEmail) {
  EXPECT_FALSE(validate_pre_chat_form({"", "a@b.co", {}, {}, {}, ""}).ok());
  EXPECT_FALSE(validate_pre_chat_form({"A", "", {}, {}, {}, ""}).ok());
  EXPECT_FALSE(validate_pre_chat_form({std::string(kMaxFieldBytes + 1, 'n'), "a@b.co", {}, {}, {}, ""}).ok());
}

}  // namespace
}  // namespace parley::core

namespace parley::core {
namespace {

TEST(ValidationTest, TheFormsQuestionIsOptionalTrimmedAndLimited) {
  PreChatForm f{"Vera", "vera@example.com", std::nullopt, std::nullopt, std::nullopt, "", std::nullopt};
  f.question = std::string("  Do you ship to Norway?  ");
  EXPECT_EQ("Do you ship to Norway?", validate_pre_chat_form(f)->question.value());
  f.question = std::string("   ");
  EXPECT_FALSE(validate_pre_chat_form(f)->question);  // blank: no question
  f.question = std::string(kMaxQuestionBytes, 'x');
  EXPECT_TRUE(validate_pre_chat_form(f).ok());
  f.question = std::string(kMaxQuestionBytes + 1, 'x');
  auto too_long = validate_pre_chat_form(f);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ("question is too long", too_long.error().message);
  f.question = std::string("\xff\xfe");
  EXPECT_FALSE(validate_pre_chat_form(f).ok());
}

}  // namespace
}  // namespace parley::core
