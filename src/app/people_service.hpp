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
  int created = 0;                        // of them, new people; the others were updated
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
  // The visitor panel's edit form (issue 13): the person fields of the visitor of
  // conversation `conversation_id`, replaced whole (a blank field is cleared; email is
  // required). Admins, and agents for a chat they may read that is not a pending request
  // (core::team::may_edit_visitor_person); not_found for a chat the caller may not see,
  // forbidden for one they see but may not edit, conflict when the new email is another
  // person's.
  core::Result<core::Person> edit_visitor_person(const core::Agent& caller,
                                                 core::Id conversation_id,
                                                 core::PersonInput fields);
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
