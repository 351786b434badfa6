// `dcisim serve --route-alias`: a route served at another path, as a DCImanager version whose
// path differs from the emulator's; the old path answers as any unknown path.
#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

namespace {

std::unique_ptr<mockdci::Emulator> emulator_with(const std::vector<std::string>& aliases, common::Clock& clock) {
  mockdci::EmulatorOptions options;
  options.inventory = *mockdci::parse_inventory(default_inventory_json(), "test");
  options.clock = &clock;
  for (const std::string& text : aliases) {
    auto alias = mockdci::parse_route_alias(text);
    REQUIRE(alias.ok());
    options.route_aliases.push_back(*alias);
  }
  auto created = mockdci::Emulator::create(std::move(options));
  REQUIRE(created.ok());
  return std::move(*created);
}

common::HttpResponse call(mockdci::Emulator& emulator, const std::string& method, const std::string& path,
                          const std::string& token, const std::string& body = "") {
  common::HttpRequest request;
  request.method = method;
  request.path = path;
  request.headers = {{"x-xsrf-token", token}};
  request.body = body;
  return emulator.handle(request);
}

std::string login(mockdci::Emulator& emulator) {
  common::HttpResponse answer = call(emulator, "POST", "/api/auth/v4/public/token", "",
                                     R"({"email":"admin@example.com","password":"secret"})");
  REQUIRE(answer.status == 201);
  return Json::parse(answer.body)["token"];
}

}  // namespace

TEST_CASE("a route alias serves the route at the new path and not at the old one", "[mockdci][alias]") {
  common::VirtualClock clock;
  auto emulator = emulator_with({"POST /api/dci/v3/server/{id}/owner=POST /api/dci/v3/server/{id}/assign"}, clock);
  std::string token = login(*emulator);
  auto old_path = call(*emulator, "POST", "/api/dci/v3/server/3/owner", token, R"({"owner": 1})");
  CHECK(old_path.status == 405);  // DELETE .../owner (release) is still there
  auto unknown_id = call(*emulator, "POST", "/api/dci/v3/server/999/assign", token, R"({"owner": 1})");
  CHECK(unknown_id.status == 404);
  CHECK_THAT(unknown_id.body, Catch::Contains("server 999 not found"));
  auto issued = call(*emulator, "POST", "/dci/v3/server/3/assign", token, R"({"owner": 1, "domain": "a.example.com"})");
  CHECK(issued.status == 200);  // also without the /api prefix, as every route
  CHECK(emulator->server(3)->owner_email == "admin@example.com");
}

TEST_CASE("a route alias with placeholders named as the module's route table names them", "[mockdci][alias]") {
  common::VirtualClock clock;
  auto emulator = emulator_with({"DELETE /api/dci/v3/server/{id}/ip/{ip_id}=DELETE /api/dci/v3/server/{id}/address/{ip_id}"}, clock);
  std::string token = login(*emulator);
  auto moved = call(*emulator, "DELETE", "/api/dci/v3/server/3/address/77", token);
  CHECK(moved.status == 404);
  CHECK_THAT(moved.body, Catch::Contains("not"));
  CHECK(call(*emulator, "DELETE", "/api/dci/v3/server/3/ip/77", token).status == 404);
  CHECK_THAT(call(*emulator, "DELETE", "/api/dci/v3/server/3/ip/77", token).body, Catch::Contains("unknown path"));
}

TEST_CASE("a route alias that names no route, collides or is malformed is refused", "[mockdci][alias]") {
  CHECK_THAT(mockdci::parse_route_alias("POST /a").error().message, Catch::Contains("expected \"METHOD /path=METHOD /new-path\""));
  CHECK_THAT(mockdci::parse_route_alias("PUT /a=POST /b").error().message, Catch::Contains("must start with GET, POST or DELETE"));
  CHECK_THAT(mockdci::parse_route_alias("POST /a/{id}=POST /b").error().message, Catch::Contains("same placeholders"));
  common::VirtualClock clock;
  mockdci::EmulatorOptions options;
  options.inventory = *mockdci::parse_inventory(default_inventory_json(), "test");
  options.clock = &clock;
  options.route_aliases.push_back(*mockdci::parse_route_alias("POST /api/dci/v3/server/{id}/nothing=POST /api/x/{id}"));
  auto refused = mockdci::Emulator::create(options);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("the emulator has no route POST /api/dci/v3/server/{id}/nothing"));
  options.route_aliases = {*mockdci::parse_route_alias("POST /api/dci/v3/server/{id}/suspend=POST /api/dci/v3/server/{id}/resume")};
  auto collides = mockdci::Emulator::create(options);
  REQUIRE_FALSE(collides.ok());
  CHECK_THAT(collides.error().message, Catch::Contains("already serves POST /api/dci/v3/server/{id}/resume"));
}
