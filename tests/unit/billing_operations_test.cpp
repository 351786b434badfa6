// Specification of the operation runner (billing/runner.h): retries with bounded exponential
// backoff, manual tasks after max attempts, idempotent open after a lost response, restart
// mid-operation, and staff resolving tasks.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/support/billing_harness.h"

using namespace dcisim;
using namespace dcisim::testing;
using billing::Actor;
using billing::OperationStatus;
using billing::ServiceStatus;
using billing::SuspendFlag;

namespace {

billing::OperationView only_operation(BillingHarness& h, ServiceId id) {
  std::vector<billing::OperationView> ops = h->operations(id).value();
  REQUIRE(!ops.empty());
  return ops.back();
}

}  // namespace

TEST_CASE("a failed step is retried with exponential backoff: 1m, 2m, 4m...",
          "[unit][billing][operations]") {
  BillingHarness h;
  ClientId alice = h.client("alice", Money::from_units(100));
  h.module.fail_next(3, "503 Service Unavailable");
  Instant t0 = h.clock.now();
  ServiceId id = h.order(alice, h.tariff());
  h.advance(Duration());  // first attempt at t0
  billing::OperationView op = only_operation(h, id);
  CHECK(op.attempts == 1);
  CHECK(op.last_error == "503 Service Unavailable");
  CHECK(op.next_run_at == t0 + Duration::minutes(1));
  REQUIRE_AUDIT_CLEAN(h);
  h.advance_to(t0 + Duration::minutes(1));
  CHECK(only_operation(h, id).next_run_at == t0 + Duration::minutes(3));
  h.advance_to(t0 + Duration::minutes(3));
  CHECK(only_operation(h, id).next_run_at == t0 + Duration::minutes(7));
  h.advance_to(t0 + Duration::minutes(7));  // the fourth attempt takes the server
  CHECK(only_operation(h, id).attempts == 3);
  h.advance(Duration::hours(1));
  CHECK(h.service(id).status == ServiceStatus::active);
  CHECK(only_operation(h, id).status == OperationStatus::done);
  CHECK(h.module.servers_taken() == 1);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("the backoff doubles up to its cap", "[unit][billing][operations]") {
  billing::Settings settings = test_settings();
  settings.retry_backoff_cap = Duration::minutes(3);
  settings.max_attempts = 10;
  BillingHarness h(settings);
  ClientId zoe = h.client("zoe", Money::from_units(100));
  h.module.fail_next(5);
  Instant t = h.clock.now();
  ServiceId id = h.order(zoe, h.tariff());
  h.advance(Duration());
  for (int64_t wait_minutes : {1, 2, 3, 3}) {
    REQUIRE(only_operation(h, id).next_run_at == t + Duration::minutes(wait_minutes));
    t = t + Duration::minutes(wait_minutes);
    h.advance_to(t);
  }
  CHECK(only_operation(h, id).attempts == 5);
  CHECK(only_operation(h, id).next_run_at == t + Duration::minutes(3));
}

TEST_CASE("after max attempts the operation becomes a manual task and the service stays "
          "processing until staff retry it", "[unit][billing][operations]") {
  billing::Settings settings = test_settings();
  settings.max_attempts = 3;
  BillingHarness h(settings);
  ClientId bob = h.client("bob", Money::from_units(100));
  h.module.fail_next(3, "connection refused");
  ServiceId id = h.order(bob, h.tariff());
  h.advance(Duration::hours(2));
  billing::OperationView op = only_operation(h, id);
  CHECK(op.status == OperationStatus::manual);
  CHECK(op.attempts == 3);
  CHECK_FALSE(op.next_run_at.has_value());
  CHECK(h.service(id).status == ServiceStatus::processing);
  std::vector<billing::TaskView> tasks = h->tasks().value();
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].reason == "gave up after 3 attempts: connection refused");
  REQUIRE_AUDIT_CLEAN(h);
  h.advance(Duration::days(2));  // nothing runs by itself
  CHECK(std::count(h.module.calls().begin(), h.module.calls().end(), "open 1") == 3);
  REQUIRE(h->retry_task(tasks[0].id, "network fixed").ok());
  CHECK(only_operation(h, id).attempts == 0);
  h.advance(Duration::hours(1));
  CHECK(h.service(id).status == ServiceStatus::active);
  CHECK(h->tasks(false).value()[0].status == billing::TaskStatus::retried);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("a lost response after the server was taken: the retry adopts it, no second server",
          "[unit][billing][operations][idempotency]") {
  BillingHarness h;
  ClientId carol = h.client("carol", Money::from_units(100));
  h.module.lose_next_response();
  ServiceId id = h.order(carol, h.tariff());
  h.advance(Duration());
  billing::OperationView op = only_operation(h, id);
  CHECK(op.attempts == 1);
  CHECK(op.last_error == "connection reset after sending (response lost)");
  CHECK(op.progress["stage"] == "issuing");  // the checkpoint made before the change survives
  CHECK(h.module.servers_taken() == 1);
  REQUIRE_AUDIT_CLEAN(h);  // the taken server maps to the opening service by its domain
  h.advance(Duration::hours(1));
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::active);
  CHECK(h.module.servers_taken() == 1);
  CHECK(h.module.owned_servers() == 1);
  CHECK(h.module.server_of_domain(s.domain)->id == *s.server_id);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("a module that throws is retried like a failure", "[unit][billing][operations]") {
  BillingHarness h;
  ClientId dave = h.client("dave", Money::from_units(100));
  h.module.throw_next();
  ServiceId id = h.order(dave, h.tariff());
  h.advance(Duration());
  CHECK(only_operation(h, id).last_error == "the module threw: scripted exception");
  h.advance(Duration::hours(1));
  CHECK(h.service(id).status == ServiceStatus::active);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("a restart mid-operation resumes it: no second server, no second charge",
          "[unit][billing][operations][restart]") {
  BillingHarness h;
  ClientId erin = h.client("erin", Money::from_units(100));
  ServiceId id = h.order(erin, h.tariff());
  h.advance(Duration::minutes(5));  // the server is taken, the OS installs
  REQUIRE(h.service(id).status == ServiceStatus::processing);

  SECTION("closed while installing") {
    h.reopen();
  }
  SECTION("closed while installing, and the first poll after the restart fails") {
    h.reopen();
    h.module.fail_next(1, "timeout");
  }
  REQUIRE_AUDIT_CLEAN(h);
  h.advance(Duration::hours(1));
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::active);
  CHECK(h.module.servers_taken() == 1);
  CHECK(h->service_expenses(id).value().size() == 2);  // period + setup, once
  CHECK(h.balance(erin) == Money::from_units(60));
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("a restart right after a lost open response adopts the server on the next run",
          "[unit][billing][operations][restart][idempotency]") {
  BillingHarness h;
  ClientId fay = h.client("fay", Money::from_units(100));
  h.module.lose_next_response();
  ServiceId id = h.order(fay, h.tariff());
  h.advance(Duration());
  REQUIRE(only_operation(h, id).attempts == 1);
  h.reopen();
  h.advance(Duration::hours(1));
  CHECK(h.service(id).status == ServiceStatus::active);
  CHECK(h.module.servers_taken() == 1);
  CHECK(h.balance(fay) == Money::from_units(60));
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("the module asking for staff opens a task at once", "[unit][billing][operations]") {
  BillingHarness h;
  ClientId gus = h.client("gus", Money::from_units(100));
  ServiceId id = h.order(gus, h.tariff());
  h.advance(Duration::hours(1));
  h.module.refuse_next("switch port 12 is not managed");
  REQUIRE(h->suspend(id, SuspendFlag::abuse, "").ok());
  h.advance(Duration::minutes(1));
  CHECK(only_operation(h, id).status == OperationStatus::manual);
  CHECK(only_operation(h, id).attempts == 0);
  REQUIRE(h->tasks().value().size() == 1);
  CHECK(h->tasks().value()[0].reason == "switch port 12 is not managed");
  REQUIRE_AUDIT_CLEAN(h);

  SECTION("canceling a suspend task returns the service to active without the flag") {
    REQUIRE(h->cancel_task(h->tasks().value()[0].id, "handled by phone").ok());
    billing::ServiceView s = h.service(id);
    CHECK(s.status == ServiceStatus::active);
    CHECK(s.flags.empty());
    CHECK(only_operation(h, id).status == OperationStatus::canceled);
  }
  SECTION("retrying it suspends") {
    REQUIRE(h->retry_task(h->tasks().value()[0].id, "").ok());
    h.advance(Duration::minutes(1));
    CHECK(h.service(id).status == ServiceStatus::suspended);
  }
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("canceling a failed resume refunds the renewal that never started and restores auto",
          "[unit][billing][operations][money]") {
  BillingHarness h;
  ClientId hal = h.client("hal", Money::from_units(40));
  ServiceId id = h.order(hal, h.tariff());
  h.advance_to(at("2026-02-02T00:00:00Z"));
  REQUIRE(h.service(id).status == ServiceStatus::suspended);
  h.module.refuse_next("server is in maintenance");
  REQUIRE(h->pay(hal, Money::from_units(30), "card", "gw-hal-2").ok());
  h.advance(Duration::minutes(1));
  REQUIRE(h.service(id).processing == billing::OperationKind::resume);
  CHECK(h.balance(hal) == Money::zero());
  REQUIRE_AUDIT_CLEAN(h);
  REQUIRE(h->cancel_task(h->tasks().value()[0].id, "").ok());
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::suspended);
  CHECK(s.flags.to_string() == "auto");
  CHECK(h.balance(hal) == Money::from_units(30));
  CHECK(h->periods(id).value().back().canceled_at.has_value());
  CHECK(h->service_expenses(id).value().back().amount == -Money::from_units(30));
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("lost responses on suspend and close are retried and land once",
          "[unit][billing][operations][idempotency]") {
  BillingHarness h;
  ClientId ivy = h.client("ivy", Money::from_units(100));
  ServiceId id = h.order(ivy, h.tariff());
  h.advance(Duration::hours(1));
  int64_t server = *h.service(id).server_id;
  h.module.lose_next_response();
  REQUIRE(h->suspend(id, SuspendFlag::abuse, "").ok());
  h.advance(Duration());
  CHECK(h.service(id).status == ServiceStatus::processing);
  CHECK_FALSE(h.module.server(server)->ports_up);  // applied, but billing has not heard
  REQUIRE_AUDIT_CLEAN(h);
  h.advance(Duration::minutes(1));
  CHECK(h.service(id).status == ServiceStatus::suspended);
  h.module.lose_next_response();
  REQUIRE(h->delete_service(id, Actor::admin, "").ok());
  h.advance(Duration::minutes(5));
  CHECK(h.service(id).status == ServiceStatus::deleted);
  CHECK(only_operation(h, id).attempts == 1);
  CHECK(h.module.owned_servers() == 0);
  CHECK(h.module.free_ipv4() == 32);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("canceling a close task returns the service to its previous status",
          "[unit][billing][operations]") {
  BillingHarness h;
  ClientId jay = h.client("jay", Money::from_units(100));
  ServiceId id = h.order(jay, h.tariff());
  h.advance(Duration::hours(1));
  h.module.refuse_next("server is locked by staff");
  REQUIRE(h->delete_service(id, Actor::client, "").ok());
  h.advance(Duration::minutes(1));
  REQUIRE(h->tasks().value().size() == 1);
  REQUIRE(h->cancel_task(h->tasks().value()[0].id, "client changed their mind").ok());
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::active);
  CHECK(s.server_id.has_value());
  CHECK(h->service_history(id).value().back().reason ==
        "operation close canceled: canceled by staff: client changed their mind");
  REQUIRE_AUDIT_CLEAN(h);
}
