// Objects as DCImanager returns them: the nested fields public clients read (docs/EMULATOR.md,
// "Objects as DCImanager returns them"): hardware_info from the inventory, owner {id, email},
// switch_name, rack.size, main_ipv4_info, a port's server {id, name}.
#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

TEST_CASE("emulator hardware_info is the inventory's hardware for the server's configuration") {
  EmulatorFixture f;
  std::string admin = f.login();
  Json hw = f.get("/api/dci/v3/server/1", admin).json["hardware_info"];
  CHECK(hw["motherboard"]["model"] == "WS C246 PRO");  // read by public clients (EMULATOR.md)
  CHECK(hw["motherboard"]["manufacturer"] == "ASUSTeK COMPUTER INC.");
  CHECK(hw["motherboard"]["serial"] == "MB00000100");
  REQUIRE(hw["cpu"].size() == 1);
  CHECK(hw["cpu"][0] == Json{{"model", "Intel(R) Core(TM) i9-9900K CPU @ 3.60GHz"}, {"cores", 8}, {"threads", 16},
                             {"frequency_mhz", 3600}});
  CHECK(hw["cpu_count"] == 1);
  CHECK(hw["memory"]["total_mib"] == 65536);
  CHECK(hw["memory"]["modules"].size() == 4);
  REQUIRE(hw["disks"].size() == 2);
  CHECK(hw["disks"][1]["type"] == "nvme");
  CHECK(hw["disks"][1]["size_gib"] == 1024);
  CHECK(hw["disks"][0]["serial"] != hw["disks"][1]["serial"]);
  CHECK(hw["mac"] == "02:00:00:00:00:01");
  Json other = f.get("/api/dci/v3/server/5", admin).json["hardware_info"];
  CHECK(other["motherboard"]["model"] == "X11SCL-F");
  CHECK(other["disks"][0]["type"] == "ssd");
}

TEST_CASE("emulator hardware_info keeps its shape for a configuration the inventory does not describe") {
  Json inventory = default_inventory_json();
  inventory.erase("hardware");  // an inventory written before /hardware existed
  EmulatorFixture f(inventory);
  Json hw = f.get("/api/dci/v3/server/1", f.login()).json["hardware_info"];
  CHECK(hw["motherboard"] == Json{{"manufacturer", ""}, {"model", ""}, {"serial", ""}});
  CHECK(hw["cpu"] == Json::array());
  CHECK(hw["memory"] == Json{{"total_mib", 0}, {"modules", Json::array()}});
  CHECK(hw["disks"] == Json::array());
  CHECK(hw["mac"] == "02:00:00:00:00:01");
}

TEST_CASE("emulator lists can filter and sort on hardware fields") {
  EmulatorFixture f;
  std::string admin = f.login();
  Answer boards = f.get("/api/dci/v3/server?where=hardware_info.motherboard.model%20EQ%20'X11SCL-F'", admin);
  REQUIRE(boards.status == 200);
  CHECK(boards.json["size"] == 3);
  Answer memory = f.get("/api/dci/v3/server?where=hardware_info.memory.total_mib%20GE%2065536&orderby=id%20desc", admin);
  REQUIRE(memory.status == 200);
  CHECK(memory.json["size"] == 6);
  CHECK(memory.json["list"][0]["id"] == 9);
}

TEST_CASE("emulator nests the owner as {id, email}, null when the server is free") {
  EmulatorFixture f;
  std::string admin = f.login();
  auto [user_id, user] = f.make_user(admin, "client@example.com");
  CHECK(f.get("/api/dci/v3/server/8", admin).json["owner"].is_null());
  REQUIRE(f.post("/api/dci/v3/server/8/owner", {{"owner", user_id}}, admin).status == 200);
  Json server = f.get("/api/dci/v3/server/8", admin).json;
  CHECK(server["owner"] == Json{{"id", user_id}, {"email", "client@example.com"}});
  CHECK(server["owner_email"] == "client@example.com");
  Answer by_owner = f.get("/api/dci/v3/server?where=owner.id%20EQ%20'" + std::to_string(user_id) + "'", admin);
  REQUIRE(by_owner.status == 200);
  CHECK(by_owner.json["size"] == 1);
}

TEST_CASE("emulator server rows carry the related objects DCImanager nests") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/8/owner", {{"owner", 1}, {"domain", "s8.example"}}, admin).status == 200);
  Json server = f.get("/api/dci/v3/server/8", admin).json;
  CHECK(server["rack"] == Json{{"id", 3}, {"name", "F1"}, {"size", 42}});
  CHECK(server["barcode"] == "F1-01");
  CHECK(server["uuid"] == "73727672-0000-4000-8000-000000000008");
  CHECK(server["mac"] == "02:00:00:00:00:08");
  CHECK(server["has_errors"] == false);
  CHECK(server["pdu_connection"] == Json::array());
  const Json& link = server["switch_connection"][0];
  CHECK(link["switch_name"] == "sw-F1");
  CHECK(link["hidden_connection"] == false);
  int64_t main_v4 = server["ip"][0]["id"];
  CHECK(server["main_ipv4"] == main_v4);
  CHECK(server["main_ipv4_info"] == Json{{"id", main_v4}, {"name", "203.0.113.2"}, {"domain", "s8.example"}});
  CHECK(server["main_ipv6_info"]["name"] == "2001:db8:100::2");
  Json free_server = f.get("/api/dci/v3/server/9", admin).json;
  CHECK(free_server["main_ipv4"].is_null());
  CHECK(free_server["main_ipv4_info"] == Json{{"id", nullptr}, {"name", nullptr}, {"domain", nullptr}});
}

TEST_CASE("emulator switch ports nest their server as {id, name}") {
  EmulatorFixture f;
  Answer ports = f.get("/api/dci/v3/switch/1/port?orderby=id%20desc&limit=0,1000", f.login());
  REQUIRE(ports.status == 200);
  CHECK(ports.json["list"][0]["server"] == Json{{"id", 4}, {"name", "A1-04"}});
  CHECK(ports.json["list"][0]["description"] == "ge-0/0/4");
}
