// The labels an HTTP request is counted under: a bounded set, whatever clients send. A
// label per raw path would let one scanner (or every conversation id) add series without
// end, and the monitoring would fall over; so ids become {id}, a meeting link's token
// {token}, and anything that is not a known route is "other".
//
// The REST API's patterns are not listed here: they are the rows of net's route table
// (net::api_route_labels()), handed in when the server starts, so a route added there is
// labelled at once. (observability/ includes nothing of net/.)
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace parley::observability {

class RouteLabels {
 public:
  // `api_patterns`: "/api/v1/conversations/{id}/messages", ... where {id} matches digits
  // only and {token} any one segment. /healthz, /readyz, /metrics and /ws are added here.
  explicit RouteLabels(const std::vector<std::string>& api_patterns);

  // The route pattern of `path` (no query string): "/api/v1/conversations/{id}/messages",
  // "/healthz", "/ws"; "static" for a file of the front ends that was served (status below
  // 400); "other" for everything else.
  std::string label(std::string_view path, int status) const;

 private:
  std::vector<std::string> patterns_;
  std::vector<std::vector<std::string>> split_;
};

// GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS; any other method is "other".
std::string_view method_label(std::string_view method);

}  // namespace parley::observability
