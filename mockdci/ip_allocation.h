// IP allocation as DCImanager documents it (API.md §6): a server's addresses come from its rack's
// pool, else its location's pool, else the first pool whose name contains "public"; only a pool
// with IPv4 can provision, so a pool without IPv4 is skipped at every level (the next rule is
// tried); IPv6 comes from the same pool. Within a pool, networks are tried
// in order and the lowest free address is taken; network, broadcast and gateway addresses are
// never handed out. Running out is an error (kind `conflict`), never a crash.
#pragma once

#include <utility>

#include "common/result.h"
#include "mockdci/model.h"

namespace dcisim::mockdci {

// The pool that provisions `server` (the rule above). An error (conflict) when no rule finds a
// pool with IPv4.
common::Result<PoolId> provisioning_pool(const Model& model, const Server& server);

bool pool_has_family(const Model& model, PoolId pool, IpFamily family);

struct FreeAddress {
  NetId net;
  uint64_t offset = 0;
};

// The lowest free address of `family` in `pool`, trying `preferred` first when it is valid.
common::Result<FreeAddress> find_free_address(const Model& model, PoolId pool, IpFamily family,
                                              NetId preferred = NetId());

// Records the address as assigned (to `server`, or to nobody when invalid) and returns its id.
IpId assign_address(Model& model, FreeAddress where, ServerId server, const std::string& domain);

// Frees the address: out of its network, out of its server's list, out of the records.
void release_address(Model& model, IpId id);

}  // namespace dcisim::mockdci
