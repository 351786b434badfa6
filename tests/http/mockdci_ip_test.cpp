// IP allocation (API.md §6) and IPmanager v3 (specs/ipmgr_api.json) over real HTTP.
#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

namespace {

std::vector<std::string> addresses(const Json& server) {
  std::vector<std::string> out;
  for (const Json& ip : server["ip"]) out.push_back(ip["name"]);
  return out;
}

}  // namespace

TEST_CASE("emulator allocates from the rack's pool when the rack names one") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/1/owner", {{"owner", 1}, {"domain", "s1.example"}}, admin).status == 200);
  Json server = f.get("/api/dci/v3/server/1", admin).json;
  REQUIRE(server["ip"].size() == 1);
  const Json& ip = server["ip"][0];
  CHECK(ip["name"] == "192.0.2.2");
  CHECK(ip["family"] == "ipv4");
  CHECK(ip["gateway"] == "192.0.2.1");
  CHECK(ip["network"] == "192.0.2.0/28");
  CHECK(ip["domain"] == "s1.example");
  CHECK(ip["status"] == "busy");
  CHECK(server["owner_email"] == "admin@example.com");
}

TEST_CASE("emulator allocates from the location's pool when the rack names none") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/5/owner", {{"owner", 1}}, admin).status == 200);
  CHECK(addresses(f.get("/api/dci/v3/server/5", admin).json) == std::vector<std::string>{"198.51.100.2"});
}

TEST_CASE("emulator allocates from the pool named public when rack and location name none, IPv6 from the same pool") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/8/owner", {{"owner", 1}}, admin).status == 200);
  Json server = f.get("/api/dci/v3/server/8", admin).json;
  CHECK(addresses(server) == std::vector<std::string>{"203.0.113.2", "2001:db8:100::2"});
  CHECK(server["ip"][1]["family"] == "ipv6");
  CHECK(server["ip"][1]["network"] == "2001:db8:100::/64");
  Answer extra = f.post("/api/dci/v3/server/8/ip", {{"family", "ipv6"}}, admin);
  REQUIRE(extra.status == 200);
  CHECK(f.get("/api/ip/v3/ip/" + std::to_string(extra.json["id"].get<int64_t>()), admin).json["name"] == "2001:db8:100::3");
}

namespace {

Json ipv6_only(const char* cidr, const char* gateway) {
  return Json::array({{{"cidr", cidr}, {"gateway", gateway}}});
}

}  // namespace

TEST_CASE("emulator skips a rack pool without IPv4 and falls through to the location's pool") {
  Json inventory = default_inventory_json();
  inventory["ip_pools"][2]["networks"] = ipv6_only("2001:db8:a1::/64", "2001:db8:a1::1");  // rack-a1
  EmulatorFixture f(inventory);
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/1/owner", {{"owner", 1}}, admin).status == 200);
  CHECK(addresses(f.get("/api/dci/v3/server/1", admin).json) == std::vector<std::string>{"198.51.100.2"});
}

TEST_CASE("emulator skips a location pool without IPv4 and falls through to the public pool") {
  Json inventory = default_inventory_json();
  inventory["ip_pools"][1]["networks"] = ipv6_only("2001:db8:a2::/64", "2001:db8:a2::1");  // ams-pool
  EmulatorFixture f(inventory);
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/5/owner", {{"owner", 1}}, admin).status == 200);  // rack A2: no pool
  CHECK(addresses(f.get("/api/dci/v3/server/5", admin).json) ==
        std::vector<std::string>{"203.0.113.2", "2001:db8:100::2"});
}

TEST_CASE("emulator skips a public pool without IPv4 and takes the next pool whose name contains public") {
  Json inventory = default_inventory_json();
  Json v6_public = {{"name", "public-v6"}, {"networks", ipv6_only("2001:db8:f6::/64", "2001:db8:f6::1")}};
  inventory["ip_pools"].insert(inventory["ip_pools"].begin(), v6_public);  // the first "public" pool by id
  EmulatorFixture f(inventory);
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/8/owner", {{"owner", 1}}, admin).status == 200);  // Frankfurt: no pool
  CHECK(addresses(f.get("/api/dci/v3/server/8", admin).json) ==
        std::vector<std::string>{"203.0.113.2", "2001:db8:100::2"});
}

TEST_CASE("emulator refuses to issue when no rule finds a pool with IPv4, and changes nothing") {
  Json inventory = default_inventory_json();
  inventory["ip_pools"][0]["networks"].erase(0);  // public-main keeps only its IPv6 network
  inventory["ip_pools"][1]["networks"] = ipv6_only("2001:db8:a2::/64", "2001:db8:a2::1");
  inventory["ip_pools"][2]["networks"] = ipv6_only("2001:db8:a1::/64", "2001:db8:a1::1");
  EmulatorFixture f(inventory);
  std::string admin = f.login();
  Json before = f.emulator->state();
  for (int server : {1, 5, 8}) {
    check_error_json(f.post(server_path(server, "/owner"), {{"owner", 1}}, admin), 400, "no IP pool with IPv4");
  }
  CHECK(f.emulator->state() == before);
}

TEST_CASE("emulator refuses an extra IPv6 address when the server's pool has no IPv6") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/5/owner", {{"owner", 1}}, admin).status == 200);
  check_error_json(f.post("/api/dci/v3/server/5/ip", {{"family", "ipv6"}}, admin), 400, "has no IPv6 network");
  check_error_json(f.post("/api/dci/v3/server/5/ip", {{"family", "ipx"}}, admin), 400, "/family");
}

TEST_CASE("emulator reports an exhausted pool as a clear error and changes nothing") {
  EmulatorFixture f;
  std::string admin = f.login();
  for (int id = 1; id <= 4; ++id) {
    REQUIRE(f.post(server_path(id, "/owner"), {{"owner", 1}}, admin).status == 200);
  }
  for (int i = 0; i < 9; ++i) REQUIRE(f.post("/api/dci/v3/server/1/ip", {{"family", "ipv4"}}, admin).status == 200);
  std::vector<std::string> all;
  for (int id = 1; id <= 4; ++id) {
    for (const std::string& a : addresses(f.get(server_path(id), admin).json)) all.push_back(a);
  }
  CHECK(all.size() == 13);
  for (const char* reserved : {"192.0.2.0", "192.0.2.1", "192.0.2.15"}) {
    CHECK(std::find(all.begin(), all.end(), reserved) == all.end());
  }
  Json before = f.emulator->state();
  check_error_json(f.post("/api/dci/v3/server/2/ip", {{"family", "ipv4"}}, admin), 400,
                   "IP pool \"rack-a1\" has no free IPv4 address");
  CHECK(f.emulator->state() == before);
}

TEST_CASE("emulator release returns the addresses, holds a deallocation address during diagnostics and frees the server after") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/8/owner", {{"owner", 1}}, admin).status == 200);
  REQUIRE(f.post("/api/dci/v3/server/8/ip", {{"family", "ipv4"}}, admin).status == 200);
  Answer release = f.del("/api/dci/v3/server/8/owner", admin);
  REQUIRE(release.status == 200);
  CHECK(release.json["task"].is_number_integer());
  Json server = f.get("/api/dci/v3/server/8", admin).json;
  CHECK(addresses(server) == std::vector<std::string>{"10.255.0.2"});
  CHECK(server["owner_email"].is_null());
  CHECK(server["diagnostics"]["status"] == "running");
  CHECK(server["operation"]["type"] == "diagnostics");
  CHECK(server["operation"]["status"] == "running");
  CHECK_FALSE(f.emulator->server(8)->available);
  auto pools = f.emulator->pools();
  CHECK(pools[0].used_ipv4 == 0);
  CHECK(pools[0].used_ipv6 == 0);
  CHECK(pools[3].used_ipv4 == 1);
  f.advance(common::Duration::minutes(30));
  server = f.get("/api/dci/v3/server/8", admin).json;
  CHECK(server["ip"].empty());
  CHECK(server["diagnostics"]["status"] == "ok");
  CHECK(server["operation"]["status"] == "ok");
  CHECK(f.emulator->server(8)->available);
  CHECK(f.emulator->pools()[3].used_ipv4 == 0);
  // The addresses are handed out again.
  REQUIRE(f.post("/api/dci/v3/server/9/owner", {{"owner", 1}}, admin).status == 200);
  CHECK(addresses(f.get("/api/dci/v3/server/9", admin).json) == std::vector<std::string>{"203.0.113.2", "2001:db8:100::2"});
}

TEST_CASE("emulator extra addresses can be removed and only from their own server") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/8/owner", {{"owner", 1}}, admin).status == 200);
  REQUIRE(f.post("/api/dci/v3/server/9/owner", {{"owner", 1}}, admin).status == 200);
  int64_t extra = f.post("/api/dci/v3/server/8/ip", {{"family", "ipv4"}}, admin).json["id"];
  check_error_json(f.del("/api/dci/v3/server/9/ip/" + std::to_string(extra), admin), 404, "not assigned to server 9");
  CHECK(f.del("/api/dci/v3/server/8/ip/" + std::to_string(extra), admin).status == 200);
  CHECK(f.get("/api/dci/v3/server/8", admin).json["ip"].size() == 2);
}

TEST_CASE("emulator IPmanager pools carry the spec's fields and counts") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/1/owner", {{"owner", 1}}, admin).status == 200);
  Json pools = f.get("/api/ip/v3/ippool", admin).json;
  REQUIRE(pools["size"] == 4);
  const Json& rack = pools["list"][2];
  CHECK(rack["name"] == "rack-a1");
  CHECK(rack["total_ipv4"] == "13");
  CHECK(rack["using_ipv4"] == "1");
  CHECK(rack["using_ip"] == "1");
  CHECK(rack["ipnets"] == Json::array({{{"id", 4}, {"name", "192.0.2.0/28"}, {"gateway", "192.0.2.1"}}}));
  const Json& main = pools["list"][0];
  CHECK(main["total_ipv6"] == "18446744073709551614");
  CHECK(main["is_public"] == "true");
  for (const char* field : {"id", "name", "userspace", "note", "is_public", "using_ip", "total_ip"}) CHECK(main.contains(field));
  CHECK(f.get("/api/ip/v3/ippool/3", admin).json["name"] == "rack-a1");
  check_error_json(f.get("/api/ip/v3/ippool/77", admin), 404, "IP pool 77 not found");
}

TEST_CASE("emulator IPmanager networks carry the spec's fields") {
  EmulatorFixture f;
  std::string admin = f.login();
  Json nets = f.get("/api/ip/v3/ipnet", admin).json;
  REQUIRE(nets["size"] == 5);
  const Json& v4 = nets["list"][0];
  CHECK(v4["name"] == "203.0.113.0/24");
  CHECK(v4["family"] == 2);
  CHECK(v4["mask"] == 24);
  CHECK(v4["first"] == "203.0.113.0");
  CHECK(v4["last"] == "203.0.113.255");
  CHECK(v4["size"] == "256");
  CHECK(v4["total_ip"] == "253");
  CHECK(v4["ippools"] == Json{1});
  const Json& v6 = nets["list"][1];
  CHECK(v6["family"] == 10);
  CHECK(v6["gateway"] == "2001:db8:100::1");
  CHECK(f.get("/api/ip/v3/ipnet/4", admin).json["name"] == "192.0.2.0/28");
}

TEST_CASE("emulator IPmanager allocates, edits and releases addresses, also through the dci ipmgr alias") {
  EmulatorFixture f;
  std::string admin = f.login();
  Answer allocated = f.post("/api/ip/v3/ippool/2/ip", {{"family", "ipv4"}, {"domain", "x.example"}, {"note", "manual"}}, admin);
  REQUIRE(allocated.status == 200);
  int64_t id = allocated.json["id"];
  CHECK(allocated.json["ids"] == Json{id});
  std::string path = "/api/ip/v3/ip/" + std::to_string(id);
  Json ip = f.get(path, admin).json;
  CHECK(ip["name"] == "198.51.100.2");
  CHECK(ip["ipnet"] == 3);
  CHECK(ip["ipnet_name"] == "198.51.100.0/25");
  CHECK(ip["ippool"] == 2);
  CHECK(ip["note"] == "manual");
  REQUIRE(f.post(path, {{"status", "extended"}, {"locked", true}}, admin).status == 200);
  ip = f.get(path, admin).json;
  CHECK(ip["status"] == "extended");
  CHECK(ip["locked"] == true);
  check_error_json(f.post(path, {{"owner", 3}}, admin), 400, "unknown field \"owner\"");
  check_error_json(f.post(path, {{"status", "weird"}}, admin), 400, "/status");
  Json alias = f.get("/api/dci/v3/ipmgr/ip", admin).json;
  CHECK(alias == f.get("/api/ip/v3/ip", admin).json);
  CHECK(alias["size"] == 1);
  CHECK(f.del(path, admin).status == 200);
  check_error_json(f.get(path, admin), 404, "not found");
  check_error_json(f.post("/api/ip/v3/ippool/2/ip", {{"family", "ipv6"}}, admin), 400, "has no IPv6 network");
  check_error_json(f.post("/api/ip/v3/ippool/2/ip", {{"family", "ipv4"}, {"prefered_net", 1}}, admin), 400, "is not in IP pool 2");
}
