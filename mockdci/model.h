// The emulated DCImanager's whole state: plain structs in ordered containers, keyed by typed ids.
// Behaviour lives in free functions over the model, one file per concept (ip_allocation.h,
// server_actions.h, accounts.h); JSON views in views.h. The model is not thread-safe: the
// Emulator guards it with one mutex.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "common/rng.h"
#include "mockdci/faults.h"
#include "mockdci/inventory.h"
#include "mockdci/model_accounts.h"
#include "mockdci/model_hardware.h"
#include "mockdci/model_ip.h"
#include "mockdci/model_operations.h"

namespace dcisim::mockdci {

// Faults injected through the control API or a scenario (faults.h); cleared by reset, but for
// rules of scope "run".
struct Faults {
  // The first control API's counters, kept as they were ({"unavailable": N, "path_prefix"...}).
  int64_t unavailable_remaining = 0;  // the next N DCImanager API requests answer 503
  std::string unavailable_path_prefix;  // only requests under this path ("" = every API path)
  int64_t os_install_failures_remaining = 0;  // the next N OS installs end as "failed"
  FaultSet rules;
  common::Rng rng{0};  // probabilities draw from it; seeded from the emulator's seed
};

struct Model {
  Timings timings;
  PoolId deallocation_pool;

  std::map<UserId, User> users;
  std::map<std::string, UserId> user_by_email;
  std::map<TokenId, Token> tokens;
  std::map<std::string, TokenId> token_by_value;
  std::map<KeyId, LoginKey> keys;
  std::map<std::string, KeyId> key_by_value;
  std::map<TemplateId, OsTemplate> os_templates;
  std::map<ScriptId, Script> scripts;

  std::map<PoolId, IpPool> pools;
  std::map<NetId, IpNet> nets;
  std::map<IpId, IpRecord> ips;

  std::map<LocationId, Location> locations;
  std::map<RackId, Rack> racks;
  std::map<SwitchId, Switch> switches;
  std::map<PortId, SwitchPort> ports;
  std::map<ServerId, Server> servers;
  std::map<std::string, HardwareSpec> hardware;  // by configuration (inventory /hardware)

  std::map<OperationId, Operation> operations;
  std::set<std::pair<common::Instant, OperationId>> running;  // by end instant, then id

  // The last id handed out for objects created at run time.
  int64_t last_user_id = 0;
  int64_t last_token_id = 0;
  int64_t last_key_id = 0;
  int64_t last_ip_id = 0;
  int64_t last_operation_id = 0;

  Faults faults;

  // Servers whose JSON may have changed since the JSON cache (server_rows.h) last looked. Every
  // action on a server, an address or a port touches the server it affects.
  std::set<ServerId> touched;
  void touch(ServerId id) {
    if (id.valid()) touched.insert(id);
  }

  // Lookups that return nullptr when the id is unknown.
  Server* server(ServerId id);
  const Server* server(ServerId id) const;
  const User* user(UserId id) const;
  const IpRecord* ip(IpId id) const;
  const Operation* operation(OperationId id) const;
};

// The model at start: every object of the inventory, ids from 1 in file order. All servers are
// free, powered on, active, with diagnostics done and every switch port up.
Model build_model(const Inventory& inventory);

}  // namespace dcisim::mockdci
