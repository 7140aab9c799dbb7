#include "net/connection_limit.hpp"

namespace parley::net {

ConnectionLimit::Slot ConnectionLimit::acquire(const std::string& address, bool exempt) {
  if (per_address_ <= 0 || exempt) return std::make_shared<char>(0);
  {
    std::lock_guard lock(mutex_);
    int& n = open_[address];
    if (n >= per_address_) return nullptr;
    ++n;
  }
  // Non-null: a null slot means "refused".
  return std::shared_ptr<void>(new char(0), [this, address](char* p) {
    delete p;
    release(address);
  });
}

void ConnectionLimit::release(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto it = open_.find(address);
  if (it != open_.end() && --it->second <= 0) open_.erase(it);
}

}  // namespace parley::net
