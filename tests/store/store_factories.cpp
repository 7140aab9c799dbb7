// The adapters the contract suite runs on. PostgreSQL joins with one more entry.
#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

std::vector<StoreFactory> factories() {
  return {
      {"Sqlite",
       [](const std::filesystem::path& dir) {
         return open_sqlite_store((dir / "parley.db").string());
       }},
  };
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Adapters, StoreContract, ::testing::ValuesIn(factories()),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

}  // namespace parley::store::testing
