// Contract: API tokens are found only by their secret's hash and only while not revoked;
// revoking is once; last use is written at most once a minute.
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

core::ApiToken token_of(Id admin, Millis at, std::string name = "CRM sync") {
  core::ApiToken t;
  t.name = std::move(name);
  t.scopes = {core::ApiScope::people_read, core::ApiScope::people_write};
  t.prefix = "pt_abcdefgh";
  t.created_by = admin;
  t.created_at = at;
  return t;
}

TEST_P(StoreContract, AnApiTokenIsFoundByItsHashAndListedWithItsScopes) {
  auto admin = agent("ada", true, 10, core::Role::admin);
  auto at = tick();
  auto created = store().create_api_token(token_of(admin.id, at), "hash-1");
  EXPECT_GT(created.id, 0);
  auto found = store().find_api_token("hash-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(created.id, found->id);
  EXPECT_EQ("CRM sync", found->name);
  EXPECT_EQ((std::vector{core::ApiScope::people_read, core::ApiScope::people_write}), found->scopes);
  EXPECT_EQ("pt_abcdefgh", found->prefix);
  EXPECT_EQ(admin.id, found->created_by);
  EXPECT_EQ(at, found->created_at);
  EXPECT_FALSE(found->last_used_at);
  EXPECT_FALSE(store().find_api_token("hash-2"));
  EXPECT_FALSE(store().find_api_token(""));

  store().create_api_token(token_of(admin.id, tick(), "Reports"), "hash-2");
  auto all = store().list_api_tokens();
  ASSERT_EQ(2u, all.size());
  EXPECT_EQ("Reports", all[0].name);  // newest first
  EXPECT_EQ("CRM sync", all[1].name);
}

TEST_P(StoreContract, ARevokedApiTokenIsNoLongerFoundButStaysListed) {
  auto admin = agent("ada", true, 10, core::Role::admin);
  auto t = store().create_api_token(token_of(admin.id, tick()), "hash-1");
  auto at = tick();
  EXPECT_TRUE(store().revoke_api_token(t.id, at));
  EXPECT_FALSE(store().revoke_api_token(t.id, tick()));  // once
  EXPECT_FALSE(store().revoke_api_token(t.id + 1000, tick()));
  EXPECT_FALSE(store().find_api_token("hash-1"));
  auto all = store().list_api_tokens();
  ASSERT_EQ(1u, all.size());
  EXPECT_EQ(at, all[0].revoked_at);
}

TEST_P(StoreContract, AnApiTokensLastUseIsWrittenAtMostOnceAMinute) {
  auto admin = agent("ada", true, 10, core::Role::admin);
  auto t = store().create_api_token(token_of(admin.id, tick()), "hash-1");
  Millis first = now() + 1000;
  store().touch_api_token(t.id, first);
  EXPECT_EQ(first, store().find_api_token("hash-1")->last_used_at);
  store().touch_api_token(t.id, first + core::kApiTokenUseResolution - 1);
  EXPECT_EQ(first, store().find_api_token("hash-1")->last_used_at);
  store().touch_api_token(t.id, first + core::kApiTokenUseResolution);
  EXPECT_EQ(first + core::kApiTokenUseResolution, store().find_api_token("hash-1")->last_used_at);
}

TEST_P(StoreContract, TwoApiTokensCannotShareASecretHash) {
  auto admin = agent("ada", true, 10, core::Role::admin);
  store().create_api_token(token_of(admin.id, tick()), "hash-1");
  EXPECT_THROW(store().create_api_token(token_of(admin.id, tick()), "hash-1"), std::exception);
}

}  // namespace
}  // namespace parley::store::testing
