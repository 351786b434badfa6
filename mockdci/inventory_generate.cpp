// A generator of large, valid inventories for load tests and benchmarks.
#include <algorithm>

#include "common/rng.h"
#include "mockdci/inventory.h"

namespace dcisim::mockdci {

namespace {

using Json = nlohmann::json;

constexpr int64_t kServersPerRack = 40;
constexpr const char* kConfigurations[] = {
    "i9-9900K-64Gb-2x1024NVMe", "E-2236-32Gb-2x480SSD", "EPYC-7402P-128Gb-2x1920NVMe",
    "Xeon-Silver-4214-96Gb-4x4TB"};

// The smallest IPv4 prefix length whose network holds `addresses` usable addresses (>= /8).
int prefix_for(int64_t addresses) {
  int prefix = 30;
  while (prefix > 8 && ((int64_t{1} << (32 - prefix)) - 3) < addresses) --prefix;
  return prefix;
}

Json pool(const std::string& name, const std::string& base, int prefix, const std::string& gateway) {
  return {{"name", name},
          {"networks", Json::array({{{"cidr", base + "/" + std::to_string(prefix)}, {"gateway", gateway}}})}};
}

}  // namespace

Json generate_inventory_json(int64_t servers, uint64_t seed) {
  servers = std::clamp<int64_t>(servers, 1, kMaxServers);
  common::Rng rng(seed);
  // Each server takes at most an IPv4 address and a few extras: room for two per server.
  int prefix = prefix_for(servers * 2);
  Json public_pool = pool("public-main", "100.64.0.0", std::max(prefix, 10), "100.64.0.1");
  public_pool["networks"].push_back({{"cidr", "2001:db8:100::/64"}, {"gateway", "2001:db8:100::1"}});
  Json inventory = {
      {"admin", {{"email", "admin@example.com"}, {"password", "secret"}}},
      {"os_templates", Json::array({{{"name", "Debian 12"}, {"tags", {"linux"}}},
                                    {{"name", "Ubuntu 24.04"}, {"tags", {"linux"}}},
                                    {{"name", "AlmaLinux 9"}, {"tags", {"linux"}}},
                                    {{"name", "Windows Server 2022"}, {"tags", {"windows"}}}})},
      {"scripts", Json::array({{{"name", "docker"}, {"access", "all"}},
                               {{"name", "internal-audit"}, {"access", "admin"}}})},
      {"ip_pools", Json::array({public_pool,
                                pool("ams-pool", "172.16.0.0", std::max(prefix, 12), "172.16.0.1"),
                                pool("dealloc", "10.255.0.0", 16, "10.255.0.1")})},
      {"deallocation_pool", "dealloc"},
      {"timings", {{"os_install", "20m"}, {"diagnostics", "30m"}}},
  };
  const char* names[] = {"Amsterdam", "Frankfurt", "New York"};
  const char* codes[] = {"AMS", "FRA", "NYC"};
  Json locations = Json::array();
  for (int i = 0; i < 3; ++i) {
    locations.push_back({{"name", names[i]}, {"racks", Json::array()}});
  }
  locations[0]["ip_pool"] = "ams-pool";
  int64_t placed = 0;
  for (int64_t rack = 0; placed < servers; ++rack) {
    int64_t in_rack = std::min(kServersPerRack, servers - placed);
    // One or two configurations per rack, as racks are usually bought in batches.
    int64_t first = rng.uniform(0, 3);
    int64_t split = rng.chance(1, 3) ? rng.uniform(1, in_rack) : in_rack;
    Json groups = Json::array({{{"configuration", kConfigurations[first]}, {"count", split}}});
    if (split < in_rack) {
      groups.push_back({{"configuration", kConfigurations[(first + 1) % 4]}, {"count", in_rack - split}});
    }
    int location = static_cast<int>(rack % 3);
    std::string number = std::to_string(rack / 3 + 1);
    std::string rack_name = std::string(codes[location]) + "-" + std::string(3 - std::min<size_t>(3, number.size()), '0') + number;
    locations[location]["racks"].push_back({{"name", rack_name}, {"units", 42}, {"servers", groups}});
    placed += in_rack;
  }
  inventory["locations"] = locations;
  return inventory;
}

common::Result<Inventory> generate_inventory(int64_t servers, uint64_t seed) {
  if (servers < 1 || servers > kMaxServers) {
    return common::Error::invalid("the number of servers to generate must be in 1.." + std::to_string(kMaxServers));
  }
  return parse_inventory(generate_inventory_json(servers, seed), "generated(servers=" + std::to_string(servers) + ")");
}

}  // namespace dcisim::mockdci
