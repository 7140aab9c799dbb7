// Fetches an agent's calendar feed (busy times "from a URL", SPEC §4) over HTTP or HTTPS:
// GET with a 10 s deadline for the whole exchange, at most 3 redirects, a 5 MiB body limit,
// certificates verified against the system's store. Blocking: called from a request
// handler for an explicit "refresh", which is rare and waits for its answer anyway.
#pragma once

#include <string>

#include "core/result.hpp"

namespace parley::net {

inline constexpr std::size_t kMaxIcsBytes = 5 * 1024 * 1024;

// bad_request with what went wrong ("could not connect to ...", "HTTP 404 from ...").
core::Result<std::string> fetch_ics(const std::string& url);

}  // namespace parley::net
