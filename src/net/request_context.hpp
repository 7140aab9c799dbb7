// What the server knows about a request beyond its bytes: who sent it (through trusted
// proxies), whether it came over HTTPS, and the rate limiters that apply to it.
#pragma once

#include <string>

#include "net/rate_limiter.hpp"

namespace parley::net {

struct RequestContext {
  std::string client;  // the client's address, the key of per-address limits
  bool https = false;  // the session cookie gets Secure
  Limiters& limiters;
};

}  // namespace parley::net
