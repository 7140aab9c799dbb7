// The demo of `make run`: one admin and two agents with generated passwords, kept in
// <data>/demo-credentials.txt (mode 0600) so every later start can print them again.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "app/auth_service.hpp"

namespace parley::app {

struct DemoAccount {
  std::string role, name, email, password;
};

// Creates the accounts on first use (when the store has no agents); returns them.
std::vector<DemoAccount> seed_demo(AuthService& auth, store::Store& store,
                                   const std::filesystem::path& data_dir);

}  // namespace parley::app
