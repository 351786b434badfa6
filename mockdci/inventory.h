// The inventory: what an emulated DCImanager 6 installation holds when it starts (locations,
// racks with their servers, IP pools, OS templates, scripts, the administrator, operation
// timings). It is read from a JSON file whose shape is a contract, documented in
// docs/INVENTORY.md; every value is validated and an error names the file, the JSON pointer and
// what was expected, e.g. `inv.json: /locations/0/racks/1/ip_pool: unknown IP pool "rack-b9"`.
//
// Usage:
//   Result<Inventory> inv = load_inventory_file("mockdci/inventories/default.json");
//   Result<Inventory> big = generate_inventory(10000, /*seed=*/42);
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_input.h"
#include "common/result.h"
#include "common/time.h"
#include "mockdci/ip_address.h"

namespace dcisim::mockdci {

struct NetworkSpec {
  Cidr cidr;
  IpAddr gateway;  // inside `cidr`, never its network or broadcast address
};

struct PoolSpec {
  std::string name;
  std::vector<NetworkSpec> networks;
};

struct ServerGroupSpec {
  std::string configuration;  // e.g. "i9-9900K-64Gb-2x1024NVMe"
  int64_t count = 0;
};

struct RackSpec {
  std::string name;     // unique across the inventory (server names derive from it)
  std::string ip_pool;  // "" when the rack names no pool
  int64_t units = 42;   // the rack's height; its servers (1U each) must fit
  std::vector<ServerGroupSpec> servers;
};

struct LocationSpec {
  std::string name;
  std::string ip_pool;  // "" when the location names no pool
  std::vector<RackSpec> racks;
};

struct OsTemplateSpec {
  std::string name;
  std::vector<std::string> tags;
};

struct ScriptSpec {
  std::string name;
  std::string access;  // "all" (clients may order it) | "admin"
};

struct UserSpec {
  std::string email;
  std::string password;
  std::string full_name;
  std::string role = "@user";  // "@admin" | "@user"
};

// What DCImanager's hardware scan finds in a server of one configuration (optional, per
// configuration: /hardware in the inventory, docs/INVENTORY.md). Served as hardware_info.
struct CpuSpec {
  std::string model;  // "Intel(R) Core(TM) i9-9900K CPU @ 3.60GHz"
  int64_t cores = 1;
  int64_t threads = 1;
  int64_t frequency_mhz = 0;
  int64_t count = 1;  // sockets with this CPU
};

struct MemorySpec {
  int64_t size_mib = 0;  // one module
  std::string type;      // "DDR4"
  int64_t speed_mhz = 0;
  int64_t count = 1;     // modules like this one
};

struct DiskSpec {
  std::string model;
  int64_t size_gib = 0;
  std::string type;  // "hdd" | "ssd" | "nvme"
  int64_t count = 1;
};

struct HardwareSpec {
  std::string motherboard_manufacturer;
  std::string motherboard_model;
  std::vector<CpuSpec> cpus;
  std::vector<MemorySpec> memory;
  std::vector<DiskSpec> disks;
};

struct Timings {
  common::Duration os_install = common::Duration::minutes(20);
  common::Duration diagnostics = common::Duration::minutes(30);
  // Zero (the default): immediate. Otherwise the action is an operation of that length, and the
  // server shows it meanwhile (state suspending/resuming/releasing; power unchanged until the end).
  common::Duration suspend;
  common::Duration resume;
  common::Duration power;
  common::Duration release;  // before the owner is cleared and diagnostics start
};

struct Inventory {
  std::string source;  // the file it came from, or "generated", for messages
  UserSpec admin;      // always role "@admin"; user id 1
  std::vector<UserSpec> users;  // optional extension: more users created at start (ids 2...)
  std::vector<OsTemplateSpec> os_templates;
  std::vector<ScriptSpec> scripts;
  std::vector<PoolSpec> ip_pools;
  std::string deallocation_pool;  // name of a pool with IPv4
  std::vector<LocationSpec> locations;
  std::map<std::string, HardwareSpec> hardware;  // by configuration; optional extension
  Timings timings;

  int64_t server_count() const;
};

// Limits (a larger inventory is refused with an error that says so).
inline constexpr int64_t kMaxServers = 200'000;
inline constexpr int64_t kMaxRackUnits = 100;
inline constexpr size_t kMaxNetworksPerPool = 64;

common::Result<Inventory> parse_inventory(const nlohmann::json& document, const std::string& source);
// {"os_install": "20m", "suspend": "2m", ...}: the given members replace those of `timings`
// (inventory /timings, the control API, the scenario step {"fault": {"kind": "timings"}}).
common::Result<Timings> parse_timings(const common::JsonNode& node, Timings timings);
// /hardware (inventory_hardware.cpp): after /locations, whose configurations it may name.
common::Status read_hardware(const common::JsonNode& root, Inventory& inventory);
common::Result<Inventory> load_inventory_file(const std::string& path);

// A large valid inventory: `servers` servers (1..kMaxServers) in three locations, racks of 40,
// configurations chosen by a generator seeded with `seed` (same seed, same file).
nlohmann::json generate_inventory_json(int64_t servers, uint64_t seed);
common::Result<Inventory> generate_inventory(int64_t servers, uint64_t seed);

}  // namespace dcisim::mockdci
