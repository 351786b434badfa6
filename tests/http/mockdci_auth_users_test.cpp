// auth v4 users, self and keys (specs/auth_v4_api.yaml): the same users as dci v3 /user.
#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

namespace {

Answer login_as(EmulatorFixture& f, const std::string& email, const std::string& password) {
  return f.send("POST", "/auth/v4/public/token", "", Json{{"email", email}, {"password", password}}.dump());
}

}  // namespace

TEST_CASE("auth v4 lists users in the spec's UserGet shape, with where, orderby and limit") {
  EmulatorFixture f;
  std::string admin = f.login();
  f.make_user(admin, "client@example.com");
  f.make_user(admin, "other@example.com");
  Answer all = f.get("/auth/v4/user?orderby=email%20desc", admin);
  REQUIRE(all.status == 200);
  CHECK(all.json["size"] == 3);
  CHECK(all.json["list"][0]["email"] == "other@example.com");
  const Json& row = all.json["list"][2];
  CHECK(row == Json{{"id", 1}, {"uuid", "75736572-0000-4000-8000-000000000001"}, {"email", "admin@example.com"},
                    {"full_name", ""}, {"roles", {"@admin"}}, {"state", "active"}, {"auth_source", "local"},
                    {"email_confirm", false}, {"lang", "en"}});
  Answer some = f.get("/api/auth/v4/user?where=email%20CP%20'%25client%25'&limit=0,10", admin);
  REQUIRE(some.status == 200);
  CHECK(some.json["size"] == 1);
  CHECK(some.json["list"][0]["id"] == 2);
  check_error_json(f.get("/api/auth/v4/user?where=nmae%20EQ%20'x'", admin), 400, "unknown field");
}

TEST_CASE("auth v4 gets one user by id or by e-mail") {
  EmulatorFixture f;
  std::string admin = f.login();
  auto [id, token] = f.make_user(admin, "client@example.com");
  CHECK(f.get("/api/auth/v4/user/" + std::to_string(id), admin).json["email"] == "client@example.com");
  CHECK(f.get("/api/auth/v4/user/client@example.com", admin).json["id"] == id);
  check_error_json(f.get("/api/auth/v4/user/99", admin), 404, "user 99 not found");
  check_error_json(f.get("/api/auth/v4/user/nobody@example.com", admin), 404, "not found");
}

TEST_CASE("auth v4 creates users that dci v3 sees: one user model") {
  EmulatorFixture f;
  std::string admin = f.login();
  Answer created = f.post("/api/auth/v4/user",
                          {{"email", "new@example.com"}, {"full_name", "New User"}, {"password", "long-enough"},
                           {"roles", {"@user"}}, {"email_confirm", true}},
                          admin);
  REQUIRE(created.status == 201);
  int64_t id = created.json["id"];
  CHECK(created.json == Json{{"id", id}});
  Json dci = f.get("/api/dci/v3/user/" + std::to_string(id), admin).json;
  CHECK(dci["email"] == "new@example.com");
  CHECK(dci["full_name"] == "New User");
  CHECK(dci["roles"] == Json{"@user"});
  CHECK(login_as(f, "new@example.com", "long-enough").status == 201);
  // And the other way round: a dci v3 user is an auth v4 user.
  auto [dci_id, dci_token] = f.make_user(admin, "dci@example.com");
  CHECK(f.get("/api/auth/v4/user/" + std::to_string(dci_id), admin).json["email"] == "dci@example.com");
}

TEST_CASE("auth v4 user creation checks the spec's rules and changes nothing when refused") {
  EmulatorFixture f;
  std::string admin = f.login();
  check_error_json(f.post("/api/auth/v4/user", {{"email", "a@example.com"}, {"password", "short"}}, admin), 400, "/password");
  check_error_json(f.post("/api/auth/v4/user", {{"email", "a@example.com"}, {"nickname", "x"}}, admin), 400, "nickname");
  check_error_json(f.post("/api/auth/v4/user", {{"email", "a@example.com"}, {"roles", {"@reseller"}}}, admin), 400, "/roles");
  check_error_json(f.post("/api/auth/v4/user", {{"email", "a@example.com"}, {"roles", Json::array()}}, admin), 400, "/roles");
  check_error_json(f.post("/api/auth/v4/user", {{"full_name", "x"}}, admin), 400, "/email");
  check_error_json(f.post("/api/auth/v4/user", {{"email", "admin@example.com"}}, admin), 400, "already exists");
  CHECK(f.get("/api/auth/v4/user", admin).json["size"] == 1);
}

TEST_CASE("auth v4 user created without a password logs in only with a key") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(f.post("/api/auth/v4/user", {{"email", "keyed@example.com"}}, admin).status == 201);
  check_error_json(login_as(f, "keyed@example.com", ""), 400, "invalid e-mail or password");
  Answer key = f.post("/api/auth/v4/user/keyed@example.com/key", Json::object(), admin);
  REQUIRE(key.status == 201);
  CHECK(key.json["id"].is_number_integer());
  std::string value = key.json["key"];
  Answer token = f.send("POST", "/auth/v4/public/key", "", Json{{"key", value}}.dump());
  REQUIRE(token.status == 201);
  std::string session = token.json["token"];
  CHECK(f.get("/api/auth/v4/self", session).json["email"] == "keyed@example.com");
  // A key works once.
  check_error_json(f.send("POST", "/auth/v4/public/key", "", Json{{"key", value}}.dump()), 401, "used already");
}

TEST_CASE("auth v4 edits a user with 200 {} and the change shows everywhere") {
  EmulatorFixture f;
  std::string admin = f.login();
  auto [id, user] = f.make_user(admin, "client@example.com");
  std::string path = "/api/auth/v4/user/" + std::to_string(id);
  Answer edited = f.post(path, {{"full_name", "Client One"}, {"lang", "ru"}, {"roles", {"@admin"}}}, admin);
  REQUIRE(edited.status == 200);
  CHECK(edited.json == Json::object());
  Json row = f.get(path, admin).json;
  CHECK(row["full_name"] == "Client One");
  CHECK(row["lang"] == "ru");
  CHECK(row["roles"] == Json{"@admin"});
  CHECK(f.get("/api/dci/v3/user", user).status == 200);  // now an administrator
  check_error_json(f.post(path, {{"lang", "de"}}, admin), 400, "/lang");
  check_error_json(f.post(path, {{"email", "x@example.com"}}, admin), 400, "email");
  check_error_json(f.post("/api/auth/v4/user/1", {{"roles", {"@user"}}}, admin), 400, "cannot take @admin from itself");
}

TEST_CASE("auth v4 deletes a user only when it owns no server, and its tokens die with it") {
  EmulatorFixture f;
  std::string admin = f.login();
  auto [id, user] = f.make_user(admin, "client@example.com");
  REQUIRE(f.post("/api/dci/v3/server/8/owner", {{"owner", id}}, admin).status == 200);
  check_error_json(f.del("/api/auth/v4/user/client@example.com", admin), 400, "must not be the owner");
  REQUIRE(f.del("/api/dci/v3/server/8/owner", admin).status == 200);
  Answer deleted = f.del("/api/auth/v4/user/client@example.com", admin);
  REQUIRE(deleted.status == 200);
  CHECK(deleted.json == Json::object());
  CHECK(f.get("/api/auth/v4/self", user).status == 401);
  check_error_json(f.del("/api/auth/v4/user/1", admin), 400, "cannot delete itself");
}

TEST_CASE("auth v4 passwords: an administrator sets one, a user changes its own knowing the old one") {
  EmulatorFixture f;
  std::string admin = f.login();
  auto [id, user] = f.make_user(admin, "client@example.com");
  REQUIRE(f.post("/api/auth/v4/user/" + std::to_string(id) + "/password", {{"password", "new-password-1"}}, admin).status == 200);
  CHECK(login_as(f, "client@example.com", "pw-client@example.com").status == 400);
  std::string session = login_as(f, "client@example.com", "new-password-1").json["token"];
  check_error_json(f.post("/api/auth/v4/self/password", {{"old_password", "wrong"}, {"password", "new-password-2"}}, session),
                   403, "old_password");
  check_error_json(f.post("/api/auth/v4/self/password", {{"old_password", "new-password-1"}, {"password", "2short"}}, session),
                   400, "/password");
  REQUIRE(f.post("/api/auth/v4/self/password", {{"old_password", "new-password-1"}, {"password", "new-password-2"}}, session)
              .status == 200);
  CHECK(login_as(f, "client@example.com", "new-password-2").status == 201);
}

TEST_CASE("auth v4 suspend disables login and every token of the user, resume restores them") {
  EmulatorFixture f;
  std::string admin = f.login();
  auto [id, user] = f.make_user(admin, "client@example.com");
  std::string path = "/api/auth/v4/user/" + std::to_string(id);
  REQUIRE(f.post(path + "/suspend", Json::object(), admin).status == 200);
  CHECK(f.get(path, admin).json["state"] == "disabled");
  CHECK(f.get("/api/dci/v3/user/" + std::to_string(id), admin).json["state"] == "disabled");
  check_error_json(login_as(f, "client@example.com", "pw-client@example.com"), 403, "disabled");
  CHECK(f.get("/api/auth/v4/self", user).status == 401);
  REQUIRE(f.post(path + "/resume", Json::object(), admin).status == 200);
  CHECK(f.get("/api/auth/v4/self", user).status == 200);
  check_error_json(f.post("/api/auth/v4/user/1/suspend", Json::object(), admin), 400, "cannot disable itself");
  check_error_json(f.post(path + "/suspend", {{"why", "x"}}, admin), 400, "why");
}

TEST_CASE("auth v4 self: any user reads and edits itself, makes its own key, and nothing more") {
  EmulatorFixture f;
  std::string admin = f.login();
  auto [id, user] = f.make_user(admin, "client@example.com");
  Json self = f.get("/auth/v4/self", user).json;
  CHECK(self["id"] == id);
  CHECK(self["roles"] == Json{"@user"});
  REQUIRE(f.post("/auth/v4/self", {{"full_name", "Me"}}, user).status == 200);
  CHECK(f.get("/auth/v4/self", user).json["full_name"] == "Me");
  check_error_json(f.post("/auth/v4/self", {{"roles", {"@admin"}}}, user), 400, "roles");
  Answer key = f.post("/auth/v4/self/key", Json::object(), user);
  REQUIRE(key.status == 201);
  CHECK(f.send("POST", "/auth/v4/public/key", "", Json{{"key", key.json["key"]}}.dump()).status == 201);
  check_error_json(f.get("/auth/v4/user", user), 403, "@admin");
  check_error_json(f.post("/auth/v4/user/1/key", Json::object(), user), 403, "@admin");
}
