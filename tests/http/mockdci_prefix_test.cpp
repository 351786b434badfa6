// Service prefixes: every DCImanager service answers both as /api/<service>/... and as
// /<service>/... (docs/EMULATOR.md "Service prefixes"), and the emulator's health route.
#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

TEST_CASE("emulator answers every service without the /api prefix as with it") {
  EmulatorFixture f;
  std::string admin = f.send("POST", "/auth/v4/public/token", "", R"({"email":"admin@example.com","password":"secret"})")
                          .json.at("token");
  // One read per service, both ways; the answers are the same documents.
  for (const char* path : {"/dci/v3/server", "/dci/v3/server/1", "/dci/v3/server/configuration", "/dci/v3/location",
                           "/dci/v3/user", "/dci/v3/switch/1/port", "/ip/v3/ippool", "/ip/v3/ipnet/1", "/ip/v3/ip",
                           "/dci/v3/ipmgr/ippool", "/auth/v4/user", "/auth/v4/self"}) {
    INFO(path);
    Answer bare = f.get(path, admin);
    Answer prefixed = f.get(std::string("/api") + path, admin);
    CHECK(bare.status == 200);
    CHECK(prefixed.status == 200);
    CHECK(bare.json == prefixed.json);
  }
}

TEST_CASE("emulator acts on calls without the /api prefix: issue, power, IP allocation, token deletion") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/dci/v3/server/8/owner", {{"owner", 1}, {"domain", "bare.example"}}, admin).status == 200);
  REQUIRE(f.post("/dci/v3/server/8/power_off", Json::object(), admin).status == 200);
  CHECK(f.get("/api/dci/v3/server/8", admin).json["power_status"] == "OFF");
  Answer ip = f.post("/ip/v3/ippool/1/ip", {{"family", "ipv4"}}, admin);
  REQUIRE(ip.status == 200);
  CHECK(f.del("/ip/v3/ip/" + std::to_string(ip.json["id"].get<int64_t>()), admin).status == 200);
  Answer token = f.post("/auth/v4/token", {{"expires_at", "2030-01-01 00:00:00"}}, admin);
  REQUIRE(token.status == 201);
  CHECK(f.del("/auth/v4/token/" + std::to_string(token.json["id"].get<int64_t>()), admin).status == 200);
}

TEST_CASE("emulator errors are the same without the /api prefix: 401, 403, 404 by id, 405 with Allow") {
  EmulatorFixture f;
  std::string admin = f.login();
  auto [user_id, user] = f.make_user(admin, "client@example.com");
  check_error_json(f.get("/dci/v3/server", ""), 401, "unauthorized");
  check_error_json(f.get("/ip/v3/ip", user), 403, "@admin");
  check_error_json(f.get("/dci/v3/server/999", admin), 404, "server 999 not found");
  Answer wrong_method = f.send("DELETE", "/dci/v3/server/configuration", admin);
  check_error_json(wrong_method, 405, "not allowed");
  CHECK(wrong_method.header("Allow") == "GET");
  check_error_json(f.get("/dci/v3/nothing", admin), 404, "unknown path /dci/v3/nothing");
  check_error_json(f.get("/api/mockdci/v1/state", admin), 404, "unknown path");  // the control API has no /api form
}

TEST_CASE("emulator injected 503s hit a call whichever prefix it uses") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.control("POST", "/mockdci/v1/faults", {{"unavailable", 2}, {"path_prefix", "/api/dci/v3/server"}}).status == 200);
  CHECK(f.get("/dci/v3/server/1", admin).status == 503);
  CHECK(f.get("/api/dci/v3/server/1", admin).status == 503);
  CHECK(f.get("/dci/v3/server/1", admin).status == 200);
}

TEST_CASE("emulator journal keeps the path as the client sent it") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.get("/dci/v3/server/2", admin).status == 200);
  Answer journal = f.control("GET", "/mockdci/v1/journal?last=1");
  REQUIRE(journal.status == 200);
  CHECK(journal.json["list"][0]["path"] == "/dci/v3/server/2");
}

TEST_CASE("emulator health route answers without a token, even while 503s are injected") {
  EmulatorFixture f;
  Answer health = f.get("/mockdci/v1/health", "");
  CHECK(health.status == 200);
  CHECK(health.json == Json{{"status", "ok"}});
  REQUIRE(f.control("POST", "/mockdci/v1/faults", {{"unavailable", 5}}).status == 200);
  CHECK(f.get("/mockdci/v1/health", "").status == 200);
  check_error_json(f.send("POST", "/mockdci/v1/health", ""), 405, "not allowed");
}
