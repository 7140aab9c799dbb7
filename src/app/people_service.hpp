// The CRM side (SPEC §2, visitor information): people upserted through the API or imported
// from CSV, and custom activities posted by integrations. Admins only (forbidden
// otherwise); agents see people through the conversations they may view.
#pragma once

#include <string_view>
#include <variant>
#include <vector>

#include "app/clock.hpp"
#include "app/ports.hpp"
#include "core/people.hpp"
#include "core/result.hpp"

namespace parley::app {

struct PeopleImport {
  int imported = 0;                       // rows written (0 when any row was bad)
  std::vector<core::CsvRowError> errors;  // every bad row; nothing is written when non-empty
};

// Whom a custom activity is about: a visitor id, or the person with this email (the
// activity lands on that person's newest visitor).
using ActivityTarget = std::variant<core::Id, std::string>;

class PeopleService {
 public:
  PeopleService(store::Store& store, Clock clock) : store_(store), clock_(std::move(clock)) {}

  core::Result<core::Person> upsert(const core::Agent& admin, core::PersonInput person);
  core::Result<core::Person> find(const core::Agent& admin, std::string_view email);
  // All or nothing: bad_request for an unreadable file; a report of every bad row (and
  // nothing written) when some rows are bad.
  core::Result<PeopleImport> import_csv(const core::Agent& admin, std::string_view csv);
  // not_found when the visitor (or a visitor with that email) does not exist.
  core::Result<core::Activity> post_custom_activity(const core::Agent& admin,
                                                    const ActivityTarget& target,
                                                    std::string_view detail,
                                                    std::optional<std::string> url);

 private:
  store::Store& store_;
  Clock clock_;
};

}  // namespace parley::app
