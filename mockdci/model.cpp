#include "mockdci/model.h"

#include <cstdio>

namespace dcisim::mockdci {

const char* power_name(Power power) {
  switch (power) {
    case Power::on: return "ON";
    case Power::off: return "OFF";
    case Power::unknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

const char* server_state_name(ServerState state) {
  switch (state) {
    case ServerState::active: return "active";
    case ServerState::suspended: return "suspended";
    case ServerState::suspending: return "suspending";
    case ServerState::resuming: return "resuming";
    case ServerState::releasing: return "releasing";
  }
  return "active";
}

const char* operation_kind_name(OperationKind kind) {
  switch (kind) {
    case OperationKind::os_install: return "os_install";
    case OperationKind::diagnostics: return "diagnostics";
    case OperationKind::suspend: return "suspend";
    case OperationKind::resume: return "resume";
    case OperationKind::power_on: return "power_on";
    case OperationKind::power_off: return "power_off";
    case OperationKind::release: return "release";
  }
  return "os_install";
}

const char* operation_status_name(OperationStatus status) {
  switch (status) {
    case OperationStatus::running: return "running";
    case OperationStatus::ok: return "ok";
    case OperationStatus::failed: return "failed";
    case OperationStatus::canceled: return "canceled";
  }
  return "failed";
}

namespace {

template <typename Map, typename Id>
auto* find_in(Map& map, Id id) {
  auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

std::string mac_for(ServerId id) {
  char text[32];
  int64_t v = id.value();
  std::snprintf(text, sizeof text, "02:00:00:%02x:%02x:%02x", static_cast<int>((v >> 16) & 0xff),
                static_cast<int>((v >> 8) & 0xff), static_cast<int>(v & 0xff));
  return text;
}

std::string two_digits(int64_t n) {
  char text[24];
  std::snprintf(text, sizeof text, "%02lld", static_cast<long long>(n));
  return text;
}

void add_pools(Model& model, const Inventory& inventory) {
  int64_t net_id = 0;
  for (size_t i = 0; i < inventory.ip_pools.size(); ++i) {
    const PoolSpec& spec = inventory.ip_pools[i];
    IpPool pool{PoolId(static_cast<int64_t>(i) + 1), spec.name, {}};
    for (const NetworkSpec& network : spec.networks) {
      IpNet net{NetId(++net_id), pool.id, network.cidr, network.gateway, {}};
      net.taken.insert(net.gateway_offset());
      pool.nets.push_back(net.id);
      model.nets.emplace(net.id, std::move(net));
    }
    if (spec.name == inventory.deallocation_pool) model.deallocation_pool = pool.id;
    model.pools.emplace(pool.id, std::move(pool));
  }
}

PoolId pool_named(const Model& model, const std::string& name) {
  if (name.empty()) return PoolId();
  for (const auto& [id, pool] : model.pools) {
    if (pool.name == name) return id;
  }
  return PoolId();
}

void add_rack(Model& model, LocationId location, const RackSpec& spec) {
  RackId rack_id(static_cast<int64_t>(model.racks.size()) + 1);
  Rack rack{rack_id, spec.name, location, pool_named(model, spec.ip_pool), spec.units, SwitchId(rack_id.value()), {}};
  Switch sw{rack.switch_id, "sw-" + spec.name, rack_id, {}};
  int64_t unit = 0;
  for (const ServerGroupSpec& group : spec.servers) {
    for (int64_t n = 0; n < group.count; ++n) {
      ++unit;
      ServerId server_id(static_cast<int64_t>(model.servers.size()) + 1);
      PortId port_id(static_cast<int64_t>(model.ports.size()) + 1);
      model.ports.emplace(port_id, SwitchPort{port_id, sw.id, "ge-0/0/" + std::to_string(unit), server_id, true});
      sw.ports.push_back(port_id);
      Server server;
      server.id = server_id;
      server.name = spec.name + "-" + two_digits(unit);
      server.configuration = group.configuration;
      server.location = location;
      server.rack = rack_id;
      server.unit = unit;
      server.mac = mac_for(server_id);
      server.port = port_id;
      rack.servers.push_back(server_id);
      model.servers.emplace(server_id, std::move(server));
    }
  }
  model.switches.emplace(sw.id, std::move(sw));
  model.racks.emplace(rack_id, std::move(rack));
  model.locations.at(location).racks.push_back(rack_id);
}

void add_user(Model& model, const UserSpec& spec) {
  UserId id(++model.last_user_id);
  model.users.emplace(id, User{id, spec.email, spec.password, spec.full_name, "", spec.role});
  model.user_by_email.emplace(spec.email, id);
}

}  // namespace

Server* Model::server(ServerId id) { return find_in(servers, id); }
const Server* Model::server(ServerId id) const { return find_in(servers, id); }
const User* Model::user(UserId id) const { return find_in(users, id); }
const IpRecord* Model::ip(IpId id) const { return find_in(ips, id); }
const Operation* Model::operation(OperationId id) const { return find_in(operations, id); }

Model build_model(const Inventory& inventory) {
  Model model;
  model.timings = inventory.timings;
  model.hardware = inventory.hardware;
  add_user(model, inventory.admin);
  for (const UserSpec& user : inventory.users) add_user(model, user);
  for (size_t i = 0; i < inventory.os_templates.size(); ++i) {
    TemplateId id(static_cast<int64_t>(i) + 1);
    model.os_templates.emplace(id, OsTemplate{id, inventory.os_templates[i].name, inventory.os_templates[i].tags});
  }
  for (size_t i = 0; i < inventory.scripts.size(); ++i) {
    ScriptId id(static_cast<int64_t>(i) + 1);
    model.scripts.emplace(id, Script{id, inventory.scripts[i].name, inventory.scripts[i].access});
  }
  add_pools(model, inventory);
  for (size_t i = 0; i < inventory.locations.size(); ++i) {
    const LocationSpec& spec = inventory.locations[i];
    LocationId id(static_cast<int64_t>(i) + 1);
    model.locations.emplace(id, Location{id, spec.name, pool_named(model, spec.ip_pool), {}});
    for (const RackSpec& rack : spec.racks) add_rack(model, id, rack);
  }
  DCISIM_ASSERT(model.deallocation_pool.valid(), "a validated inventory names its deallocation pool");
  return model;
}

}  // namespace dcisim::mockdci
