// The httplib transport on loopback: failures without a response, timeouts, query encoding,
// paging and TLS verification (a certificate made at test time).
#include <filesystem>

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

common::HttpResponse login_or_list(const SeenRequest& request) {
  if (request.path == kLogin) return json_response(201, R"({"id": "1", "token": "t-1"})");
  return json_response(200, R"({"list": [], "size": 0})");
}

common::HttpRequest plain_get(const std::string& path) {
  common::HttpRequest request;
  request.method = "GET";
  request.path = path;
  return request;
}

HttpTransportOptions options_for(const std::string& base_url) {
  HttpTransportOptions options;
  options.base_url = base_url;
  options.connect_timeout = common::Duration::seconds(2);
  options.read_timeout = common::Duration::seconds(2);
  return options;
}

struct TlsFixture {
  testing::TestCertificate certificate = testing::make_self_signed_certificate({"localhost"}, {"127.0.0.1"});
  ScriptedPeer::Tls tls{certificate.cert_file, certificate.key_file};
  ScriptedPeer peer{login_or_list, &tls};
  ~TlsFixture() { std::filesystem::remove_all(certificate.directory); }
};

}  // namespace

TEST_CASE("dci6 transport reports a refused connection as an io error", "[dci6][transport]") {
  int port = testing::closed_port();
  auto transport = HttplibTransport::create(options_for("http://127.0.0.1:" + std::to_string(port)));
  REQUIRE(transport.ok());

  common::Result<common::HttpResponse> response = (*transport)->send(plain_get("/api/dci/v3/server"));

  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == common::ErrorKind::io);
  CHECK_THAT(response.error().message, Catch::Contains("could not connect"));
}

TEST_CASE("dci6 client marks a call without a response as outcome unknown", "[dci6][transport]") {
  int port = testing::closed_port();
  Dci6Settings settings;
  settings.base_url = "http://127.0.0.1:" + std::to_string(port);
  settings.admin_email = "admin@example.com";
  settings.admin_password = "pw";
  auto transport = HttplibTransport::create(options_for(settings.base_url));
  REQUIRE(transport.ok());
  common::VirtualClock clock;
  Dci6Client client(settings, **transport, clock);

  ApiResult<Json> answer = client.get(RouteId::server_list);

  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().kind == common::ErrorKind::io);
  CHECK(answer.error().no_response());
  CHECK(answer.error().transient());
}

TEST_CASE("dci6 transport gives up on a silent server after the read timeout", "[dci6][transport]") {
  testing::Gate gate;
  ScriptedPeer peer([&](const SeenRequest&) {
    gate.wait(common::Duration::seconds(10));  // held until the client has given up
    return json_response(200, "{}");
  });
  HttpTransportOptions options = options_for(peer.base_url());
  options.read_timeout = common::Duration::ms(300);
  auto transport = HttplibTransport::create(options);
  REQUIRE(transport.ok());

  common::Result<common::HttpResponse> response = (*transport)->send(plain_get("/api/dci/v3/server"));
  gate.open();

  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == common::ErrorKind::io);
  CHECK_THAT(response.error().message, Catch::Contains("no response"));
}

TEST_CASE("dci6 client percent-encodes list queries so the server reads them back exactly", "[dci6][transport]") {
  ScriptedPeer peer(login_or_list);
  Dci6Settings settings;
  settings.base_url = peer.base_url();
  settings.admin_email = "admin@example.com";
  settings.admin_password = "pw";
  auto transport = HttplibTransport::create(options_for(settings.base_url));
  REQUIRE(transport.ok());
  common::VirtualClock clock;
  Dci6Client client(settings, **transport, clock);
  ListQuery query;
  query.where = where_and({where_is_null("owner_email"), where_eq("is_new", false),
                           where_eq("configuration", "i9 & 64Gb+NVMe 100% o'k é"), where_eq("location_id", int64_t{3})});
  query.orderby = "id asc";
  query.offset = 0;
  query.size = 400;

  REQUIRE(client.get(RouteId::server_list, {}, query).ok());

  SeenRequest seen = peer.requests().back();
  REQUIRE(seen.param("where") != nullptr);
  CHECK(*seen.param("where") ==
        "(owner_email IS null) AND is_new EQ false AND configuration EQ 'i9 & 64Gb+NVMe 100% o''k é' AND location_id EQ 3");
  REQUIRE(seen.param("orderby") != nullptr);
  CHECK(*seen.param("orderby") == "id asc");
  REQUIRE(seen.param("limit") != nullptr);
  CHECK(*seen.param("limit") == "0,400");
  CHECK(seen.target.find(' ') == std::string::npos);
  CHECK(seen.target.find('\'') == std::string::npos);
}

TEST_CASE("dci6 client reads a whole collection page by page with limit offset,size", "[dci6][transport]") {
  ScriptedPeer peer([](const SeenRequest& request) {
    if (request.path == kLogin) return json_response(201, R"({"id": "1", "token": "t-1"})");
    const std::string* limit = request.param("limit");
    int64_t offset = limit ? std::stoll(limit->substr(0, limit->find(','))) : 0;
    Json list = Json::array();
    for (int64_t id = offset + 1; id <= std::min<int64_t>(offset + 2, 5); ++id) list.push_back({{"id", id}});
    return json_response(200, Json{{"list", list}, {"size", 5}}.dump());
  });
  Dci6Settings settings;
  settings.base_url = peer.base_url();
  settings.admin_email = "admin@example.com";
  settings.admin_password = "pw";
  settings.list_page_size = 2;
  auto transport = HttplibTransport::create(options_for(settings.base_url));
  REQUIRE(transport.ok());
  common::VirtualClock clock;
  Dci6Client client(settings, **transport, clock);

  ApiResult<std::vector<Json>> rows = client.list_all(RouteId::server_list, {}, ListQuery{});

  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 5);
  CHECK((*rows)[4]["id"] == 5);
  std::vector<std::string> limits;
  for (const SeenRequest& seen : peer.requests()) {
    if (seen.param("limit")) limits.push_back(*seen.param("limit"));
  }
  CHECK(limits == std::vector<std::string>{"0,2", "2,2", "4,2"});
}

TEST_CASE("dci6 client sends requests to the paths of overridden routes", "[dci6][transport]") {
  ScriptedPeer peer([](const SeenRequest& request) {
    if (request.path == "/auth/v4/public/token") return json_response(201, R"({"id": "1", "token": "t-1"})");
    return json_response(200, "{}");
  });
  Dci6Settings settings;
  settings.base_url = peer.base_url();
  settings.admin_email = "admin@example.com";
  settings.admin_password = "pw";
  Json overrides = {{"auth.token", "POST /auth/v4/public/token"}, {"server.issue", "POST /api/dci/v3/server/{id}/assign"}};
  REQUIRE(settings.routes.apply_overrides(common::JsonNode::root(overrides, "settings.json")).ok());
  auto transport = HttplibTransport::create(options_for(settings.base_url));
  REQUIRE(transport.ok());
  common::VirtualClock clock;
  Dci6Client client(settings, **transport, clock);

  REQUIRE(client.post(RouteId::server_issue, {{"id", 12}}, {{"owner", 1}}).ok());

  CHECK(peer.count("POST", "/auth/v4/public/token") == 1);
  CHECK(peer.count("POST", "/api/dci/v3/server/12/assign") == 1);
}

TEST_CASE("dci6 https transport refuses a certificate it cannot verify", "[dci6][tls]") {
  TlsFixture fixture;

  auto transport = HttplibTransport::create(options_for(fixture.peer.base_url()));
  REQUIRE(transport.ok());
  common::Result<common::HttpResponse> response = (*transport)->send(plain_get("/api/dci/v3/server"));

  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == common::ErrorKind::io);
  CHECK_THAT(response.error().message, Catch::Contains("could not be verified"));
  CHECK(fixture.peer.requests().empty());
}

TEST_CASE("dci6 https transport trusts a certificate signed by ca_file", "[dci6][tls]") {
  TlsFixture fixture;
  HttpTransportOptions options = options_for(fixture.peer.base_url());
  options.ca_file = fixture.certificate.cert_file;

  auto transport = HttplibTransport::create(options);
  REQUIRE(transport.ok());
  common::Result<common::HttpResponse> response = (*transport)->send(plain_get("/api/dci/v3/server"));

  REQUIRE(response.ok());
  CHECK(response->status == 200);
  CHECK(fixture.peer.count("GET", "/api/dci/v3/server") == 1);
}

TEST_CASE("dci6 https transport checks the host name even with a trusted CA", "[dci6][tls]") {
  testing::TestCertificate certificate = testing::make_self_signed_certificate({"dci.example.com"}, {});
  ScriptedPeer::Tls tls{certificate.cert_file, certificate.key_file};
  ScriptedPeer peer(login_or_list, &tls);
  HttpTransportOptions options = options_for(peer.base_url());
  options.ca_file = certificate.cert_file;

  auto transport = HttplibTransport::create(options);
  REQUIRE(transport.ok());
  common::Result<common::HttpResponse> response = (*transport)->send(plain_get("/api/dci/v3/server"));
  std::filesystem::remove_all(certificate.directory);

  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == common::ErrorKind::io);
  CHECK_THAT(response.error().message, Catch::Contains("could not be verified"));
  CHECK(peer.requests().empty());
}

TEST_CASE("dci6 https transport skips verification only when told insecure", "[dci6][tls]") {
  TlsFixture fixture;
  HttpTransportOptions options = options_for(fixture.peer.base_url());
  options.insecure = true;

  auto transport = HttplibTransport::create(options);
  REQUIRE(transport.ok());
  common::Result<common::HttpResponse> response = (*transport)->send(plain_get("/api/dci/v3/server"));

  REQUIRE(response.ok());
  CHECK(response->status == 200);
}

TEST_CASE("dci6 transport refuses a ca_file it cannot read and a malformed base URL", "[dci6][transport]") {
  HttpTransportOptions options = options_for("https://127.0.0.1:1");
  options.ca_file = "/nonexistent/dcisim-ca.pem";
  auto missing_ca = HttplibTransport::create(options);
  REQUIRE_FALSE(missing_ca.ok());
  CHECK_THAT(missing_ca.error().message, Catch::Contains("/nonexistent/dcisim-ca.pem"));

  auto bad_scheme = HttplibTransport::create(options_for("ftp://dci.example.com"));
  REQUIRE_FALSE(bad_scheme.ok());
  CHECK_THAT(bad_scheme.error().message, Catch::Contains("ftp"));
}
