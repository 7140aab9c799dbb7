// The chat policy as rows of the settings table (key, text value), shared by every adapter
// so that a database copied from one adapter to another reads back the same policy.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/chat_policy.hpp"

namespace parley::store {

// Every setting of the policy as (key, value).
std::vector<std::pair<std::string, std::string>> policy_settings(const core::ChatPolicy& policy);

// Applies one stored setting to `policy`; unknown keys are ignored (a newer binary's).
// Throws StoreFailure when the value is malformed.
void apply_policy_setting(core::ChatPolicy& policy, const std::string& key,
                          const std::string& value);

}  // namespace parley::store
