// What every area of the Store port shares: the error a broken database throws, and the
// core vocabulary the areas speak in.
#pragma once

#include <stdexcept>

#include "core/records.hpp"
#include "core/result.hpp"
#include "core/types.hpp"

namespace parley::store {

using core::Id;
using core::Millis;
using core::Result;
using core::Status;
// The joined shapes the port returns live in core/records.hpp (transport reads them too).
using core::AppendOutcome;
using core::CalendarSettings;
using core::ConversationSummary;
using core::Reader;
using core::StatusFilter;
using core::VisitorProfile;

struct StoreFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A conversation and the event its transition appended.
struct Transition {
  core::Conversation conversation;
  core::Message event;
};

}  // namespace parley::store
