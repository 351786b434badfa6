// The fault catalogue through the control API (POST/GET/DELETE /mockdci/v1/faults): each kind as a
// client sees it, before and after the change; when rules fire (count, every, probability from the
// seed, after); scope across reset; timings and DCImanager's own operations failing or stuck; the
// panel's outside events. A misspelt rule is refused with its pointer and changes nothing.
#include "tests/http/mockdci_test_support.h"

#include "common/http.h"
#include "mockdci/faults.h"

using namespace dcisim;
using namespace dcisim::testing;

namespace {

Answer add_rule(EmulatorFixture& f, const Json& rule) { return f.control("POST", "/mockdci/v1/faults", {{"rules", {rule}}}); }

// The user id of a fresh @user, to issue servers to.
int64_t user(EmulatorFixture& f, const std::string& admin, const std::string& email) { return f.make_user(admin, email).first; }

}  // namespace

TEST_CASE("emulator fault rules: error, unauthorized, rate_limited and not_json answer as a broken DCImanager would") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(add_rule(f, {{"kind", "error"}, {"operation", "server.get"}}).status == 200);
  check_error_json(f.get(server_path(1), admin), 500, "internal error");
  CHECK(f.get(server_path(1), admin).status == 200);  // count 1 by default

  REQUIRE(add_rule(f, {{"kind", "unauthorized"}, {"method", "GET"}, {"path", "/dci/v3/server/*"}}).status == 200);
  Answer expired = f.get(server_path(2), admin);
  check_error_json(expired, 401, "session");
  CHECK(expired.json["error"]["code"] == 1000);
  CHECK(f.get(server_path(2), admin).status == 200);  // the token still works: only the answer was a 401

  REQUIRE(add_rule(f, {{"kind", "rate_limited"}, {"path", "/api/dci/v3/location"}}).status == 200);
  Answer limited = f.get("/api/dci/v3/location", admin);
  CHECK(limited.status == 429);
  CHECK(limited.header("Retry-After") == "1");

  REQUIRE(add_rule(f, {{"kind", "not_json"}, {"operation", "server.list"}}).status == 200);
  Answer html = f.get("/api/dci/v3/server", admin);
  CHECK(html.status == 200);
  CHECK(html.json.is_null());
  CHECK(html.body.find("502 Bad Gateway") != std::string::npos);

  Json faults = f.control("GET", "/mockdci/v1/faults").json;
  REQUIRE(faults["rules"].size() == 4);
  CHECK(faults["rules"][0]["fired"] == 1);
  CHECK(faults["rules"][0]["exhausted"] == true);
  CHECK(faults["rules"][0]["operation"] == "server.get");
  Json journal = f.control("GET", "/mockdci/v1/journal?last=20").json;
  bool named = false;
  for (const Json& entry : journal["list"]) named = named || entry["fault"].get<std::string>().rfind("fault 1 (error", 0) == 0;
  CHECK(named);
}

TEST_CASE("emulator fault after the change: the request takes effect, its answer is lost") {
  EmulatorFixture f;
  std::string admin = f.login();
  int64_t alice = user(f, admin, "alice@example.com");
  REQUIRE(add_rule(f, {{"kind", "unavailable"}, {"operation", "server.issue"}, {"applied", true}}).status == 200);
  Answer lost = f.post(server_path(1, "/owner"), {{"owner", alice}, {"domain", "a.example"}}, admin);
  CHECK(lost.status == 503);
  CHECK(f.get(server_path(1), admin).json["owner_email"] == "alice@example.com");  // it took effect
  check_error_json(f.post(server_path(1, "/owner"), {{"owner", alice}, {"domain", "a.example"}}, admin), 400, "cannot be issued");

  REQUIRE(add_rule(f, {{"kind", "unavailable"}, {"operation", "server.issue"}}).status == 200);  // before: nothing happens
  CHECK(f.post(server_path(2, "/owner"), {{"owner", alice}, {"domain", "b.example"}}, admin).status == 503);
  CHECK(f.get(server_path(2), admin).json["owner_email"].is_null());
}

TEST_CASE("emulator fault rules fire on every Kth match, after N, or with a probability from the seed") {
  EmulatorFixture f;
  std::string admin = f.login();
  REQUIRE(add_rule(f, {{"kind", "unavailable"}, {"operation", "server.get"}, {"every", 3}, {"after", 1}}).status == 200);
  std::string pattern;
  for (int i = 0; i < 9; ++i) pattern += f.get(server_path(1), admin).status == 503 ? 'x' : '.';
  CHECK(pattern == "...x..x..");  // the first passes (after 1), then every 3rd of the rest

  auto draws = [](uint64_t seed) {
    EmulatorFixture g(default_inventory_json(), seed);
    std::string token = g.login();
    REQUIRE(g.control("POST", "/mockdci/v1/faults", {{"rules", {{{"kind", "error"}, {"operation", "server.get"}, {"probability", 0.5}}}}}).status == 200);
    std::string out;
    for (int i = 0; i < 40; ++i) out += g.get(server_path(1), token).status == 500 ? 'x' : '.';
    return out;
  };
  std::string a = draws(7);
  CHECK(a == draws(7));  // the same seed fires on the same requests
  CHECK(a != draws(8));
  CHECK(a.find('x') != std::string::npos);
  CHECK(a.find('.') != std::string::npos);
}

TEST_CASE("emulator fault scope: a reset clears scenario rules and keeps run rules, DELETE clears all") {
  EmulatorFixture f;
  REQUIRE(f.control("POST", "/mockdci/v1/faults",
                    {{"rules", {{{"kind", "unavailable"}, {"every", 1}, {"path", "/api/dci/v3/location"}, {"scope", "run"}},
                                {{"kind", "unavailable"}, {"every", 1}, {"path", "/api/dci/v3/rack"}}}}})
              .status == 200);
  REQUIRE(f.control("POST", "/mockdci/v1/reset").status == 200);
  std::string admin = f.login();
  CHECK(f.get("/api/dci/v3/location", admin).status == 503);
  CHECK(f.get("/api/dci/v3/rack", admin).status == 200);
  REQUIRE(f.control("DELETE", "/mockdci/v1/faults").status == 200);
  CHECK(f.get("/api/dci/v3/location", admin).status == 200);
  CHECK(f.control("GET", "/mockdci/v1/faults").json["rules"].empty());
}

TEST_CASE("emulator fault rules that are misspelt are refused with their pointer and add nothing") {
  EmulatorFixture f;
  Answer kind = f.control("POST", "/mockdci/v1/faults", {{"rules", {{{"kind", "unavailable"}}, {{"kind", "timeout"}}}}});
  check_error_json(kind, 400, "/rules/1/kind: expected a fault kind (unavailable, error,");
  check_error_json(add_rule(f, {{"kind", "error"}, {"operation", "server.issu"}}), 400, "/rules/0/operation: expected a route name");
  check_error_json(add_rule(f, {{"kind", "delay"}}), 400, "/rules/0/delay: expected how long the answer waits");
  check_error_json(add_rule(f, {{"kind", "error"}, {"every", 2}, {"probability", 0.5}}), 400, "cannot be used together");
  check_error_json(add_rule(f, {{"kind", "reset"}, {"colour", "red"}}), 400, "unknown field \"colour\"");
  check_error_json(add_rule(f, {{"kind", "stuck"}}), 400, "/rules/0/operation: expected the operation that never ends");
  check_error_json(f.control("POST", "/mockdci/v1/faults", {{"timings", {{"suspend", "soon"}}}}), 400, "/timings/suspend");
  CHECK(f.control("GET", "/mockdci/v1/faults").json["rules"].empty());
}

TEST_CASE("emulator timings make suspend, resume, power and release take time, shown on the server") {
  EmulatorFixture f;
  std::string admin = f.login();
  int64_t alice = user(f, admin, "alice@example.com");
  REQUIRE(f.post(server_path(1, "/owner"), {{"owner", alice}, {"domain", "a.example"}}, admin).status == 200);
  REQUIRE(f.control("POST", "/mockdci/v1/faults", {{"timings", {{"suspend", "10m"}, {"power", "5m"}, {"release", "15m"}}}}).status == 200);
  REQUIRE(f.post(server_path(1, "/suspend"), Json::object(), admin).status == 200);
  Json s = f.get(server_path(1), admin).json;
  CHECK(s["state"] == "suspending");
  CHECK(s["operation"]["type"] == "suspend");
  CHECK(s["switch_connection"][0]["admin_status"] == "up");  // lands at the end
  check_error_json(f.post(server_path(1, "/power_off"), Json::object(), admin), 400, "running suspend");
  f.advance(common::Duration::minutes(10));
  s = f.get(server_path(1), admin).json;
  CHECK(s["state"] == "suspended");
  CHECK(s["switch_connection"][0]["admin_status"] == "down");
  REQUIRE(f.post(server_path(1, "/power_off"), Json::object(), admin).status == 200);
  CHECK(f.get(server_path(1), admin).json["power_status"] == "ON");
  f.advance(common::Duration::minutes(5));
  CHECK(f.get(server_path(1), admin).json["power_status"] == "OFF");
  REQUIRE(f.del(server_path(1, "/owner"), admin).status == 200);
  s = f.get(server_path(1), admin).json;
  CHECK(s["state"] == "releasing");
  CHECK(s["owner_email"] == "alice@example.com");  // still held while it releases
  f.advance(common::Duration::minutes(15));
  CHECK(f.get(server_path(1), admin).json["owner_email"].is_null());
}

TEST_CASE("emulator operation faults: a stuck install never ends, failed diagnostics keep a server out of sale") {
  EmulatorFixture f;
  std::string admin = f.login();
  int64_t alice = user(f, admin, "alice@example.com");
  REQUIRE(f.control("POST", "/mockdci/v1/faults",
                    {{"rules", {{{"kind", "stuck"}, {"operation", "os_install"}}, {{"kind", "diagnostics_failure"}}}}})
              .status == 200);
  REQUIRE(f.post(server_path(1, "/owner"), {{"owner", alice}, {"domain", "a.example"}}, admin).status == 200);
  REQUIRE(f.post(server_path(1, "/operating_system"), {{"os_template", 1}, {"password", "p"}}, admin).status == 200);
  f.advance(common::Duration::days(2));
  CHECK(f.get(server_path(1), admin).json["operation"]["status"] == "running");
  int64_t free_before = f.get("/api/dci/v3/server/configuration", admin).json["list"][1]["free_server_count"].get<int64_t>();
  REQUIRE(f.del(server_path(1, "/owner"), admin).status == 200);  // cancels it, starts diagnostics
  f.advance(common::Duration::hours(1));
  Json s = f.get(server_path(1), admin).json;
  CHECK(s["operation"]["type"] == "diagnostics");
  CHECK(s["operation"]["status"] == "failed");
  CHECK(f.get("/api/dci/v3/server/configuration", admin).json["list"][1]["free_server_count"].get<int64_t>() == free_before);
}

TEST_CASE("emulator panel: another owner, another domain, a release and a shrunk pool, behind the client's back") {
  EmulatorFixture f;
  std::string admin = f.login();
  int64_t alice = user(f, admin, "alice@example.com");
  REQUIRE(f.post(server_path(1, "/owner"), {{"owner", alice}, {"domain", "a.example"}}, admin).status == 200);
  Answer given = f.control("POST", "/mockdci/v1/server/1", {{"owner", "mallory@example.com"}, {"domain", "m.example"}});
  REQUIRE(given.status == 200);
  CHECK(given.json["owner_email"] == "mallory@example.com");
  CHECK(given.json["domain"] == "m.example");
  check_error_json(f.control("POST", "/mockdci/v1/server/2", {{"owner", "x@example.com"}}), 400, "is free");
  REQUIRE(f.control("POST", "/mockdci/v1/server/1", {{"release", true}}).json["owner_email"].is_null());

  REQUIRE(f.control("POST", "/mockdci/v1/pool/rack-a1", {{"free_ipv4", 1}}).status == 200);
  Json pool = f.get("/api/ip/v3/ippool/3", admin).json;  // rack-a1: a /28 less network, broadcast, gateway
  CHECK(pool["name"] == "rack-a1");
  CHECK(pool["using_ipv4"] == "12");
  int64_t bob = user(f, admin, "bob@example.com");
  CHECK(f.post(server_path(2, "/owner"), {{"owner", bob}, {"domain", "b.example"}}, admin).status == 200);  // the last one
  check_error_json(f.post(server_path(3, "/owner"), {{"owner", bob}, {"domain", "c.example"}}, admin), 400, "no free IPv4");
  check_error_json(f.control("POST", "/mockdci/v1/pool/nope", {{"free_ipv4", 1}}), 404, "not found");
}

TEST_CASE("in memory, a broken delivery is the error a socket client would see") {
  auto reply_with = [](common::Delivery delivery) {
    return [delivery](const common::HttpRequest&) {
      common::HttpResponse r;
      r.body = "{}";
      r.delivery = delivery;
      return r;
    };
  };
  using Mode = common::Delivery::Mode;
  common::HttpRequest request{"GET", "/x", {}, {}, ""};
  CHECK(common::InMemoryTransport(reply_with({Mode::normal, {}})).send(request).ok());
  CHECK(common::InMemoryTransport(reply_with({Mode::reset, {}})).send(request).error().message == "GET /x: connection reset by peer");
  CHECK(common::InMemoryTransport(reply_with({Mode::close, {}})).send(request).error().kind == common::ErrorKind::io);
  CHECK(common::InMemoryTransport(reply_with({Mode::truncate, {}})).send(request).error().message.find("middle") != std::string::npos);
  CHECK(common::InMemoryTransport(reply_with({Mode::hang, {}})).send(request).error().message.find("timed out") != std::string::npos);
  common::InMemoryTransport short_timeout(reply_with({Mode::normal, common::Duration::seconds(30)}), common::Duration::seconds(10));
  CHECK(short_timeout.send(request).error().message == "GET /x: no response within 10s (timed out)");
  common::InMemoryTransport long_timeout(reply_with({Mode::normal, common::Duration::seconds(30)}), common::Duration::seconds(60));
  CHECK(long_timeout.send(request).ok());
}
