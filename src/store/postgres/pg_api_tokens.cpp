// PgStore, API tokens (store/api_token_store.hpp). The PostgreSQL twin of
// sqlite/sqlite_api_tokens.cpp.
#include "store/api_token_rows.hpp"
#include "store/postgres/pg_sql.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/rows.hpp"

namespace parley::store::postgres {

core::ApiToken PgStore::create_api_token(const core::ApiToken& token,
                                         std::string_view secret_hash) {
  return write([&](PgConnection& db) {
    auto r = db.query(sql({"INSERT INTO api_tokens (name, scopes, prefix, secret_hash, created_by, "
                           "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
                           kApiTokenColumns}),
                      token.name, encode_scopes(token.scopes), token.prefix, secret_hash,
                      token.created_by, token.created_at);
    return read_api_token(PgRow(r, 0));
  });
}

std::vector<core::ApiToken> PgStore::list_api_tokens() {
  return read([&](PgConnection& db) {
    auto r = db.query(sql({"SELECT ", kApiTokenColumns, " FROM api_tokens ORDER BY id DESC"}));
    std::vector<core::ApiToken> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_api_token(PgRow(r, i)));
    return out;
  });
}

std::optional<core::ApiToken> PgStore::find_api_token(std::string_view secret_hash) {
  return read([&](PgConnection& db) -> std::optional<core::ApiToken> {
    auto r = db.query(sql({"SELECT ", kApiTokenColumns,
                           " FROM api_tokens WHERE secret_hash = $1 AND revoked_at IS NULL"}),
                      secret_hash);
    if (r.empty()) return std::nullopt;
    return read_api_token(PgRow(r, 0));
  });
}

bool PgStore::revoke_api_token(Id id, Millis now) {
  return write([&](PgConnection& db) {
    auto r = db.query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                      id, now);
    return r.affected() > 0;
  });
}

void PgStore::touch_api_token(Id id, Millis now) {
  write([&](PgConnection& db) {
    db.query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 "
             "AND (last_used_at IS NULL OR last_used_at <= $2::bigint - $3::bigint)",
             id, now, core::kApiTokenUseResolution);
    return 0;
  });
}

}  // namespace parley::store::postgres
