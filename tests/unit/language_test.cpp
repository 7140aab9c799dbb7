// The language rules (core/language.hpp): which settings are storable, how a tag is read, and
// the Swedish and English words of transcripts and invitations.
#include <date/tz.h>
#include <gtest/gtest.h>

#include "core/invitation_text.hpp"
#include "core/language.hpp"
#include "core/transcript.hpp"

namespace parley::core {
namespace {

TEST(Language, OnlySwedishEnglishOrNoneIsASetting) {
  EXPECT_TRUE(is_language_setting(""));
  EXPECT_TRUE(is_language_setting("sv"));
  EXPECT_TRUE(is_language_setting("en"));
  for (auto bad : {"de", "SV", "sv-SE", " sv", "english", "s"}) EXPECT_FALSE(is_language_setting(bad)) << bad;
}

TEST(Language, SwedishTagsAreSwedishAndTheRestEnglish) {
  for (auto sv : {"sv", "sv-SE", "SV", "sv_FI"}) EXPECT_EQ(Language::sv, language_of(sv)) << sv;
  for (auto en : {"", "en", "en-US", "ar-EG", "svx", "s", "de"}) EXPECT_EQ(Language::en, language_of(en)) << en;
  EXPECT_EQ("sv", language_code(Language::sv));
  EXPECT_EQ("en", language_code(Language::en));
}

TEST(Language, InvitationWordsFollowTheLanguage) {
  EXPECT_EQ("Möte med Ann", invitation_text(Language::sv, "Ann").summary);
  EXPECT_EQ("Meeting with Ann", invitation_text(Language::en, "Ann").summary);
  EXPECT_NE(invitation_text(Language::sv, "Ann").description, invitation_text(Language::en, "Ann").description);
}

TEST(Language, SwedishTranscriptHasSwedishLabels) {
  TranscriptHeader h{12, "Vera", std::nullopt, "Ann", 0, 60'000};
  std::vector<Message> events(1);
  events[0].kind = "text";
  events[0].sender = SenderKind::agent;
  events[0].agent_id = 99;  // not among the names
  events[0].body = "Hej!";
  auto text = format_transcript(h, events, {}, *date::locate_zone("UTC"), Language::sv);
  EXPECT_EQ(0u, text.find("Parley – chattutskrift av konversation #12\nBesökare: Vera\nAgent: Ann\n"
                          "Start: 1970-01-01 00:00:00\nSlut: 1970-01-01 00:01:00\nTider: UTC\n"))
      << text;
  EXPECT_NE(std::string::npos, text.find("] Agent: Hej!")) << text;
}

}  // namespace
}  // namespace parley::core
