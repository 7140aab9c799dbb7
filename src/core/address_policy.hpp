// Which network addresses the server may fetch a URL from (calendar feeds, webhooks): only
// public ones, so that an agent's URL cannot reach loopback, the LAN, cloud metadata or any
// other internal service (SSRF). Pure: addresses come in as their 4 or 16 bytes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace parley::core {

using Ipv4Bytes = std::array<std::uint8_t, 4>;
using Ipv6Bytes = std::array<std::uint8_t, 16>;

enum class AddressClass {
  public_unicast,   // the only class a URL fetch may connect to
  unspecified,      // 0.0.0.0/8, ::
  loopback,         // 127/8, ::1
  private_network,  // 10/8, 172.16/12, 192.168/16, fec0::/10 (site-local)
  shared,           // 100.64/10, carrier-grade NAT
  link_local,       // 169.254/16 (cloud metadata lives here), fe80::/10
  unique_local,     // fc00::/7
  multicast,        // 224/4, ff00::/8
  documentation,    // 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20
  broadcast,        // 255.255.255.255
  reserved,         // 240/4, protocol assignments, benchmarking, IPv6 outside 2000::/3, ...
};

std::string_view to_string(AddressClass c);

// IPv6 forms that carry an IPv4 address (::ffff:a.b.c.d mapped, ::a.b.c.d compatible,
// 64:ff9b::/96 NAT64, 2002::/16 6to4) are classified by the IPv4 address they carry.
AddressClass classify(const Ipv4Bytes& address);
AddressClass classify(const Ipv6Bytes& address);

inline bool is_public(AddressClass c) { return c == AddressClass::public_unicast; }
inline bool is_public(const Ipv4Bytes& a) { return is_public(classify(a)); }
inline bool is_public(const Ipv6Bytes& a) { return is_public(classify(a)); }

// The admin's list of host names that may resolve to internal addresses (an on-premises
// calendar server). Names only, never addresses: an allowed name is an explicit decision.
inline constexpr std::size_t kMaxFetchAllowedHosts = 50;

// A DNS host name lower-cased and without a trailing dot, or nullopt when `name` is not one
// (labels of 1..63 letters, digits and inner hyphens, at most 253 bytes, not an IPv4
// address).
std::optional<std::string> normalize_host_name(std::string_view name);

// Every entry normalized, no duplicates, at most kMaxFetchAllowedHosts.
Status validate_fetch_allowed_hosts(const std::vector<std::string>& hosts);

// Whether `host` (as written in a URL) is on the list; case and a trailing dot do not matter.
bool host_is_allowed(std::string_view host, const std::vector<std::string>& allowed);

}  // namespace parley::core
