// Shared by the emulator's HTTP tests: an Emulator on a free loopback port under a VirtualClock,
// and a small client that speaks DCImanager's conventions (token in x-xsrf-token, JSON bodies).
#pragma once

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/json_input.h"
#include "mockdci/emulator.h"
#include "tests/support/processes.h"

namespace dcisim::testing {

using Json = nlohmann::json;

inline std::string source_path(const char* relative) {
  std::string path = DCISIM_SOURCE_DIR;  // appended, not `+`: GCC 12 warns falsely on `string + literal`
  path += '/';
  path += relative;
  return path;
}

// "/api/dci/v3/server/<id><suffix>"
inline std::string server_path(int64_t id, const char* suffix = "") {
  std::string path = "/api/dci/v3/server/";
  path += std::to_string(id);
  path += suffix;
  return path;
}

inline Json default_inventory_json() {
  auto parsed = common::parse_json_file(source_path("mockdci/inventories/default.json"), false);
  REQUIRE(parsed.ok());
  return *parsed;
}

struct Answer {
  int status = 0;
  std::string body;
  Json json;  // null when the body is not JSON
  std::string header(const std::string& name) const { return headers.count(name) ? headers.find(name)->second : ""; }
  httplib::Headers headers;
};

// How a request carries the session token.
enum class TokenIn { header, cookie, both };

class EmulatorFixture {
 public:
  explicit EmulatorFixture(const Json& inventory = default_inventory_json(), uint64_t seed = 1) {
    auto parsed = mockdci::parse_inventory(inventory, "test-inventory");
    REQUIRE(parsed.ok());
    mockdci::EmulatorOptions options;
    options.inventory = *parsed;
    options.clock = &clock;
    options.seed = seed;
    options.control_token = "control-secret";
    auto created = mockdci::Emulator::create(std::move(options));
    REQUIRE(created.ok());
    emulator = std::move(*created);
    REQUIRE(emulator->start("127.0.0.1", 0, nullptr).ok());
    client = std::make_unique<httplib::Client>("127.0.0.1", emulator->port());
  }

  Answer send(const std::string& method, const std::string& path, const std::string& token,
              const std::string& body = "", TokenIn where = TokenIn::header, httplib::Headers headers = {}) {
    if (!token.empty() && where != TokenIn::cookie) headers.emplace("x-xsrf-token", token);
    if (!token.empty() && where != TokenIn::header) headers.emplace("Cookie", "ses6=" + token);
    httplib::Result result = method == "GET"    ? client->Get(path.c_str(), headers)
                             : method == "POST" ? client->Post(path.c_str(), headers, body, "application/json")
                             : method == "PUT"  ? client->Put(path.c_str(), headers, body, "application/json")
                                                : client->Delete(path.c_str(), headers);
    REQUIRE(result);
    Answer answer{result->status, result->body, Json::parse(result->body, nullptr, false), result->headers};
    if (answer.json.is_discarded()) answer.json = nullptr;
    return answer;
  }

  Answer get(const std::string& path, const std::string& token) { return send("GET", path, token); }
  Answer post(const std::string& path, const Json& body, const std::string& token) {
    return send("POST", path, token, body.dump());
  }
  Answer del(const std::string& path, const std::string& token) { return send("DELETE", path, token); }

  std::string login(const std::string& email = "admin@example.com", const std::string& password = "secret") {
    Answer answer = send("POST", "/api/auth/v4/public/token", "", Json{{"email", email}, {"password", password}}.dump());
    REQUIRE(answer.status == 201);
    return answer.json.at("token").get<std::string>();
  }

  // Creates a @user and returns {id, token}.
  std::pair<int64_t, std::string> make_user(const std::string& admin_token, const std::string& email) {
    Answer created = post("/api/dci/v3/user", {{"email", email}, {"password", "pw-" + email}, {"role", "@user"}}, admin_token);
    REQUIRE(created.status == 200);
    return {created.json.at("id").get<int64_t>(), login(email, "pw-" + email)};
  }

  Answer control(const std::string& method, const std::string& path, const Json& body = Json::object()) {
    return send(method, path, "", method == "GET" ? "" : body.dump(), TokenIn::header,
                {{"Authorization", "Bearer control-secret"}});
  }

  void advance(common::Duration d) { REQUIRE(clock.advance(d).ok()); }

  common::VirtualClock clock;
  std::unique_ptr<mockdci::Emulator> emulator;
  std::unique_ptr<httplib::Client> client;
};

// Checks DCImanager's error JSON: {"error": {"code": int, "msg": string, "value": ...}}.
inline void check_error_json(const Answer& answer, int status, const std::string& message_part) {
  INFO(answer.body);
  CHECK(answer.status == status);
  REQUIRE(answer.json.is_object());
  REQUIRE(answer.json.contains("error"));
  CHECK(answer.json["error"]["code"].is_number_integer());
  CHECK(answer.json["error"].contains("value"));
  CHECK_THAT(answer.json["error"]["msg"].get<std::string>(), Catch::Contains(message_part));
}

}  // namespace dcisim::testing
