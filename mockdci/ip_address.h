// IPv4 and IPv6 addresses and CIDR networks as numbers, for the emulator's IP pools: parsing and
// formatting ("203.0.113.0/24", "2001:db8:100::/64"), membership, and the address at an offset.
// An address is a 128-bit unsigned number (IPv4 uses the low 32 bits), so one code path serves
// both families. Formatting uses inet_ntop, so IPv6 text is in its canonical compressed form.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace dcisim::mockdci {

using U128 = unsigned __int128;

enum class IpFamily { v4, v6 };

const char* family_name(IpFamily family);  // "ipv4" | "ipv6" (dci v3 and IPmanager requests)
int family_number(IpFamily family);        // 2 | 10 (IPmanager's ipnet.family: AF_INET, AF_INET6)
common::Result<IpFamily> parse_family(std::string_view text);  // "ipv4" | "ipv6"
int family_bits(IpFamily family);          // 32 | 128

struct IpAddr {
  IpFamily family = IpFamily::v4;
  U128 value = 0;

  bool operator==(const IpAddr&) const = default;
};

common::Result<IpAddr> parse_ip(std::string_view text);
std::string format_ip(const IpAddr& address);

// Decimal text of a 128-bit count (IPmanager reports sizes as strings: a /64 has 2^64 addresses).
std::string u128_to_string(U128 value);

// A network: base address with the host bits zero, and a prefix length.
struct Cidr {
  IpAddr base;
  int prefix = 0;

  // "198.51.100.0/25"; host bits must be zero ("198.51.100.7/25" is refused, naming the network
  // that was probably meant).
  static common::Result<Cidr> parse(std::string_view text);

  U128 size() const;  // number of addresses, network and broadcast included
  bool contains(const IpAddr& address) const;
  bool overlaps(const Cidr& other) const;
  IpAddr at(U128 offset) const;  // base + offset; offset < size()
  U128 offset_of(const IpAddr& address) const;  // contains(address) must hold
  IpAddr last() const;
  std::string to_string() const;  // "198.51.100.0/25"
};

}  // namespace dcisim::mockdci
