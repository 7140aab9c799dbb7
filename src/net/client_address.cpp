#include "net/client_address.hpp"

#include <charconv>
#include <string>

namespace parley::net {

namespace ip = boost::asio::ip;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<ip::address> parse_address(std::string_view text) {
  boost::system::error_code ec;
  auto a = ip::make_address(std::string(trim(text)), ec);
  if (ec) return std::nullopt;
  return canonical(a);
}

}  // namespace

ip::address canonical(const ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  }
  return a;
}

bool AddressRange::contains(const ip::address& raw) const {
  auto a = canonical(raw);
  if (a.is_v4() != network.is_v4()) return false;
  auto bytes_of = [](const ip::address& x) {
    std::array<unsigned char, 16> out{};
    if (x.is_v4()) {
      auto b = x.to_v4().to_bytes();
      std::copy(b.begin(), b.end(), out.begin());
    } else {
      out = x.to_v6().to_bytes();
    }
    return out;
  };
  auto x = bytes_of(a), n = bytes_of(network);
  for (int bit = 0; bit < prefix; ++bit) {
    unsigned char mask = static_cast<unsigned char>(0x80 >> (bit % 8));
    if ((x[bit / 8] & mask) != (n[bit / 8] & mask)) return false;
  }
  return true;
}

std::optional<AddressRange> parse_address_range(std::string_view text) {
  text = trim(text);
  auto slash = text.find('/');
  auto network = parse_address(text.substr(0, slash));
  if (!network) return std::nullopt;
  int max = network->is_v4() ? 32 : 128;
  int prefix = max;
  if (slash != std::string_view::npos) {
    auto digits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc{} || end != digits.data() + digits.size() || prefix < 0 || prefix > max) {
      return std::nullopt;
    }
  }
  return AddressRange{*network, prefix};
}

bool is_trusted(const ip::address& a, const std::vector<AddressRange>& trusted) {
  for (const auto& range : trusted) {
    if (range.contains(a)) return true;
  }
  return false;
}

ip::address client_address(const ip::address& peer, std::string_view forwarded_for,
                           const std::vector<AddressRange>& trusted) {
  auto client = canonical(peer);
  if (!is_trusted(client, trusted)) return client;
  // Walk from the right: the nearest hop first.
  while (!forwarded_for.empty()) {
    auto comma = forwarded_for.rfind(',');
    auto entry = comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for = comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    auto a = parse_address(entry);
    if (!a) return client;  // garbage: stop at the last address we could trust
    client = *a;
    if (!is_trusted(client, trusted)) return client;
  }
  return client;
}

}  // namespace parley::net
