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
