#pragma once
// The language of a document the server writes for a person (a transcript, an .ics
// invitation): the `lang` the front end asks for (?lang=sv — the language it shows), else the
// reader's stored setting (an agent's), else English.
#include <string_view>

#include "core/language.hpp"

namespace parley::net {

core::Language document_language(std::string_view target, std::string_view setting = {});

}  // namespace parley::net
