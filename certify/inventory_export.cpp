#include "certify/inventory_export.h"

#include <algorithm>
#include <map>
#include <set>

#include "billing/dci6/json_fields.h"
#include "mockdci/inventory.h"

namespace dcisim::certify {

namespace dci6 = billing::dci6;
using common::Result;

namespace {

constexpr int64_t kMaxUnits = 100;

bool is_ipv4_net(const Json& net) {
  const Json& family = dci6::json_member(net, "family");
  if (family.is_number_integer()) return family.get<int64_t>() == 2;
  return dci6::json_text(net, "name").find(':') == std::string::npos;
}

// Hardware of a server's hardware_info in the inventory's shape; null when it has none we read.
Json hardware_of(const Json& info) {
  if (!info.is_object()) return nullptr;
  Json out = Json::object();
  const Json& board = dci6::json_member(info, "motherboard");
  if (!dci6::json_text(board, "model").empty()) {
    out["motherboard"] = {{"model", dci6::json_text(board, "model")}, {"manufacturer", dci6::json_text(board, "manufacturer")}};
  }
  Json cpus = Json::array();
  for (const Json& cpu : dci6::json_member(info, "cpu")) {
    if (dci6::json_text(cpu, "model").empty() || dci6::json_int(cpu, "cores") <= 0) continue;
    cpus.push_back({{"model", dci6::json_text(cpu, "model")}, {"cores", dci6::json_int(cpu, "cores")},
                    {"threads", std::max(dci6::json_int(cpu, "threads"), dci6::json_int(cpu, "cores"))},
                    {"frequency_mhz", dci6::json_int(cpu, "frequency_mhz")}});
  }
  if (!cpus.empty()) out["cpu"] = cpus;
  // Modules and disks are listed one by one; the inventory counts equal ones.
  std::vector<std::pair<Json, int64_t>> memory;
  for (const Json& module : dci6::json_member(dci6::json_member(info, "memory"), "modules")) {
    if (dci6::json_int(module, "size_mib") <= 0) continue;
    Json key = {{"size_mib", dci6::json_int(module, "size_mib")}, {"type", dci6::json_text(module, "type")},
                {"speed_mhz", dci6::json_int(module, "speed_mhz")}};
    auto it = std::find_if(memory.begin(), memory.end(), [&](const auto& m) { return m.first == key; });
    if (it == memory.end()) memory.push_back({key, 1}); else ++it->second;
  }
  if (!memory.empty()) {
    out["memory"] = Json::array();
    for (auto& [key, count] : memory) {
      Json item = key;
      item["count"] = std::min<int64_t>(count, 64);
      out["memory"].push_back(item);
    }
  }
  std::vector<std::pair<Json, int64_t>> disks;
  for (const Json& disk : dci6::json_member(info, "disks")) {
    std::string type = dci6::json_text(disk, "type");
    if (dci6::json_text(disk, "model").empty() || dci6::json_int(disk, "size_gib") <= 0) continue;
    Json key = {{"model", dci6::json_text(disk, "model")}, {"size_gib", dci6::json_int(disk, "size_gib")},
                {"type", type == "hdd" || type == "nvme" ? type : "ssd"}};
    auto it = std::find_if(disks.begin(), disks.end(), [&](const auto& d) { return d.first == key; });
    if (it == disks.end()) disks.push_back({key, 1}); else ++it->second;
  }
  if (!disks.empty()) {
    out["disks"] = Json::array();
    for (auto& [key, count] : disks) {
      Json item = key;
      item["count"] = std::min<int64_t>(count, 64);
      out["disks"].push_back(item);
    }
  }
  return out.empty() ? Json(nullptr) : out;
}

std::string unique_name(const std::string& wanted, std::set<std::string>& taken, int64_t id) {
  std::string name = wanted.empty() ? "unnamed-" + std::to_string(id) : wanted;
  if (!taken.insert(name).second) {
    name += "-" + std::to_string(id);
    taken.insert(name);
  }
  return name;
}

}  // namespace

Result<ExportedInventory> export_inventory(const EndpointFacts& facts, const std::string& admin_email) {
  ExportedInventory out;
  Json& inv = out.inventory;
  inv["admin"] = {{"email", admin_email}, {"password", kExportedAdminPassword}};
  out.notes.push_back(std::string("the administrator's password is the placeholder \"") + kExportedAdminPassword + "\"");

  std::set<std::string> names;
  inv["os_templates"] = Json::array();
  for (const Json& row : facts.templates) {
    std::string name = unique_name(dci6::json_text(row, "name"), names, dci6::json_int(row, "id"));
    Json tags = Json::array();
    for (const Json& tag : dci6::json_member(row, "tags")) {
      if (tag.is_string()) tags.push_back(tag);
    }
    inv["os_templates"].push_back({{"name", name}, {"tags", tags}});
  }
  names.clear();
  inv["scripts"] = Json::array();
  for (const Json& row : facts.scripts) {
    std::string name = unique_name(dci6::json_text(row, "name"), names, dci6::json_int(row, "id"));
    inv["scripts"].push_back({{"name", name}, {"access", dci6::json_text(row, "access") == "all" ? "all" : "admin"}});
  }

  std::map<int64_t, std::string> pool_name;
  std::string dealloc, first_ipv4;
  names.clear();
  inv["ip_pools"] = Json::array();
  for (const Json& pool : facts.pools) {
    int64_t id = dci6::json_int(pool, "id");
    std::string name = unique_name(dci6::json_text(pool, "name"), names, id);
    Json networks = Json::array();
    bool ipv4 = false;
    for (const Json& ref : dci6::json_member(pool, "ipnets")) {
      for (const Json& net : facts.networks) {
        if (dci6::json_int(net, "id") != dci6::json_id_of(ref)) continue;
        networks.push_back({{"cidr", dci6::json_text(net, "name")}, {"gateway", dci6::json_text(net, "gateway")}});
        ipv4 = ipv4 || is_ipv4_net(net);
      }
    }
    pool_name[id] = name;
    inv["ip_pools"].push_back({{"name", name}, {"networks", networks}});
    if (ipv4 && first_ipv4.empty()) first_ipv4 = name;
    if (ipv4 && dealloc.empty() && name.find("dealloc") != std::string::npos) dealloc = name;
  }
  if (dealloc.empty()) {
    dealloc = first_ipv4;
    out.notes.push_back("the deallocation pool is not readable through the API: \"" + dealloc +
                        "\" (the first pool with IPv4) stands in for it; edit /deallocation_pool if yours is another");
  }
  inv["deallocation_pool"] = dealloc;

  std::map<int64_t, std::vector<const Json*>> servers_by_rack;
  size_t unracked = 0;
  for (const Json& server : facts.servers) {
    int64_t rack = dci6::json_id_of(dci6::json_member(server, "rack"));
    if (rack > 0) servers_by_rack[rack].push_back(&server); else ++unracked;
  }
  if (unracked > 0) out.notes.push_back(std::to_string(unracked) + " servers are in no rack and were left out");

  names.clear();
  inv["locations"] = Json::array();
  std::set<std::string> rack_names;
  Json hardware = Json::object();
  for (const Json& location : facts.locations) {
    int64_t location_id = dci6::json_int(location, "id");
    Json out_location = {{"name", unique_name(dci6::json_text(location, "name"), names, location_id)}, {"racks", Json::array()}};
    int64_t location_pool = dci6::json_id_of(dci6::json_member(location, "ippool"));
    if (pool_name.count(location_pool)) out_location["ip_pool"] = pool_name[location_pool];
    for (const Json& rack : facts.racks) {
      if (dci6::json_id_of(dci6::json_member(rack, "location")) != location_id) continue;
      int64_t rack_id = dci6::json_int(rack, "id");
      Json out_rack = {{"name", unique_name(dci6::json_text(rack, "name"), rack_names, rack_id)}, {"servers", Json::array()}};
      int64_t rack_pool = dci6::json_id_of(dci6::json_member(rack, "ippool"));
      if (pool_name.count(rack_pool)) out_rack["ip_pool"] = pool_name[rack_pool];
      int64_t count = 0;
      for (const Json* server : servers_by_rack[rack_id]) {
        if (count >= kMaxUnits) break;  // the inventory's limit; noted below
        std::string configuration = dci6::json_text(*server, "configuration");
        Json& groups = out_rack["servers"];
        if (!groups.empty() && groups.back()["configuration"] == configuration && groups.back()["count"].get<int64_t>() < 100) {
          groups.back()["count"] = groups.back()["count"].get<int64_t>() + 1;
        } else {
          groups.push_back({{"configuration", configuration}, {"count", 1}});
        }
        ++count;
        if (!hardware.contains(configuration)) {
          Json found = hardware_of(dci6::json_member(*server, "hardware_info"));
          if (!found.is_null()) hardware[configuration] = found;
        }
      }
      int64_t units = dci6::json_int(rack, "units");
      if (units <= 0) units = dci6::json_int(rack, "size");
      out_rack["units"] = std::clamp<int64_t>(std::max(units, count), 1, kMaxUnits);
      if (servers_by_rack[rack_id].size() > static_cast<size_t>(kMaxUnits)) out.notes.push_back("rack " + out_rack["name"].get<std::string>() + " holds more than 100 servers: cut to 100");
      out_location["racks"].push_back(out_rack);
    }
    inv["locations"].push_back(out_location);
  }
  if (!hardware.empty()) inv["hardware"] = hardware;
  inv["timings"] = {{"os_install", "20m"}, {"diagnostics", "30m"}};
  out.notes.push_back("operation timings are not readable through the API: 20m installs, 30m diagnostics");

  Result<mockdci::Inventory> parsed = mockdci::parse_inventory(inv, "the exported inventory");
  if (!parsed) return common::Error::invalid("the endpoint's catalog does not make a valid emulator inventory: " + parsed.error().message);
  return out;
}

}  // namespace dcisim::certify
