// SqliteStore, API tokens (store/api_token_store.hpp).
#include "store/api_token_rows.hpp"
#include "store/rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace parley::store::sqlite {

core::ApiToken SqliteStore::create_api_token(const core::ApiToken& token,
                                             std::string_view secret_hash) {
  return writer_.run([&](Connection& db) {
    auto s = db.prepare(sql({"INSERT INTO api_tokens (name, scopes, prefix, secret_hash, created_by, "
                             "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING ",
                             kApiTokenColumns}));
    s.bind_all(token.name, encode_scopes(token.scopes), token.prefix, secret_hash, token.created_by,
               token.created_at);
    s.step();
    auto created = read_api_token(s);
    s.run();
    return created;
  });
}

std::vector<core::ApiToken> SqliteStore::list_api_tokens() {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kApiTokenColumns, " FROM api_tokens ORDER BY id DESC"}));
  std::vector<core::ApiToken> out;
  while (s.step()) out.push_back(read_api_token(s));
  return out;
}

std::optional<core::ApiToken> SqliteStore::find_api_token(std::string_view secret_hash) {
  auto conn = readers_.lease();
  auto s = conn->prepare(sql({"SELECT ", kApiTokenColumns,
                              " FROM api_tokens WHERE secret_hash = ?1 AND revoked_at IS NULL"}));
  s.bind_all(secret_hash);
  if (!s.step()) return std::nullopt;
  return read_api_token(s);
}

bool SqliteStore::revoke_api_token(Id id, Millis now) {
  return writer_.run([&](Connection& db) {
    db.prepare("UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")
        .bind_all(id, now)
        .run();
    return db.changes() > 0;
  });
}

void SqliteStore::touch_api_token(Id id, Millis now) {
  writer_.run([&](Connection& db) {
    db.prepare("UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1 "
               "AND (last_used_at IS NULL OR last_used_at <= ?2 - ?3)")
        .bind_all(id, now, core::kApiTokenUseResolution)
        .run();
    return 0;
  });
}

}  // namespace parley::store::sqlite
