#include "mockdci/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace dcisim::mockdci {

using common::Error;
using common::Result;

const char* family_name(IpFamily family) { return family == IpFamily::v4 ? "ipv4" : "ipv6"; }

int family_number(IpFamily family) { return family == IpFamily::v4 ? 2 : 10; }

int family_bits(IpFamily family) { return family == IpFamily::v4 ? 32 : 128; }

Result<IpFamily> parse_family(std::string_view text) {
  if (text == "ipv4") return IpFamily::v4;
  if (text == "ipv6") return IpFamily::v6;
  return Error::invalid("expected \"ipv4\" or \"ipv6\", got \"" + std::string(text) + "\"");
}

Result<IpAddr> parse_ip(std::string_view text) {
  std::string copy(text);  // inet_pton needs a terminated string
  std::array<unsigned char, 16> bytes{};
  if (copy.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, copy.c_str(), bytes.data()) != 1) {
      return Error::invalid("\"" + copy + "\" is not an IPv4 address");
    }
    U128 value = 0;
    for (int i = 0; i < 4; ++i) value = (value << 8) | bytes[i];
    return IpAddr{IpFamily::v4, value};
  }
  if (inet_pton(AF_INET6, copy.c_str(), bytes.data()) != 1) {
    return Error::invalid("\"" + copy + "\" is not an IPv6 address");
  }
  U128 value = 0;
  for (unsigned char b : bytes) value = (value << 8) | b;
  return IpAddr{IpFamily::v6, value};
}

std::string format_ip(const IpAddr& address) {
  std::array<unsigned char, 16> bytes{};
  char text[INET6_ADDRSTRLEN] = {};
  if (address.family == IpFamily::v4) {
    for (int i = 0; i < 4; ++i) bytes[i] = static_cast<unsigned char>(address.value >> (8 * (3 - i)));
    inet_ntop(AF_INET, bytes.data(), text, sizeof text);
  } else {
    for (int i = 0; i < 16; ++i) bytes[i] = static_cast<unsigned char>(address.value >> (8 * (15 - i)));
    inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  }
  return text;
}

std::string u128_to_string(U128 value) {
  if (value == 0) return "0";
  std::string digits;
  while (value > 0) {
    digits += static_cast<char>('0' + static_cast<int>(value % 10));
    value /= 10;
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

namespace {

U128 host_mask(IpFamily family, int prefix) {
  int host_bits = family_bits(family) - prefix;
  if (host_bits <= 0) return 0;
  if (host_bits >= 128) return ~U128(0);
  return (U128(1) << host_bits) - 1;
}

}  // namespace

Result<Cidr> Cidr::parse(std::string_view text) {
  std::string shown = "\"" + std::string(text) + "\"";
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return Error::invalid(shown + " is not a network in CIDR form such as \"203.0.113.0/24\"");
  }
  Result<IpAddr> base = parse_ip(text.substr(0, slash));
  if (!base) return Error::invalid(shown + ": " + base.error().message);
  std::string_view prefix_text = text.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] = std::from_chars(prefix_text.data(), prefix_text.data() + prefix_text.size(), prefix);
  int bits = family_bits(base->family);
  if (ec != std::errc() || end != prefix_text.data() + prefix_text.size() || prefix < 0 || prefix > bits) {
    return Error::invalid(shown + ": the prefix length must be an integer in 0.." + std::to_string(bits));
  }
  Cidr cidr{*base, prefix};
  U128 mask = host_mask(base->family, prefix);
  if ((base->value & mask) != 0) {
    Cidr meant{{base->family, base->value & ~mask}, prefix};
    return Error::invalid(shown + " has host bits set (did you mean \"" + meant.to_string() + "\"?)");
  }
  return cidr;
}

U128 Cidr::size() const {
  int host_bits = family_bits(base.family) - prefix;
  if (host_bits >= 128) return ~U128(0);  // saturates: only a ::/0 network, refused by validation
  return U128(1) << host_bits;
}

bool Cidr::contains(const IpAddr& address) const {
  if (address.family != base.family) return false;
  return (address.value & ~host_mask(base.family, prefix)) == base.value;
}

bool Cidr::overlaps(const Cidr& other) const {
  if (other.base.family != base.family) return false;
  return contains(other.base) || other.contains(base);
}

IpAddr Cidr::at(U128 offset) const { return IpAddr{base.family, base.value + offset}; }

U128 Cidr::offset_of(const IpAddr& address) const { return address.value - base.value; }

IpAddr Cidr::last() const { return IpAddr{base.family, base.value | host_mask(base.family, prefix)}; }

std::string Cidr::to_string() const { return format_ip(base) + "/" + std::to_string(prefix); }

}  // namespace dcisim::mockdci
