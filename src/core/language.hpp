#pragma once
// The languages people read Parley in (SPEC §8): Swedish and English. An agent's setting is
// "sv", "en" or "" (follow the browser); server-made documents (transcripts, .ics invitations)
// are written in the language of whoever they are for, English when none is known.
#include <string>
#include <string_view>

namespace parley::core {

enum class Language { en, sv };

// True for a storable language setting: "sv", "en" or "" (the browser's).
bool is_language_setting(std::string_view setting);

// A setting or a requested language ("sv", "sv-SE", "en", anything else) as a language;
// unknown or empty: English.
Language language_of(std::string_view tag);

// "sv" / "en".
std::string_view language_code(Language language);

}  // namespace parley::core
