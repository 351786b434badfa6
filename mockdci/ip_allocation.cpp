#include "mockdci/ip_allocation.h"

#include <algorithm>

namespace dcisim::mockdci {

using common::Error;
using common::Result;

namespace {

constexpr uint64_t kMaxOffset = uint64_t{1} << 63;  // huge IPv6 networks: never reached in practice

}  // namespace

uint64_t IpNet::gateway_offset() const { return static_cast<uint64_t>(cidr.offset_of(gateway)); }

uint64_t IpNet::last_usable_offset() const {
  U128 size = cidr.size();
  U128 last = cidr.base.family == IpFamily::v4 ? size - 2 : size - 1;  // no broadcast in IPv6
  return last > kMaxOffset ? kMaxOffset : static_cast<uint64_t>(last);
}

U128 IpNet::usable_count() const {
  // The network address, the IPv4 broadcast and the gateway cannot be allocated.
  U128 size = cidr.size();
  return cidr.base.family == IpFamily::v4 ? size - 3 : size - 2;
}

int64_t IpNet::used_count() const { return static_cast<int64_t>(taken.size()) - 1; }

Result<PoolId> provisioning_pool(const Model& model, const Server& server) {
  // "Only pools with IPv4 addresses can be used to release and provision servers" (API.md §6):
  // a pool without IPv4 is never a candidate, at any level; the next rule is tried instead.
  auto candidate = [&model](PoolId pool) { return pool.valid() && pool_has_family(model, pool, IpFamily::v4); };
  const Rack& rack = model.racks.at(server.rack);
  if (candidate(rack.pool)) return rack.pool;
  const Location& location = model.locations.at(server.location);
  if (candidate(location.pool)) return location.pool;
  for (const auto& [id, pool] : model.pools) {
    if (pool.name.find("public") != std::string::npos && candidate(id)) return id;
  }
  return Error::conflict("no IP pool with IPv4 for server " + std::to_string(server.id.value()) + ": neither rack \"" +
                         rack.name + "\" nor location \"" + location.name +
                         "\" names a pool with an IPv4 network, and no such pool's name contains \"public\"");
}

bool pool_has_family(const Model& model, PoolId pool, IpFamily family) {
  for (NetId net : model.pools.at(pool).nets) {
    if (model.nets.at(net).cidr.base.family == family) return true;
  }
  return false;
}

namespace {

// The lowest offset in 1..last that is not taken, or 0 when the network is full.
uint64_t lowest_free(const IpNet& net) {
  uint64_t candidate = 1;
  for (auto it = net.taken.lower_bound(candidate); it != net.taken.end() && *it == candidate; ++it) {
    ++candidate;
  }
  return candidate <= net.last_usable_offset() ? candidate : 0;
}

}  // namespace

Result<FreeAddress> find_free_address(const Model& model, PoolId pool_id, IpFamily family, NetId preferred) {
  const IpPool& pool = model.pools.at(pool_id);
  std::vector<NetId> order;
  if (preferred.valid()) order.push_back(preferred);
  for (NetId net : pool.nets) {
    if (net != preferred) order.push_back(net);
  }
  bool has_family = false;
  for (NetId net_id : order) {
    const IpNet& net = model.nets.at(net_id);
    if (net.cidr.base.family != family) continue;
    has_family = true;
    if (uint64_t offset = lowest_free(net); offset != 0) return FreeAddress{net_id, offset};
  }
  std::string family_text = family == IpFamily::v4 ? "IPv4" : "IPv6";
  if (!has_family) {
    return Error::conflict("IP pool \"" + pool.name + "\" has no " + family_text + " network");
  }
  return Error::conflict("IP pool \"" + pool.name + "\" has no free " + family_text + " address (exhausted)");
}

IpId assign_address(Model& model, FreeAddress where, ServerId server, const std::string& domain) {
  IpNet& net = model.nets.at(where.net);
  bool inserted = net.taken.insert(where.offset).second;
  DCISIM_ASSERT(inserted, "assign_address on a taken address");
  IpRecord record;
  record.id = IpId(++model.last_ip_id);
  record.net = net.id;
  record.pool = net.pool;
  record.offset = where.offset;
  record.address = net.cidr.at(where.offset);
  record.domain = domain;
  record.server = server;
  if (server.valid()) model.servers.at(server).ips.push_back(record.id);
  model.touch(server);
  IpId id = record.id;
  model.ips.emplace(id, std::move(record));
  return id;
}

void release_address(Model& model, IpId id) {
  auto it = model.ips.find(id);
  DCISIM_ASSERT(it != model.ips.end(), "release_address of an unknown address");
  const IpRecord& record = it->second;
  model.nets.at(record.net).taken.erase(record.offset);
  model.touch(record.server);
  if (Server* server = model.server(record.server)) {
    server->ips.erase(std::remove(server->ips.begin(), server->ips.end(), id), server->ips.end());
  }
  model.ips.erase(it);
}

}  // namespace dcisim::mockdci
