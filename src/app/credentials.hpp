// Secrets: Argon2id password hashes and random bearer tokens (libsodium). Tokens are
// stored only as a hash, so a leaked database does not leak live sessions.
#pragma once

#include <string>
#include <string_view>

namespace parley::app {

// Throws std::runtime_error if libsodium cannot start (no entropy source).
void init_crypto();

std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& encoded_hash);

// 32 random bytes, base64url without padding.
std::string random_token();
// Hex of a 32-byte BLAKE2b hash: what the store keeps.
std::string token_hash(std::string_view token);

}  // namespace parley::app
