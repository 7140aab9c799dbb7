// The Store port, settings: the admin's chat policy (accept window, offers, inactivity,
// history window, fallback text, hosts a fetch may reach) and the outgoing mail server.
#pragma once

#include "core/chat_policy.hpp"
#include "core/smtp_settings.hpp"
#include "store/store_common.hpp"

namespace parley::store {

class SettingsStore {
 public:
  virtual ~SettingsStore() = default;

  // The admin settings of the chat life cycle; defaults until saved.
  virtual core::ChatPolicy load_chat_policy() = 0;
  virtual void save_chat_policy(const core::ChatPolicy& policy) = 0;
  // The admin's SMTP server for follow-up emails (core/smtp_settings.hpp); not configured
  // (empty host) until saved. Saving replaces every field, the password included.
  virtual core::SmtpSettings load_smtp_settings() = 0;
  virtual void save_smtp_settings(const core::SmtpSettings& settings) = 0;

  // The database's identity: 32 hex digits drawn at random by the first call on this database
  // and kept in it, so every node on the database reads the same id and another database (or
  // PostgreSQL schema) has its own. A cluster's Redis channel is named after it: deployments
  // that share one Redis never see each other's events (their conversation ids collide).
  virtual std::string cluster_id() = 0;
};

}  // namespace parley::store
