// GET /metrics (docs/operations.md, "Monitoring"): the node's metrics in Prometheus's text
// format, for whoever may read them and nobody else. Two ways in, either or both:
//   - on the main listener, a request with `Authorization: Bearer <token>` where the token is
//     `serve --metrics-token-file`'s (compared in constant time);
//   - a listener of its own (`serve --metrics-listen`) that serves /metrics and nothing else,
//     for a network only the monitoring reaches.
// With neither configured /metrics is an unknown path (404), as it is on the main listener
// when only the listener of its own is.
#pragma once

#include <string>
#include <string_view>

#include "net/http_util.hpp"
#include "observability/metrics.hpp"

namespace parley::net {

// The answer on the main listener; `token` empty when bearer access is not configured.
Response metrics_on_main_listener(const observability::Metrics& metrics, const Request& req,
                                  const std::string& token);
// The answer on the metrics listener: /metrics, or 404 for any other path.
Response metrics_listener_response(const observability::Metrics& metrics, const Request& req);

// Whether `presented` is `expected`, in time that does not depend on where they differ (or
// on their lengths): both are hashed first, then the digests compared in constant time.
bool same_secret(std::string_view presented, std::string_view expected);

}  // namespace parley::net
