// Addresses and allocation rules (API.md §6) on the model, without HTTP.
#include <catch2/catch.hpp>

#include "common/json_input.h"
#include "mockdci/ip_allocation.h"
#include "mockdci/server_actions.h"

using namespace dcisim;
using namespace dcisim::mockdci;
using Json = nlohmann::json;

namespace {

Json default_inventory_json() {
  auto parsed = common::parse_json_file(std::string(DCISIM_SOURCE_DIR) + "/mockdci/inventories/default.json", false);
  REQUIRE(parsed.ok());
  return *parsed;
}

Model model_of(const Json& document) {
  auto inventory = parse_inventory(document, "test");
  REQUIRE(inventory.ok());
  return build_model(*inventory);
}

std::vector<std::string> addresses_of(const Model& model, ServerId id) {
  std::vector<std::string> out;
  for (IpId ip : model.servers.at(id).ips) out.push_back(format_ip(model.ips.at(ip).address));
  return out;
}

const common::Instant kStart = common::Instant::from_unix_seconds(1767225600);

}  // namespace

TEST_CASE("addresses parse and format in canonical form for both families") {
  auto v4 = parse_ip("203.0.113.7");
  REQUIRE(v4.ok());
  CHECK(format_ip(*v4) == "203.0.113.7");
  auto v6 = parse_ip("2001:0db8:0100:0000:0000:0000:0000:0002");
  REQUIRE(v6.ok());
  CHECK(format_ip(*v6) == "2001:db8:100::2");
  CHECK_FALSE(parse_ip("203.0.113.256").ok());
  CHECK_FALSE(parse_ip("2001:db8::zz").ok());
}

TEST_CASE("a CIDR network knows its size, members and last address") {
  auto net = Cidr::parse("198.51.100.0/25");
  REQUIRE(net.ok());
  CHECK(net->size() == 128);
  CHECK(net->contains(*parse_ip("198.51.100.127")));
  CHECK_FALSE(net->contains(*parse_ip("198.51.100.128")));
  CHECK(format_ip(net->last()) == "198.51.100.127");
  auto v6 = Cidr::parse("2001:db8:100::/64");
  REQUIRE(v6.ok());
  CHECK(u128_to_string(v6->size()) == "18446744073709551616");
  CHECK_FALSE(v6->contains(*parse_ip("198.51.100.1")));
}

TEST_CASE("a server in a rack with a pool gets its address from the rack's pool") {
  Model model = model_of(default_inventory_json());
  REQUIRE(issue_server(model, ServerId(1), UserId(1), "a.example").ok());
  CHECK(addresses_of(model, ServerId(1)) == std::vector<std::string>{"192.0.2.2"});  // .1 is the gateway
}

TEST_CASE("a server in a rack without a pool gets its address from the location's pool") {
  Model model = model_of(default_inventory_json());
  REQUIRE(issue_server(model, ServerId(5), UserId(1), "").ok());
  CHECK(addresses_of(model, ServerId(5)) == std::vector<std::string>{"198.51.100.2"});
}

TEST_CASE("without rack or location pool the address comes from the pool named public, with IPv6 from the same pool") {
  Model model = model_of(default_inventory_json());
  REQUIRE(issue_server(model, ServerId(8), UserId(1), "").ok());
  CHECK(addresses_of(model, ServerId(8)) == std::vector<std::string>{"203.0.113.2", "2001:db8:100::2"});
}

TEST_CASE("a provisioning pool without IPv4 is skipped: the next rule of the order provisions") {
  Json doc = default_inventory_json();
  doc["ip_pools"][2]["networks"] = Json::array({{{"cidr", "2001:db8:a1::/64"}, {"gateway", "2001:db8:a1::1"}}});
  Model model = model_of(doc);
  REQUIRE(issue_server(model, ServerId(1), UserId(1), "").ok());
  CHECK(addresses_of(model, ServerId(1)) == std::vector<std::string>{"198.51.100.2"});  // the location's pool
}

TEST_CASE("no pool with IPv4 at any level is a conflict and nothing changes") {
  Json doc = default_inventory_json();
  doc["ip_pools"][0]["networks"].erase(0);
  doc["ip_pools"][1]["networks"] = Json::array({{{"cidr", "2001:db8:a2::/64"}, {"gateway", "2001:db8:a2::1"}}});
  doc["ip_pools"][2]["networks"] = Json::array({{{"cidr", "2001:db8:a1::/64"}, {"gateway", "2001:db8:a1::1"}}});
  Model model = model_of(doc);
  auto status = issue_server(model, ServerId(1), UserId(1), "");
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == common::ErrorKind::conflict);
  CHECK_THAT(status.error().message, Catch::Contains("no IP pool with IPv4"));
  CHECK_FALSE(model.servers.at(ServerId(1)).owner.valid());
  CHECK(model.ips.empty());
}

TEST_CASE("allocation never hands out the network, broadcast or gateway address and reports exhaustion") {
  Model model = model_of(default_inventory_json());
  // rack-a1 is 192.0.2.0/28: 16 addresses minus network, broadcast and gateway = 13.
  REQUIRE(issue_server(model, ServerId(1), UserId(1), "").ok());
  for (int i = 0; i < 12; ++i) REQUIRE(add_server_ip(model, ServerId(1), IpFamily::v4).ok());
  std::vector<std::string> got = addresses_of(model, ServerId(1));
  CHECK(got.size() == 13);
  for (const char* never : {"192.0.2.0", "192.0.2.1", "192.0.2.15"}) {
    CHECK(std::find(got.begin(), got.end(), never) == got.end());
  }
  auto exhausted = add_server_ip(model, ServerId(1), IpFamily::v4);
  REQUIRE_FALSE(exhausted.ok());
  CHECK_THAT(exhausted.error().message, Catch::Contains("IP pool \"rack-a1\" has no free IPv4 address"));
  auto second = issue_server(model, ServerId(2), UserId(1), "");
  REQUIRE_FALSE(second.ok());
  CHECK_FALSE(model.servers.at(ServerId(2)).owner.valid());
}

TEST_CASE("IPv6 is refused for a server whose pool has no IPv6 network") {
  Model model = model_of(default_inventory_json());
  REQUIRE(issue_server(model, ServerId(5), UserId(1), "").ok());
  auto v6 = add_server_ip(model, ServerId(5), IpFamily::v6);
  REQUIRE_FALSE(v6.ok());
  CHECK_THAT(v6.error().message, Catch::Contains("\"ams-pool\" has no IPv6 network"));
}

TEST_CASE("a released address is handed out again, lowest first") {
  Model model = model_of(default_inventory_json());
  REQUIRE(issue_server(model, ServerId(1), UserId(1), "").ok());
  REQUIRE(issue_server(model, ServerId(2), UserId(1), "").ok());
  IpId first = model.servers.at(ServerId(1)).ips.at(0);
  REQUIRE(remove_server_ip(model, ServerId(1), first).ok());
  auto again = add_server_ip(model, ServerId(2), IpFamily::v4);
  REQUIRE(again.ok());
  CHECK(format_ip(model.ips.at(*again).address) == "192.0.2.2");
}

TEST_CASE("release returns addresses, holds one deallocation address during diagnostics, then frees the server") {
  Model model = model_of(default_inventory_json());
  REQUIRE(issue_server(model, ServerId(8), UserId(1), "").ok());
  auto diagnostics = release_server(model, ServerId(8), kStart);
  REQUIRE(diagnostics.ok());
  CHECK(addresses_of(model, ServerId(8)) == std::vector<std::string>{"10.255.0.2"});
  CHECK_FALSE(unavailable_reason(model, model.servers.at(ServerId(8))).empty());
  settle_operations(model, kStart + common::Duration::minutes(29));
  CHECK(model.servers.at(ServerId(8)).diagnostics_running);
  settle_operations(model, kStart + common::Duration::minutes(30));
  CHECK(addresses_of(model, ServerId(8)).empty());
  CHECK(unavailable_reason(model, model.servers.at(ServerId(8))).empty());
  CHECK(model.operations.at(*diagnostics).status == OperationStatus::ok);
}
