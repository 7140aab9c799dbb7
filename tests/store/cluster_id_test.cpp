// SettingsStore::cluster_id: one id per database, made once, the same on every read; the Redis
// channel of a cluster is named after it (bus/redis_bus.hpp).
#include <regex>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

TEST_P(StoreContract, TheClusterIdIsMadeOnceAndIsTheDatabasesOwn) {
  auto id = store().cluster_id();
  EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{32}"))) << id;
  EXPECT_EQ(id, store().cluster_id());
  // The chat policy's reader skips the row (it is not a policy setting).
  EXPECT_EQ(core::ChatPolicy{}, store().load_chat_policy());

  // Another database draws its own.
  ScratchDir other_dir;
  auto other = GetParam().open(other_dir.path());
  EXPECT_NE(id, other->cluster_id());
}

}  // namespace
}  // namespace parley::store::testing
