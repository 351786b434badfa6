// The live-vs-emulator comparison: answers normalised with aliases, diffed field by field, and
// the contracts of what the module reads.
#include <catch2/catch.hpp>

#include "certify/compare.h"
#include "certify/contracts.h"

using namespace dcisim;
using certify::Json;

namespace {

certify::ProbeRecord record(const std::string& key, int status, const char* body) {
  return {key, "GET", "/x", status, Json::parse(body), ""};
}

bool has(const std::vector<certify::Difference>& differences, const std::string& path, const std::string& live,
         const std::string& emulator) {
  for (const auto& d : differences) {
    if (d.path == path && d.live == live && d.emulator == emulator) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("certify normalises ids and times into aliases in order of appearance", "[certify][compare]") {
  certify::Aliases aliases;
  Json server = Json::parse(R"({"id": 42, "owner": {"id": 7, "email": "a@b.c"}, "location_id": 3,
      "ip": [{"id": 900, "name": "192.0.2.2"}, {"id": 901, "name": "192.0.2.3"}],
      "created": "2026-01-01T10:00:00Z", "uuid": "73727672-0000", "rack": {"id": 3, "name": "A1"}})");
  Json out = certify::normalise(server, "server", aliases);
  CHECK(out["id"] == "<server:1>");
  CHECK(out["owner"]["id"] == "<user:1>");
  CHECK(out["location_id"] == "<location:1>");
  CHECK(out["ip"][1]["id"] == "<ip:2>");
  CHECK(out["created"] == "<time>");
  CHECK(out["uuid"] == "<uuid>");
  CHECK(out["rack"]["id"] == "<rack:1>");
  CHECK(out["ip"][0]["name"] == "192.0.2.2");
  CHECK(certify::normalise(Json::parse(R"({"id": 42})"), "server", aliases)["id"] == "<server:1>");  // stable
}

TEST_CASE("certify lists every field, type, status and spelling one side has and the other lacks", "[certify][compare]") {
  std::vector<certify::ProbeRecord> live = {
      record("server.get", 200, R"({"id": 1, "power_status": "on", "state": "ok", "owner": {"id": 2, "email": "x"},
                                     "extra_live": 1, "ip": [{"id": 3, "family": "ipv4"}]})"),
      record("location.list", 200, R"({"list": [{"id": 1, "name": "A"}], "size": 1})"),
      record("route server.issue", 404, R"({"error": {"code": 1, "msg": "no"}})"),
  };
  live[2].verdict = "held";
  std::vector<certify::ProbeRecord> emulator = {
      record("server.get", 200, R"({"id": 1, "power_status": "ON", "state": "active", "owner": 2,
                                     "extra_emulated": true, "ip": []})"),
      record("location.list", 403, R"({"error": {"code": 1001, "msg": "forbidden"}})"),
      record("route server.issue", 404, R"({"error": {"code": 1, "msg": "unknown path"}})"),
  };
  emulator[2].verdict = "not held: answered like an unknown route";
  auto differences = certify::diff_records(live, emulator);
  CHECK(has(differences, "extra_live", "integer", "(absent)"));
  CHECK(has(differences, "extra_emulated", "(absent)", "boolean"));
  CHECK(has(differences, "owner", "object", "integer"));
  CHECK(has(differences, "power_status (spelling)", "\"on\"", "\"ON\""));
  CHECK(has(differences, "(status)", "200", "403"));
  CHECK(has(differences, "(route)", "held", "not held: answered like an unknown route"));
  // An array empty on one side says nothing about its elements.
  for (const auto& d : differences) CHECK(d.path.rfind("ip[]", 0) != 0);
  // state "ok" against "active": values of a live system's own state, not a spelling: not listed.
  for (const auto& d : differences) CHECK(d.path != "state (spelling)");
}

TEST_CASE("certify finds nothing to list when both sides answer alike", "[certify][compare]") {
  std::vector<certify::ProbeRecord> side = {record("server.list", 200, R"({"list": [{"id": 5, "power_status": "ON"}], "size": 1})")};
  std::vector<certify::ProbeRecord> other = {record("server.list", 200, R"({"list": [{"id": 9, "power_status": "ON"}], "size": 4})")};
  CHECK(certify::diff_records(side, other).empty());
}

TEST_CASE("certify checks an answer against what the module reads", "[certify][contracts]") {
  Json server = Json::parse(R"({"id": 5, "domain": null, "configuration": "c", "state": "active", "owner_email": null,
      "power_status": "on", "location_id": 1, "operation": {"id": 1, "status": "ok"}, "ip": [{"id": 1, "name": "x"}],
      "switch_connection": [{"switch": 1, "connection_id": "7"}]})");
  auto problems = certify::check_contract(server, certify::server_contract());
  std::string failures = certify::problems_text(problems, false);
  std::string notes = certify::problems_text(problems, true);
  CHECK_THAT(failures, Catch::Contains("switch_connection[].connection_id: expected an integer, found a string"));
  CHECK_THAT(notes, Catch::Contains("power_status: \"on\" where the documentation writes \"ON\""));
  server["power_status"] = "standby";
  server.erase("configuration");
  failures = certify::problems_text(certify::check_contract(server, certify::server_contract()), false);
  CHECK_THAT(failures, Catch::Contains("power_status: expected one of ON, OFF, UNKNOWN, found \"standby\""));
  CHECK_THAT(failures, Catch::Contains("configuration: missing"));
}
