// The Store port, settings: the admin's chat policy (accept window, offers, inactivity,
// history window, fallback text, hosts a fetch may reach).
#pragma once

#include "core/chat_policy.hpp"
#include "store/store_common.hpp"

namespace parley::store {

class SettingsStore {
 public:
  virtual ~SettingsStore() = default;

  // The admin settings of the chat life cycle; defaults until saved.
  virtual core::ChatPolicy load_chat_policy() = 0;
  virtual void save_chat_policy(const core::ChatPolicy& policy) = 0;
};

}  // namespace parley::store
