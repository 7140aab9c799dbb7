#include "app/people_service.hpp"

#include "core/activity.hpp"
#include "core/team.hpp"
#include "store/store.hpp"

namespace parley::app {

namespace {
core::Status require_admin(const core::Agent& a) {
  if (a.role != core::Role::admin) return core::forbidden("only admins manage people");
  return core::Ok{};
}
}  // namespace

core::Result<core::Person> PeopleService::upsert(const core::Agent& admin,
                                                 core::PersonInput person) {
  if (auto ok = require_admin(admin); !ok) return ok.error();
  auto valid = core::validate_person_input(std::move(person));
  if (!valid) return valid.error();
  return store_.upsert_person(*valid, clock_());
}

core::Result<core::Person> PeopleService::edit_visitor_person(const core::Agent& caller,
                                                              core::Id conversation_id,
                                                              core::PersonInput fields) {
  auto viewer = core::viewer_of(caller);
  auto c = store_.find_conversation(conversation_id);
  if (!c || !core::can_view(viewer, *c)) return core::not_found("no such conversation");
  if (!core::team::may_edit_visitor_person(viewer, *c)) {
    return core::forbidden("accept the chat before editing the visitor");
  }
  auto valid = core::validate_person_input(std::move(fields));
  if (!valid) return valid.error();
  return store_.edit_visitor_person(c->visitor_id, *valid, clock_());
}

core::Result<core::Person> PeopleService::find(const core::Agent& admin, std::string_view email) {
  if (auto ok = require_admin(admin); !ok) return ok.error();
  auto person = store_.find_person_by_email(email);
  if (!person) return core::not_found("no person with that email");
  return *person;
}

core::Result<PeopleImport> PeopleService::import_csv(const core::Agent& admin,
                                                     std::string_view csv) {
  if (auto ok = require_admin(admin); !ok) return ok.error();
  auto parsed = core::parse_people_csv(csv);
  if (!parsed) return parsed.error();
  if (!parsed->errors.empty()) return PeopleImport{0, 0, std::move(parsed->errors)};
  int rows = static_cast<int>(parsed->people.size());
  return PeopleImport{rows, store_.import_people(parsed->people, clock_()), {}};
}

core::Result<core::Activity> PeopleService::post_custom_activity(const core::Agent& admin,
                                                                 const ActivityTarget& target,
                                                                 std::string_view detail,
                                                                 std::optional<std::string> url) {
  if (auto ok = require_admin(admin); !ok) return ok.error();
  auto text = core::activity::validate_custom_detail(detail);
  if (!text) return text.error();
  if (url) {
    if (auto ok = core::activity::validate_activity_url(*url); !ok) return ok.error();
  }
  std::optional<core::Id> visitor_id;
  if (const auto* id = std::get_if<core::Id>(&target)) {
    if (store_.visitor_profile(*id)) visitor_id = *id;
  } else if (auto person = store_.find_person_by_email(std::get<std::string>(target))) {
    visitor_id = store_.newest_visitor_of_person(person->id);
  }
  if (!visitor_id) return core::not_found("no visitor with that id or email");
  return store_.record_activity({0, *visitor_id, std::string(core::activity::kCustom),
                                 std::move(*text), std::move(url), std::nullopt, clock_()});
}

}  // namespace parley::app
