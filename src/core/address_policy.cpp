#include "core/address_policy.hpp"

#include <algorithm>

namespace parley::core {

namespace {

// Whether the first `bits` bits of `a` equal those of `prefix`.
template <std::size_t N>
bool in(const std::array<std::uint8_t, N>& a, std::initializer_list<std::uint8_t> prefix,
        int bits) {
  auto p = prefix.begin();
  for (int i = 0; bits > 0; ++i, bits -= 8, ++p) {
    std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((a[i] & mask) != (*p & mask)) return false;
  }
  return true;
}

Ipv4Bytes tail_ipv4(const Ipv6Bytes& a, std::size_t at = 12) {
  return {a[at], a[at + 1], a[at + 2], a[at + 3]};
}

bool zero_bytes(const Ipv6Bytes& a, std::size_t from, std::size_t to) {
  return std::all_of(a.begin() + from, a.begin() + to, [](auto b) { return b == 0; });
}

}  // namespace

std::string_view to_string(AddressClass c) {
  switch (c) {
    case AddressClass::public_unicast:
      return "public";
    case AddressClass::unspecified:
      return "unspecified";
    case AddressClass::loopback:
      return "loopback";
    case AddressClass::private_network:
      return "private";
    case AddressClass::shared:
      return "shared (carrier-grade NAT)";
    case AddressClass::link_local:
      return "link-local";
    case AddressClass::unique_local:
      return "unique-local";
    case AddressClass::multicast:
      return "multicast";
    case AddressClass::documentation:
      return "documentation";
    case AddressClass::broadcast:
      return "broadcast";
    case AddressClass::reserved:
      return "reserved";
  }
  return "reserved";
}

AddressClass classify(const Ipv4Bytes& a) {
  using C = AddressClass;
  if (a == Ipv4Bytes{255, 255, 255, 255}) return C::broadcast;
  if (in(a, {0}, 8)) return C::unspecified;
  if (in(a, {127}, 8)) return C::loopback;
  if (in(a, {10}, 8) || in(a, {172, 16}, 12) || in(a, {192, 168}, 16)) return C::private_network;
  if (in(a, {100, 64}, 10)) return C::shared;
  if (in(a, {169, 254}, 16)) return C::link_local;
  if (in(a, {224}, 4)) return C::multicast;
  if (in(a, {192, 0, 2}, 24) || in(a, {198, 51, 100}, 24) || in(a, {203, 0, 113}, 24)) {
    return C::documentation;
  }
  // IETF protocol assignments, the deprecated 6to4 relay anycast, benchmarking, 240/4.
  if (in(a, {192, 0, 0}, 24) || in(a, {192, 88, 99}, 24) || in(a, {198, 18}, 15) ||
      in(a, {240}, 4)) {
    return C::reserved;
  }
  return C::public_unicast;
}

AddressClass classify(const Ipv6Bytes& a) {
  using C = AddressClass;
  if (zero_bytes(a, 0, 16)) return C::unspecified;
  if (zero_bytes(a, 0, 15) && a[15] == 1) return C::loopback;
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (the deprecated compatible form): a socket given
  // either reaches the IPv4 address, so they are what that address is.
  if (zero_bytes(a, 0, 10) && a[10] == 0xff && a[11] == 0xff) return classify(tail_ipv4(a));
  if (zero_bytes(a, 0, 12)) return classify(tail_ipv4(a));
  // ::ffff:0:a.b.c.d (SIIT translated) is reached through a translator the same way.
  if (zero_bytes(a, 0, 8) && a[8] == 0xff && a[9] == 0xff && a[10] == 0 && a[11] == 0) {
    return classify(tail_ipv4(a));
  }
  // NAT64: 64:ff9b::/96 is translated to the IPv4 address it carries; 64:ff9b:1::/48 is the
  // local-use prefix, inside some operator's network by definition.
  if (in(a, {0x00, 0x64, 0xff, 0x9b}, 32) && zero_bytes(a, 4, 12)) return classify(tail_ipv4(a));
  if (in(a, {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48)) return C::private_network;
  if (in(a, {0xff}, 8)) return C::multicast;
  if (in(a, {0xfe, 0x80}, 10)) return C::link_local;
  if (in(a, {0xfe, 0xc0}, 10)) return C::private_network;  // site-local, deprecated
  if (in(a, {0xfc}, 7)) return C::unique_local;
  if (in(a, {0x20, 0x01, 0x0d, 0xb8}, 32) || in(a, {0x3f, 0xff, 0x00}, 20)) {
    return C::documentation;
  }
  // 6to4 carries its IPv4 address in bytes 2..5; Teredo, ORCHID, benchmarking and the other
  // protocol assignments of 2001::/23 are not servers a URL should name.
  if (in(a, {0x20, 0x02}, 16)) return classify(tail_ipv4(a, 2));
  if (in(a, {0x20, 0x01, 0x00}, 23)) return C::reserved;
  // Only 2000::/3 is allocated for global unicast; the rest (100::/64 discard, ...) is not.
  if (!in(a, {0x20}, 3)) return C::reserved;
  return C::public_unicast;
}

std::optional<std::string> normalize_host_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return std::nullopt;
  std::string out;
  out.reserve(name.size());
  std::size_t label = 0;
  bool last_label_numeric = true;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      if (label == 0 || label > 63 || out.back() == '-') return std::nullopt;
      if (i < name.size()) {
        out.push_back('.');
        label = 0;
        last_label_numeric = true;
      }
      continue;
    }
    char c = name[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool digit = c >= '0' && c <= '9';
    if (!(digit || (c >= 'a' && c <= 'z') || c == '-')) return std::nullopt;
    if (c == '-' && label == 0) return std::nullopt;
    if (!digit) last_label_numeric = false;
    out.push_back(c);
    ++label;
  }
  // No top-level domain is all digits; such a name is an IPv4 address (or a resolver's
  // shorthand for one, like "127.1").
  if (last_label_numeric) return std::nullopt;
  return out;
}

Status validate_fetch_allowed_hosts(const std::vector<std::string>& hosts) {
  if (hosts.size() > kMaxFetchAllowedHosts) {
    return bad_request("fetch_allowed_hosts holds at most " +
                       std::to_string(kMaxFetchAllowedHosts) + " host names");
  }
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    auto n = normalize_host_name(hosts[i]);
    if (!n || *n != hosts[i]) {
      return bad_request("fetch_allowed_hosts: '" + hosts[i] +
                         "' is not a lower-case host name (names only, no addresses or ports)");
    }
    if (std::find(hosts.begin(), hosts.begin() + i, hosts[i]) != hosts.begin() + i) {
      return bad_request("fetch_allowed_hosts lists '" + hosts[i] + "' twice");
    }
  }
  return Ok{};
}

bool host_is_allowed(std::string_view host, const std::vector<std::string>& allowed) {
  auto n = normalize_host_name(host);
  return n && std::find(allowed.begin(), allowed.end(), *n) != allowed.end();
}

}  // namespace parley::core
