#include "app/demo_seed.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "app/credentials.hpp"
#include "store/store.hpp"

namespace parley::app {

std::vector<DemoAccount> seed_demo(AuthService& auth, store::Store& store,
                                   const std::filesystem::path& data_dir) {
  auto file = data_dir / "demo-credentials.txt";
  std::vector<DemoAccount> accounts;
  if (std::ifstream in(file); in) {
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      DemoAccount a;
      if (std::getline(fields, a.role, '\t') && std::getline(fields, a.name, '\t') &&
          std::getline(fields, a.email, '\t') && std::getline(fields, a.password, '\t')) {
        accounts.push_back(a);
      }
    }
    return accounts;
  }
  if (!store.list_agents().empty()) return accounts;  // a real installation: leave it alone

  accounts = {{"admin", "Sam Admin", "admin@parley.local", random_token().substr(0, 12)},
              {"agent", "Alice Martin", "alice@parley.local", random_token().substr(0, 12)},
              {"agent", "Bob Chen", "bob@parley.local", random_token().substr(0, 12)}};
  // Every demo account can be booked for meetings on weekdays 09:00-17:00 UTC, so the
  // calendar card works out of the box.
  core::MeetingCalendar weekdays;
  for (int d = 1; d <= 5; ++d) weekdays.blocks.blocks.push_back({d, 9 * 60, 17 * 60});
  for (const auto& a : accounts) {
    auto role = a.role == "admin" ? core::Role::admin : core::Role::agent;
    auto created = auth.create_agent(a.name, a.email, a.password, role);
    if (!created) throw std::runtime_error("demo seed failed: " + created.error().message);
    auto calendar = store.save_calendar(created->id, weekdays, std::nullopt);
    if (!calendar) throw std::runtime_error("demo seed failed: " + calendar.error().message);
  }
  {
    std::ofstream out(file);
    for (const auto& a : accounts) {
      out << a.role << '\t' << a.name << '\t' << a.email << '\t' << a.password << '\n';
    }
  }
  ::chmod(file.c_str(), 0600);
  return accounts;
}

}  // namespace parley::app
