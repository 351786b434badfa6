// dci v3 servers over real HTTP: fields, free counts, power preconditions, OS install, suspend
// and resume, issue and release with diagnostics on the virtual clock (API.md §4, §7).
#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

namespace {

int64_t free_count(EmulatorFixture& f, const std::string& token, const std::string& configuration) {
  Answer answer = f.get("/api/dci/v3/server/configuration", token);
  REQUIRE(answer.status == 200);
  for (const Json& row : answer.json["list"]) {
    if (row["configuration"] == configuration) return row["free_server_count"];
  }
  FAIL("configuration not listed: " << configuration);
  return -1;
}

}  // namespace

TEST_CASE("emulator server JSON has every documented field") {
  EmulatorFixture f;
  Answer answer = f.get("/api/dci/v3/server/1", f.login());
  REQUIRE(answer.status == 200);
  const Json& s = answer.json;
  for (const char* field : {"id", "name", "domain", "configuration", "state", "state_info", "os_template", "operation",
                            "hardware_info", "perform_info", "settings", "ip", "switch_connection", "pdu_connection",
                            "power_status", "owner_email", "is_new", "location_id", "rack", "unit", "owner",
                            "maintenance", "diagnostics", "location"}) {
    CHECK(s.contains(field));
  }
  CHECK(s["name"] == "A1-01");
  CHECK(s["configuration"] == "i9-9900K-64Gb-2x1024NVMe");
  CHECK(s["power_status"] == "ON");
  CHECK(s["owner_email"].is_null());
  CHECK(s["is_new"] == false);
  CHECK(s["rack"] == Json{{"id", 1}, {"name", "A1"}, {"size", 42}});
  CHECK(s["location"] == Json{{"id", 1}, {"name", "Amsterdam"}});
  CHECK(s["settings"]["efi"] == false);
  REQUIRE(s["switch_connection"].size() == 1);
  for (const char* field : {"id", "switch", "connection_id", "description", "admin_status", "oper_status",
                            "do_not_collect_traffic", "is_ipmi_connection"}) {
    CHECK(s["switch_connection"][0].contains(field));
  }
}

TEST_CASE("emulator server list is {list, size} over every server") {
  EmulatorFixture f;
  Answer answer = f.get("/api/dci/v3/server", f.login());
  REQUIRE(answer.status == 200);
  CHECK(answer.json["size"] == 9);
  CHECK(answer.json["list"].size() == 9);
  CHECK(answer.json["list"][8]["name"] == "F1-02");
}

TEST_CASE("emulator configuration free counts follow issue, release and diagnostics") {
  EmulatorFixture f;
  std::string admin = f.login();
  CHECK(free_count(f, admin, "i9-9900K-64Gb-2x1024NVMe") == 6);
  CHECK(free_count(f, admin, "E-2236-32Gb-2x480SSD") == 3);
  REQUIRE(f.post("/api/dci/v3/server/8/owner", {{"owner", 1}}, admin).status == 200);
  CHECK(free_count(f, admin, "i9-9900K-64Gb-2x1024NVMe") == 5);
  REQUIRE(f.del("/api/dci/v3/server/8/owner", admin).status == 200);
  CHECK(free_count(f, admin, "i9-9900K-64Gb-2x1024NVMe") == 5);  // diagnostics running
  f.advance(common::Duration::minutes(30));
  CHECK(free_count(f, admin, "i9-9900K-64Gb-2x1024NVMe") == 6);
  REQUIRE(f.emulator->set_maintenance(9, true).ok());
  CHECK(free_count(f, admin, "i9-9900K-64Gb-2x1024NVMe") == 5);
}

TEST_CASE("emulator power_on is allowed only when OFF or UNKNOWN and power_off only when ON") {
  EmulatorFixture f;
  std::string admin = f.login();
  check_error_json(f.post("/api/dci/v3/server/2/power_on", Json::object(), admin), 400, "power_on is allowed only when");
  REQUIRE(f.post("/api/dci/v3/server/2/power_off", Json::object(), admin).status == 200);
  CHECK(f.get("/api/dci/v3/server/2", admin).json["power_status"] == "OFF");
  check_error_json(f.post("/api/dci/v3/server/2/power_off", Json::object(), admin), 400, "power_off is allowed only when");
  REQUIRE(f.post("/api/dci/v3/server/2/power_on", Json::object(), admin).status == 200);
  CHECK(f.get("/api/dci/v3/server/2", admin).json["power_status"] == "ON");
  REQUIRE(f.emulator->set_power(2, "UNKNOWN").ok());
  CHECK(f.post("/api/dci/v3/server/2/power_on", Json::object(), admin).status == 200);
}

TEST_CASE("emulator power_reset is always allowed and powers on an OFF server") {
  EmulatorFixture f;
  std::string admin = f.login();
  CHECK(f.post("/api/dci/v3/server/3/power_reset", Json::object(), admin).status == 200);
  REQUIRE(f.post("/api/dci/v3/server/3/power_off", Json::object(), admin).status == 200);
  CHECK(f.post("/api/dci/v3/server/3/power_reset", Json::object(), admin).status == 200);
  CHECK(f.get("/api/dci/v3/server/3", admin).json["power_status"] == "ON");
}

TEST_CASE("emulator OS install runs for its configured duration on the virtual clock") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/5/owner", {{"owner", 1}}, admin).status == 200);
  REQUIRE(f.post("/api/dci/v3/server/5/power_off", Json::object(), admin).status == 200);
  Answer started = f.post("/api/dci/v3/server/5/operating_system",
                          {{"os_template", 1}, {"password", "root-pw"}, {"domain", "s5.example"}, {"script", 1}}, admin);
  REQUIRE(started.status == 200);
  CHECK(started.json["id"] == 5);
  int64_t task = started.json["task"];
  Json server = f.get("/api/dci/v3/server/5", admin).json;
  CHECK(server["operation"]["id"] == task);
  CHECK(server["operation"]["status"] == "running");
  CHECK(server["os_template"]["name"] == "Debian 12");
  CHECK(server["domain"] == "s5.example");
  check_error_json(f.post("/api/dci/v3/server/5/operating_system", {{"os_template", 2}, {"password", "x"}}, admin), 400,
                   "running os_install");
  check_error_json(f.post("/api/dci/v3/server/5/power_reset", Json::object(), admin), 400, "running");
  f.advance(common::Duration::minutes(19));
  CHECK(f.get("/api/dci/v3/server/5", admin).json["operation"]["status"] == "running");
  f.advance(common::Duration::minutes(1));
  server = f.get("/api/dci/v3/server/5", admin).json;
  CHECK(server["operation"]["status"] == "ok");
  CHECK(server["power_status"] == "ON");
}

TEST_CASE("emulator OS install with a real clock finishes in real time") {
  Json inventory = default_inventory_json();
  inventory["timings"]["os_install"] = "0s";
  auto parsed = mockdci::parse_inventory(inventory, "test");
  REQUIRE(parsed.ok());
  common::RealClock clock;
  mockdci::EmulatorOptions options;
  options.inventory = *parsed;
  options.clock = &clock;
  auto emulator = mockdci::Emulator::create(std::move(options));
  REQUIRE(emulator.ok());
  auto& e = **emulator;
  auto token = nlohmann::json::parse(e.handle({"POST", "/api/auth/v4/public/token", {}, {},
                                                R"({"email":"admin@example.com","password":"secret"})"}).body)["token"];
  common::HeaderList auth = {{"x-xsrf-token", token}};
  REQUIRE(e.handle({"POST", "/api/dci/v3/server/1/owner", {}, auth, R"({"owner":1})"}).status == 200);
  REQUIRE(e.handle({"POST", "/api/dci/v3/server/1/operating_system", {}, auth, R"({"os_template":1,"password":"p"})"}).status == 200);
  CHECK(e.server(1)->operation_status == "ok");  // its end (start + 0s) has passed on the real clock
}

TEST_CASE("emulator OS install refuses unknown templates and admin-only scripts for @user callers") {
  EmulatorFixture f;
  std::string admin = f.login();
  auto [user_id, user] = f.make_user(admin, "c@example.com");
  REQUIRE(f.post("/api/dci/v3/server/6/owner", {{"owner", user_id}}, admin).status == 200);
  check_error_json(f.post("/api/dci/v3/server/6/operating_system", {{"os_template", 99}, {"password", "p"}}, user), 400,
                   "no OS template with id 99");
  check_error_json(f.post("/api/dci/v3/server/6/operating_system", {{"os_template", 1}, {"password", "p"}, {"script", 2}}, user),
                   403, "administrators only");
  check_error_json(f.post("/api/dci/v3/server/6/operating_system", {{"os_template", 1}}, user), 400, "/password");
  CHECK(f.post("/api/dci/v3/server/6/operating_system", {{"os_template", 1}, {"password", "p"}, {"script", 1}}, user).status == 200);
}

TEST_CASE("emulator OS install fails when a fault is injected") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/1/owner", {{"owner", 1}}, admin).status == 200);
  f.emulator->fail_os_installs(1);
  REQUIRE(f.post("/api/dci/v3/server/1/operating_system", {{"os_template", 1}, {"password", "p"}}, admin).status == 200);
  f.advance(common::Duration::minutes(20));
  CHECK(f.get("/api/dci/v3/server/1", admin).json["operation"]["status"] == "failed");
  REQUIRE(f.post("/api/dci/v3/server/1/operating_system", {{"os_template", 1}, {"password", "p"}}, admin).status == 200);
  f.advance(common::Duration::minutes(20));
  CHECK(f.get("/api/dci/v3/server/1", admin).json["operation"]["status"] == "ok");
}

TEST_CASE("emulator suspend puts the switch ports down without touching power and resume brings them up") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/7/owner", {{"owner", 1}}, admin).status == 200);
  REQUIRE(f.post("/api/dci/v3/server/7/suspend", Json::object(), admin).status == 200);
  Json server = f.get("/api/dci/v3/server/7", admin).json;
  CHECK(server["state"] == "suspended");
  CHECK(server["power_status"] == "ON");
  CHECK(server["switch_connection"][0]["admin_status"] == "down");
  int64_t switch_id = server["switch_connection"][0]["switch"];
  int64_t port_id = server["switch_connection"][0]["id"];
  Json ports = f.get("/api/dci/v3/switch/" + std::to_string(switch_id) + "/port", admin).json;
  bool found = false;
  for (const Json& port : ports["list"]) {
    if (port["id"] == port_id) {
      found = true;
      CHECK(port["admin_status"] == "down");
      CHECK(port["server"] == Json{{"id", 7}, {"name", "A2-03"}});
    }
  }
  CHECK(found);
  CHECK_FALSE(f.emulator->server(7)->ports_up);
  REQUIRE(f.post("/api/dci/v3/server/7/resume", Json::object(), admin).status == 200);
  server = f.get("/api/dci/v3/server/7", admin).json;
  CHECK(server["state"] == "active");
  CHECK(server["switch_connection"][0]["admin_status"] == "up");
  check_error_json(f.post("/api/dci/v3/server/6/suspend", Json::object(), admin), 400, "has no owner");
}

TEST_CASE("emulator switch ports can be listed and edited") {
  EmulatorFixture f;
  std::string admin = f.login();
  Answer ports = f.get("/api/dci/v3/switch/1/port", admin);
  REQUIRE(ports.status == 200);
  CHECK(ports.json["size"] == 4);
  REQUIRE(f.post("/api/dci/v3/switch/1/port/2", {{"admin_status", "down"}}, admin).status == 200);
  CHECK(f.emulator->server(2)->ports_up == false);
  check_error_json(f.post("/api/dci/v3/switch/1/port/9", {{"admin_status", "down"}}, admin), 404, "not found on switch 1");
  check_error_json(f.post("/api/dci/v3/switch/1/port/2", {{"admin_status", "sideways"}}, admin), 400, "\"up\" or \"down\"");
}

TEST_CASE("emulator issue refuses taken servers, unknown owners and unknown servers") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/1/owner", {{"owner", 1}}, admin).status == 200);
  check_error_json(f.post("/api/dci/v3/server/1/owner", {{"owner", 1}}, admin), 400, "cannot be issued");
  check_error_json(f.post("/api/dci/v3/server/2/owner", {{"owner", 42}}, admin), 400, "user 42 not found");
  check_error_json(f.post("/api/dci/v3/server/99/owner", {{"owner", 1}}, admin), 404, "server 99 not found");
  check_error_json(f.del("/api/dci/v3/server/2/owner", admin), 400, "has no owner");
}

TEST_CASE("emulator release cancels a running OS install and starts diagnostics") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/dci/v3/server/1/owner", {{"owner", 1}}, admin).status == 200);
  Answer install = f.post("/api/dci/v3/server/1/operating_system", {{"os_template", 1}, {"password", "p"}}, admin);
  REQUIRE(install.status == 200);
  Answer release = f.del("/api/dci/v3/server/1/owner", admin);
  REQUIRE(release.status == 200);
  Json state = f.emulator->state();
  CHECK(state["operations"][0]["status"] == "canceled");
  CHECK(state["operations"][1]["type"] == "diagnostics");
  CHECK(f.get("/api/dci/v3/server/1", admin).json["diagnostics"]["status"] == "running");
}

TEST_CASE("emulator catalog lists locations, racks, OS templates and scripts") {
  EmulatorFixture f;
  std::string admin = f.login();
  Json locations = f.get("/api/dci/v3/location", admin).json;
  CHECK(locations["size"] == 2);
  CHECK(locations["list"][0] == Json{{"id", 1}, {"name", "Amsterdam"}, {"ippool", 2}});
  CHECK(locations["list"][1]["ippool"].is_null());
  Json racks = f.get("/api/dci/v3/rack", admin).json;
  CHECK(racks["list"][0] == Json{{"id", 1}, {"name", "A1"}, {"location", 1}, {"ippool", 3}, {"units", 42}});
  Json templates = f.get("/api/dci/v3/os_template", admin).json;
  CHECK(templates["list"][1] == Json{{"id", 2}, {"name", "Ubuntu 24.04"}, {"tags", {"linux"}}});
  Json scripts = f.get("/api/dci/v3/script", admin).json;
  CHECK(scripts["list"][1] == Json{{"id", 2}, {"name", "internal-audit"}, {"access", "admin"}});
}

TEST_CASE("emulator users are listed, created once per e-mail and not deleted while they own a server") {
  EmulatorFixture f;
  std::string admin = f.login();
  Answer created = f.post("/api/dci/v3/user", {{"email", "c@example.com"}, {"password", "pw"}, {"full_name", "C"}}, admin);
  REQUIRE(created.status == 200);
  int64_t id = created.json["id"];
  CHECK(id == 2);
  check_error_json(f.post("/api/dci/v3/user", {{"email", "c@example.com"}, {"password", "pw"}}, admin), 400, "already exists");
  check_error_json(f.post("/api/dci/v3/user", {{"email", "bad"}, {"password", "pw"}}, admin), 400, "email");
  REQUIRE(f.post("/api/dci/v3/server/2/owner", {{"owner", id}}, admin).status == 200);
  Json users = f.get("/api/dci/v3/user", admin).json;
  REQUIRE(users["size"] == 2);
  CHECK(users["list"][1]["server_count"] == 1);
  CHECK(users["list"][1]["roles"] == Json{"@user"});
  CHECK(users["list"][1]["vlans_per_user"] == 5);
  check_error_json(f.del("/api/dci/v3/user/2", admin), 400, "must not be the owner");
  REQUIRE(f.del("/api/dci/v3/server/2/owner", admin).status == 200);
  CHECK(f.del("/api/dci/v3/user/2", admin).status == 200);
  check_error_json(f.get("/api/dci/v3/user/2", admin), 404, "user 2 not found");
}
