// List queries over real HTTP: the five queries real DCImanager clients send (API.md §3) answer
// with the right rows, and a malformed query is a 400 naming the position.
#include "mockdci/inventory.h"
#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

namespace {

std::string with_query(const std::string& path, std::initializer_list<std::pair<std::string, std::string>> params) {
  std::string out = path;
  char separator = '?';
  for (const auto& [key, value] : params) {
    out += separator + key + "=" + common::url_encode(value);
    separator = '&';
  }
  return out;
}

// Three locations (New York is id 3, with a two-network pool: ipnet 6 and 7).
Json three_location_inventory() {
  Json inventory = default_inventory_json();
  inventory["ip_pools"].push_back({{"name", "nyc-pool"},
                                   {"networks", {{{"cidr", "100.64.0.0/24"}, {"gateway", "100.64.0.1"}},
                                                 {{"cidr", "100.64.1.0/24"}, {"gateway", "100.64.1.1"}}}}});
  inventory["locations"].push_back(
      {{"name", "New York"},
       {"ip_pool", "nyc-pool"},
       {"racks", {{{"name", "N1"}, {"units", 42},
                   {"servers", {{{"configuration", "E-2236-32Gb-2x480SSD"}, {"count", 12}},
                                {{"configuration", "A-config"}, {"count", 10}},
                                {{"configuration", "Z-config"}, {"count", 8}}}}}}}});
  return inventory;
}

std::vector<int64_t> ids_of(const Json& list) {
  std::vector<int64_t> ids;
  for (const Json& row : list["list"]) ids.push_back(row["id"]);
  return ids;
}

}  // namespace

TEST_CASE("emulator answers the real-client query for free servers ordered by owner e-mail") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/2/owner", {{"owner", 1}}, admin).status == 200);
  Answer answer = f.get(with_query("/api/dci/v3/server", {{"orderby", "owner_email asc"}, {"limit", "0,400"},
                                                           {"where", "(owner_email IS null) AND is_new EQ false"}}),
                        admin);
  REQUIRE(answer.status == 200);
  CHECK(answer.json["size"] == 8);
  CHECK(ids_of(answer.json) == std::vector<int64_t>{1, 3, 4, 5, 6, 7, 8, 9});
}

TEST_CASE("emulator answers the real-client query for a user's servers in a location, paged") {
  EmulatorFixture f(three_location_inventory());
  std::string admin = f.login();
  auto [user_id, user] = f.make_user(admin, "x@y.z");
  for (int id = 10; id <= 39; ++id) {  // New York's 30 servers
    REQUIRE(f.post(server_path(id, "/owner"), {{"owner", user_id}}, admin).status == 200);
  }
  REQUIRE(f.post("/api/dci/v3/server/1/owner", {{"owner", user_id}}, admin).status == 200);  // elsewhere
  Answer answer = f.get(with_query("/api/dci/v3/server",
                                   {{"orderby", "configuration asc"}, {"limit", "4,18"},
                                    {"where", "(owner_email EQ 'x@y.z') AND is_new EQ false AND location_id EQ 3"}}),
                        admin);
  REQUIRE(answer.status == 200);
  CHECK(answer.json["size"] == 30);
  REQUIRE(answer.json["list"].size() == 18);
  // Sorted by configuration (stable: id order within one): A-config 22..31, E-2236 10..21, Z 32..39.
  std::vector<int64_t> expected;
  for (int id = 22; id <= 31; ++id) expected.push_back(id);
  for (int id = 10; id <= 21; ++id) expected.push_back(id);
  expected = std::vector<int64_t>(expected.begin() + 4, expected.begin() + 22);
  CHECK(ids_of(answer.json) == expected);
}

TEST_CASE("emulator answers the real-client query for a switch's ports newest first") {
  EmulatorFixture f(mockdci::generate_inventory_json(720, 1));
  std::string admin = f.login();
  Answer answer = f.get(with_query("/api/dci/v3/switch/18/port", {{"orderby", "id desc"}, {"limit", "0,1000"}}), admin);
  REQUIRE(answer.status == 200);
  std::vector<int64_t> ids = ids_of(answer.json);
  REQUIRE(ids.size() == 40);
  CHECK(answer.json["size"] == 40);
  CHECK(std::is_sorted(ids.rbegin(), ids.rend()));
  for (const Json& port : answer.json["list"]) CHECK(port["switch"] == 18);
}

TEST_CASE("emulator answers the real-client IPmanager queries on one network through both paths") {
  EmulatorFixture f(three_location_inventory());
  std::string admin = f.login();
  // Addresses in ipnet 7: plain ones, one with an "extended." domain, one with status extended.
  std::vector<int64_t> made;
  for (const char* domain : {"b.example", "a.extended.example", "c.example", "d.example"}) {
    Answer a = f.post("/api/ip/v3/ippool/5/ip", {{"family", "ipv4"}, {"domain", domain}, {"prefered_net", 7}}, admin);
    REQUIRE(a.status == 200);
    made.push_back(a.json["id"]);
  }
  REQUIRE(f.post("/api/ip/v3/ip/" + std::to_string(made[3]), {{"status", "extended"}}, admin).status == 200);
  REQUIRE(f.post("/api/ip/v3/ippool/5/ip", {{"family", "ipv4"}}, admin).status == 200);  // ipnet 6
  Answer dci = f.get(with_query("/api/dci/v3/ipmgr/ip", {{"orderby", "name asc"}, {"limit", "0,512"},
                                                          {"where", "NOT domain CP '%extended.%' AND (ipnet EQ 7)"}}),
                     admin);
  REQUIRE(dci.status == 200);
  CHECK(ids_of(dci.json) == std::vector<int64_t>{made[0], made[2], made[3]});
  Answer ip = f.get(with_query("/api/ip/v3/ip", {{"orderby", "name asc"}, {"limit", "0,300"},
                                                  {"where", "ipnet EQ 7 AND status NE 'extended'"}}),
                    admin);
  REQUIRE(ip.status == 200);
  CHECK(ids_of(ip.json) == std::vector<int64_t>{made[0], made[1], made[2]});
}

TEST_CASE("emulator answers a malformed where with 400 naming the position") {
  EmulatorFixture f;
  std::string admin = f.login();
  Answer answer = f.get(with_query("/api/dci/v3/server", {{"where", "id EQ"}}), admin);
  check_error_json(answer, 400, "position");
  check_error_json(f.get(with_query("/api/dci/v3/server", {{"where", "nmae EQ 'x'"}}), admin), 400, "nmae");
  check_error_json(f.get(with_query("/api/dci/v3/server", {{"limit", "a,b"}}), admin), 400, "limit");
}
