// core/api_token: scope names, the checks on a new token's scopes, the principal a token
// acts as.
#include <gtest/gtest.h>

#include "core/api_token.hpp"
#include "core/visibility.hpp"

namespace parley::core {
namespace {

TEST(ApiScopes, EveryScopeRoundTripsThroughItsName) {
  ASSERT_EQ(5u, all_api_scopes().size());
  for (auto scope : all_api_scopes()) {
    EXPECT_EQ(scope, api_scope_from_string(to_string(scope)));
  }
  EXPECT_EQ(ApiScope::people_write, api_scope_from_string("people:write"));
  EXPECT_FALSE(api_scope_from_string("people:*"));
  EXPECT_FALSE(api_scope_from_string("People:Read"));
  EXPECT_FALSE(api_scope_from_string(""));
}

TEST(ApiScopes, ANewTokenNeedsKnownScopesEachOnce) {
  auto ok = parse_api_scopes({"conversations:read", "agents:read"});
  ASSERT_TRUE(ok);
  EXPECT_EQ((std::vector{ApiScope::conversations_read, ApiScope::agents_read}), *ok);
  EXPECT_FALSE(parse_api_scopes({}));
  EXPECT_FALSE(parse_api_scopes({"admin"}));
  EXPECT_FALSE(parse_api_scopes({"people:read", "people:read"}));
}

TEST(ApiTokenPrincipal, IsNoPersonAndTakesNoChats) {
  ApiToken t;
  t.id = 7;
  t.name = "CRM";
  auto a = api_token_principal(t);
  EXPECT_EQ(0, a.id);  // matches no agent row: no chat is "theirs"
  EXPECT_FALSE(a.takes_chats);
  EXPECT_EQ(0, a.max_chats);
  EXPECT_TRUE(viewer_of(a).view_all);  // the scope table narrows what it may call
}

}  // namespace
}  // namespace parley::core
