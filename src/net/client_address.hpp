// Who a request comes from. Behind a reverse proxy every connection comes from the proxy,
// so the client is read from X-Forwarded-For, but only when the connection's peer is a
// proxy the operator trusts (`serve --trusted-proxy`); anyone else could write that
// header to dodge a per-address limit.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string_view>
#include <vector>

namespace parley::net {

// An address range in CIDR form ("10.0.0.0/8", "::1/128"; a bare address is one host).
struct AddressRange {
  boost::asio::ip::address network;
  int prefix = 0;
  bool contains(const boost::asio::ip::address& a) const;
};

std::optional<AddressRange> parse_address_range(std::string_view text);

// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) as plain IPv4, so one client has one key.
boost::asio::ip::address canonical(const boost::asio::ip::address& a);

// The client's address: `peer`, or when `peer` is trusted, the right-most address of
// `forwarded_for` that is not itself a trusted proxy (each proxy appends the address it
// saw, so the entries left of an untrusted one may be forged).
boost::asio::ip::address client_address(const boost::asio::ip::address& peer,
                                        std::string_view forwarded_for,
                                        const std::vector<AddressRange>& trusted);

bool is_trusted(const boost::asio::ip::address& a, const std::vector<AddressRange>& trusted);

}  // namespace parley::net
