// The admin's SMTP setting as rows of the settings table (key "smtp_*", text value), shared by
// every adapter (like policy_settings.hpp), so a database copied between adapters reads back
// the same setting.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/smtp_settings.hpp"

namespace parley::store {

std::vector<std::pair<std::string, std::string>> smtp_setting_rows(const core::SmtpSettings& s);

// Applies one stored row; keys that are not "smtp_*" are left to others. Throws StoreFailure
// when the value is malformed.
void apply_smtp_setting(core::SmtpSettings& s, const std::string& key, const std::string& value);

}  // namespace parley::store
