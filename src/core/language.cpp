#include "core/language.hpp"

namespace parley::core {

bool is_language_setting(std::string_view setting) {
  return setting.empty() || setting == "sv" || setting == "en";
}

Language language_of(std::string_view tag) {
  // "sv", "sv-SE", "SV_fi": Swedish; the primary subtag decides.
  if (tag.size() >= 2 && (tag[0] == 's' || tag[0] == 'S') && (tag[1] == 'v' || tag[1] == 'V') &&
      (tag.size() == 2 || tag[2] == '-' || tag[2] == '_')) {
    return Language::sv;
  }
  return Language::en;
}

std::string_view language_code(Language language) {
  return language == Language::sv ? "sv" : "en";
}

}  // namespace parley::core
