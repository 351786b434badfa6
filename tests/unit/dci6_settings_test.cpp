// DCImanager module settings and its route table: defaults, overrides and errors that name the
// JSON pointer of what is wrong.
#include <catch2/catch.hpp>

#include "billing/dci6/list_query.h"
#include "billing/dci6/routes.h"
#include "billing/dci6/settings.h"

using namespace dcisim;
using namespace dcisim::billing::dci6;
using Json = nlohmann::json;

namespace {

Json minimal() {
  return {{"base_url", "https://dci.example.com"}, {"admin_email", "admin@example.com"}, {"admin_password", "pw-123"}};
}

common::Result<Dci6Settings> parse(const Json& document) {
  return parse_dci6_settings(common::JsonNode::root(document, "dci6.json"));
}

std::string error_of(const Json& document) {
  common::Result<Dci6Settings> parsed = parse(document);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().message;
}

}  // namespace

TEST_CASE("dci6 settings read a minimal object with documented defaults", "[dci6][settings]") {
  common::Result<Dci6Settings> settings = parse(minimal());

  REQUIRE(settings.ok());
  CHECK(settings->base_url == "https://dci.example.com");
  CHECK(settings->admin_email == "admin@example.com");
  CHECK(settings->admin_password == "pw-123");
  CHECK_FALSE(settings->insecure);
  CHECK(settings->ca_file.empty());
  CHECK(settings->max_unavailable_retries == 10);
  CHECK(settings->poll_interval == common::Duration::seconds(30));
  CHECK(settings->routes.describe(RouteId::server_issue) == "POST /api/dci/v3/server/{id}/owner");
}

TEST_CASE("dci6 settings read every option", "[dci6][settings]") {
  Json document = minimal();
  document.update({{"ca_file", "/etc/ca.pem"}, {"connect_timeout", "3s"}, {"read_timeout", "45s"},
                   {"keep_alive", false}, {"max_unavailable_retries", 4}, {"retry_backoff_start", "50ms"},
                   {"retry_backoff_cap", "2s"}, {"poll_interval", "1m"}, {"operation_timeout", "2h"},
                   {"max_install_attempts", 2}, {"by_server_type", false}, {"list_page_size", 50},
                   {"domain_suffix", "srv.example.net"}, {"routes", {{"server.suspend", "POST /api/dci/v3/server/{id}/disable"}}}});

  common::Result<Dci6Settings> settings = parse(document);

  REQUIRE(settings.ok());
  CHECK(settings->ca_file == "/etc/ca.pem");
  CHECK(settings->connect_timeout == common::Duration::seconds(3));
  CHECK(settings->read_timeout == common::Duration::seconds(45));
  CHECK_FALSE(settings->keep_alive);
  CHECK(settings->max_unavailable_retries == 4);
  CHECK(settings->retry_backoff_start == common::Duration::ms(50));
  CHECK(settings->retry_backoff_cap == common::Duration::seconds(2));
  CHECK(settings->poll_interval == common::Duration::minutes(1));
  CHECK(settings->operation_timeout == common::Duration::hours(2));
  CHECK(settings->max_install_attempts == 2);
  CHECK_FALSE(settings->by_server_type);
  CHECK(settings->list_page_size == 50);
  CHECK(settings->domain_suffix == "srv.example.net");
  CHECK(settings->routes.describe(RouteId::server_suspend) == "POST /api/dci/v3/server/{id}/disable");
}

TEST_CASE("dci6 settings name the pointer of a missing or malformed value", "[dci6][settings]") {
  Json no_url = minimal();
  no_url.erase("base_url");
  CHECK_THAT(error_of(no_url), Catch::StartsWith("dci6.json: /base_url: expected a non-empty string"));

  Json bad_scheme = minimal();
  bad_scheme["base_url"] = "ftp://dci.example.com";
  CHECK_THAT(error_of(bad_scheme), Catch::StartsWith("dci6.json: /base_url: scheme \"ftp\""));

  Json bad_timeout = minimal();
  bad_timeout["read_timeout"] = "forever";
  CHECK_THAT(error_of(bad_timeout), Catch::StartsWith("dci6.json: /read_timeout: expected a duration"));

  Json too_many = minimal();
  too_many["max_unavailable_retries"] = 1000;
  CHECK_THAT(error_of(too_many), Catch::StartsWith("dci6.json: /max_unavailable_retries: expected an integer in 0..100"));

  Json cap_below_start = minimal();
  cap_below_start["retry_backoff_start"] = "2s";
  cap_below_start["retry_backoff_cap"] = "1s";
  CHECK_THAT(error_of(cap_below_start), Catch::StartsWith("dci6.json: /retry_backoff_cap:"));
}

TEST_CASE("dci6 settings refuse unknown fields", "[dci6][settings]") {
  Json document = minimal();
  document["insecur"] = true;
  CHECK_THAT(error_of(document), Catch::StartsWith("dci6.json: /insecur: unknown field \"insecur\""));
}

TEST_CASE("dci6 settings refuse insecure together with ca_file", "[dci6][settings]") {
  Json document = minimal();
  document["insecure"] = true;
  document["ca_file"] = "/etc/ca.pem";
  CHECK_THAT(error_of(document), Catch::StartsWith("dci6.json: /insecure:"));
}

TEST_CASE("dci6 settings never show the admin password in an error", "[dci6][settings]") {
  Json document = minimal();
  document["admin_password"] = 987654321;
  std::string message = error_of(document);
  CHECK_THAT(message, Catch::StartsWith("dci6.json: /admin_password:"));
  CHECK(message.find("987654321") == std::string::npos);
}

TEST_CASE("dci6 settings report a bad route override at its pointer", "[dci6][settings]") {
  Json document = minimal();
  document["routes"] = {{"server.issue", "PUT /api/dci/v3/server/{id}/owner"}};
  CHECK_THAT(error_of(document), Catch::StartsWith("dci6.json: /routes/server.issue: method \"PUT\""));
}

TEST_CASE("dci6 route table has a default for every route", "[dci6][routes]") {
  RouteTable table = RouteTable::defaults();
  CHECK(table.describe(RouteId::auth_token) == "POST /api/auth/v4/public/token");
  CHECK(table.describe(RouteId::server_release) == "DELETE /api/dci/v3/server/{id}/owner");
  CHECK(table.describe(RouteId::switch_port_edit) == "POST /api/dci/v3/switch/{id}/port/{port_id}");
  CHECK(table.route(RouteId::server_issue).assumed);
  CHECK_FALSE(table.route(RouteId::server_get).assumed);
  CHECK(std::string(route_name(RouteId::server_install_os)) == "server.install_os");
}

TEST_CASE("dci6 route table expands placeholders with ids", "[dci6][routes]") {
  RouteTable table = RouteTable::defaults();
  CHECK(table.expand(RouteId::server_ip_delete, {{"id", 12}, {"ip_id", 345}}) == "/api/dci/v3/server/12/ip/345");
  CHECK(table.expand(RouteId::server_list, {}) == "/api/dci/v3/server");
}

TEST_CASE("dci6 route table applies overrides by name", "[dci6][routes]") {
  RouteTable table = RouteTable::defaults();
  Json overrides = {{"server.issue", "POST /api/dci/v3/server/{id}/assign"}, {"server.release", "POST /api/dci/v3/server/{id}/unassign"}};

  REQUIRE(table.apply_overrides(common::JsonNode::root(overrides, "s.json")).ok());

  CHECK(table.describe(RouteId::server_issue) == "POST /api/dci/v3/server/{id}/assign");
  CHECK(table.describe(RouteId::server_release) == "POST /api/dci/v3/server/{id}/unassign");
  CHECK(table.expand(RouteId::server_issue, {{"id", 7}}) == "/api/dci/v3/server/7/assign");
}

TEST_CASE("dci6 route table refuses malformed overrides and stays unchanged", "[dci6][routes]") {
  struct Case {
    Json overrides;
    std::string message_start;
  };
  std::vector<Case> cases = {
      {{{"server.take", "POST /x"}}, "s.json: /routes/server.take: unknown route \"server.take\""},
      {{{"server.issue", 5}}, "s.json: /routes/server.issue: expected a route such as"},
      {{{"server.issue", "POST"}}, "s.json: /routes/server.issue: expected \"METHOD /path\""},
      {{{"server.issue", "PATCH /api/dci/v3/server/{id}/owner"}}, "s.json: /routes/server.issue: method \"PATCH\""},
      {{{"server.issue", "POST api/dci/v3/server/{id}/owner"}}, "s.json: /routes/server.issue: the path must start with '/'"},
      {{{"server.issue", "POST /api/dci/v3/server/owner"}}, "s.json: /routes/server.issue: the path must use exactly the placeholders"},
      {{{"server.list", "GET /api/dci/v3/server/{id}"}}, "s.json: /routes/server.list: the path must use exactly the placeholders"},
      {{{"server.issue", "POST /api/dci/v3/server/{id/owner"}}, "s.json: /routes/server.issue: unclosed '{'"},
      {{{"server.issue", "POST /api/dci/v3/server/{id}/owner?x=1"}}, "s.json: /routes/server.issue: the path may hold only"},
      {{"not an object"}, "s.json: /routes: expected an object"},
  };
  for (const Case& c : cases) {
    RouteTable table = RouteTable::defaults();
    Json document = {{"routes", c.overrides}};
    common::Status status = table.apply_overrides(common::JsonNode::root(document, "s.json").at("routes"));
    INFO(c.overrides.dump());
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.error().message, Catch::StartsWith(c.message_start));
    CHECK(table.describe(RouteId::server_issue) == "POST /api/dci/v3/server/{id}/owner");
  }
}

TEST_CASE("dci6 route table applies no override when one of several is bad", "[dci6][routes]") {
  RouteTable table = RouteTable::defaults();
  Json overrides = {{"server.issue", "POST /api/dci/v3/server/{id}/assign"}, {"server.zzz", "GET /x"}};
  REQUIRE_FALSE(table.apply_overrides(common::JsonNode::root(overrides, "s.json")).ok());
  CHECK(table.describe(RouteId::server_issue) == "POST /api/dci/v3/server/{id}/owner");
}

TEST_CASE("dci6 list queries quote strings by doubling single quotes", "[dci6][query]") {
  CHECK(quote_where_string("o'brien@example.com") == "'o''brien@example.com'");
  CHECK(where_eq("email", "a@b.c") == "email EQ 'a@b.c'");
  CHECK(where_eq("location_id", int64_t{3}) == "location_id EQ 3");
  CHECK(where_eq("is_new", false) == "is_new EQ false");
  CHECK(where_and({where_is_null("owner_email"), "", where_eq("is_new", false)}) == "(owner_email IS null) AND is_new EQ false");
}

TEST_CASE("dci6 list queries send orderby, limit and where in a fixed order", "[dci6][query]") {
  ListQuery query;
  query.where = "id GT 100";
  query.orderby = "id asc";
  query.offset = 4;
  query.size = 18;
  CHECK(query.parameters() == common::HeaderList{{"orderby", "id asc"}, {"limit", "4,18"}, {"where", "id GT 100"}});
  ListQuery size_only;
  size_only.size = 10;
  CHECK(size_only.parameters() == common::HeaderList{{"limit", "10"}});
  CHECK(ListQuery{}.parameters().empty());
}
