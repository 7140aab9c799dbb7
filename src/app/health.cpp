#include "app/health.hpp"

#include "store/store.hpp"

namespace parley::app {

std::vector<std::string> Health::problems() {
  std::vector<std::string> out;
  if (auto why = store_.unavailable()) out.push_back("database: " + *why);
  if (auto why = bus_.unavailable()) out.push_back("event bus: " + *why);
  return out;
}

}  // namespace parley::app
