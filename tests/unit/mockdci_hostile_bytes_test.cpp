// Every byte value, in every part of a request that reaches the emulator's JSON (path, header,
// query, body), through Emulator::handle(): the answer is always DCImanager's error JSON or a
// normal answer, never an exception, and the emulator keeps serving. (The socket side of the same
// promise is tested over raw TCP in tests/http/.)
#include <catch2/catch.hpp>

#include "common/clock.h"
#include "common/json_input.h"
#include "common/json_text.h"
#include "mockdci/default_inventory.h"
#include "mockdci/emulator.h"

using namespace dcisim;
using Json = nlohmann::json;

namespace {

struct Rig {
  Rig() {
    mockdci::EmulatorOptions options;
    options.inventory = *mockdci::default_inventory();
    options.clock = &clock;
    options.control_token = "control-secret";
    emulator = std::move(mockdci::Emulator::create(std::move(options)).value());
    common::HttpRequest login{"POST", "/api/auth/v4/public/token", {}, {}, R"({"email":"admin@example.com","password":"secret"})"};
    common::HttpResponse answer = emulator->handle(login);
    REQUIRE(answer.status == 201);
    token = Json::parse(answer.body).at("token").get<std::string>();
  }

  // Sends and checks that the answer is JSON (or DCImanager's plain "Unavailable").
  common::HttpResponse send(common::HttpRequest request, bool with_token = true) {
    if (with_token) request.headers.emplace_back("x-xsrf-token", token);
    common::HttpResponse answer = emulator->handle(request);
    INFO(request.method << " " << common::printable_utf8(request.path) << " -> " << answer.status << " " << answer.body);
    CHECK(answer.status >= 200);
    CHECK(answer.status < 600);
    if (answer.status != 503) {
      Result parsed = common::parse_json_text(answer.body, "answer", false);
      CHECK(parsed.ok());
    }
    return answer;
  }
  using Result = common::Result<Json>;

  common::VirtualClock clock;
  std::unique_ptr<mockdci::Emulator> emulator;
  std::string token;
};

std::string byte_string(int value) { return std::string(1, static_cast<char>(value)); }

}  // namespace

TEST_CASE("a path with bytes that are not UTF-8 gets a 404 with error JSON that echoes it readably") {
  Rig rig;
  common::HttpResponse answer = rig.send({"GET", "/\xff", {}, {}, ""}, false);
  CHECK(answer.status == 404);
  Json body = Json::parse(answer.body);
  CHECK(body["error"]["value"] == "/\xEF\xBF\xBD");
  CHECK(body["error"]["msg"].get<std::string>().find("unknown path") != std::string::npos);
}

TEST_CASE("every byte value in the path, a header, the query and the body gets an answer, never a throw") {
  Rig rig;
  for (int b = 0; b < 256; ++b) {
    std::string x = byte_string(b);
    rig.send({"GET", "/" + x, {}, {}, ""}, false);
    rig.send({"GET", "/api/dci/v3/server/" + x, {}, {}, ""});
    rig.send({"GET", "/api/dci/v3/server/1" + x + "\xc3", {}, {}, ""});
    rig.send({"POST", "/api/dci/v3/server/1/power_reset" + x, {}, {}, "{}"});
    rig.send({"GET", "/api/dci/v3/server", {{"where", "name EQ '" + x + "\xe2\x82'"}}, {}, ""});
    rig.send({"GET", "/api/dci/v3/server", {{"where", x}, {"orderby", x}, {"limit", x}}, {}, ""});
    rig.send({"GET", "/api/dci/v3/server/1", {}, {{"x-xsrf-token", x + "\xff"}}, ""}, false);
    rig.send({"GET", "/api/dci/v3/server/1", {}, {{"Cookie", "ses6=" + x + "\xfe"}}, ""}, false);
    rig.send({"POST", "/api/auth/v4/public/token", {}, {}, "{\"email\": \"" + x + "\", \"password\": \"p\"}"}, false);
    rig.send({"POST", "/api/dci/v3/user", {}, {}, "{\"email\": \"a" + x + "@b\xff\", \"password\": \"p\"}"});
    rig.send({"POST", "/api/dci/v3/server/1/owner", {}, {}, x});
    rig.send({"GET", "/mockdci/v1/journal", {{"last", x + "\x80"}}, {{"Authorization", "Bearer control-secret"}}, ""}, false);
    rig.send({"GET", "/mockdci/v1/state", {}, {{"Authorization", "Bearer " + x + "\x80"}}, ""}, false);
  }
  // Still serving, and the journal (which keeps the raw paths) still serialises.
  common::HttpResponse server = rig.send({"GET", "/api/dci/v3/server/1", {}, {}, ""});
  CHECK(server.status == 200);
  common::HttpResponse journal =
      rig.send({"GET", "/mockdci/v1/journal", {{"last", "10000"}}, {{"Authorization", "Bearer control-secret"}}, ""}, false);
  CHECK(journal.status == 200);
}

TEST_CASE("JSON nested deeper than the limit is refused at parse time, with the reason") {
  std::string deep(common::kMaxJsonDepth + 1, '[');
  deep += std::string(common::kMaxJsonDepth + 1, ']');
  auto parsed = common::parse_json_text(deep, "body", false);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().message.find("nested deeper than 256") != std::string::npos);
  std::string fits(common::kMaxJsonDepth, '[');
  fits += std::string(common::kMaxJsonDepth, ']');
  CHECK(common::parse_json_text(fits, "body", false).ok());

  Rig rig;
  std::string hostile(100000, '[');
  common::HttpResponse answer = rig.send({"POST", "/api/dci/v3/user", {}, {}, hostile});
  CHECK(answer.status == 400);
}

TEST_CASE("printable_utf8 replaces what is not UTF-8 and never cuts a character in two") {
  CHECK(common::printable_utf8("plain") == "plain");
  CHECK(common::printable_utf8("a\xff" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(common::printable_utf8("\xc0\xaf") == "\xEF\xBF\xBD\xEF\xBF\xBD");         // overlong
  CHECK(common::printable_utf8("\xed\xa0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  CHECK(common::printable_utf8("\xe2\x82\xac\xe2\x82\xac", 4) == "\xe2\x82\xac...");  // "€€" cut after one
  CHECK(common::json_text(Json("\xff")) == "\"\xEF\xBF\xBD\"");
}
