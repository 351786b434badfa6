// IP pools, their networks and the addresses handed out (IPmanager's ippool, ipnet and ip).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "mockdci/ids.h"
#include "mockdci/ip_address.h"

namespace dcisim::mockdci {

struct IpPool {
  PoolId id;
  std::string name;
  std::vector<NetId> nets;  // in inventory order
};

struct IpNet {
  NetId id;
  PoolId pool;
  Cidr cidr;
  IpAddr gateway;
  // Offsets (from the network address) not free to hand out: every assigned address and the
  // gateway. The network address (offset 0) and the IPv4 broadcast are outside the usable range.
  std::set<uint64_t> taken;

  uint64_t gateway_offset() const;
  uint64_t last_usable_offset() const;  // capped at 2^63 for huge IPv6 networks
  U128 usable_count() const;            // total_ip: addresses that can be allocated
  int64_t used_count() const;           // using_ip: addresses assigned
};

struct IpRecord {
  IpId id;
  NetId net;
  PoolId pool;
  uint64_t offset = 0;
  IpAddr address;
  std::string domain;
  std::string status = "busy";  // IPmanager: busy, special, locked, problem, service, extended, ...
  std::string note;
  bool locked = false;
  ServerId server;  // invalid (0) when not assigned to a server
};

}  // namespace dcisim::mockdci
