#include "store/smtp_settings_rows.hpp"

#include <stdexcept>

#include "store/store_common.hpp"

namespace parley::store {

std::vector<std::pair<std::string, std::string>> smtp_setting_rows(const core::SmtpSettings& s) {
  return {{"smtp_host", s.host},
          {"smtp_port", std::to_string(s.port)},
          {"smtp_security", std::string(core::to_string(s.security))},
          {"smtp_user", s.user},
          {"smtp_password", s.password},
          {"smtp_from_address", s.from_address},
          {"smtp_from_name", s.from_name}};
}

void apply_smtp_setting(core::SmtpSettings& s, const std::string& key, const std::string& value) {
  try {
    if (key == "smtp_host") s.host = value;
    else if (key == "smtp_port") s.port = std::stoi(value);
    else if (key == "smtp_security") {
      auto security = core::smtp_security_of(value);
      if (!security) throw std::invalid_argument(value);
      s.security = *security;
    }
    else if (key == "smtp_user") s.user = value;
    else if (key == "smtp_password") s.password = value;
    else if (key == "smtp_from_address") s.from_address = value;
    else if (key == "smtp_from_name") s.from_name = value;
  } catch (const std::exception&) {
    throw StoreFailure("store: setting " + key + " holds a malformed value");
  }
}

}  // namespace parley::store
