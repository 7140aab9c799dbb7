// The Store port, visitors and people: visitor sessions, the CRM people they are linked to
// by email, and the activity history.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/people.hpp"
#include "store/store_common.hpp"

namespace parley::store {

class PeopleStore {
 public:
  virtual ~PeopleStore() = default;

  // --- visitors and people ---
  virtual core::Visitor create_visitor(std::string_view token_hash, Millis now) = 0;
  virtual std::optional<core::Visitor> find_visitor_by_token(std::string_view token_hash) = 0;
  virtual std::optional<VisitorProfile> visitor_profile(Id visitor_id) = 0;
  // Stores the activity and returns it with its id.
  virtual core::Activity record_activity(const core::Activity& activity) = 0;
  // A page view reported by the widget: a page_visit activity, and the visitor's current
  // page (Visitor::page_url/page_title), in one transaction.
  virtual core::Activity record_page_visit(Id visitor_id, std::string_view url,
                                           std::string_view title, Millis at) = 0;
  // The history of the visitor's person: the activities of every visitor linked to the
  // same person (one email = one person, so two visitors' histories read as one), or of
  // this visitor alone when anonymous. Newest first, only those at or after `since`.
  virtual std::vector<core::Activity> activities(Id visitor_id, Millis since, int limit) = 0;
  // Upserts by email (already validated): set fields replace, unset ones are kept.
  virtual core::Person upsert_person(const core::PersonInput& person, Millis now) = 0;
  // Upserts every row in one transaction: all or nothing. Returns how many of the rows
  // were new people (the others updated a person already stored; emails are unique per
  // file, core::parse_people_csv).
  virtual int import_people(const std::vector<core::PersonInput>& people, Millis now) = 0;
  virtual std::optional<core::Person> find_person_by_email(std::string_view email) = 0;
  // The edit form of the visitor panel (issue 13): `fields` (validated) replace the person
  // fields whole, an unset one is cleared. The visitor's person is edited in place (its
  // email may change: conflict when another person has the new one); a visitor without a
  // person is linked to the person with that email, created when there is none. In one
  // transaction. not_found when no such visitor.
  virtual Result<core::Person> edit_visitor_person(Id visitor_id, const core::PersonInput& fields,
                                                   Millis now) = 0;
  // The newest visitor linked to the person (custom activities addressed by email land
  // on it); nullopt when no visitor ever gave that email.
  virtual std::optional<Id> newest_visitor_of_person(Id person_id) = 0;
};

}  // namespace parley::store
