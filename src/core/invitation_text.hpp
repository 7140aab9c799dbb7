#pragma once
// The words of a meeting invitation (.ics SUMMARY and DESCRIPTION) in the reader's language:
// the booker's (the widget or meeting page sends it) or the agent's setting.
#include <string>
#include <string_view>

#include "core/language.hpp"

namespace parley::core {

struct InvitationText {
  std::string summary;      // "Meeting with Ann Agent" / "Möte med Ann Agent"
  std::string description;  // where it was booked
};

InvitationText invitation_text(Language language, std::string_view agent_name);

}  // namespace parley::core
