// Specification of ordering and opening a service (billing/billing.h): charge at order when the
// balance allows, else wait for money; the paid period starts at activation; unpaid orders go.
#include <catch2/catch.hpp>

#include "tests/support/billing_harness.h"

using namespace dcisim;
using namespace dcisim::testing;
using billing::ServiceStatus;

TEST_CASE("an order paid from the balance opens a server and the period starts at activation",
          "[unit][billing][lifecycle]") {
  BillingHarness h;
  ClientId alice = h.client("alice", Money::from_units(100));
  TariffId tariff = h.tariff();
  REQUIRE_AUDIT_CLEAN(h);

  ServiceId id = h.order(alice, tariff);
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::processing);
  CHECK(s.processing == billing::OperationKind::open);
  CHECK_FALSE(s.expiredate.has_value());
  CHECK(h.balance(alice) == Money::from_units(60));  // 30 period + 10 setup
  REQUIRE_AUDIT_CLEAN(h);

  Instant ordered_at = h.clock.now();
  h.advance(Duration::minutes(1));  // open starts: the server is taken, the install runs
  CHECK(h.service(id).status == ServiceStatus::processing);
  CHECK(h.module.servers_taken() == 1);
  REQUIRE_AUDIT_CLEAN(h);

  h.advance(Duration::minutes(30));  // install took 20 minutes
  s = h.service(id);
  REQUIRE(s.status == ServiceStatus::active);
  REQUIRE(s.activated_at.has_value());
  CHECK(*s.activated_at == ordered_at + Duration::minutes(20));
  CHECK(*s.expiredate == common::add_months(*s.activated_at, 1));
  REQUIRE(s.server_id.has_value());
  CHECK(*s.server_id == 1);
  REQUIRE(s.addresses.size() == 1);
  CHECK(s.addresses[0].address == "192.0.2.1");
  CHECK(s.root_password.size() == 16);
  CHECK(h.balance(alice) == Money::from_units(60));
  REQUIRE_AUDIT_CLEAN(h);

  std::vector<billing::HistoryView> history = h->service_history(id).value();
  REQUIRE(history.size() == 3);
  CHECK(history[0].to_status == "ordered");
  CHECK(history[1].to_status == "processing");
  CHECK(history[1].amount == Money::from_units(40));
  CHECK(history[1].balance_after == Money::from_units(60));
  CHECK(history[2].to_status == "active");
  CHECK(history[2].actor == billing::Actor::runner);
}

TEST_CASE("an order the balance cannot cover waits, and the payment that covers it opens it",
          "[unit][billing][lifecycle][money]") {
  BillingHarness h;
  ClientId bob = h.client("bob", Money::from_units(15));
  TariffId tariff = h.tariff();
  ServiceId id = h.order(bob, tariff);
  CHECK(h.service(id).status == ServiceStatus::ordered);
  CHECK(h.balance(bob) == Money::from_units(15));
  CHECK(h->service_expenses(id).value().empty());
  h.advance(Duration::hours(1));
  CHECK(h.service(id).status == ServiceStatus::ordered);
  CHECK(h.module.calls().empty());
  REQUIRE_AUDIT_CLEAN(h);

  REQUIRE(h->pay(bob, Money::from_units(25), "card", "gw-bob-2").ok());
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::processing);
  CHECK(h.balance(bob) == Money::zero());
  std::vector<billing::HistoryView> history = h->service_history(id).value();
  REQUIRE(history.size() == 2);
  CHECK(history[1].actor == billing::Actor::funds);
  CHECK(history[1].amount == Money::from_units(40));
  REQUIRE_AUDIT_CLEAN(h);

  h.advance(Duration::hours(1));
  CHECK(h.service(id).status == ServiceStatus::active);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("money arriving pays waiting orders oldest first while the balance allows",
          "[unit][billing][money]") {
  BillingHarness h;
  ClientId carol = h.client("carol");
  TariffId tariff = h.tariff();
  ServiceId first = h.order(carol, tariff);
  ServiceId second = h.order(carol, tariff);
  REQUIRE(h->admin_credit(carol, Money::from_units(50), "bank transfer").ok());
  CHECK(h.service(first).status == ServiceStatus::processing);
  CHECK(h.service(second).status == ServiceStatus::ordered);
  CHECK(h.balance(carol) == Money::from_units(10));
  REQUIRE(h->admin_credit(carol, Money::from_units(30), "bank transfer").ok());
  CHECK(h.service(second).status == ServiceStatus::processing);
  CHECK(h.balance(carol) == Money::zero());
  h.advance(Duration::hours(1));
  CHECK(h.service(first).status == ServiceStatus::active);
  CHECK(h.service(second).status == ServiceStatus::active);
  CHECK(h.module.servers_taken() == 2);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("an order unpaid for the configured days is deleted without a module call",
          "[unit][billing][lifecycle]") {
  BillingHarness h;  // unpaid_order_days = 3
  ClientId dave = h.client("dave");
  ServiceId id = h.order(dave, h.tariff());
  h.advance_to(at("2026-01-03T12:00:00Z"));
  CHECK(h.service(id).status == ServiceStatus::ordered);
  h.advance_to(at("2026-01-04T00:00:00Z"));
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::deleted);
  CHECK(s.deleted_at == at("2026-01-04T00:00:00Z"));
  CHECK(h.module.calls().empty());
  std::vector<billing::HistoryView> history = h->service_history(id).value();
  CHECK(history.back().actor == billing::Actor::daily_job);
  CHECK(history.back().reason == "unpaid for 3 days");
  // Money arriving later does not bring it back.
  REQUIRE(h->admin_credit(dave, Money::from_units(100), "late").ok());
  CHECK(h.service(id).status == ServiceStatus::deleted);
  CHECK(h.balance(dave) == Money::from_units(100));
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("deleting an unpaid order needs no module call and charges nothing",
          "[unit][billing][lifecycle]") {
  BillingHarness h;
  ClientId erin = h.client("erin");
  ServiceId id = h.order(erin, h.tariff());
  REQUIRE(h->delete_service(id, billing::Actor::client, "changed my mind").ok());
  CHECK(h.service(id).status == ServiceStatus::deleted);
  h.advance(Duration::hours(1));
  CHECK(h.module.calls().empty());
  common::Status again = h->delete_service(id, billing::Actor::client, "");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message == "service 1 is already deleted");
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("addons are charged per month and their addresses are assigned",
          "[unit][billing][lifecycle][money]") {
  BillingHarness h;
  ClientId fay = h.client("fay", Money::from_units(200));
  TariffId tariff = h.tariff();
  billing::OrderRequest request{fay, tariff, 3, "Ubuntu 22.04", 2, 1, "lamp", true};
  ServiceId id = h->place_order(request).value();
  std::vector<billing::ExpenseView> expenses = h->service_expenses(id).value();
  REQUIRE(expenses.size() == 3);
  CHECK(expenses[0].kind == billing::ExpenseKind::period);
  CHECK(expenses[0].amount == Money::from_units(81));
  CHECK(expenses[1].kind == billing::ExpenseKind::setup);
  CHECK(expenses[1].amount == Money::from_units(10));
  CHECK(expenses[2].kind == billing::ExpenseKind::addon);
  // (2 x 2.00 + 1 x 0.50 + 5.00) per month x 3 months
  CHECK(expenses[2].amount == Money::parse("28.50").value());
  CHECK(h.balance(fay) == Money::parse("80.50").value());
  h.advance(Duration::hours(1));
  billing::ServiceView s = h.service(id);
  REQUIRE(s.status == ServiceStatus::active);
  CHECK(s.addresses.size() == 4);  // main IPv4 + 2 extra IPv4 + 1 IPv6
  CHECK(*s.expiredate == common::add_months(*s.activated_at, 3));
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("an invalid order is refused with a reason and changes nothing", "[unit][billing]") {
  BillingHarness h;
  ClientId gus = h.client("gus", Money::from_units(100));
  TariffId tariff = h.tariff();
  auto order = [](ClientId client, TariffId tariff, int months, const char* os, int ipv4 = 0,
                  const char* script = "") {
    billing::OrderRequest request;
    request.client = client;
    request.tariff = tariff;
    request.period_months = months;
    request.os_template = os;
    request.extra_ipv4 = ipv4;
    request.script = script;
    return request;
  };
  auto refused = [&](billing::OrderRequest request, const std::string& expected) {
    common::Result<ServiceId> placed = h->place_order(request);
    REQUIRE_FALSE(placed.ok());
    CHECK(placed.error().message.find(expected) != std::string::npos);
  };
  refused(order(gus, billing::TariffId(99), 1, "Debian 12"), "tariff 99 does not exist");
  refused(order(gus, tariff, 6, "Debian 12"), "no price for a period of 6 months (offered: 1, 3, 12)");
  refused(order(gus, tariff, 1, "Windows"), "OS template 'Windows' is not allowed");
  refused(order(gus, tariff, 1, "Debian 12", 5), "5 extra IPv4 addresses requested, the tariff offers 4");
  refused(order(gus, tariff, 1, "Debian 12", 0, "wordpress"), "script 'wordpress' is not offered");
  refused(order(billing::ClientId(42), tariff, 1, "Debian 12"), "client 42 does not exist");
  REQUIRE(h->block_client(gus, "fraud check").ok());
  refused(order(gus, tariff, 1, "Debian 12"), "client 1 is blocked");
  CHECK(h.scalar("SELECT COUNT(*) FROM services") == 0);
  CHECK(h.balance(gus) == Money::from_units(100));
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("no free server: the open becomes a manual task and the service never becomes active",
          "[unit][billing][lifecycle][operations]") {
  BillingHarness h(test_settings(), 42, /*servers=*/1);
  ClientId hal = h.client("hal", Money::from_units(100));
  TariffId tariff = h.tariff();
  ServiceId first = h.order(hal, tariff);
  ServiceId second = h.order(hal, tariff);
  h.advance(Duration::hours(1));
  CHECK(h.service(first).status == ServiceStatus::active);
  billing::ServiceView s = h.service(second);
  CHECK(s.status == ServiceStatus::processing);
  CHECK_FALSE(s.server_id.has_value());
  std::vector<billing::TaskView> tasks = h->tasks().value();
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].service_id == second);
  CHECK(tasks[0].kind == billing::OperationKind::open);
  CHECK(tasks[0].reason == "no free server of configuration i7-8700-32Gb in location 1");
  REQUIRE_AUDIT_CLEAN(h);
  // It waits for staff: nothing runs by itself.
  h.advance(Duration::days(1));
  CHECK(h.service(second).status == ServiceStatus::processing);

  SECTION("staff add a server and retry: it opens") {
    h.module.add_server(7, "i7-8700-32Gb", 1);
    REQUIRE(h->retry_task(tasks[0].id, "racked server 7").ok());
    h.advance(Duration::hours(1));
    CHECK(h.service(second).status == ServiceStatus::active);
    CHECK(*h.service(second).server_id == 7);
    CHECK(h->tasks().value().empty());
    REQUIRE_AUDIT_CLEAN(h);
  }
  SECTION("staff cancel: the service is deleted and every charge refunded") {
    Money before = h.balance(hal);
    REQUIRE(h->cancel_task(tasks[0].id, "no hardware this month").ok());
    s = h.service(second);
    CHECK(s.status == ServiceStatus::deleted);
    CHECK(h.balance(hal) == before + Money::from_units(40));
    std::vector<billing::ExpenseView> expenses = h->service_expenses(second).value();
    REQUIRE(expenses.size() == 3);
    CHECK(expenses[2].kind == billing::ExpenseKind::refund);
    CHECK(expenses[2].amount == -Money::from_units(40));
    CHECK(h->tasks(false).value()[0].status == billing::TaskStatus::canceled);
    common::Status twice = h->cancel_task(tasks[0].id, "");
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().message == "task 1 is already canceled");
    REQUIRE_AUDIT_CLEAN(h);
  }
}

TEST_CASE("canceling an open task after the server was taken releases it before the service is deleted",
          "[unit][billing][order][tasks]") {
  BillingHarness h;
  ClientId ivy = h.client("ivy", Money::from_units(40));
  ServiceId id = h.order(ivy, h.tariff());
  h.advance(Duration::minutes(1));  // issued; the install runs
  REQUIRE(h.module.owned_servers() == 1);
  h.module.refuse_next("the OS install hangs at 99%");
  h.advance(Duration::minutes(30));
  std::vector<billing::TaskView> tasks = h->tasks().value();
  REQUIRE(tasks.size() == 1);
  REQUIRE_AUDIT_CLEAN(h);

  REQUIRE(h->cancel_task(tasks[0].id, "give up").ok());
  CHECK(h.service(id).status == ServiceStatus::processing);
  CHECK(h.service(id).processing == billing::OperationKind::close);
  CHECK(h.balance(ivy) == Money::from_units(40));  // refunded at once
  CHECK(h.module.owned_servers() == 1);             // not yet released
  REQUIRE_AUDIT_CLEAN(h);

  SECTION("the close releases the server, then the service is deleted") {
    h.advance(Duration::minutes(1));
    CHECK(h.service(id).status == ServiceStatus::deleted);
    CHECK(h.module.owned_servers() == 0);
    CHECK(h.module.free_ipv4() == 32);
    CHECK(h.balance(ivy) == Money::from_units(40));
    REQUIRE_AUDIT_CLEAN(h);
  }
  SECTION("canceling the close too deletes the service and leaves the server to staff") {
    h.module.refuse_next("server is locked by staff");
    h.advance(Duration::minutes(1));
    tasks = h->tasks().value();
    REQUIRE(tasks.size() == 1);
    CHECK(tasks[0].kind == billing::OperationKind::close);
    REQUIRE(h->cancel_task(tasks[0].id, "staff release it by hand").ok());
    CHECK(h.service(id).status == ServiceStatus::deleted);
    CHECK(h.balance(ivy) == Money::from_units(40));
    CHECK(h.module.owned_servers() == 1);
  }
}

TEST_CASE("canceling an open task before any server was taken deletes the service at once",
          "[unit][billing][order][tasks]") {
  BillingHarness h;
  ClientId joe = h.client("joe", Money::from_units(40));
  h.module.refuse_next("OS template not offered in this location");
  ServiceId id = h.order(joe, h.tariff());
  h.advance(Duration::minutes(1));
  std::vector<billing::TaskView> tasks = h->tasks().value();
  REQUIRE(tasks.size() == 1);

  REQUIRE(h->cancel_task(tasks[0].id, "").ok());

  CHECK(h.service(id).status == ServiceStatus::deleted);
  CHECK(h.module.owned_servers() == 0);
  CHECK(h.balance(joe) == Money::from_units(40));
  REQUIRE_AUDIT_CLEAN(h);
}
