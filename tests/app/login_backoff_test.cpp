// Repeated failed logins of one account back off exponentially (core::login_backoff), on
// the service's clock: the password is not even checked while the account waits.
#include "app_fixture.hpp"

namespace parley::app::testing {
namespace {

class LoginBackoffTest : public AppTest {
 protected:
  core::Result<LoginOutcome> login(const std::string& email, const std::string& password) {
    return node().auth.login(email, password);
  }
};

TEST_F(LoginBackoffTest, FailuresBackOffDoublingAndASuccessResets) {
  agent("ann", false);
  agent("bob", false);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(core::ErrorCode::unauthorized, login("ann@example.com", "wrong").error().code);
  }
  auto refused = login("ann@example.com", "password123");  // right, but the account waits
  ASSERT_FALSE(refused);
  EXPECT_EQ(core::ErrorCode::too_many_requests, refused.error().code);
  EXPECT_EQ(1'000, refused.error().retry_after_ms);
  EXPECT_TRUE(login("bob@example.com", "password123"));  // another account is untouched

  advance(400);
  EXPECT_EQ(600, login("ANN@example.com ", "wrong").error().retry_after_ms);  // same account
  advance(600);
  EXPECT_EQ(core::ErrorCode::unauthorized, login("ann@example.com", "wrong").error().code);
  EXPECT_EQ(2'000, login("ann@example.com", "password123").error().retry_after_ms);  // doubled
  advance(2'000);
  EXPECT_EQ(core::ErrorCode::unauthorized, login("ann@example.com", "wrong").error().code);
  EXPECT_EQ(4'000, login("ann@example.com", "wrong").error().retry_after_ms);

  advance(4'000);
  EXPECT_TRUE(login("ann@example.com", "password123"));
  // The success cleared the count: five free failures again.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(core::ErrorCode::unauthorized, login("ann@example.com", "wrong").error().code);
  }
  EXPECT_EQ(core::ErrorCode::too_many_requests, login("ann@example.com", "wrong").error().code);
}

TEST_F(LoginBackoffTest, UnknownEmailsBackOffTooSoTheyLookLikeRealOnes) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(core::ErrorCode::unauthorized, login("nobody@example.com", "x").error().code);
  }
  EXPECT_EQ(core::ErrorCode::too_many_requests, login("nobody@example.com", "x").error().code);
}

}  // namespace
}  // namespace parley::app::testing
