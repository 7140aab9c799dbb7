// Expected failures as values. Every ErrorCode maps one-to-one to an HTTP status
// (see net/http_errors), so a use case never needs to know about HTTP to fail well.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace parley::core {

enum class ErrorCode {
  bad_request,        // 400: malformed or invalid input
  unauthorized,       // 401: no valid session / visitor token
  forbidden,          // 403: authenticated, but not allowed
  not_found,          // 404: absent, or not visible to the caller (we never reveal which)
  method_not_allowed, // 405: a known path, another method
  conflict,           // 409: the state moved on (already accepted, already ended, ...)
  payload_too_large,  // 413: a body over a documented limit
  too_many_requests,  // 429: a rate limit; retry_after_ms says when to try again
  internal,           // 500: a bug or a broken database
  unavailable,        // 503: the database or the event bus cannot be reached; try again
  bad_gateway,        // 502: a server Parley talks to on the caller's behalf failed (SMTP)
};

// Thrown (beside a std::exception) where a dependency cannot be reached, so the transport
// answers 503 "unavailable" instead of 500: the store throws it when PostgreSQL is away.
struct Unavailable {};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
  std::int64_t retry_after_ms = 0;  // too_many_requests only (Retry-After)
};

inline Error bad_request(std::string m) { return {ErrorCode::bad_request, std::move(m)}; }
inline Error unauthorized(std::string m) { return {ErrorCode::unauthorized, std::move(m)}; }
inline Error forbidden(std::string m) { return {ErrorCode::forbidden, std::move(m)}; }
inline Error not_found(std::string m) { return {ErrorCode::not_found, std::move(m)}; }
inline Error conflict(std::string m) { return {ErrorCode::conflict, std::move(m)}; }
inline Error bad_gateway(std::string m) { return {ErrorCode::bad_gateway, std::move(m)}; }
inline Error too_many_requests(std::string m, std::int64_t retry_after_ms) {
  return {ErrorCode::too_many_requests, std::move(m), retry_after_ms};
}

// Result<T>: either a T or an Error. Deliberately tiny; std::expected arrives with C++23.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace parley::core
