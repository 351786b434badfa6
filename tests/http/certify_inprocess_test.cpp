// certify against an embedded emulator, in memory and on a real clock (operations of 0 s): the
// read-only probes, a route the endpoint serves elsewhere, the safety net, the destructive cycle
// and the cleanup of the ledger. The same code runs against `dcisim serve` over HTTPS in
// tests/e2e/live_certify_test.cpp.
#include <unistd.h>

#include <filesystem>

#include "billing/dci6/client.h"
#include "certify/cleanup.h"
#include "certify/cycle.h"
#include "certify/probes.h"
#include "certify/safety_net.h"
#include "certify/session.h"
#include "mockdci_test_support.h"

using namespace dcisim;
using namespace dcisim::testing;

namespace {

struct Rig {
  common::RealClock clock;  // the cycle waits in real time; the inventory's operations take 0 s
  std::unique_ptr<mockdci::Emulator> emulator;
  std::unique_ptr<common::InMemoryTransport> transport;
  certify::EndpointOptions endpoint;
  std::string ledger_path;

  explicit Rig(std::vector<mockdci::RouteAlias> aliases = {}) {
    Json inventory = default_inventory_json();
    inventory["timings"] = {{"os_install", "0s"}, {"diagnostics", "0s"}};
    auto parsed = mockdci::parse_inventory(inventory, "test");
    REQUIRE(parsed.ok());
    mockdci::EmulatorOptions options;
    options.inventory = *parsed;
    options.clock = &clock;
    options.control_token = "control";
    options.route_aliases = std::move(aliases);
    auto created = mockdci::Emulator::create(std::move(options));
    REQUIRE(created.ok());
    emulator = std::move(*created);
    transport = std::make_unique<common::InMemoryTransport>(emulator->handler());
    endpoint.url = "http://in-memory.invalid";
    endpoint.email = "admin@example.com";
    endpoint.password = "secret";
    std::filesystem::path dir = std::filesystem::temp_directory_path() / ("dcisim-certify-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    static int counter = 0;
    ledger_path = (dir / ("ledger-" + std::to_string(++counter) + ".jsonl")).string();
    std::filesystem::remove(ledger_path);
  }

  ~Rig() {
    std::error_code ignored;
    std::filesystem::remove(ledger_path, ignored);
  }

  std::unique_ptr<certify::Ledger> ledger() {
    auto created = certify::Ledger::create(ledger_path, {endpoint.url, endpoint.email, "certify", 1, Json::object()});
    REQUIRE(created.ok());
    return std::move(*created);
  }

  // What must be as it was: users, servers (but their last operation), addresses, ports.
  Json projection() const {
    Json state = emulator->state();
    Json servers = Json::array();
    for (Json server : state["servers"]) {
      server.erase("operation");
      servers.push_back(server);
    }
    Json users = Json::array();
    for (const Json& user : state["users"]) users.push_back(user["email"]);
    return {{"users", users}, {"servers", servers}, {"ips", state["ips"]}, {"ports", state["ports"]}, {"ip_pools", state["ip_pools"]}};
  }
};

std::string failures_of(const std::vector<certify::Check>& checks) {
  std::string out;
  for (const auto& c : checks) {
    if (c.outcome == certify::CheckOutcome::fail) out += c.group + ": " + c.name + ": " + c.message + "\n";
  }
  return out;
}

const certify::Check* find_check(const std::vector<certify::Check>& checks, const std::string& part) {
  for (const auto& c : checks) {
    if (c.name.find(part) != std::string::npos) return &c;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("certify's read-only probes pass against the emulator and change nothing", "[certify][http]") {
  Rig rig;
  Json before = rig.projection();
  certify::ProbeSession session(*rig.transport, rig.endpoint);
  certify::ProbeRun run = certify::run_read_only_probes(session, {1, 2});
  INFO(failures_of(run.checks));
  CHECK(failures_of(run.checks).empty());
  CHECK(run.checks.size() > 30);
  CHECK(rig.projection() == before);
  for (const certify::RouteVerdict& verdict : certify::route_verdicts(rig.endpoint.routes, run)) {
    INFO(verdict.name);
    CHECK(verdict.held == std::optional<bool>(true));
  }
  const certify::Check* pool = find_check(run.checks, "the pool rack A2 would use");
  REQUIRE(pool != nullptr);
  CHECK_THAT(pool->message, Catch::Contains("ams-pool (") && Catch::Contains("the location's pool"));
  for (const certify::LatencyRow& row : session.latency()) CHECK(row.p50_ms <= row.p95_ms);
}

TEST_CASE("certify names a route the endpoint serves elsewhere, and an override makes it hold", "[certify][http]") {
  auto alias = mockdci::parse_route_alias("POST /api/dci/v3/server/{id}/owner=POST /api/dci/v3/server/{id}/assign");
  REQUIRE(alias.ok());
  Rig rig({*alias});
  {
    certify::ProbeSession session(*rig.transport, rig.endpoint);
    certify::ProbeRun run = certify::run_read_only_probes(session, {1, 1});
    const certify::Check* issue = find_check(run.checks, "route server.issue");
    REQUIRE(issue != nullptr);
    CHECK(issue->outcome == certify::CheckOutcome::fail);
    CHECK_THAT(issue->message, Catch::Contains("server.issue (POST /api/dci/v3/server/{id}/owner) does not hold"));
    CHECK_THAT(issue->message, Catch::Contains("405"));
    CHECK_THAT(issue->received, Catch::Contains("method POST is not allowed"));
    CHECK(failures_of(run.checks) == "routes: " + issue->name + ": " + issue->message + "\n");  // only that one
  }
  Json overrides = {{"server.issue", "POST /api/dci/v3/server/{id}/assign"}};
  REQUIRE(rig.endpoint.routes.apply_overrides(common::JsonNode::root(overrides, "routes.json")).ok());
  certify::ProbeSession session(*rig.transport, rig.endpoint);
  certify::ProbeRun run = certify::run_read_only_probes(session, {1, 1});
  INFO(failures_of(run.checks));
  CHECK(failures_of(run.checks).empty());
  for (const certify::RouteVerdict& verdict : certify::route_verdicts(rig.endpoint.routes, run)) {
    if (verdict.name != "server.issue") continue;
    CHECK(verdict.overridden);
    CHECK(verdict.route == "POST /api/dci/v3/server/{id}/assign");
    CHECK(verdict.held == std::optional<bool>(true));
  }
}

TEST_CASE("the safety net refuses what is not allowed without sending it, and writes the rest down first", "[certify][http]") {
  Rig rig;
  auto ledger = rig.ledger();
  certify::SafetyNet net(std::make_unique<common::InMemoryTransport>(rig.emulator->handler()),
                         {{3}, rig.endpoint.routes, ledger.get()});
  certify::ProbeSession session(net, rig.endpoint);
  REQUIRE(session.login().ok());
  size_t journal_before = rig.emulator->journal(SIZE_MAX).size();

  certify::Exchange other = session.send("", "POST", "/api/dci/v3/server/5/suspend");
  CHECK(other.status == 403);
  CHECK_THAT(other.error_msg(), Catch::Contains("dcisim safety net: server 5 is not in --allow-server"));
  Json to_admin = {{"owner", 1}, {"domain", "x.example.com"}};
  certify::Exchange issue_to_admin = session.send("", "POST", "/api/dci/v3/server/3/owner", {}, &to_admin);
  CHECK(issue_to_admin.status == 403);
  CHECK_THAT(issue_to_admin.error_msg(), Catch::Contains("user 1 was not created by this run"));
  certify::Exchange unknown = session.send("", "POST", "/api/dci/v3/server/3/reinstall");
  CHECK(unknown.status == 403);
  CHECK(rig.emulator->journal(SIZE_MAX).size() == journal_before);  // nothing reached DCImanager
  CHECK(net.refusals().size() == 3);

  certify::Exchange list = session.send("", "GET", "/api/dci/v3/server", {{"where", "is_new EQ false"}});
  REQUIRE(list.ok());
  CHECK(list.json["size"] == 1);
  CHECK(list.json["list"][0]["id"] == 3);

  Json user = {{"email", "net@example.com"}, {"password", "pw-12345678"}, {"role", "@user"}};
  certify::Exchange created = session.send("", "POST", "/api/dci/v3/user", {}, &user);
  REQUIRE(created.ok());
  Json issue = {{"owner", created.json["id"]}, {"domain", "net.example.com"}};
  CHECK(session.send("", "POST", "/api/dci/v3/server/3/owner", {}, &issue).ok());
  auto read = certify::Ledger::read(rig.ledger_path);
  REQUIRE(read.ok());
  REQUIRE(read->changes.size() == 2);
  CHECK(read->changes[0]["route"] == "user.create");
  CHECK(read->changes[1]["route"] == "server.issue");
  CHECK(read->changes[1]["server"] == 3);
  REQUIRE(read->users.size() == 1);
  CHECK(read->users[0].id == created.json["id"].get<int64_t>());
  std::string text = *common::read_text_file(rig.ledger_path);
  CHECK(text.find("pw-12345678") == std::string::npos);  // no secret in the ledger
  CHECK(text.find("secret") == std::string::npos);
}

TEST_CASE("the destructive cycle passes on the emulator and the server is as it was", "[certify][http][cycle]") {
  Rig rig;
  Json before = rig.projection();
  certify::ProbeSession probe_session(*rig.transport, rig.endpoint);
  certify::ProbeRun probes = certify::run_read_only_probes(probe_session, {1, 1});
  auto ledger = rig.ledger();
  certify::SafetyNet net(std::make_unique<common::InMemoryTransport>(rig.emulator->handler()),
                         {{3}, rig.endpoint.routes, ledger.get()});
  certify::ProbeSession session(net, rig.endpoint);
  REQUIRE(session.login().ok());
  certify::CycleOptions options;
  options.server_id = 3;
  options.poll = common::Duration::ms(1);
  options.timeout_op = common::Duration::seconds(20);
  options.facts = &probes.facts;
  std::vector<certify::Check> checks = certify::run_cycle(net, session, *ledger, options);
  INFO(failures_of(checks));
  CHECK(failures_of(checks).empty());
  CHECK(checks.size() == 11);
  const certify::Check* pool = find_check(checks, "main IPv4");
  REQUIRE(pool != nullptr);
  CHECK(pool->message == "192.0.2.2 from rack-a1");

  billing::dci6::Dci6Client client(certify::module_settings(rig.endpoint), *rig.transport, rig.clock);
  certify::CleanupReport report = certify::cleanup_ledger(*ledger, client, {});
  CHECK(report.ok());
  CHECK(report.actions.empty());  // the cycle undid its own changes
  CHECK(rig.projection() == before);
}

TEST_CASE("the cleanup undoes what an interrupted run left: resumed, released, user deleted", "[certify][http][cleanup]") {
  Rig rig;
  Json before = rig.projection();
  {
    auto ledger = rig.ledger();
    REQUIRE(ledger->record_server({3, "", "ON", "active", true}).ok());
    certify::SafetyNet net(std::make_unique<common::InMemoryTransport>(rig.emulator->handler()),
                           {{3}, rig.endpoint.routes, ledger.get()});
    certify::ProbeSession session(net, rig.endpoint);
    REQUIRE(session.login().ok());
    Json user = {{"email", "crashed@example.com"}, {"password", "pw-12345678"}, {"role", "@user"}};
    certify::Exchange created = session.send("", "POST", "/api/dci/v3/user", {}, &user);
    Json issue = {{"owner", created.json["id"]}, {"domain", "crashed.example.com"}};
    REQUIRE(session.send("", "POST", "/api/dci/v3/server/3/owner", {}, &issue).ok());
    REQUIRE(session.send("", "POST", "/api/dci/v3/server/3/suspend").ok());
    REQUIRE(session.send("", "POST", "/api/dci/v3/server/3/power_off").ok());
  }  // the run is gone; its ledger stays
  REQUIRE(rig.projection() != before);
  auto ledger = certify::Ledger::open_existing(rig.ledger_path);
  REQUIRE(ledger.ok());
  billing::dci6::Dci6Client client(certify::module_settings(rig.endpoint), *rig.transport, rig.clock);
  certify::CleanupOptions options;
  options.poll = common::Duration::ms(1);
  certify::CleanupReport report = certify::cleanup_ledger(**ledger, client, options);
  INFO(report.problems.size());
  CHECK(report.ok());
  CHECK_THAT(report.actions.front(), Catch::Contains("resumed server 3"));
  CHECK(rig.projection() == before);
  auto read = certify::Ledger::read(rig.ledger_path);
  REQUIRE(read.ok());
  CHECK(read->cleaned);
  certify::CleanupReport again = certify::cleanup_ledger(**ledger, client, options);  // idempotent
  CHECK(again.ok());
  CHECK(again.actions.empty());
}

TEST_CASE("the cleanup leaves alone a server somebody else took meanwhile", "[certify][http][cleanup]") {
  Rig rig;
  auto ledger = rig.ledger();
  REQUIRE(ledger->record_server({3, "", "ON", "active", true}).ok());
  REQUIRE(ledger->record_change({{"route", "server.issue"}, {"server", 3}}).ok());
  // Staff issued server 3 to a customer of theirs.
  certify::ProbeSession admin(*rig.transport, rig.endpoint);
  REQUIRE(admin.login().ok());
  Json user = {{"email", "customer@example.com"}, {"password", "pw-12345678"}, {"role", "@user"}};
  certify::Exchange created = admin.send("", "POST", "/api/dci/v3/user", {}, &user);
  Json issue = {{"owner", created.json["id"]}, {"domain", "customer.example.com"}};
  REQUIRE(admin.send("", "POST", "/api/dci/v3/server/3/owner", {}, &issue).ok());
  billing::dci6::Dci6Client client(certify::module_settings(rig.endpoint), *rig.transport, rig.clock);
  certify::CleanupReport report = certify::cleanup_ledger(*ledger, client, {});
  REQUIRE(report.problems.size() == 1);
  CHECK_THAT(report.problems[0], Catch::Contains("server 3 is held by customer@example.com, whom this run did not create: left alone"));
  CHECK(rig.emulator->server(3)->owner_email == "customer@example.com");
}
