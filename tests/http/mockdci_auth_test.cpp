// auth v4 and access rules of the emulator, over real HTTP (API.md §1, §2, §5).
#include <regex>

#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

TEST_CASE("emulator login returns 201 with a DCImanager-shaped token") {
  EmulatorFixture f;
  Answer answer = f.send("POST", "/api/auth/v4/public/token", "", R"({"email":"admin@example.com","password":"secret"})");
  REQUIRE(answer.status == 201);
  CHECK(answer.json["id"].is_number_integer());  // auth_v4_api.yaml 201Token: id is a number
  CHECK(answer.json["confirmed"] == true);
  CHECK(answer.json["expires_at"].is_null());
  std::string token = answer.json["token"];
  CHECK(std::regex_match(token, std::regex("4-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")));
  CHECK(f.get("/api/dci/v3/server", token).status == 200);
}

TEST_CASE("emulator login also answers without the /api prefix") {
  EmulatorFixture f;
  Answer answer = f.send("POST", "/auth/v4/public/token", "", R"({"email":"admin@example.com","password":"secret"})");
  REQUIRE(answer.status == 201);
  CHECK(f.get("/api/dci/v3/server/1", answer.json["token"]).status == 200);
}

TEST_CASE("emulator login with a wrong password is refused with the error JSON") {
  EmulatorFixture f;
  Answer answer = f.send("POST", "/api/auth/v4/public/token", "", R"({"email":"admin@example.com","password":"nope"})");
  check_error_json(answer, 400, "invalid e-mail or password");
  Answer missing = f.send("POST", "/api/auth/v4/public/token", "", R"({"email":"admin@example.com"})");
  check_error_json(missing, 400, "/password");
}

TEST_CASE("emulator answers 401 with error code 1000 when the token is missing") {
  EmulatorFixture f;
  Answer answer = f.get("/api/dci/v3/server", "");
  check_error_json(answer, 401, "unauthorized");
  CHECK(answer.json["error"]["code"] == 1000);
}

TEST_CASE("emulator answers 401 when the token is wrong") {
  EmulatorFixture f;
  f.login();
  check_error_json(f.get("/api/dci/v3/server", "4-00000000-0000-0000-0000-000000000000"), 401, "invalid or has expired");
}

TEST_CASE("emulator accepts the session token from the x-xsrf-token header alone") {
  EmulatorFixture f;
  std::string token = f.login();
  CHECK(f.send("GET", "/api/dci/v3/server/1", token, "", TokenIn::header).status == 200);
}

TEST_CASE("emulator accepts the session token from the ses6 cookie alone") {
  EmulatorFixture f;
  std::string token = f.login();
  CHECK(f.send("GET", "/api/dci/v3/server/1", token, "", TokenIn::cookie).status == 200);
  httplib::Headers headers = {{"Cookie", "lang=en; ses6=" + token + "; theme=dark"}};
  CHECK(f.send("GET", "/api/dci/v3/server/1", "", "", TokenIn::header, headers).status == 200);
}

TEST_CASE("emulator long-lived tokens work until their expiry on the emulator's clock") {
  EmulatorFixture f;
  std::string session = f.login();
  Answer made = f.post("/api/auth/v4/token", {{"expires_at", "2026-01-02 00:00:00"}, {"description", "billing"}}, session);
  REQUIRE(made.status == 201);
  CHECK(made.json["id"].is_number_integer());
  std::string token = made.json["token"];
  CHECK(f.get("/api/dci/v3/server/1", token).status == 200);
  f.advance(common::Duration::days(1));
  CHECK(f.get("/api/dci/v3/server/1", token).status == 401);
  CHECK(f.get("/api/dci/v3/server/1", session).status == 200);  // session tokens do not expire
  check_error_json(f.post("/api/auth/v4/token", {{"expires_at", "2020-01-01 00:00:00"}}, session), 400, "not in the future");
  check_error_json(f.post("/api/auth/v4/token", {{"expires_at", "soon"}}, session), 400, "/expires_at");
}

TEST_CASE("emulator token deletion makes the token stop working") {
  EmulatorFixture f;
  std::string admin = f.login();
  Answer made = f.post("/api/auth/v4/token", {{"expires_at", "2030-01-01 00:00:00"}}, admin);
  REQUIRE(made.status == 201);
  std::string id = std::to_string(made.json["id"].get<int64_t>());
  CHECK(f.del("/auth/v4/token/" + id, admin).status == 200);
  CHECK(f.get("/api/dci/v3/server/1", made.json["token"]).status == 401);
}

TEST_CASE("emulator @user tokens see and act only on the servers the user owns") {
  EmulatorFixture f;
  std::string admin = f.login();
  auto [user_id, user] = f.make_user(admin, "client@example.com");
  REQUIRE(f.post("/api/dci/v3/server/8/owner", {{"owner", user_id}, {"domain", "c1.example"}}, admin).status == 200);

  Answer list = f.get("/api/dci/v3/server", user);
  REQUIRE(list.status == 200);
  CHECK(list.json["size"] == 1);
  CHECK(list.json["list"][0]["id"] == 8);
  CHECK(list.json["list"][0]["owner_email"] == "client@example.com");
  CHECK(f.get("/api/dci/v3/server/8", user).status == 200);
  check_error_json(f.get("/api/dci/v3/server/1", user), 404, "server 1 not found");
  check_error_json(f.post("/api/dci/v3/server/1/power_off", Json::object(), user), 404, "not found");
  CHECK(f.post("/api/dci/v3/server/8/power_off", Json::object(), user).status == 200);
  CHECK(f.get("/api/dci/v3/server", admin).json["size"] == 9);
}

TEST_CASE("emulator refuses administrator calls to @user tokens with 403") {
  EmulatorFixture f;
  std::string admin = f.login();
  auto [user_id, user] = f.make_user(admin, "client@example.com");
  check_error_json(f.get("/api/dci/v3/user", user), 403, "@admin");
  check_error_json(f.post("/api/dci/v3/server/1/owner", {{"owner", user_id}}, user), 403, "@admin");
  check_error_json(f.get("/api/ip/v3/ip", user), 403, "@admin");
  CHECK(f.get("/api/dci/v3/location", user).status == 200);  // the catalog is for everyone
}

TEST_CASE("emulator tokens are reproducible from the seed") {
  EmulatorFixture a(default_inventory_json(), 5);
  EmulatorFixture b(default_inventory_json(), 5);
  EmulatorFixture c(default_inventory_json(), 6);
  std::string first = a.login();
  CHECK(first == b.login());
  CHECK(first != c.login());
}
