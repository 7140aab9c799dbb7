// Row <-> core::ApiToken for both adapters (the api_tokens table of each schema).
#pragma once

#include <string>

#include "core/api_token.hpp"

namespace parley::store {

inline constexpr const char* kApiTokenColumns =
    "id, name, scopes, prefix, created_by, created_at, last_used_at, revoked_at";

// Scopes as stored: their names separated by spaces ("people:read people:write").
std::string encode_scopes(const std::vector<core::ApiScope>& scopes);
// Names this binary does not know are dropped: a token never gains a scope by a rename.
std::vector<core::ApiScope> decode_scopes(std::string_view text);

template <class Row>
core::ApiToken read_api_token(const Row& s) {
  core::ApiToken t;
  t.id = s.int64(0);
  t.name = s.text(1);
  t.scopes = decode_scopes(s.text(2));
  t.prefix = s.text(3);
  t.created_by = s.int64(4);
  t.created_at = s.int64(5);
  t.last_used_at = s.opt_int64(6);
  t.revoked_at = s.opt_int64(7);
  return t;
}

}  // namespace parley::store
