// The Store port: everything Parley keeps, behind one interface with one adapter per
// database (sqlite/, the embedded default; postgres/, for clusters). Each mutating call is one atomic transaction;
// conflicting actions (two accepts of one chat, a duplicate client message id) are settled
// inside the database by conditional updates and unique constraints, never by an
// in-memory lock, so the same contract holds when several nodes share one database.
//
// The port is cut by area, one header each, so that an adapter is written, reviewed and
// contract-tested one area at a time; Store is all of them together.
//
// All methods are safe to call from any thread. Expected failures come back as
// core::Error values; a broken database throws StoreFailure.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "store/agent_store.hpp"
#include "store/api_token_store.hpp"
#include "store/conversation_store.hpp"
#include "store/deadline_store.hpp"
#include "store/followup_store.hpp"
#include "store/meeting_store.hpp"
#include "store/monitoring_store.hpp"
#include "store/people_store.hpp"
#include "store/routing_store.hpp"
#include "store/settings_store.hpp"
#include "store/webhook_store.hpp"

namespace parley::store {

class Store : public AgentStore,
              public PeopleStore,
              public MeetingStore,
              public RoutingStore,
              public DeadlineStore,
              public ConversationStore,
              public SettingsStore,
              public FollowupStore,
              public ApiTokenStore,
              public WebhookStore,
              public MonitoringStore {
 public:
  ~Store() override = default;

  // Why the database cannot be used right now (for /healthz), or nullopt when it answers.
  virtual std::optional<std::string> unavailable() { return std::nullopt; }
};

// Opens (creating if needed) the SQLite database at `path` and applies migrations.
std::unique_ptr<Store> open_sqlite_store(const std::string& path);
// Connects to PostgreSQL (a libpq connection string or postgresql:// URI) and applies the
// schema: the adapter for several nodes sharing one database.
std::unique_ptr<Store> open_postgres_store(const std::string& conninfo);

}  // namespace parley::store
