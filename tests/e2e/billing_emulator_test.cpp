// The billing core end to end against the embedded DCImanager 6 emulator over real HTTP on
// loopback: the DCImanager 6 module speaks to Emulator::start's socket through HttplibTransport,
// exactly as it would to a live DCImanager. Each test checks statuses, balances, expiredates,
// history rows and the emulator's state, and runs the audit (every invariant, against the
// emulator's servers and pools) after every step.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "billing/audit.h"
#include "billing/billing.h"
#include "billing/dci6/http_transport.h"
#include "billing/dci6/module.h"
#include "mockdci/default_inventory.h"
#include "mockdci/emulator.h"
#include "scenarios/world.h"
#include "tests/support/billing_harness.h"

using namespace dcisim;
using billing::Actor;
using billing::ServiceStatus;
using billing::SuspendFlag;
using common::Duration;
using common::Money;
using testing::at;

namespace {

const char* const kI9 = "i9-9900K-64Gb-2x1024NVMe";

// Passes every request to the real transport; the next `lose` requests matching method and path
// suffix reach the emulator and are carried out, but their answer is lost (a reset connection).
class LosingTransport final : public common::HttpTransport {
 public:
  explicit LosingTransport(std::unique_ptr<common::HttpTransport> inner) : inner_(std::move(inner)) {}
  common::Result<common::HttpResponse> send(const common::HttpRequest& request) override {
    common::Result<common::HttpResponse> response = inner_->send(request);
    bool matches = request.method == method && request.path.size() >= suffix.size() &&
                   request.path.compare(request.path.size() - suffix.size(), suffix.size(), suffix) == 0;
    if (lose > 0 && matches && response.ok()) {
      --lose;
      return common::Error::io("connection reset by peer (the answer was lost)");
    }
    return response;
  }
  std::string describe() const override { return inner_->describe() + " (losing answers)"; }
  std::string method;
  std::string suffix;
  int lose = 0;

 private:
  std::unique_ptr<common::HttpTransport> inner_;
};

// Billing + DCImanager 6 module + emulator on a loopback socket, one virtual clock.
struct Rig {
  testing::TempDir dir;
  common::VirtualClock clock;
  std::unique_ptr<mockdci::Emulator> emulator;
  LosingTransport* transport = nullptr;
  std::unique_ptr<common::HttpTransport> transport_owner;
  std::unique_ptr<billing::dci6::Dci6Module> module;
  billing::BillingOptions options;
  std::unique_ptr<billing::Billing> core;
  billing::TariffId tariff;

  Rig() {
    mockdci::EmulatorOptions emulator_options;
    emulator_options.inventory = mockdci::default_inventory().value();
    emulator_options.clock = &clock;
    emulator_options.seed = 11;
    emulator_options.server_threads = 4;
    emulator = mockdci::Emulator::create(std::move(emulator_options)).value();
    REQUIRE(emulator->start("127.0.0.1", 0, nullptr).ok());
    billing::dci6::Dci6Settings settings;
    settings.base_url = emulator->base_url();
    settings.admin_email = "admin@example.com";
    settings.admin_password = "secret";
    billing::dci6::HttpTransportOptions http;
    http.base_url = settings.base_url;
    auto losing = std::make_unique<LosingTransport>(billing::dci6::HttplibTransport::create(http).value());
    transport = losing.get();
    transport_owner = std::move(losing);
    module = std::make_unique<billing::dci6::Dci6Module>(settings, *transport, clock);
    options.database_path = dir.path() + "/billing.db";
    options.clock = &clock;
    options.module = module.get();
    options.seed = 5;
    options.settings = testing::test_settings();
    open();
    billing::TariffSpec spec;
    spec.name = "i9-ams";
    spec.location_id = 1;  // Amsterdam
    spec.configuration = kI9;
    spec.os_templates = {"Debian 12"};
    spec.prices = {{1, Money::from_units(100)}, {3, Money::from_units(285)}};
    spec.addons.push_back({billing::AddonKind::ipv4, "extra-ipv4", Money::from_units(3), 4});
    spec.auto_delete_days = 5;
    tariff = core->create_tariff(spec).value();
  }
  ~Rig() { close(); }

  void open() {
    core = billing::Billing::open(options).value();
    clock.subscribe(core.get());
  }
  void close() {
    if (core) clock.unsubscribe(core.get());
    core.reset();
  }

  // The audit against the emulator's state, as the scenario runner does it.
  std::string audit() {
    billing::RemoteView remote = scenarios::remote_view_of(*emulator);
    billing::AuditOptions audit_options;
    audit_options.remote = &remote;
    return billing::describe(billing::audit(*core, audit_options));
  }

  void advance(Duration d) {
    REQUIRE(clock.advance(d).ok());
    REQUIRE(core->scheduler_errors().empty());
    REQUIRE(audit() == "");
  }

  billing::ClientId client(const std::string& name, int64_t deposit_units) {
    billing::ClientId id = core->register_client({name + "@example.com", name, "Passw0rd-" + name}).value();
    if (deposit_units > 0) REQUIRE(core->pay(id, Money::from_units(deposit_units), "card", "gw-" + name).ok());
    return id;
  }

  billing::ServiceId order(billing::ClientId client, int extra_ipv4 = 0) {
    billing::OrderRequest request;
    request.client = client;
    request.tariff = tariff;
    request.os_template = "Debian 12";
    request.extra_ipv4 = extra_ipv4;
    billing::ServiceId id = core->place_order(request).value();
    REQUIRE(audit() == "");
    return id;
  }

  billing::ServiceView service(billing::ServiceId id) { return core->service(id).value(); }
  Money balance(billing::ClientId client) { return core->account(client).value().balance; }
  mockdci::ServerView server_of(billing::ServiceId id) {
    billing::ServiceView view = service(id);
    REQUIRE(view.server_id.has_value());
    return emulator->server(*view.server_id).value();
  }
  int owned_servers(const std::string& email) {
    int count = 0;
    for (const mockdci::ServerView& s : emulator->servers()) count += s.owner_email == email ? 1 : 0;
    return count;
  }
  std::vector<std::string> history_path(billing::ServiceId id) {
    std::vector<std::string> path;
    for (const billing::HistoryView& h : core->service_history(id).value()) path.push_back(h.to_status);
    return path;
  }
};

}  // namespace

TEST_CASE("over HTTP: order, activation, renewal, expiry suspension, resume on payment, deletion",
          "[e2e][billing][http]") {
  Rig rig;
  billing::ClientId alice = rig.client("alice", 206);
  billing::ServiceId s = rig.order(alice, 1);  // 100.00 a month and 3.00 for the extra address
  CHECK(rig.service(s).status == ServiceStatus::processing);
  CHECK(rig.balance(alice) == Money::from_units(103));

  rig.advance(Duration::hours(1));
  billing::ServiceView active = rig.service(s);
  CHECK(active.status == ServiceStatus::active);
  CHECK(active.expiredate == at("2026-02-01T00:20:00Z"));
  mockdci::ServerView server = rig.server_of(s);
  CHECK(server.owner_email == "alice@example.com");
  CHECK(server.addresses.size() == 2);
  CHECK(server.addresses[0].pool == "rack-a1");
  CHECK(server.ports_up);
  CHECK(rig.emulator->free_counts().at(kI9) == 5);

  rig.advance(at("2026-02-01T00:05:00Z") - rig.clock.now());  // renewed from what was left
  CHECK(rig.service(s).expiredate == at("2026-03-01T00:20:00Z"));
  CHECK(rig.balance(alice) == Money::zero());

  rig.advance(at("2026-03-02T01:00:00Z") - rig.clock.now());  // no money for March
  billing::ServiceView suspended = rig.service(s);
  CHECK(suspended.status == ServiceStatus::suspended);
  CHECK(suspended.flags.to_string() == "auto");
  CHECK_FALSE(rig.server_of(s).ports_up);
  CHECK(rig.server_of(s).power == "ON");

  REQUIRE(rig.core->pay(alice, Money::from_units(103), "card", "gw-march").ok());
  CHECK(rig.service(s).status == ServiceStatus::processing);
  rig.advance(Duration::minutes(1));
  billing::ServiceView resumed = rig.service(s);
  CHECK(resumed.status == ServiceStatus::active);
  CHECK(resumed.expiredate == at("2026-04-02T01:00:00Z"));  // the month starts at the resume
  CHECK(rig.server_of(s).ports_up);
  CHECK(rig.balance(alice) == Money::zero());

  REQUIRE(rig.core->delete_service(s, Actor::client, "no longer needed").ok());
  rig.advance(Duration::minutes(1));
  billing::ServiceView deleted = rig.service(s);
  CHECK(deleted.status == ServiceStatus::deleted);
  CHECK_FALSE(deleted.server_id.has_value());
  CHECK(deleted.addresses.empty());
  CHECK(rig.owned_servers("alice@example.com") == 0);
  rig.advance(Duration::minutes(31));  // diagnostics end: the server is for sale again
  CHECK(rig.emulator->free_counts().at(kI9) == 6);
  // The renewal is a history row of its own (active -> active, with the amount).
  CHECK(rig.history_path(s) == std::vector<std::string>{"ordered", "processing", "active", "active", "processing",
                                                        "suspended", "processing", "active", "processing", "deleted"});
}

TEST_CASE("over HTTP: admin and abuse flags survive payment, auto-deletion closes auto-only services",
          "[e2e][billing][http]") {
  Rig rig;
  billing::ClientId bob = rig.client("bob", 200);
  billing::ServiceId flagged = rig.order(bob);
  billing::ServiceId lapsing = rig.order(bob);
  rig.advance(Duration::hours(1));
  REQUIRE(rig.core->suspend(flagged, SuspendFlag::abuse, "spam").ok());
  rig.advance(Duration::minutes(1));
  CHECK(rig.service(flagged).flags.to_string() == "abuse");
  CHECK_FALSE(rig.server_of(flagged).ports_up);

  rig.advance(at("2026-02-02T01:00:00Z") - rig.clock.now());
  CHECK(rig.service(flagged).flags.to_string() == "auto,abuse");
  CHECK(rig.service(lapsing).flags.to_string() == "auto");
  REQUIRE(rig.core->admin_credit(bob, Money::from_units(1), "goodwill").ok());  // not enough to renew
  rig.advance(at("2026-02-07T01:00:00Z") - rig.clock.now());  // 5 auto-deletion days
  CHECK(rig.service(lapsing).status == ServiceStatus::deleted);
  CHECK(rig.service(flagged).status == ServiceStatus::suspended);  // a manual flag keeps it
  CHECK(rig.owned_servers("bob@example.com") == 1);
}

TEST_CASE("over HTTP: a lost answer after the server was issued takes no second server and no second charge",
          "[e2e][billing][http][idempotency]") {
  Rig rig;
  billing::ClientId carol = rig.client("carol", 100);
  rig.transport->method = "POST";
  rig.transport->suffix = "/owner";
  rig.transport->lose = 1;
  billing::ServiceId s = rig.order(carol);
  rig.advance(Duration::hours(2));
  billing::ServiceView view = rig.service(s);
  CHECK(view.status == ServiceStatus::active);
  CHECK(rig.transport->lose == 0);  // the answer was lost once
  CHECK(rig.owned_servers("carol@example.com") == 1);
  CHECK(rig.emulator->free_counts().at(kI9) == 5);
  CHECK(rig.core->service_expenses(s).value().size() == 1);
  CHECK(rig.balance(carol) == Money::zero());
}

TEST_CASE("over HTTP: closing billing mid-install and reopening the file completes the same order",
          "[e2e][billing][http][restart]") {
  Rig rig;
  billing::ClientId dave = rig.client("dave", 100);
  billing::ServiceId s = rig.order(dave);
  rig.advance(Duration::minutes(5));
  CHECK(rig.service(s).status == ServiceStatus::processing);
  CHECK(rig.owned_servers("dave@example.com") == 1);  // taken, installing

  rig.close();
  REQUIRE(rig.clock.advance(Duration::minutes(3)).ok());  // billing is down for three minutes
  rig.open();
  rig.advance(Duration::hours(1));
  billing::ServiceView view = rig.service(s);
  CHECK(view.status == ServiceStatus::active);
  CHECK(view.expiredate == at("2026-02-01T00:20:00Z"));
  CHECK(rig.owned_servers("dave@example.com") == 1);
  CHECK(rig.core->service_expenses(s).value().size() == 1);
  CHECK(rig.balance(dave) == Money::zero());
}

TEST_CASE("over HTTP: a server staff released and sold again is never suspended for the service that lost it",
          "[e2e][billing][http][holder]") {
  Rig rig;
  billing::ClientId alice = rig.client("alice", 100);
  billing::ServiceId lost = rig.order(alice);
  rig.advance(Duration::hours(1));
  int64_t server = rig.server_of(lost).id;

  // Staff release alice's server in the panel by mistake; after diagnostics bob's order takes it.
  REQUIRE(rig.emulator->release_server(server).ok());
  REQUIRE(rig.clock.advance(Duration::minutes(31)).ok());
  CHECK(rig.audit().find("remote_ownership") != std::string::npos);  // the audit sees the drift
  billing::ClientId bob = rig.client("bob", 300);
  billing::OrderRequest request;
  request.client = bob;
  request.tariff = rig.tariff;
  request.os_template = "Debian 12";
  billing::ServiceId bought = rig.core->place_order(request).value();  // (rig.order audits: it would fail)
  REQUIRE(rig.clock.advance(Duration::hours(1)).ok());
  // Billing will not record for bob an address alice's service still claims: a task for staff.
  CHECK(rig.service(bought).status == ServiceStatus::processing);
  CHECK(rig.emulator->server(server)->owner_email == "bob@example.com");

  // Alice's month ends unpaid: billing must not switch off the server bob now holds.
  REQUIRE(rig.clock.advance(at("2026-02-02T01:00:00Z") - rig.clock.now()).ok());
  CHECK(rig.emulator->server(server)->ports_up);
  CHECK(rig.emulator->server(server)->owner_email == "bob@example.com");
  CHECK(rig.service(lost).status == ServiceStatus::processing);
  std::vector<billing::TaskView> tasks = rig.core->tasks(true).value();
  REQUIRE(tasks.size() == 2);
  CHECK(tasks[0].service_id == bought);
  CHECK(tasks[0].reason.find("another live service holds it") != std::string::npos);
  CHECK(tasks[1].service_id == lost);
  CHECK(tasks[1].reason.find("is held by bob@example.com") != std::string::npos);
  CHECK(tasks[1].reason.find("not suspended") != std::string::npos);
}
