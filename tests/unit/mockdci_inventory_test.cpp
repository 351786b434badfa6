// The inventory file: the shipped default loads with ids in file order, and every kind of mistake
// is refused with an error naming the file, the JSON pointer and what is wrong.
#include <catch2/catch.hpp>

#include <fstream>

#include "common/json_input.h"
#include "mockdci/inventory.h"
#include "mockdci/model.h"

using namespace dcisim;
using mockdci::Inventory;
using Json = nlohmann::json;

namespace {

Json default_inventory_json() {
  auto parsed = common::parse_json_file(std::string(DCISIM_SOURCE_DIR) + "/mockdci/inventories/default.json", false);
  REQUIRE(parsed.ok());
  return *parsed;
}

// Parses `document` and returns the error message ("" when it parsed).
std::string error_of(const Json& document) {
  auto parsed = mockdci::parse_inventory(document, "inv.json");
  return parsed.ok() ? "" : parsed.error().message;
}

}  // namespace

TEST_CASE("the shipped default inventory loads with the issue's pools, locations, racks and servers") {
  auto inventory = mockdci::load_inventory_file(std::string(DCISIM_SOURCE_DIR) + "/mockdci/inventories/default.json");
  REQUIRE(inventory.ok());
  CHECK(inventory->admin.email == "admin@example.com");
  CHECK(inventory->ip_pools.size() == 4);
  CHECK(inventory->locations.size() == 2);
  CHECK(inventory->server_count() == 9);
  CHECK(inventory->deallocation_pool == "dealloc");
  CHECK(inventory->timings.os_install == common::Duration::minutes(20));
  CHECK(inventory->timings.diagnostics == common::Duration::minutes(30));
}

TEST_CASE("model ids are assigned from 1 in file order for pools, locations, racks and servers") {
  auto inventory = mockdci::parse_inventory(default_inventory_json(), "default.json");
  REQUIRE(inventory.ok());
  mockdci::Model model = mockdci::build_model(*inventory);
  CHECK(model.pools.at(mockdci::PoolId(1)).name == "public-main");
  CHECK(model.pools.at(mockdci::PoolId(4)).name == "dealloc");
  CHECK(model.locations.at(mockdci::LocationId(2)).name == "Frankfurt");
  CHECK(model.racks.at(mockdci::RackId(3)).name == "F1");
  REQUIRE(model.servers.size() == 9);
  CHECK(model.servers.at(mockdci::ServerId(1)).name == "A1-01");
  CHECK(model.servers.at(mockdci::ServerId(4)).rack == mockdci::RackId(1));
  CHECK(model.servers.at(mockdci::ServerId(5)).name == "A2-01");
  CHECK(model.servers.at(mockdci::ServerId(5)).configuration == "E-2236-32Gb-2x480SSD");
  CHECK(model.servers.at(mockdci::ServerId(9)).location == mockdci::LocationId(2));
  CHECK(model.users.at(mockdci::UserId(1)).role == "@admin");
  CHECK(model.ports.size() == 9);  // one switch port per server
}

TEST_CASE("an inventory network must be a valid CIDR without host bits") {
  Json doc = default_inventory_json();
  doc["ip_pools"][1]["networks"][0]["cidr"] = "198.51.100.0/33";
  CHECK_THAT(error_of(doc), Catch::Contains("inv.json: /ip_pools/1/networks/0/cidr") && Catch::Contains("prefix length"));
  doc["ip_pools"][1]["networks"][0]["cidr"] = "198.51.100.7/25";
  CHECK_THAT(error_of(doc), Catch::Contains("host bits set") && Catch::Contains("198.51.100.0/25"));
  doc["ip_pools"][1]["networks"][0]["cidr"] = "not-an-ip/24";
  CHECK_THAT(error_of(doc), Catch::Contains("/ip_pools/1/networks/0/cidr") && Catch::Contains("not an IPv4 address"));
}

TEST_CASE("an inventory gateway must lie inside its network and not be its network or broadcast address") {
  Json doc = default_inventory_json();
  doc["ip_pools"][2]["networks"][0]["gateway"] = "192.0.2.17";
  CHECK_THAT(error_of(doc), Catch::Contains("/ip_pools/2/networks/0/gateway") && Catch::Contains("not inside 192.0.2.0/28"));
  doc["ip_pools"][2]["networks"][0]["gateway"] = "192.0.2.15";
  CHECK_THAT(error_of(doc), Catch::Contains("network or broadcast"));
  doc["ip_pools"][2]["networks"][0]["gateway"] = "192.0.2.0";
  CHECK_THAT(error_of(doc), Catch::Contains("network or broadcast"));
}

TEST_CASE("inventory names of pools, locations and racks must be unique") {
  Json doc = default_inventory_json();
  doc["ip_pools"][1]["name"] = "public-main";
  CHECK_THAT(error_of(doc), Catch::Contains("/ip_pools/1/name: duplicate IP pool name"));
  doc = default_inventory_json();
  doc["locations"][1]["name"] = "Amsterdam";
  CHECK_THAT(error_of(doc), Catch::Contains("/locations/1/name: duplicate location name"));
  doc = default_inventory_json();
  doc["locations"][1]["racks"][0]["name"] = "A1";
  CHECK_THAT(error_of(doc), Catch::Contains("/locations/1/racks/0/name: duplicate rack name"));
}

TEST_CASE("inventory pool references must name an existing pool") {
  Json doc = default_inventory_json();
  doc["locations"][0]["racks"][0]["ip_pool"] = "rack-z9";
  CHECK(error_of(doc) == "inv.json: /locations/0/racks/0/ip_pool: unknown IP pool \"rack-z9\" (not in /ip_pools)");
  doc = default_inventory_json();
  doc["locations"][0]["ip_pool"] = "nope";
  CHECK_THAT(error_of(doc), Catch::Contains("/locations/0/ip_pool: unknown IP pool \"nope\""));
}

TEST_CASE("inventory server counts must be non-negative and fit the rack's units") {
  Json doc = default_inventory_json();
  doc["locations"][0]["racks"][0]["servers"][0]["count"] = -1;
  CHECK_THAT(error_of(doc), Catch::Contains("/locations/0/racks/0/servers/0/count: expected an integer in 0..100, got -1"));
  doc["locations"][0]["racks"][0]["servers"][0]["count"] = 43;
  CHECK_THAT(error_of(doc), Catch::Contains("the rack holds 42 units but its servers need 43"));
  doc["locations"][0]["racks"][0]["servers"][0]["count"] = 0;
  CHECK(error_of(doc).empty());
}

TEST_CASE("the deallocation pool must exist and have an IPv4 network") {
  Json doc = default_inventory_json();
  doc["deallocation_pool"] = "missing";
  CHECK_THAT(error_of(doc), Catch::Contains("/deallocation_pool: unknown IP pool \"missing\""));
  doc = default_inventory_json();
  doc["ip_pools"][3]["networks"] = Json::array({{{"cidr", "2001:db8:ff::/64"}, {"gateway", "2001:db8:ff::1"}}});
  CHECK_THAT(error_of(doc), Catch::Contains("/deallocation_pool") && Catch::Contains("has no IPv4 network"));
  doc.erase("deallocation_pool");
  CHECK_THAT(error_of(doc), Catch::Contains("/deallocation_pool: expected a non-empty string"));
}

TEST_CASE("inventory networks must not overlap") {
  Json doc = default_inventory_json();
  doc["ip_pools"][2]["networks"][0] = {{"cidr", "203.0.113.64/28"}, {"gateway", "203.0.113.65"}};
  CHECK_THAT(error_of(doc), Catch::Contains("/ip_pools/2/networks/0/cidr: 203.0.113.64/28 overlaps 203.0.113.0/24 at /ip_pools/0/networks/0"));
}

TEST_CASE("an unknown inventory field is refused naming the field and the known ones") {
  Json doc = default_inventory_json();
  doc["locations"][0]["rack"] = Json::array();
  CHECK_THAT(error_of(doc), Catch::Contains("/locations/0/rack: unknown field \"rack\"") && Catch::Contains("racks"));
}

TEST_CASE("inventory timings must be durations with units") {
  Json doc = default_inventory_json();
  doc["timings"]["os_install"] = "20";
  CHECK_THAT(error_of(doc), Catch::Contains("/timings/os_install: expected a duration"));
  doc["timings"]["os_install"] = "8d";
  CHECK_THAT(error_of(doc), Catch::Contains("at most 7d"));
  doc.erase("timings");
  auto parsed = mockdci::parse_inventory(doc, "inv.json");
  REQUIRE(parsed.ok());
  CHECK(parsed->timings.diagnostics == common::Duration::minutes(30));
}

TEST_CASE("the inventory administrator needs an e-mail address and a password") {
  Json doc = default_inventory_json();
  doc["admin"]["email"] = "admin";
  CHECK_THAT(error_of(doc), Catch::Contains("/admin/email: expected an e-mail address"));
  doc = default_inventory_json();
  doc["admin"].erase("password");
  CHECK_THAT(error_of(doc), Catch::Contains("/admin/password: expected a non-empty string"));
}

TEST_CASE("a missing or malformed inventory file is an error naming the file") {
  auto missing = mockdci::load_inventory_file("/nonexistent/inventory.json");
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message, Catch::Contains("/nonexistent/inventory.json: cannot open"));
  std::string path = "mockdci_inventory_test_broken.json";
  std::ofstream(path) << "{\"admin\": {";
  auto broken = mockdci::load_inventory_file(path);
  REQUIRE_FALSE(broken.ok());
  CHECK_THAT(broken.error().message, Catch::Contains(path + ": line 1") && Catch::Contains("invalid JSON"));
  std::remove(path.c_str());
}

TEST_CASE("generated inventories are valid, sized as asked and reproducible from the seed") {
  auto big = mockdci::generate_inventory(10000, 42);
  REQUIRE(big.ok());
  CHECK(big->server_count() == 10000);
  CHECK(mockdci::generate_inventory_json(500, 7) == mockdci::generate_inventory_json(500, 7));
  CHECK(mockdci::generate_inventory_json(500, 7) != mockdci::generate_inventory_json(500, 8));
  CHECK_FALSE(mockdci::generate_inventory(0, 1).ok());
  CHECK_FALSE(mockdci::generate_inventory(mockdci::kMaxServers + 1, 1).ok());
}

TEST_CASE("inventory hardware is optional and declared per configuration of the inventory's servers") {
  Json doc = default_inventory_json();
  auto parsed = mockdci::parse_inventory(doc, "inv.json");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->hardware.count("E-2236-32Gb-2x480SSD") == 1);
  const mockdci::HardwareSpec& spec = parsed->hardware.at("E-2236-32Gb-2x480SSD");
  CHECK(spec.motherboard_model == "X11SCL-F");
  CHECK(spec.memory.at(0).count == 2);
  CHECK(spec.disks.at(0).size_gib == 480);
  doc.erase("hardware");
  auto without = mockdci::parse_inventory(doc, "inv.json");
  REQUIRE(without.ok());
  CHECK(without->hardware.empty());
}

TEST_CASE("inventory hardware errors name the pointer and what was expected") {
  Json doc = default_inventory_json();
  doc["hardware"]["i7-typo"] = {{"motherboard", {{"model", "X"}}}};
  CHECK_THAT(error_of(doc), Catch::Contains("inv.json: /hardware/i7-typo: no server of the inventory has the configuration"));
  doc = default_inventory_json();
  doc["hardware"]["E-2236-32Gb-2x480SSD"]["disks"][0]["type"] = "tape";
  CHECK_THAT(error_of(doc), Catch::Contains("/hardware/E-2236-32Gb-2x480SSD/disks/0/type: expected \"hdd\", \"ssd\" or \"nvme\""));
  doc = default_inventory_json();
  doc["hardware"]["E-2236-32Gb-2x480SSD"]["cpu"][0]["threads"] = 2;
  CHECK_THAT(error_of(doc), Catch::Contains("/cpu/0/threads: expected at least as many threads as cores"));
  doc = default_inventory_json();
  doc["hardware"]["E-2236-32Gb-2x480SSD"]["gpu"] = Json::array();
  CHECK_THAT(error_of(doc), Catch::Contains("/hardware/E-2236-32Gb-2x480SSD") && Catch::Contains("gpu"));
}
