#include "app/health.hpp"

#include "store/store.hpp"

namespace parley::app {

std::vector<std::string> Health::problems() {
  std::vector<std::string> out;
  if (auto why = store_.unavailable()) out.push_back("database: " + *why);
  if (auto why = bus_.unavailable()) out.push_back("event bus: " + *why);
  return out;
}

std::vector<std::string> Health::not_ready() {
  std::vector<std::string> out;
  if (auto why = probe_write()) out.push_back("database not writable: " + *why);
  if (auto why = bus_.unavailable()) out.push_back("event bus: " + *why);
  return out;
}

std::optional<std::string> Health::probe_write() {
  std::lock_guard lock(probe_mutex_);
  auto now = std::chrono::steady_clock::now();
  if (!probed_at_ || now - *probed_at_ >= kProbeReuse) {
    probe_failure_ = store_.probe_write(clock_());
    // Timed from the answer: a probe that took the 5 s connect timeout is not repeated at once.
    probed_at_ = std::chrono::steady_clock::now();
  }
  return probe_failure_;
}

}  // namespace parley::app
