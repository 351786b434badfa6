// The emulator's own OpenAPI document: served at GET /mockdci/v1/openapi.json without a token,
// generated from the route table (every route, every one described), and identical to the copy
// checked in as docs/mockdci-openapi.json, so that the two cannot drift.
//
// To refresh the checked-in copy after changing routes:
//   DCISIM_WRITE_OPENAPI=1 build/bin/dcisim_tests_http "emulator OpenAPI document matches docs/mockdci-openapi.json"
#include <cstdlib>
#include <fstream>

#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

TEST_CASE("emulator serves its OpenAPI document without a token, every route described") {
  EmulatorFixture f;
  Answer answer = f.get("/mockdci/v1/openapi.json", "");
  REQUIRE(answer.status == 200);
  const Json& doc = answer.json;
  CHECK(doc["openapi"] == "3.0.3");
  size_t operations = 0;
  for (const auto& [path, methods] : doc["paths"].items()) {
    for (const auto& [method, op] : methods.items()) {
      INFO(method << " " << path);
      CHECK_FALSE(op["summary"].get<std::string>().empty());
      CHECK(op["responses"].contains("default"));
      ++operations;
    }
  }
  CHECK(operations > 60);
  CHECK(doc["paths"]["/api/auth/v4/user/{user_id}"].contains("delete"));
  CHECK(doc["paths"]["/api/dci/v3/switch/{switch_id}/port/{port_id}"].contains("post"));
  CHECK(doc["paths"]["/api/dci/v3/server"]["get"]["parameters"].size() == 3);  // where, orderby, limit
  CHECK(doc["paths"]["/mockdci/v1/state"]["get"]["security"] == Json::parse(R"([{"control": []}])"));
  CHECK(doc["paths"]["/mockdci/v1/health"]["get"]["security"] == Json::array());
}

TEST_CASE("emulator OpenAPI document matches docs/mockdci-openapi.json") {
  EmulatorFixture f;
  Answer answer = f.get("/mockdci/v1/openapi.json", "");
  REQUIRE(answer.status == 200);
  std::string path = source_path("docs/mockdci-openapi.json");
  if (std::getenv("DCISIM_WRITE_OPENAPI") != nullptr) {
    std::ofstream(path) << answer.json.dump(2) << "\n";
  }
  auto checked_in = common::parse_json_file(path, false);
  REQUIRE(checked_in.ok());
  INFO("docs/mockdci-openapi.json differs from GET /mockdci/v1/openapi.json: refresh it with "
       "DCISIM_WRITE_OPENAPI=1 build/bin/dcisim_tests_http \"emulator OpenAPI document matches docs/mockdci-openapi.json\"");
  CHECK(*checked_in == answer.json);
}
