#include "core/invitation_text.hpp"

namespace parley::core {

InvitationText invitation_text(Language language, std::string_view agent_name) {
  std::string name(agent_name);
  if (language == Language::sv) return {"Möte med " + name, "Bokat via Parleys chatt."};
  return {"Meeting with " + name, "Booked through Parley chat."};
}

}  // namespace parley::core
