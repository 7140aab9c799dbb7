// core/address_policy: every class of address a URL fetch must refuse, in IPv4 and in each
// IPv6 form that carries an IPv4 address, and the allow-list's host names.
#include "core/address_policy.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>

namespace parley::core {
namespace {

// The test parses text with the C library; core itself only ever sees bytes.
AddressClass of(const char* text) {
  Ipv6Bytes v6{};
  if (inet_pton(AF_INET6, text, v6.data()) == 1) return classify(v6);
  Ipv4Bytes v4{};
  if (inet_pton(AF_INET, text, v4.data()) == 1) return classify(v4);
  ADD_FAILURE() << "not an address: " << text;
  return AddressClass::public_unicast;
}

// The IPv4 address and its mapped, compatible, translated, NAT64 and 6to4 forms.
std::vector<std::string> forms(const std::string& v4) {
  Ipv4Bytes b{};
  inet_pton(AF_INET, v4.c_str(), b.data());
  char sixto4[64];
  std::snprintf(sixto4, sizeof sixto4, "2002:%02x%02x:%02x%02x::1", b[0], b[1], b[2], b[3]);
  return {v4, "::ffff:" + v4, "::" + v4, "::ffff:0:" + v4, "64:ff9b::" + v4, sixto4};
}

void expect_all(const std::string& v4, AddressClass expected) {
  for (const auto& f : forms(v4)) EXPECT_EQ(to_string(expected), to_string(of(f.c_str()))) << f;
}

TEST(AddressPolicyTest, PublicAddressesAreAllowedInEveryForm) {
  for (auto a : {"93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0",
                 "172.15.255.255", "172.32.0.0", "169.253.255.255", "192.167.1.1",
                 "223.255.255.254", "11.0.0.1", "198.17.255.255", "198.20.0.0"}) {
    expect_all(a, AddressClass::public_unicast);
    EXPECT_TRUE(is_public(of(a))) << a;
  }
  for (auto a : {"2606:2800:220:1:248:1893:25c8:1946", "2a00:1450:4001:82a::200e",
                 "2001:4860:4860::8888", "3fff:f000::1"}) {
    EXPECT_EQ(AddressClass::public_unicast, of(a)) << a;
  }
}

TEST(AddressPolicyTest, LoopbackIsRefused) {
  expect_all("127.0.0.1", AddressClass::loopback);
  expect_all("127.255.255.254", AddressClass::loopback);
  EXPECT_EQ(AddressClass::loopback, of("::1"));
  EXPECT_FALSE(is_public(of("::ffff:127.0.0.1")));
}

TEST(AddressPolicyTest, PrivateNetworksAreRefused) {
  for (auto a : {"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.0.1",
                 "192.168.255.255"}) {
    expect_all(a, AddressClass::private_network);
  }
  EXPECT_EQ(AddressClass::private_network, of("fec0::1"));           // site-local
  EXPECT_EQ(AddressClass::private_network, of("64:ff9b:1::a00:1"));  // local-use NAT64
}

TEST(AddressPolicyTest, CarrierGradeNatIsRefused) {
  expect_all("100.64.0.1", AddressClass::shared);
  expect_all("100.127.255.255", AddressClass::shared);
}

TEST(AddressPolicyTest, LinkLocalAndCloudMetadataAreRefused) {
  expect_all("169.254.169.254", AddressClass::link_local);
  expect_all("169.254.0.1", AddressClass::link_local);
  EXPECT_EQ(AddressClass::link_local, of("fe80::1"));
  EXPECT_EQ(AddressClass::link_local, of("febf:ffff::1"));
}

TEST(AddressPolicyTest, UniqueLocalIsRefused) {
  EXPECT_EQ(AddressClass::unique_local, of("fc00::1"));
  EXPECT_EQ(AddressClass::unique_local, of("fd12:3456:789a::1"));
  EXPECT_EQ(AddressClass::unique_local, of("fd00:ec2::254"));  // AWS metadata over IPv6
}

TEST(AddressPolicyTest, MulticastIsRefused) {
  expect_all("224.0.0.1", AddressClass::multicast);
  expect_all("239.255.255.250", AddressClass::multicast);
  EXPECT_EQ(AddressClass::multicast, of("ff02::1"));
  EXPECT_EQ(AddressClass::multicast, of("ff0e::101"));
}

TEST(AddressPolicyTest, UnspecifiedIsRefused) {
  expect_all("0.0.0.0", AddressClass::unspecified);
  expect_all("0.1.2.3", AddressClass::unspecified);
  EXPECT_EQ(AddressClass::unspecified, of("::"));
}

TEST(AddressPolicyTest, BroadcastAndReservedAreRefused) {
  EXPECT_EQ(AddressClass::broadcast, of("255.255.255.255"));
  EXPECT_EQ(AddressClass::broadcast, of("::ffff:255.255.255.255"));
  for (auto a : {"240.0.0.1", "250.1.2.3", "255.255.255.254", "192.0.0.8", "198.18.0.1",
                 "198.19.255.255", "192.88.99.1"}) {
    expect_all(a, AddressClass::reserved);
  }
  for (auto a : {"100::1", "2001::1", "2001:0:4136:e378::1", "2001:2::1", "2001:10::1", "4000::1",
                 "::1:0:0:1", "1::"}) {
    EXPECT_EQ(AddressClass::reserved, of(a)) << a;
  }
}

TEST(AddressPolicyTest, DocumentationRangesAreRefused) {
  for (auto a : {"192.0.2.1", "198.51.100.7", "203.0.113.200"}) {
    expect_all(a, AddressClass::documentation);
  }
  EXPECT_EQ(AddressClass::documentation, of("2001:db8::1"));
  EXPECT_EQ(AddressClass::documentation, of("3fff:fff::1"));
}

TEST(AddressPolicyTest, OnlyPublicIsPublic) {
  for (auto c : {AddressClass::unspecified, AddressClass::loopback, AddressClass::private_network,
                 AddressClass::shared, AddressClass::link_local, AddressClass::unique_local,
                 AddressClass::multicast, AddressClass::documentation, AddressClass::broadcast,
                 AddressClass::reserved}) {
    EXPECT_FALSE(is_public(c)) << to_string(c);
  }
  EXPECT_TRUE(is_public(AddressClass::public_unicast));
  EXPECT_TRUE(is_public(Ipv4Bytes{8, 8, 4, 4}));
  EXPECT_FALSE(is_public(Ipv4Bytes{127, 0, 0, 1}));
}

TEST(AddressPolicyTest, HostNamesAreNormalized) {
  EXPECT_EQ("calendar.corp.example", normalize_host_name("Calendar.Corp.Example."));
  EXPECT_EQ("localhost", normalize_host_name("localhost"));
  EXPECT_EQ("cal-01.intra", normalize_host_name("cal-01.intra"));
  EXPECT_EQ("a1", normalize_host_name("a1"));
  for (auto bad :
       {"", ".", "a..b", ".a", "-a.b", "a-.b", "a_b.c", "cal.example:8080", "user@cal", "10.0.0.1",
        "127.1", "2130706433", "[::1]", "::1", "caf\xc3\xa9.example", "a b", "a/b"}) {
    EXPECT_FALSE(normalize_host_name(bad)) << bad;
  }
  EXPECT_FALSE(normalize_host_name(std::string(64, 'a') + ".example"));
  EXPECT_TRUE(normalize_host_name(std::string(63, 'a') + ".example"));
  std::string long_name;
  for (int i = 0; i < 64; ++i) long_name += "abc.";
  long_name += "de";  // 258 bytes
  EXPECT_FALSE(normalize_host_name(long_name));
}

TEST(AddressPolicyTest, AllowListIsValidatedAndMatchedByName) {
  EXPECT_TRUE(validate_fetch_allowed_hosts({}).ok());
  EXPECT_TRUE(validate_fetch_allowed_hosts({"calendar.corp", "localhost"}).ok());
  EXPECT_FALSE(validate_fetch_allowed_hosts({"Calendar.corp"}).ok());  // not normalized
  EXPECT_FALSE(validate_fetch_allowed_hosts({"10.0.0.5"}).ok());
  EXPECT_FALSE(validate_fetch_allowed_hosts({"a.corp", "a.corp"}).ok());
  std::vector<std::string> many;
  for (std::size_t i = 0; i <= kMaxFetchAllowedHosts; ++i) many.push_back("h" + std::to_string(i));
  EXPECT_FALSE(validate_fetch_allowed_hosts(many).ok());

  std::vector<std::string> allowed{"calendar.corp"};
  EXPECT_TRUE(host_is_allowed("calendar.corp", allowed));
  EXPECT_TRUE(host_is_allowed("CALENDAR.corp.", allowed));
  EXPECT_FALSE(host_is_allowed("evil.calendar.corp", allowed));  // no wildcards
  EXPECT_FALSE(host_is_allowed("calendar.corp.evil", allowed));
  EXPECT_FALSE(host_is_allowed("127.0.0.1", {"localhost"}));
}

}  // namespace
}  // namespace parley::core
