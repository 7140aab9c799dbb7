// The one HTTP(S) client for every URL the server fetches on someone's behalf (calendar
// feeds, webhooks), guarded against server-side request forgery: the host is
// resolved first and every address checked by core/address_policy (unless the name is on the
// admin's allow-list), the connection goes to an address that was checked (no second lookup),
// each redirect is checked the same way, and the body size and total time are capped.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace parley::net {

inline constexpr std::size_t kMaxFetchBytes = 5 * 1024 * 1024;

struct FetchOptions {
  // Host names that may resolve to internal addresses (the admin's fetch_allowed_hosts).
  std::vector<std::string> allowed_hosts;
  // For the whole call: lookups, connects, TLS, every redirect and the body.
  std::chrono::milliseconds deadline{10'000};
  std::size_t max_body = kMaxFetchBytes;
  int max_redirects = 3;
  std::string accept = "*/*";
  std::string user_agent = "Parley";
};

// GET `url` and return the body of its 2xx answer. Runs on the calling thread with a private
// io_context (asynchronous operations and one timer that cancels them at the deadline); the
// host name is looked up on a helper thread that the call stops waiting for at the deadline.
// Failures are bad_request "could not fetch: <reason>" with a generic reason ("the address is
// not allowed", "timed out", "too many redirects", "the server answered with an error", "the
// body is over 5 MiB", "could not connect", ...): never the remote status, body or address.
// The details go to the server's log.
core::Result<std::string> guarded_get(const std::string& url, const FetchOptions& options = {});

// The answer to a POST, whatever its status (the caller decides what counts).
struct PostAnswer {
  int status = 0;
  std::string body;  // at most the first 64 KiB
};

// POST `body` with `headers` to `url` under the same guard as guarded_get (address checks,
// the allow-list, the deadline). Redirects are not followed: a 3xx is an answer like any
// other. Failures (no answer at all) are bad_request "could not fetch: <generic reason>".
// For webhooks.
core::Result<PostAnswer> guarded_post(const std::string& url, const std::string& body,
                                      const std::vector<std::pair<std::string, std::string>>& headers,
                                      const FetchOptions& options = {});

// Whether `url` could be fetched: its form, and the addresses its host resolves to now. A
// name that does not resolve (yet) passes: every fetch checks again. For saving a URL.
core::Status check_fetch_url(const std::string& url, const FetchOptions& options = {});

}  // namespace parley::net
