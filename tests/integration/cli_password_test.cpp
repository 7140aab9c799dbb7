// `parley admin create-agent` takes the password from --password-file or standard input; a
// password on the command line (visible to every user of the machine) still works, with a
// warning. Each account is then logged in through a real server to prove what was stored.
#include <gtest/gtest.h>

#include <fstream>

#include "test_server.hpp"

namespace parley::testing {
namespace {

class CreateAgentPasswordTest : public ::testing::Test {
 protected:
  // Runs create-agent for `email` with `extra` flags and `input` on stdin (nullptr: none).
  int create(const std::string& email, std::vector<std::string> extra,
             const std::string* input = nullptr) {
    std::vector<std::string> args{"admin",  "create-agent", "--data",  dir.path.string(),
                                  "--name", "Pat Agent",    "--email", email};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args, &out, input, &err);
  }

  // True when `email` can log in with `password` on a server over the same data.
  bool logs_in(const std::string& email, const std::string& password) {
    ServerProcess server(dir.path);
    server.start();
    HttpClient http(server.port());
    auto r =
        http.post("/api/v1/auth/login", json::object{{"email", email}, {"password", password}});
    return r.status == 200;
  }

  TempDir dir;
  std::string out, err;
};

TEST_F(CreateAgentPasswordTest, PasswordFileFirstLineIsThePasswordWithoutItsNewline) {
  auto file = dir.path / "secret";
  std::ofstream(file) << "file pass 123\n";
  ASSERT_EQ(0, create("f@example.com", {"--password-file", file.string()})) << err;
  EXPECT_EQ("", err);
  EXPECT_NE(std::string::npos, out.find("created agent f@example.com"));
  EXPECT_TRUE(logs_in("f@example.com", "file pass 123"));
  EXPECT_FALSE(logs_in("f@example.com", "file pass 123\n"));
}

TEST_F(CreateAgentPasswordTest, WithoutFlagsThePasswordIsOneLineOfStandardInput) {
  const std::string input = "stdin pass 456\r\nignored second line\n";
  ASSERT_EQ(0, create("s@example.com", {}, &input)) << err;
  EXPECT_EQ("", err);
  EXPECT_TRUE(logs_in("s@example.com", "stdin pass 456"));
}

TEST_F(CreateAgentPasswordTest, PasswordOnTheCommandLineStillWorksWithAWarning) {
  ASSERT_EQ(0, create("c@example.com", {"--password", "argv pass 789"})) << err;
  EXPECT_NE(std::string::npos, err.find("warning: --password shows the password to every user"))
      << err;
  EXPECT_NE(std::string::npos, err.find("--password-file")) << err;
  EXPECT_TRUE(logs_in("c@example.com", "argv pass 789"));
}

TEST_F(CreateAgentPasswordTest, EmptyPasswordIsRefusedAndNothingIsCreated) {
  const std::string blank_line = "\n", nothing;
  auto empty_file = dir.path / "empty";
  std::ofstream{empty_file};
  for (auto* input : {&blank_line, &nothing}) {
    EXPECT_EQ(1, create("e@example.com", {}, input));
    EXPECT_NE(std::string::npos, err.find("parley: the password is empty")) << err;
    EXPECT_EQ("", out);
  }
  EXPECT_EQ(1, create("e@example.com", {"--password-file", empty_file.string()}));
  EXPECT_NE(std::string::npos, err.find("the password is empty")) << err;
  EXPECT_EQ(1, create("e@example.com", {"--password", ""}));
  EXPECT_NE(std::string::npos, err.find("the password is empty")) << err;
  // Nothing was stored: the email is still free.
  const std::string good = "later pass 000\n";
  EXPECT_EQ(0, create("e@example.com", {}, &good)) << err;
}

TEST_F(CreateAgentPasswordTest, UnreadablePasswordFileOrBothFlagsAreRefused) {
  EXPECT_EQ(1, create("u@example.com", {"--password-file", (dir.path / "missing").string()}));
  EXPECT_NE(std::string::npos, err.find("cannot read the password file")) << err;
  auto file = dir.path / "secret";
  std::ofstream(file) << "file pass 123\n";
  EXPECT_NE(0, create("u@example.com",
                      {"--password-file", file.string(), "--password", "argv pass 789"}));
  const std::string good = "later pass 000\n";
  EXPECT_EQ(0, create("u@example.com", {}, &good)) << err;
}

}  // namespace
}  // namespace parley::testing
