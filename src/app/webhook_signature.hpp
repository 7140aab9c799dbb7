// The signature a webhook receiver checks (docs/api.md, "Webhooks"): HMAC-SHA256 keyed with
// the endpoint's secret over "<timestamp>.<body>", hex, in Parley-Webhook-Signature as
// "v1=<hex>". The timestamp (Unix seconds) is signed too, so a captured request cannot be
// replayed later with a fresh timestamp.
#pragma once

#include <string>
#include <string_view>

namespace parley::app {

// "v1=<64 hex digits>".
std::string webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body);

// A new endpoint secret: "whsec_" and 64 hex digits of libsodium's randomness (256 bits).
std::string new_webhook_secret();

}  // namespace parley::app
