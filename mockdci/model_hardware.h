// Locations, racks, switches with their ports, and servers: DCImanager's physical inventory.
#pragma once

#include <string>
#include <vector>

#include "common/time.h"
#include "mockdci/ids.h"

namespace dcisim::mockdci {

struct Location {
  LocationId id;
  std::string name;
  PoolId pool;  // invalid when the location names no pool
  std::vector<RackId> racks;
};

struct Rack {
  RackId id;
  std::string name;
  LocationId location;
  PoolId pool;  // invalid when the rack names no pool
  int64_t units = 42;
  SwitchId switch_id;  // one top-of-rack switch per rack
  std::vector<ServerId> servers;
};

struct SwitchPort {
  PortId id;
  SwitchId switch_id;
  std::string name;  // "ge-0/0/3"
  ServerId server;   // invalid when nothing is connected
  bool admin_up = true;
};

struct Switch {
  SwitchId id;
  std::string name;  // "sw-A1"
  RackId rack;
  std::vector<PortId> ports;
};

enum class Power { on, off, unknown };
const char* power_name(Power power);  // "ON" | "OFF" | "UNKNOWN"

// The *ing states last while a timed suspend, resume or release runs (inventory timings > 0).
enum class ServerState { active, suspended, suspending, resuming, releasing };
const char* server_state_name(ServerState state);  // "active" | "suspended" | "suspending" | ...

struct Server {
  ServerId id;
  std::string name;  // "<rack>-<nn>", e.g. "A1-01"
  std::string configuration;
  LocationId location;
  RackId rack;
  int64_t unit = 1;
  std::string mac;
  PortId port;

  UserId owner;  // invalid when free
  std::string domain;
  Power power = Power::on;
  ServerState state = ServerState::active;
  bool maintenance = false;
  TemplateId os_template;       // the installed (or installing) template; invalid when none
  OperationId last_operation;   // the last operation of any kind; invalid before the first
  bool diagnostics_running = false;
  std::vector<IpId> ips;        // in assignment order; the first IPv4 is the main address
};

}  // namespace dcisim::mockdci
