// Bad input over real HTTP: each gets the right status and DCImanager's error JSON, and nothing in
// the model changes.
#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

TEST_CASE("emulator answers malformed JSON with 400 and changes nothing") {
  EmulatorFixture f;
  std::string admin = f.login();
  Json before = f.emulator->state();
  Answer answer = f.send("POST", "/api/dci/v3/server/1/owner", admin, R"({"owner": 1,)");
  check_error_json(answer, 400, "request body: line 1");
  CHECK(f.emulator->state() == before);
  check_error_json(f.send("POST", "/api/dci/v3/server/1/owner", admin, "[1, 2]"), 400, "expected a JSON object");
  check_error_json(f.send("POST", "/api/dci/v3/server/1/power_off", admin, "{oops"), 400, "invalid JSON");
  CHECK(f.emulator->state() == before);
}

TEST_CASE("emulator answers wrong types with 400 naming the field and changes nothing") {
  EmulatorFixture f;
  std::string admin = f.login();
  Json before = f.emulator->state();
  Answer answer = f.post("/api/dci/v3/server/1/owner", {{"owner", "1"}}, admin);
  check_error_json(answer, 400, "request body: /owner: expected an integer");
  check_error_json(f.post("/api/dci/v3/server/1/owner", {{"owner", 1}, {"domain", 5}}, admin), 400, "/domain: expected a string");
  check_error_json(f.post("/api/dci/v3/user", {{"email", true}}, admin), 400, "/email");
  CHECK(f.emulator->state() == before);
}

TEST_CASE("emulator answers unknown ids with 404 and the error JSON") {
  EmulatorFixture f;
  std::string admin = f.login();
  Answer answer = f.get("/api/dci/v3/server/999", admin);
  check_error_json(answer, 404, "server 999 not found");
  CHECK(answer.json["error"]["value"] == "/api/dci/v3/server/999");
  check_error_json(f.post("/api/dci/v3/server/999/power_on", Json::object(), admin), 404, "not found");
  check_error_json(f.get("/api/dci/v3/switch/99/port", admin), 404, "switch 99 not found");
  check_error_json(f.get("/api/ip/v3/ip/5", admin), 404, "not found");
}

TEST_CASE("emulator answers unknown paths with 404 and the error JSON, with or without a token") {
  EmulatorFixture f;
  std::string admin = f.login();
  check_error_json(f.get("/api/dci/v3/servers", admin), 404, "unknown path /api/dci/v3/servers");
  check_error_json(f.get("/nothing/here", ""), 404, "unknown path");
  check_error_json(f.get("/api/dci/v3/server/abc", admin), 404, "unknown path");
}

TEST_CASE("emulator answers a known path with a wrong method with 405 and the allowed methods") {
  EmulatorFixture f;
  std::string admin = f.login();
  Answer answer = f.send("PUT", "/api/dci/v3/server/1", admin, "{}");
  check_error_json(answer, 405, "not allowed");
  CHECK(answer.header("Allow") == "GET");
  CHECK(f.send("DELETE", "/api/dci/v3/server/1/power_on", admin).status == 405);
}

TEST_CASE("emulator answers an oversized body with 413 and the error JSON, over HTTP and in memory") {
  EmulatorFixture f;
  std::string admin = f.login();
  Json before = f.emulator->state();
  std::string huge = R"({"owner": 1, "domain": ")" + std::string(2 << 20, 'x') + "\"}";
  Answer answer = f.send("POST", "/api/dci/v3/server/1/owner", admin, huge);
  check_error_json(answer, 413, "over the limit");
  common::HttpResponse in_memory = f.emulator->handle({"POST", "/api/dci/v3/server/1/owner", {}, {{"x-xsrf-token", admin}}, huge});
  CHECK(in_memory.status == 413);
  CHECK(f.emulator->state() == before);
  CHECK(f.emulator->journal(1).at(0).status == 413);
}
