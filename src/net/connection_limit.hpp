// A cap on the connections one client address holds open at once (HTTP and WebSocket
// alike), so that one host cannot exhaust the process's file descriptors. A connection
// holds a slot for its lifetime; the slot gives the count back when it goes.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace parley::net {

class ConnectionLimit {
 public:
  explicit ConnectionLimit(int per_address) : per_address_(per_address) {}

  using Slot = std::shared_ptr<void>;
  // A slot for one more connection from `address`, or null when it already holds the
  // maximum. Always a slot when the cap is off (0) or `exempt` (a trusted proxy).
  Slot acquire(const std::string& address, bool exempt);

 private:
  void release(const std::string& address);

  int per_address_;
  std::mutex mutex_;
  std::unordered_map<std::string, int> open_;
};

}  // namespace parley::net
