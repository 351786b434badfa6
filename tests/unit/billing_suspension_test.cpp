// Specification of manual suspension flags (admin, abuse, client), prolong, delete and the
// serialization of operations on one service (DOMAIN.md lifecycle and rules).
#include <catch2/catch.hpp>

#include "tests/support/billing_harness.h"

using namespace dcisim;
using namespace dcisim::testing;
using billing::Actor;
using billing::ServiceStatus;
using billing::SuspendFlag;
using billing::SuspendFlags;

namespace {

ServiceId active_service(BillingHarness& h, ClientId client, TariffId tariff) {
  ServiceId id = h.order(client, tariff);
  h.advance(Duration::hours(1));
  REQUIRE(h.service(id).status == ServiceStatus::active);
  return id;
}

std::string error_of(const common::Status& status) {
  return status.ok() ? std::string("(ok)") : status.error().message;
}

}  // namespace

TEST_CASE("an abuse suspension goes through the module and only the admin lifts it",
          "[unit][billing][lifecycle][flags]") {
  BillingHarness h;
  ClientId alice = h.client("alice", Money::from_units(100));
  ServiceId id = active_service(h, alice, h.tariff());
  REQUIRE(h->suspend(id, SuspendFlag::abuse, "spam complaint #12").ok());
  CHECK(h.service(id).status == ServiceStatus::processing);
  CHECK(h.service(id).processing == billing::OperationKind::suspend);
  h.advance(Duration::minutes(1));
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::suspended);
  CHECK(s.flags == SuspendFlags::of(SuspendFlag::abuse));
  CHECK_FALSE(h.module.server(*s.server_id)->ports_up);
  billing::HistoryView asked = h->service_history(id).value()[3];
  CHECK(asked.actor == Actor::admin);
  CHECK(asked.reason == "suspended for abuse: spam complaint #12");
  REQUIRE_AUDIT_CLEAN(h);

  REQUIRE(h->pay(alice, Money::from_units(50), "card", "gw-alice-2").ok());
  CHECK(h.service(id).status == ServiceStatus::suspended);  // money does not lift abuse
  CHECK(error_of(h->resume(id, SuspendFlag::client, "")) ==
        "service 1 is not suspended for client (status suspended, flags 'abuse')");
  REQUIRE(h->resume(id, SuspendFlag::abuse, "resolved").ok());
  h.advance(Duration::minutes(1));
  s = h.service(id);
  CHECK(s.status == ServiceStatus::active);
  CHECK(s.flags.empty());
  CHECK(h.module.server(*s.server_id)->ports_up);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("flags add up: a second reason is recorded without a module call, and the service "
          "resumes only when the last is lifted", "[unit][billing][lifecycle][flags]") {
  BillingHarness h;
  ClientId bob = h.client("bob", Money::from_units(100));
  ServiceId id = active_service(h, bob, h.tariff());
  REQUIRE(h->suspend(id, SuspendFlag::client, "holiday").ok());
  h.advance(Duration::minutes(1));
  size_t calls = h.module.calls().size();
  REQUIRE(h->suspend(id, SuspendFlag::admin, "check").ok());
  CHECK(h.service(id).flags.to_string() == "admin,client");
  CHECK(error_of(h->suspend(id, SuspendFlag::admin, "")) == "service 1 is already suspended for admin");
  REQUIRE(h->resume(id, SuspendFlag::client, "back").ok());
  CHECK(h.service(id).status == ServiceStatus::suspended);
  CHECK(h.service(id).flags == SuspendFlags::of(SuspendFlag::admin));
  CHECK(h.module.calls().size() == calls);
  REQUIRE(h->resume(id, SuspendFlag::admin, "ok").ok());
  h.advance(Duration::minutes(1));
  CHECK(h.service(id).status == ServiceStatus::active);
  CHECK(error_of(h->suspend(id, SuspendFlag::automatic, "")).find("cannot suspend for 'auto'") == 0);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("a manual flag keeps an auto-suspended service suspended (not resumed by money, not "
          "auto-deleted), and lifting it lets the money resume it", "[unit][billing][lifecycle][flags]") {
  BillingHarness h;
  ClientId carol = h.client("carol", Money::from_units(40));
  ServiceId id = active_service(h, carol, h.tariff());
  h.advance_to(at("2026-02-02T00:00:00Z"));
  REQUIRE(h.service(id).flags == SuspendFlags::of(SuspendFlag::automatic));
  REQUIRE(h->suspend(id, SuspendFlag::admin, "chargeback").ok());
  REQUIRE(h->pay(carol, Money::from_units(30), "card", "gw-carol-2").ok());
  CHECK(h.service(id).status == ServiceStatus::suspended);
  CHECK(h.service(id).flags.to_string() == "auto,admin");
  CHECK(h.balance(carol) == Money::from_units(30));
  h.advance_to(at("2026-03-01T00:00:00Z"));  // well past 14 auto-deletion days
  CHECK(h.service(id).status == ServiceStatus::suspended);
  REQUIRE_AUDIT_CLEAN(h);

  REQUIRE(h->resume(id, SuspendFlag::admin, "chargeback won").ok());
  CHECK(h.service(id).status == ServiceStatus::processing);
  CHECK(h.balance(carol) == Money::zero());
  h.advance(Duration::minutes(1));
  CHECK(h.service(id).status == ServiceStatus::active);
  CHECK(*h.service(id).expiredate == at("2026-04-01T00:00:00Z"));
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("a manually suspended service whose paid time runs out gets the auto flag",
          "[unit][billing][lifecycle][flags][daily]") {
  BillingHarness h;
  ClientId dave = h.client("dave", Money::from_units(40));
  ServiceId id = active_service(h, dave, h.tariff());
  REQUIRE(h->suspend(id, SuspendFlag::client, "").ok());
  h.advance_to(at("2026-02-01T00:00:00Z"));
  CHECK(h.service(id).flags == SuspendFlags::of(SuspendFlag::client));
  h.advance_to(at("2026-02-02T00:00:00Z"));
  billing::ServiceView s = h.service(id);
  CHECK(s.flags.to_string() == "auto,client");
  CHECK(s.auto_suspended_at == at("2026-02-02T00:00:00Z"));
  REQUIRE(h->resume(id, SuspendFlag::client, "").ok());
  CHECK(h.service(id).status == ServiceStatus::suspended);  // now it needs money
  CHECK(h.service(id).flags == SuspendFlags::of(SuspendFlag::automatic));
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("prolong by k periods charges k prices and extends from the expiredate",
          "[unit][billing][money]") {
  BillingHarness h;
  ClientId erin = h.client("erin", Money::from_units(100));
  ServiceId id = active_service(h, erin, h.tariff());
  REQUIRE(h->prolong(id, 2, Actor::client).ok());
  CHECK(*h.service(id).expiredate == at("2026-04-01T00:20:00Z"));
  CHECK(h.balance(erin) == Money::zero());
  std::vector<billing::ExpenseView> expenses = h->service_expenses(id).value();
  CHECK(expenses.back().amount == Money::from_units(60));
  CHECK(h->periods(id).value().back().months == 2);

  // Refused as a whole: no expense, no new expiredate.
  common::Status poor = h->prolong(id, 1, Actor::client);
  CHECK(error_of(poor) == "insufficient funds for the renewal of service 1: balance 0.00, credit "
                          "limit 0.00, charge 30.00");
  CHECK(h->service_expenses(id).value().size() == expenses.size());
  CHECK(*h.service(id).expiredate == at("2026-04-01T00:20:00Z"));
  CHECK(error_of(h->prolong(id, 0, Actor::client)) == "prolong by 0 periods: expected 1..12");
  h.advance_to(at("2026-04-01T00:00:00Z"));
  CHECK(h.service(id).status == ServiceStatus::active);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("deleting an active service closes it: server and addresses released",
          "[unit][billing][lifecycle]") {
  BillingHarness h;
  ClientId fay = h.client("fay", Money::from_units(100));
  ServiceId id = active_service(h, fay, h.tariff());
  int64_t server = *h.service(id).server_id;
  REQUIRE(h->delete_service(id, Actor::client, "done with it").ok());
  CHECK(h.service(id).processing == billing::OperationKind::close);
  h.advance(Duration::minutes(1));
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::deleted);
  CHECK_FALSE(s.server_id.has_value());
  CHECK(s.addresses.empty());
  CHECK(h.module.server(server)->owner_email.empty());
  CHECK(h.balance(fay) == Money::from_units(60));  // the tariff refunds nothing
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("refund_unused_on_delete refunds the unused days of the period, rounded once",
          "[unit][billing][money][lifecycle]") {
  BillingHarness h;
  billing::TariffSpec spec = standard_tariff();
  spec.refund_unused_on_delete = true;
  ClientId gus = h.client("gus", Money::from_units(100));
  ServiceId id = active_service(h, gus, h.tariff(spec));
  // Period 2026-01-01T00:20 .. 2026-02-01T00:20: 31 days. Deleted on its 15th day (14 days and
  // 11h40m used): days 15..31 unused, 17 of 31: 30.00 * 17 / 31 = 16.451612... -> 16.4516.
  h.advance_to(at("2026-01-15T12:00:00Z"));
  REQUIRE(h->delete_service(id, Actor::admin, "").ok());
  h.advance(Duration::minutes(1));
  REQUIRE(h.service(id).status == ServiceStatus::deleted);
  std::vector<billing::ExpenseView> expenses = h->service_expenses(id).value();
  REQUIRE(expenses.back().kind == billing::ExpenseKind::refund);
  CHECK(expenses.back().amount == -Money::parse("16.4516").value());
  CHECK(expenses.back().description == "unused time on delete: 17 of 31 days of period 1");
  CHECK(h.balance(gus) == Money::parse("76.4516").value());
  billing::HistoryView closed = h->service_history(id).value().back();
  CHECK(closed.amount == -Money::parse("16.4516").value());
  CHECK(closed.balance_after == Money::parse("76.4516").value());
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("operations on one service are serialized: actions wait for the running one",
          "[unit][billing][operations]") {
  BillingHarness h;
  ClientId hal = h.client("hal", Money::from_units(100));
  ServiceId id = h.order(hal, h.tariff());
  std::string busy = "service 1 is processing (open): try again when the operation ends";
  CHECK(error_of(h->delete_service(id, Actor::client, "")) == busy);
  CHECK(error_of(h->suspend(id, SuspendFlag::abuse, "")) == busy);
  CHECK(error_of(h->prolong(id, 1, Actor::client)) == busy);
  h.advance(Duration::minutes(1));  // installing
  CHECK(error_of(h->suspend(id, SuspendFlag::admin, "")) == busy);
  CHECK(h.scalar("SELECT COUNT(*) FROM operations") == 1);
  h.advance(Duration::hours(1));
  REQUIRE(h->suspend(id, SuspendFlag::admin, "").ok());
  CHECK(error_of(h->resume(id, SuspendFlag::admin, "")) ==
        "service 1 is processing (suspend): try again when the operation ends");
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("lifting the last manual flag after the paid time ran out leaves `auto`, not a free "
          "resume", "[unit][billing][lifecycle][flags]") {
  BillingHarness h;
  ClientId ivy = h.client("ivy", Money::from_units(40));
  ServiceId id = active_service(h, ivy, h.tariff());
  REQUIRE(h->suspend(id, SuspendFlag::admin, "").ok());
  h.advance_to(at("2026-02-01T12:00:00Z"));  // expired at 00:20, the daily job has not seen it
  REQUIRE(h.service(id).flags == SuspendFlags::of(SuspendFlag::admin));
  REQUIRE(h->resume(id, SuspendFlag::admin, "cleared").ok());
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::suspended);
  CHECK(s.flags == SuspendFlags::of(SuspendFlag::automatic));
  CHECK(s.auto_suspended_at == at("2026-02-01T12:00:00Z"));
  CHECK(h->service_history(id).value().back().reason ==
        "lifted admin: cleared; paid time ran out on 2026-02-01T00:20:00Z");
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("deleting a suspended service closes it too", "[unit][billing][lifecycle]") {
  BillingHarness h;
  ClientId jon = h.client("jon", Money::from_units(40));
  ServiceId id = active_service(h, jon, h.tariff());
  h.advance_to(at("2026-02-02T00:00:00Z"));
  REQUIRE(h.service(id).status == ServiceStatus::suspended);
  REQUIRE(h->delete_service(id, Actor::admin, "client left").ok());
  h.advance(Duration::minutes(1));
  CHECK(h.service(id).status == ServiceStatus::deleted);
  CHECK(h.module.owned_servers() == 0);
  CHECK(h->service_history(id).value().back().reason == "closed: deleted by admin: client left");
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("power suspension mode turns the server off and on, ports untouched",
          "[unit][billing][lifecycle][flags]") {
  BillingHarness h;
  billing::TariffSpec spec = standard_tariff();
  spec.suspension_mode = billing::SuspensionMode::power;
  ClientId kim = h.client("kim", Money::from_units(100));
  ServiceId id = active_service(h, kim, h.tariff(spec));
  int64_t server = *h.service(id).server_id;
  REQUIRE(h->suspend(id, SuspendFlag::client, "").ok());
  h.advance(Duration::minutes(1));
  CHECK(h.module.server(server)->power == "OFF");
  CHECK(h.module.server(server)->ports_up);
  REQUIRE_AUDIT_CLEAN(h);
  h.module.drift(server, true, "ON");  // someone powered it on by hand
  CHECK(h.audit().size() == 1);
  REQUIRE(h->run_sync().value().actions[0].action == "power_off");
  REQUIRE_AUDIT_CLEAN(h);
  REQUIRE(h->resume(id, SuspendFlag::client, "").ok());
  h.advance(Duration::minutes(1));
  CHECK(h.module.server(server)->power == "ON");
  REQUIRE_AUDIT_CLEAN(h);
}
