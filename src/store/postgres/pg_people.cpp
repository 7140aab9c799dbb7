// PgStore, visitors and people (store/people_store.hpp): visitor sessions, the CRM people
// they are linked to by email, and the activity history. Nothing here reads, decides and
// writes: person upserts are settled by the unique email (INSERT ... ON CONFLICT), so two
// nodes upserting one email end with one row.
#include "core/activity.hpp"
#include "core/validation.hpp"
#include "store/postgres/pg_sql.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/rows.hpp"

namespace parley::store::postgres {

core::Visitor PgStore::create_visitor(std::string_view token_hash, Millis now) {
  return write([&](PgConnection& db) {
    auto r = db.query(sql({"INSERT INTO visitors (token_hash, created_at) VALUES ($1, $2) "
                           "RETURNING ",
                           kVisitorColumnsBare}),
                      token_hash, now);
    return read_visitor(PgRow(r, 0));
  });
}

std::optional<core::Visitor> PgStore::find_visitor_by_token(std::string_view token_hash) {
  return read([&](PgConnection& db) -> std::optional<core::Visitor> {
    auto r = db.query(sql({"SELECT ", kVisitorColumns, " FROM visitors v WHERE v.token_hash = $1"}),
                      token_hash);
    if (r.empty()) return std::nullopt;
    return read_visitor(PgRow(r, 0));
  });
}

std::optional<VisitorProfile> PgStore::visitor_profile(Id visitor_id) {
  return read([&](PgConnection& db) -> std::optional<VisitorProfile> {
    auto r = db.query(sql({"SELECT ", kVisitorColumns, ", ", kPersonColumns,
                           " FROM visitors v LEFT JOIN people p ON p.id = v.person_id "
                           "WHERE v.id = $1"}),
                      visitor_id);
    if (r.empty()) return std::nullopt;
    PgRow row(r, 0);
    VisitorProfile profile{read_visitor(row), std::nullopt};
    if (!row.is_null(kVisitorColumnCount)) profile.person = read_person(row, kVisitorColumnCount);
    return profile;
  });
}

core::Activity PgStore::record_activity(const core::Activity& activity) {
  return write([&](PgConnection& db) { return insert_activity(db, activity); });
}

core::Activity PgStore::record_page_visit(Id visitor_id, std::string_view url,
                                          std::string_view title, Millis at) {
  return write([&](PgConnection& db) {
    db.query("UPDATE visitors SET page_url = $2, page_title = $3 WHERE id = $1", visitor_id, url,
             title);
    return insert_activity(db, {0, visitor_id, std::string(core::activity::kPageVisit),
                                std::string(title), std::string(url), std::nullopt, at});
  });
}

std::vector<core::Activity> PgStore::activities(Id visitor_id, Millis since, int limit) {
  if (limit <= 0) return {};
  return read([&](PgConnection& db) {
    // The visitors of one person (or this one alone), each read newest first through
    // activities_by_visitor and merged by the ORDER BY.
    auto r = db.query(sql({"SELECT ", kActivityColumns,
                           " FROM activities t WHERE t.visitor_id IN (SELECT o.id FROM visitors v "
                           "JOIN visitors o ON o.person_id = v.person_id WHERE v.id = $1 "
                           "UNION SELECT $1::bigint) "
                           "AND t.at >= $2 ORDER BY t.at DESC, t.id DESC LIMIT $3"}),
                      visitor_id, since, limit);
    std::vector<core::Activity> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_activity(PgRow(r, i)));
    return out;
  });
}

core::Person PgStore::upsert_person(const core::PersonInput& person, Millis now) {
  return write([&](PgConnection& db) { return postgres::upsert_person(db, person, now); });
}

int PgStore::import_people(const std::vector<core::PersonInput>& people, Millis now) {
  // One transaction: a failing row rolls the whole import back. Each row is its own
  // statement, so a file naming one email twice updates the row twice instead of tripping
  // ON CONFLICT's "cannot affect row a second time".
  return write([&](PgConnection& db) {
    int created = 0;
    for (const auto& p : people) {
      if (db.query("SELECT 1 FROM people WHERE email = $1", core::lowercase_ascii(p.email)).empty()) {
        ++created;
      }
      postgres::upsert_person(db, p, now);
    }
    return created;
  });
}

std::optional<core::Person> PgStore::find_person_by_email(std::string_view email) {
  return read([&](PgConnection& db) -> std::optional<core::Person> {
    auto r = db.query(sql({"SELECT ", kPersonColumns, " FROM people p WHERE p.email = $1"}),
                      core::lowercase_ascii(email));
    if (r.empty()) return std::nullopt;
    return read_person(PgRow(r, 0));
  });
}

std::optional<Id> PgStore::newest_visitor_of_person(Id person_id) {
  return read([&](PgConnection& db) {
    auto r = db.query("SELECT max(id) FROM visitors WHERE person_id = $1", person_id);
    return r.opt_int64(0, 0);
  });
}

}  // namespace parley::store::postgres
