#include "mockdci/inventory.h"

#include <map>
#include <set>

#include "common/json_input.h"

namespace dcisim::mockdci {

using common::Error;
using common::JsonNode;
using common::Result;
using common::Status;

int64_t Inventory::server_count() const {
  int64_t total = 0;
  for (const LocationSpec& location : locations) {
    for (const RackSpec& rack : location.racks) {
      for (const ServerGroupSpec& group : rack.servers) total += group.count;
    }
  }
  return total;
}

namespace {

constexpr size_t kMaxNameLength = 200;
constexpr size_t kMaxListLength = 10'000;

Result<std::string> read_name(const JsonNode& node) {
  Result<std::string> name = node.non_empty_string();
  if (!name) return name;
  if (name->size() > kMaxNameLength) return node.error("a name of at most 200 characters");
  return name;
}

Status require_list(const JsonNode& node, size_t max_length) {
  if (Status s = node.require_array(); !s) return s;
  if (node.size() > max_length) {
    return node.error_message("at most " + std::to_string(max_length) + " entries are allowed");
  }
  return Status::success();
}

Result<UserSpec> read_user(const JsonNode& node, bool is_admin) {
  if (Status s = node.require_object(); !s) return s.error();
  if (Status s = node.only_keys({"email", "password", "full_name", "role"}); !s) return s.error();
  UserSpec user;
  Result<std::string> email = node.at("email").non_empty_string();
  if (!email) return email.error();
  if (email->find('@') == std::string::npos || email->size() > kMaxNameLength) {
    return node.at("email").error("an e-mail address such as \"admin@example.com\"");
  }
  user.email = *email;
  Result<std::string> password = node.at("password").non_empty_string();
  if (!password) return password.error();
  user.password = *password;
  Result<std::string> full_name = node.at("full_name").string_or("");
  if (!full_name) return full_name.error();
  user.full_name = *full_name;
  Result<std::string> role = node.at("role").string_or(is_admin ? "@admin" : "@user");
  if (!role) return role.error();
  if (*role != "@admin" && *role != "@user") return node.at("role").error("\"@admin\" or \"@user\"");
  if (is_admin && *role != "@admin") return node.at("role").error("\"@admin\" (the administrator)");
  user.role = *role;
  return user;
}

Result<std::vector<std::string>> read_tags(const JsonNode& node) {
  std::vector<std::string> tags;
  if (!node.present()) return tags;
  if (Status s = require_list(node, 100); !s) return s.error();
  for (size_t i = 0; i < node.size(); ++i) {
    Result<std::string> tag = read_name(node.at(i));
    if (!tag) return tag.error();
    tags.push_back(*tag);
  }
  return tags;
}

Status read_catalog(const JsonNode& root, Inventory& inventory) {
  JsonNode templates = root.at("os_templates");
  if (Status s = require_list(templates, kMaxListLength); !s) return s;
  std::set<std::string> names;
  for (size_t i = 0; i < templates.size(); ++i) {
    JsonNode node = templates.at(i);
    if (Status s = node.require_object(); !s) return s;
    if (Status s = node.only_keys({"name", "tags"}); !s) return s;
    Result<std::string> name = read_name(node.at("name"));
    if (!name) return name.error();
    if (!names.insert(*name).second) return node.at("name").error_message("duplicate OS template name \"" + *name + "\"");
    Result<std::vector<std::string>> tags = read_tags(node.at("tags"));
    if (!tags) return tags.error();
    inventory.os_templates.push_back({*name, *tags});
  }
  JsonNode scripts = root.at("scripts");
  if (!scripts.present()) return Status::success();
  if (Status s = require_list(scripts, kMaxListLength); !s) return s;
  names.clear();
  for (size_t i = 0; i < scripts.size(); ++i) {
    JsonNode node = scripts.at(i);
    if (Status s = node.require_object(); !s) return s;
    if (Status s = node.only_keys({"name", "access"}); !s) return s;
    Result<std::string> name = read_name(node.at("name"));
    if (!name) return name.error();
    if (!names.insert(*name).second) return node.at("name").error_message("duplicate script name \"" + *name + "\"");
    Result<std::string> access = node.at("access").string_or("all");
    if (!access) return access.error();
    if (*access != "all" && *access != "admin") return node.at("access").error("\"all\" or \"admin\"");
    inventory.scripts.push_back({*name, *access});
  }
  return Status::success();
}

Result<NetworkSpec> read_network(const JsonNode& node) {
  if (Status s = node.require_object(); !s) return s.error();
  if (Status s = node.only_keys({"cidr", "gateway"}); !s) return s.error();
  Result<std::string> cidr_text = node.at("cidr").string();
  if (!cidr_text) return cidr_text.error();
  Result<Cidr> cidr = Cidr::parse(*cidr_text);
  if (!cidr) return node.at("cidr").error_message(cidr.error().message);
  bool v4 = cidr->base.family == IpFamily::v4;
  if (v4 && (cidr->prefix < 8 || cidr->prefix > 30)) {
    return node.at("cidr").error("an IPv4 network with a prefix length in 8..30");
  }
  if (!v4 && (cidr->prefix < 32 || cidr->prefix > 126)) {
    return node.at("cidr").error("an IPv6 network with a prefix length in 32..126");
  }
  Result<std::string> gateway_text = node.at("gateway").string();
  if (!gateway_text) return gateway_text.error();
  Result<IpAddr> gateway = parse_ip(*gateway_text);
  if (!gateway) return node.at("gateway").error_message(gateway.error().message);
  if (!cidr->contains(*gateway)) {
    return node.at("gateway").error_message("the gateway " + *gateway_text + " is not inside " + *cidr_text);
  }
  U128 offset = cidr->offset_of(*gateway);
  if (offset == 0 || (v4 && offset == cidr->size() - 1)) {
    return node.at("gateway").error_message("the gateway cannot be the network or broadcast address of " + *cidr_text);
  }
  return NetworkSpec{*cidr, *gateway};
}

Status read_pools(const JsonNode& root, Inventory& inventory) {
  JsonNode pools = root.at("ip_pools");
  if (Status s = require_list(pools, kMaxListLength); !s) return s;
  std::set<std::string> names;
  std::vector<std::pair<Cidr, std::string>> seen;  // network, pointer: for overlap errors
  for (size_t i = 0; i < pools.size(); ++i) {
    JsonNode node = pools.at(i);
    if (Status s = node.require_object(); !s) return s;
    if (Status s = node.only_keys({"name", "networks"}); !s) return s;
    Result<std::string> name = read_name(node.at("name"));
    if (!name) return name.error();
    if (!names.insert(*name).second) return node.at("name").error_message("duplicate IP pool name \"" + *name + "\"");
    PoolSpec pool{*name, {}};
    JsonNode networks = node.at("networks");
    if (Status s = require_list(networks, kMaxNetworksPerPool); !s) return s;
    for (size_t n = 0; n < networks.size(); ++n) {
      Result<NetworkSpec> network = read_network(networks.at(n));
      if (!network) return network.error();
      for (const auto& [other, pointer] : seen) {
        if (other.overlaps(network->cidr)) {
          return networks.at(n).at("cidr").error_message(network->cidr.to_string() + " overlaps " +
                                                         other.to_string() + " at " + pointer);
        }
      }
      seen.emplace_back(network->cidr, networks.at(n).pointer());
      pool.networks.push_back(*network);
    }
    inventory.ip_pools.push_back(std::move(pool));
  }
  return Status::success();
}

Result<std::string> read_pool_reference(const JsonNode& node, const Inventory& inventory) {
  if (!node.present()) return std::string();
  Result<std::string> name = node.non_empty_string();
  if (!name) return name.error();
  for (const PoolSpec& pool : inventory.ip_pools) {
    if (pool.name == *name) return name;
  }
  return node.error_message("unknown IP pool \"" + *name + "\" (not in /ip_pools)");
}

Result<RackSpec> read_rack(const JsonNode& node, const Inventory& inventory) {
  if (Status s = node.require_object(); !s) return s.error();
  if (Status s = node.only_keys({"name", "ip_pool", "units", "servers"}); !s) return s.error();
  RackSpec rack;
  Result<std::string> name = read_name(node.at("name"));
  if (!name) return name.error();
  rack.name = *name;
  Result<std::string> pool = read_pool_reference(node.at("ip_pool"), inventory);
  if (!pool) return pool.error();
  rack.ip_pool = *pool;
  Result<int64_t> units = node.at("units").integer_or(42, 1, kMaxRackUnits);
  if (!units) return units.error();
  rack.units = *units;
  JsonNode groups = node.at("servers");
  if (Status s = require_list(groups, kMaxListLength); !s) return s.error();
  int64_t used_units = 0;
  for (size_t i = 0; i < groups.size(); ++i) {
    JsonNode group = groups.at(i);
    if (Status s = group.require_object(); !s) return s.error();
    if (Status s = group.only_keys({"configuration", "count"}); !s) return s.error();
    Result<std::string> configuration = read_name(group.at("configuration"));
    if (!configuration) return configuration.error();
    Result<int64_t> count = group.at("count").integer(0, kMaxRackUnits);
    if (!count) return count.error();
    used_units += *count;
    if (used_units > rack.units) {
      return group.at("count").error_message("the rack holds " + std::to_string(rack.units) +
                                             " units but its servers need " + std::to_string(used_units) +
                                             " (one unit each)");
    }
    rack.servers.push_back({*configuration, *count});
  }
  return rack;
}

Status read_locations(const JsonNode& root, Inventory& inventory) {
  JsonNode locations = root.at("locations");
  if (Status s = require_list(locations, kMaxListLength); !s) return s;
  std::set<std::string> location_names;
  std::set<std::string> rack_names;
  int64_t servers = 0;
  for (size_t i = 0; i < locations.size(); ++i) {
    JsonNode node = locations.at(i);
    if (Status s = node.require_object(); !s) return s;
    if (Status s = node.only_keys({"name", "ip_pool", "racks"}); !s) return s;
    LocationSpec location;
    Result<std::string> name = read_name(node.at("name"));
    if (!name) return name.error();
    if (!location_names.insert(*name).second) return node.at("name").error_message("duplicate location name \"" + *name + "\"");
    location.name = *name;
    Result<std::string> pool = read_pool_reference(node.at("ip_pool"), inventory);
    if (!pool) return pool.error();
    location.ip_pool = *pool;
    JsonNode racks = node.at("racks");
    if (Status s = require_list(racks, kMaxListLength); !s) return s;
    for (size_t r = 0; r < racks.size(); ++r) {
      Result<RackSpec> rack = read_rack(racks.at(r), inventory);
      if (!rack) return rack.error();
      if (!rack_names.insert(rack->name).second) {
        return racks.at(r).at("name").error_message("duplicate rack name \"" + rack->name + "\" (rack names are unique across locations)");
      }
      for (const ServerGroupSpec& group : rack->servers) servers += group.count;
      if (servers > kMaxServers) {
        return racks.at(r).error_message("more than " + std::to_string(kMaxServers) + " servers in the inventory");
      }
      location.racks.push_back(std::move(*rack));
    }
    inventory.locations.push_back(std::move(location));
  }
  return Status::success();
}

Status read_people(const JsonNode& root, Inventory& inventory) {
  Result<UserSpec> admin = read_user(root.at("admin"), true);
  if (!admin) return admin.error();
  inventory.admin = *admin;
  std::set<std::string> emails{admin->email};
  JsonNode users = root.at("users");
  if (!users.present()) return Status::success();
  if (Status s = require_list(users, kMaxListLength); !s) return s;
  for (size_t i = 0; i < users.size(); ++i) {
    Result<UserSpec> user = read_user(users.at(i), false);
    if (!user) return user.error();
    if (!emails.insert(user->email).second) {
      return users.at(i).at("email").error_message("duplicate user e-mail \"" + user->email + "\"");
    }
    inventory.users.push_back(*user);
  }
  return Status::success();
}

Status read_timings(const JsonNode& root, Inventory& inventory) {
  JsonNode timings = root.at("timings");
  if (!timings.present()) return Status::success();
  Result<Timings> read = parse_timings(timings, inventory.timings);
  if (!read) return read.error();
  inventory.timings = *read;
  return Status::success();
}

}  // namespace

Result<Timings> parse_timings(const JsonNode& node, Timings timings) {
  if (Status s = node.require_object(); !s) return s.error();
  if (Status s = node.only_keys({"os_install", "diagnostics", "suspend", "resume", "power", "release"}); !s) return s.error();
  const common::Duration max = common::Duration::days(7);
  for (auto [key, target] : {std::pair{"os_install", &timings.os_install}, std::pair{"diagnostics", &timings.diagnostics},
                             std::pair{"suspend", &timings.suspend}, std::pair{"resume", &timings.resume},
                             std::pair{"power", &timings.power}, std::pair{"release", &timings.release}}) {
    Result<common::Duration> value = node.at(key).duration_or(*target);
    if (!value) return value.error();
    if (*value > max) return node.at(key).error("a duration of at most 7d");
    *target = *value;
  }
  return timings;
}

namespace {

Status check_deallocation_pool(const JsonNode& root, Inventory& inventory) {
  JsonNode node = root.at("deallocation_pool");
  Result<std::string> name = node.non_empty_string();
  if (!name) return name.error();
  for (const PoolSpec& pool : inventory.ip_pools) {
    if (pool.name != *name) continue;
    for (const NetworkSpec& network : pool.networks) {
      if (network.cidr.base.family == IpFamily::v4) {
        inventory.deallocation_pool = *name;
        return Status::success();
      }
    }
    return node.error_message("the deallocation pool \"" + *name + "\" has no IPv4 network (only pools with IPv4 can release servers)");
  }
  return node.error_message("unknown IP pool \"" + *name + "\" (not in /ip_pools)");
}

}  // namespace

Result<Inventory> parse_inventory(const nlohmann::json& document, const std::string& source) {
  JsonNode root = JsonNode::root(document, source);
  if (Status s = root.require_object(); !s) return s.error();
  if (Status s = root.only_keys({"admin", "users", "os_templates", "scripts", "ip_pools",
                                 "deallocation_pool", "locations", "hardware", "timings"});
      !s) {
    return s.error();
  }
  Inventory inventory;
  inventory.source = source;
  for (auto step : {read_people, read_catalog, read_pools, check_deallocation_pool, read_locations, read_hardware,
                    read_timings}) {
    if (Status s = step(root, inventory); !s) return s.error();
  }
  return inventory;
}

Result<Inventory> load_inventory_file(const std::string& path) {
  Result<nlohmann::json> document = common::parse_json_file(path, /*allow_comments=*/false);
  if (!document) return document.error();
  return parse_inventory(*document, path);
}

}  // namespace dcisim::mockdci
