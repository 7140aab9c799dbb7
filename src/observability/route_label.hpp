// The labels an HTTP request is counted under: a bounded set, whatever clients send. A
// label per raw path would let one scanner (or every conversation id) add series without
// end, and the monitoring would fall over; so ids become {id}, a meeting link's token
// {token}, and anything that is not a known route is "other".
#pragma once

#include <string>
#include <string_view>

namespace parley::observability {

// The route pattern of `path` (no query string): "/api/v1/conversations/{id}/messages",
// "/healthz", "/ws"; "static" for a file of the front ends that was served (status below
// 400); "other" for everything else.
std::string route_label(std::string_view path, int status);

// GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS; any other method is "other".
std::string_view method_label(std::string_view method);

}  // namespace parley::observability
