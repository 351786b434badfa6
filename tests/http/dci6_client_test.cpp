// The DCImanager client over real HTTP on loopback, against a scripted peer: session handling,
// retries, error parsing, timeouts and query encoding.
#include <atomic>

#include <catch2/catch.hpp>

#include "billing/dci6/client.h"
#include "billing/dci6/http_transport.h"
#include "dci6_peer.h"

using namespace dcisim;
using namespace dcisim::billing::dci6;
using testing::json_response;
using testing::ScriptedPeer;
using testing::SeenRequest;

namespace {

const std::string kLogin = "/api/auth/v4/public/token";
const std::string kToken = "4-e9726dd9-61d9-2940-add3-914851d2cb8a";
const std::string kPassword = "s3cret-Admin-pw";

Dci6Settings settings_for(const std::string& base_url) {
  Dci6Settings settings;
  settings.base_url = base_url;
  settings.admin_email = "admin@example.com";
  settings.admin_password = kPassword;
  settings.connect_timeout = common::Duration::seconds(2);
  settings.read_timeout = common::Duration::seconds(2);
  return settings;
}

std::unique_ptr<HttplibTransport> transport_for(const Dci6Settings& settings) {
  HttpTransportOptions options;
  options.base_url = settings.base_url;
  options.connect_timeout = settings.connect_timeout;
  options.read_timeout = settings.read_timeout;
  auto transport = HttplibTransport::create(options);
  REQUIRE(transport.ok());
  return std::move(transport).value();
}

common::HttpResponse login_ok(const std::string& token = kToken) {
  return json_response(201, R"({"id": "6", "token": ")" + token + R"(", "confirmed": true, "expires_at": null})");
}

bool has_token(const SeenRequest& request, const std::string& token) {
  const std::string* header = request.header("x-xsrf-token");
  return header != nullptr && *header == token;
}

// A peer that logs in and answers GET /api/dci/v3/user with an empty list.
common::HttpResponse simple_dci(const SeenRequest& request) {
  if (request.path == kLogin) return login_ok();
  return json_response(200, R"({"list": [], "size": 0})");
}

}  // namespace

TEST_CASE("dci6 client logs in once and reuses the token for later calls", "[dci6][client]") {
  ScriptedPeer peer(simple_dci);
  Dci6Settings settings = settings_for(peer.base_url());
  auto transport = transport_for(settings);
  common::VirtualClock clock;
  Dci6Client client(settings, *transport, clock);

  for (int i = 0; i < 3; ++i) REQUIRE(client.get(RouteId::user_list).ok());

  CHECK(peer.count("POST", kLogin) == 1);
  CHECK(peer.count("GET", "/api/dci/v3/user") == 3);
  std::vector<SeenRequest> seen = peer.requests();
  REQUIRE(seen.size() == 4);
  nlohmann::json credentials = nlohmann::json::parse(seen[0].body);
  CHECK(credentials == nlohmann::json{{"email", "admin@example.com"}, {"password", kPassword}});
  CHECK(seen[0].header("x-xsrf-token") == nullptr);
}

TEST_CASE("dci6 client sends the token as x-xsrf-token, ses6 cookie and isp-box-instance", "[dci6][client]") {
  ScriptedPeer peer(simple_dci);
  Dci6Settings settings = settings_for(peer.base_url());
  auto transport = transport_for(settings);
  common::VirtualClock clock;
  Dci6Client client(settings, *transport, clock);

  REQUIRE(client.get(RouteId::user_list).ok());

  SeenRequest call = peer.requests().back();
  REQUIRE(call.header("x-xsrf-token") != nullptr);
  CHECK(*call.header("x-xsrf-token") == kToken);
  REQUIRE(call.header("Cookie") != nullptr);
  CHECK(*call.header("Cookie") == "ses6=" + kToken);
  REQUIRE(call.header("isp-box-instance") != nullptr);
  CHECK(*call.header("isp-box-instance") == "true");
}

TEST_CASE("dci6 client sends POST bodies as JSON and DELETE without a body", "[dci6][client]") {
  ScriptedPeer peer([](const SeenRequest& request) {
    if (request.path == kLogin) return login_ok();
    return json_response(200, R"({"id": 5})");
  });
  Dci6Settings settings = settings_for(peer.base_url());
  auto transport = transport_for(settings);
  common::VirtualClock clock;
  Dci6Client client(settings, *transport, clock);

  ApiResult<Json> issued = client.post(RouteId::server_issue, {{"id", 5}}, {{"owner", 7}, {"domain", "s1.example.net"}});
  ApiResult<Json> released = client.call(RouteId::server_release, {{"id", 5}});
  ApiResult<Json> powered = client.call(RouteId::server_power_on, {{"id", 5}});

  REQUIRE(issued.ok());
  CHECK((*issued)["id"] == 5);
  REQUIRE(released.ok());
  REQUIRE(powered.ok());
  std::vector<SeenRequest> seen = peer.requests();
  REQUIRE(seen.size() == 4);
  CHECK(seen[1].method == "POST");
  CHECK(seen[1].path == "/api/dci/v3/server/5/owner");
  CHECK(Json::parse(seen[1].body) == Json{{"owner", 7}, {"domain", "s1.example.net"}});
  REQUIRE(seen[1].header("Content-Type") != nullptr);
  CHECK(seen[1].header("Content-Type")->rfind("application/json", 0) == 0);
  CHECK(seen[2].method == "DELETE");
  CHECK(seen[2].path == "/api/dci/v3/server/5/owner");
  CHECK(seen[2].body.empty());
  CHECK(seen[3].path == "/api/dci/v3/server/5/power_on");
  CHECK(seen[3].body == "{}");
}

TEST_CASE("dci6 client logs in again after a 401 and repeats the call once", "[dci6][client]") {
  std::atomic<int> logins{0};
  std::atomic<int> calls{0};
  ScriptedPeer peer([&](const SeenRequest& request) {
    if (request.path == kLogin) return login_ok("token-" + std::to_string(++logins));
    ++calls;
    if (has_token(request, "token-1")) {
      return json_response(401, R"({"error": {"code": 1000, "msg": "Unauthorized", "value": ""}})");
    }
    return json_response(200, R"({"list": [{"id": 1}], "size": 1})");
  });
  Dci6Settings settings = settings_for(peer.base_url());
  auto transport = transport_for(settings);
  common::VirtualClock clock;
  Dci6Client client(settings, *transport, clock);

  ApiResult<Json> answer = client.get(RouteId::user_list);

  REQUIRE(answer.ok());
  CHECK((*answer)["size"] == 1);
  CHECK(logins == 2);
  CHECK(calls == 2);
  CHECK(has_token(peer.requests().back(), "token-2"));
}

TEST_CASE("dci6 client repeats a call only once when the new session is refused too", "[dci6][client]") {
  ScriptedPeer peer([&](const SeenRequest& request) {
    if (request.path == kLogin) return login_ok();
    return json_response(401, R"({"error": {"code": 1000, "msg": "Unauthorized", "value": ""}})");
  });
  Dci6Settings settings = settings_for(peer.base_url());
  auto transport = transport_for(settings);
  common::VirtualClock clock;
  Dci6Client client(settings, *transport, clock);

  ApiResult<Json> answer = client.get(RouteId::user_list);

  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().kind == common::ErrorKind::unauthorized);
  CHECK(answer.error().http_status == 401);
  CHECK(peer.count("POST", kLogin) == 2);
  CHECK(peer.count("GET", "/api/dci/v3/user") == 2);
}

TEST_CASE("dci6 client treats error code 1000 under another status as an expired session", "[dci6][client]") {
  std::atomic<int> logins{0};
  ScriptedPeer peer([&](const SeenRequest& request) {
    if (request.path == kLogin) return login_ok("token-" + std::to_string(++logins));
    if (has_token(request, "token-1")) {
      return json_response(400, R"({"error": {"code": 1000, "msg": "session expired", "value": ""}})");
    }
    return json_response(200, R"({"list": [], "size": 0})");
  });
  Dci6Settings settings = settings_for(peer.base_url());
  auto transport = transport_for(settings);
  common::VirtualClock clock;
  Dci6Client client(settings, *transport, clock);

  REQUIRE(client.get(RouteId::user_list).ok());
  CHECK(logins == 2);
}

TEST_CASE("dci6 client retries 503 with a growing, capped backoff until another code comes", "[dci6][client]") {
  std::atomic<int> unavailable_left{5};
  ScriptedPeer peer([&](const SeenRequest& request) {
    if (request.path == kLogin) return login_ok();
    if (unavailable_left-- > 0) return json_response(503, "Unavailable");
    return json_response(200, R"({"list": [], "size": 0})");
  });
  Dci6Settings settings = settings_for(peer.base_url());
  settings.retry_backoff_start = common::Duration::ms(100);
  settings.retry_backoff_cap = common::Duration::ms(500);
  auto transport = transport_for(settings);
  testing::RecordingClock clock;
  Dci6Client client(settings, *transport, clock);

  REQUIRE(client.get(RouteId::user_list).ok());

  CHECK(peer.count("GET", "/api/dci/v3/user") == 6);
  std::vector<common::Duration> expected = {common::Duration::ms(100), common::Duration::ms(200), common::Duration::ms(400),
                                            common::Duration::ms(500), common::Duration::ms(500)};
  CHECK(clock.waits() == expected);
}

TEST_CASE("dci6 client gives up on 503 after max_unavailable_retries and says so", "[dci6][client]") {
  ScriptedPeer peer([&](const SeenRequest& request) {
    if (request.path == kLogin) return login_ok();
    return json_response(503, "Unavailable");
  });
  Dci6Settings settings = settings_for(peer.base_url());
  settings.max_unavailable_retries = 3;
  auto transport = transport_for(settings);
  testing::RecordingClock clock;
  Dci6Client client(settings, *transport, clock);

  ApiResult<Json> answer = client.get(RouteId::user_list);

  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().kind == common::ErrorKind::unavailable);
  CHECK(answer.error().http_status == 503);
  CHECK(answer.error().transient());
  CHECK(peer.count("GET", "/api/dci/v3/user") == 4);
  CHECK(clock.waits().size() == 3);
  CHECK_THAT(answer.error().message, Catch::Contains("Unavailable") && Catch::Contains("3 retries"));
}

TEST_CASE("dci6 client keeps DCImanager's error status, code, msg and value", "[dci6][client]") {
  ScriptedPeer peer([&](const SeenRequest& request) {
    if (request.path == kLogin) return login_ok();
    return json_response(400, R"({"error": {"code": 3001, "msg": "Server is not available", "value": {"id": 5}}})");
  });
  Dci6Settings settings = settings_for(peer.base_url());
  auto transport = transport_for(settings);
  common::VirtualClock clock;
  Dci6Client client(settings, *transport, clock);

  ApiResult<Json> answer = client.post(RouteId::server_issue, {{"id", 5}}, {{"owner", 1}});

  REQUIRE_FALSE(answer.ok());
  const ApiError& error = answer.error();
  CHECK(error.kind == common::ErrorKind::invalid_argument);
  CHECK(error.http_status == 400);
  CHECK(error.code == 3001);
  CHECK(error.msg == "Server is not available");
  CHECK(error.value == Json{{"id", 5}});
  CHECK_FALSE(error.transient());
  CHECK_THAT(error.message, Catch::StartsWith("POST /api/dci/v3/server/5/owner: HTTP 400, error 3001: Server is not available"));
}

TEST_CASE("dci6 client reports a refused login as unauthorized without the password", "[dci6][client]") {
  ScriptedPeer peer([&](const SeenRequest&) {
    return json_response(400, R"({"error": "Invalid email or password", "code": 2})");
  });
  Dci6Settings settings = settings_for(peer.base_url());
  auto transport = transport_for(settings);
  common::VirtualClock clock;
  Dci6Client client(settings, *transport, clock);

  ApiResult<Json> answer = client.get(RouteId::user_list);

  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().kind == common::ErrorKind::unauthorized);
  CHECK(answer.error().msg == "Invalid email or password");
  CHECK(answer.error().code == 2);
  CHECK(answer.error().message.find(kPassword) == std::string::npos);
  CHECK(peer.count("GET", "/api/dci/v3/user") == 0);
}

TEST_CASE("dci6 client refuses a login answer without a token", "[dci6][client]") {
  ScriptedPeer peer([&](const SeenRequest&) { return json_response(201, R"({"id": "6"})"); });
  Dci6Settings settings = settings_for(peer.base_url());
  auto transport = transport_for(settings);
  common::VirtualClock clock;
  Dci6Client client(settings, *transport, clock);

  ApiResult<Json> answer = client.get(RouteId::user_list);

  REQUIRE_FALSE(answer.ok());
  CHECK_THAT(answer.error().message, Catch::Contains("no \"token\""));
  CHECK(peer.count("GET", "/api/dci/v3/user") == 0);
}

TEST_CASE("dci6 client never puts the password or the token into traces or messages", "[dci6][client]") {
  ScriptedPeer peer([&](const SeenRequest& request) {
    if (request.path == kLogin) return login_ok();
    return json_response(404, R"({"error": {"code": 404, "msg": "Not found", "value": ""}})");
  });
  Dci6Settings settings = settings_for(peer.base_url());
  auto transport = transport_for(settings);
  common::VirtualClock clock;
  Dci6Client client(settings, *transport, clock);
  std::vector<CallTrace> traces;
  client.set_trace([&](const CallTrace& trace) { traces.push_back(trace); });

  ApiResult<Json> answer = client.post(RouteId::server_install_os, {{"id", 9}}, {{"password", "root-pw-123"}});

  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().kind == common::ErrorKind::not_found);
  REQUIRE(traces.size() == 2);
  CHECK(traces[0].target == kLogin);
  CHECK(traces[1].target == "/api/dci/v3/server/9/operating_system");
  CHECK(traces[1].http_status == 404);
  for (const std::string& text : {answer.error().message, traces[0].target, traces[1].target}) {
    CHECK(text.find(kPassword) == std::string::npos);
    CHECK(text.find(kToken) == std::string::npos);
    CHECK(text.find("root-pw-123") == std::string::npos);
  }
}

TEST_CASE("dci6 client login answers without handing out the token", "[dci6][client]") {
  ScriptedPeer peer(simple_dci);
  Dci6Settings settings = settings_for(peer.base_url());
  auto transport = transport_for(settings);
  common::VirtualClock clock;
  Dci6Client client(settings, *transport, clock);

  ApiResult<Json> answer = client.login();

  REQUIRE(answer.ok());
  CHECK((*answer)["confirmed"] == true);
  CHECK_FALSE(answer->contains("token"));
  REQUIRE(client.get(RouteId::user_list).ok());
  CHECK(peer.count("POST", kLogin) == 1);
}
