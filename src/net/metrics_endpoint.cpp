#include "net/metrics_endpoint.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>

namespace parley::net {

namespace {

Response metrics_text(const observability::Metrics& metrics, const Request& req) {
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    return error_response(req, {core::ErrorCode::method_not_allowed, "use GET here"});
  }
  Response res{http::status::ok, req.version()};
  res.set(http::field::server, "parley");
  res.set(http::field::content_type, observability::Metrics::kContentType);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = metrics.scrape();
  res.prepare_payload();
  if (req.method() == http::verb::head) res.body().clear();
  return res;
}

std::array<unsigned char, SHA256_DIGEST_LENGTH> digest(std::string_view s) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), out.data());
  return out;
}

}  // namespace

bool same_secret(std::string_view presented, std::string_view expected) {
  auto a = digest(presented);
  auto b = digest(expected);
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Response metrics_on_main_listener(const observability::Metrics& metrics, const Request& req,
                                  const std::string& token) {
  if (token.empty()) return error_response(req, core::not_found("no route for /metrics"));
  auto presented = bearer_token(req);
  if (!presented || !same_secret(*presented, token)) {
    auto res = error_response(req, core::unauthorized("the metrics token is required"));
    res.set(http::field::www_authenticate, "Bearer realm=\"parley metrics\"");
    return res;
  }
  return metrics_text(metrics, req);
}

Response metrics_listener_response(const observability::Metrics& metrics, const Request& req) {
  if (path_of(req.target()) != "/metrics") {
    return error_response(req, core::not_found("this listener serves /metrics only"));
  }
  return metrics_text(metrics, req);
}

}  // namespace parley::net
