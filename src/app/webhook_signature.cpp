#include "app/webhook_signature.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace parley::app {

namespace {
std::string hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}
}  // namespace

std::string webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  // crypto_auth_hmacsha256 takes a key of any length through its init/update/final form.
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(timestamp.data()),
                                timestamp.size());
  const unsigned char dot = '.';
  crypto_auth_hmacsha256_update(&state, &dot, 1);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  return "v1=" + hex(mac, sizeof mac);
}

std::string new_webhook_secret() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return "whsec_" + hex(bytes, sizeof bytes);
}

}  // namespace parley::app
