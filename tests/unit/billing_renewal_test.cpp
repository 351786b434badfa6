// Specification of the daily job's lifecycle paths (DOMAIN.md): renewal, suspension for `auto`,
// grace, resume after payment with the new period starting at the resume, auto-deletion.
// Timeline used throughout: ordered 2026-01-01T00:00Z, installed in 20 minutes, so active from
// 00:20 and paid until 2026-02-01T00:20Z.
#include <catch2/catch.hpp>

#include "tests/support/billing_harness.h"

using namespace dcisim;
using namespace dcisim::testing;
using billing::ServiceStatus;
using billing::SuspendFlag;
using billing::SuspendFlags;

namespace {

// Module calls other than the sync job's.
size_t operation_calls(const ScriptedModule& module) {
  size_t n = 0;
  for (const std::string& call : module.calls()) n += call.rfind("sync", 0) != 0;
  return n;
}

ServiceId active_service(BillingHarness& h, ClientId client, TariffId tariff) {
  ServiceId id = h.order(client, tariff);
  h.advance(Duration::hours(1));
  REQUIRE(h.service(id).status == ServiceStatus::active);
  REQUIRE(*h.service(id).expiredate == at("2026-02-01T00:20:00Z"));
  return id;
}

}  // namespace

TEST_CASE("the daily job renews with autoprolong and funds: charge and extend, no module call",
          "[unit][billing][lifecycle][daily]") {
  BillingHarness h;
  ClientId alice = h.client("alice", Money::from_units(100));
  ServiceId id = active_service(h, alice, h.tariff());
  size_t calls = operation_calls(h.module);

  h.advance_to(at("2026-01-31T00:00:00Z"));
  CHECK(*h.service(id).expiredate == at("2026-02-01T00:20:00Z"));  // not due yet
  h.advance_to(at("2026-02-01T00:00:00Z"));  // expires before the next run: renewed now
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::active);
  CHECK(*s.expiredate == at("2026-03-01T00:20:00Z"));
  CHECK(h.balance(alice) == Money::from_units(30));
  REQUIRE_AUDIT_CLEAN(h);
  h.advance_to(at("2026-03-01T00:00:00Z"));
  CHECK(*h.service(id).expiredate == at("2026-04-01T00:20:00Z"));
  CHECK(h.balance(alice) == Money::zero());
  CHECK(operation_calls(h.module) == calls);

  std::vector<billing::PeriodView> periods = h->periods(id).value();
  REQUIRE(periods.size() == 3);
  CHECK(*periods[1].start_at == *periods[0].end_at);
  CHECK(*periods[2].start_at == *periods[1].end_at);
  billing::HistoryView renewal = h->service_history(id).value().back();
  CHECK(renewal.actor == billing::Actor::daily_job);
  CHECK(renewal.from_status == "active");
  CHECK(renewal.to_status == "active");
  CHECK(renewal.amount == Money::from_units(30));
  CHECK(renewal.balance_after == Money::zero());
  CHECK(renewal.reason == "renewed by the daily job: paid until 2026-04-01T00:20:00Z");
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("without funds the service is suspended for auto once expired, ports down",
          "[unit][billing][lifecycle][daily]") {
  BillingHarness h;
  ClientId bob = h.client("bob", Money::from_units(40));
  ServiceId id = active_service(h, bob, h.tariff());
  h.advance_to(at("2026-02-01T00:00:00Z"));
  CHECK(h.service(id).status == ServiceStatus::active);  // not expired yet at the run
  h.advance_to(at("2026-02-02T00:00:00Z"));
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::suspended);
  CHECK(s.flags == SuspendFlags::of(SuspendFlag::automatic));
  CHECK(s.auto_suspended_at == at("2026-02-02T00:00:00Z"));
  CHECK_FALSE(h.module.server(*s.server_id)->ports_up);
  std::vector<billing::HistoryView> history = h->service_history(id).value();
  REQUIRE(history.size() >= 2);
  billing::HistoryView queued = history[history.size() - 2];
  CHECK(queued.to_status == "processing");
  CHECK(queued.to_flags == "auto");
  CHECK(queued.actor == billing::Actor::daily_job);
  CHECK(queued.reason ==
        "expired 2026-02-01T00:20:00Z: insufficient funds for the renewal: balance 0.00, "
        "credit limit 0.00, charge 30.00");
  CHECK(history.back().to_status == "suspended");
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("paying the debt resumes an auto-suspended service and the new period starts at the resume",
          "[unit][billing][lifecycle][money]") {
  BillingHarness h;
  ClientId carol = h.client("carol", Money::from_units(40));
  ServiceId id = active_service(h, carol, h.tariff());
  h.advance_to(at("2026-02-10T12:00:00Z"));
  REQUIRE(h.service(id).status == ServiceStatus::suspended);

  REQUIRE(h->pay(carol, Money::from_units(30), "card", "gw-carol-2").ok());
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::processing);
  CHECK(s.flags.empty());
  CHECK(h.balance(carol) == Money::zero());
  REQUIRE_AUDIT_CLEAN(h);
  h.advance(Duration::minutes(1));
  s = h.service(id);
  CHECK(s.status == ServiceStatus::active);
  CHECK(h.module.server(*s.server_id)->ports_up);
  // No charge for Feb 1-10: 40 (first month + setup) + 30 (the new month) in all.
  CHECK(*s.expiredate == at("2026-03-10T12:00:00Z"));
  Money charged;
  std::vector<billing::ExpenseView> expenses = h->service_expenses(id).value();
  for (const billing::ExpenseView& e : expenses) charged += e.amount;
  CHECK(charged == Money::from_units(70));
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("grace days keep an expired service active, then it is suspended",
          "[unit][billing][lifecycle][daily]") {
  BillingHarness h;
  billing::TariffSpec spec = standard_tariff();
  spec.grace_days = 3;
  ClientId dave = h.client("dave", Money::from_units(40));
  ServiceId id = active_service(h, dave, h.tariff(spec));
  h.advance_to(at("2026-02-04T00:00:00Z"));
  CHECK(h.service(id).status == ServiceStatus::active);
  REQUIRE_AUDIT_CLEAN(h);
  h.advance_to(at("2026-02-05T00:00:00Z"));
  CHECK(h.service(id).status == ServiceStatus::suspended);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("autoprolong off: the service is suspended even with funds, and money does not resume it",
          "[unit][billing][lifecycle][daily]") {
  BillingHarness h;
  ClientId erin = h.client("erin", Money::from_units(100));
  ServiceId id = active_service(h, erin, h.tariff());
  REQUIRE(h->set_autoprolong(id, false, billing::Actor::client).ok());
  CHECK_FALSE(h.service(id).autoprolong);
  h.advance_to(at("2026-02-02T00:00:00Z"));
  CHECK(h.service(id).status == ServiceStatus::suspended);
  CHECK(h->service_history(id).value()[3].reason == "autoprolong off");
  REQUIRE(h->admin_credit(erin, Money::from_units(10), "gift").ok());
  CHECK(h.service(id).status == ServiceStatus::suspended);
  CHECK(h.balance(erin) == Money::from_units(70));

  SECTION("prolong by the client charges and resumes") {
    REQUIRE(h->prolong(id, 1, billing::Actor::client).ok());
    CHECK(h.service(id).status == ServiceStatus::processing);
    h.advance(Duration::minutes(1));
    CHECK(h.service(id).status == ServiceStatus::active);
    CHECK(*h.service(id).expiredate == common::add_months(h.clock.now() - Duration::minutes(1), 1));
    CHECK(h.balance(erin) == Money::from_units(40));
  }
  SECTION("turning autoprolong on lets the money work") {
    REQUIRE(h->set_autoprolong(id, true, billing::Actor::client).ok());
    CHECK(h.service(id).status == ServiceStatus::processing);
    CHECK(h.balance(erin) == Money::from_units(40));
  }
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("a service suspended for auto is deleted after the tariff's auto-deletion days",
          "[unit][billing][lifecycle][daily]") {
  BillingHarness h;
  ClientId fay = h.client("fay", Money::from_units(40));
  ServiceId id = active_service(h, fay, h.tariff());
  h.advance_to(at("2026-02-02T00:00:00Z"));  // suspended for auto
  int64_t server = *h.service(id).server_id;
  h.advance_to(at("2026-02-15T00:00:00Z"));
  CHECK(h.service(id).status == ServiceStatus::suspended);
  REQUIRE_AUDIT_CLEAN(h);
  h.advance_to(at("2026-02-16T00:00:00Z"));  // 14 days after the suspension
  billing::ServiceView s = h.service(id);
  CHECK(s.status == ServiceStatus::deleted);
  CHECK(s.deleted_at == at("2026-02-16T00:00:00Z"));
  CHECK_FALSE(s.server_id.has_value());
  CHECK(s.addresses.empty());
  CHECK(s.root_password.empty());
  CHECK(h.module.server(server)->owner_email.empty());
  CHECK(h.module.free_ipv4() == 32);
  billing::HistoryView queued = h->service_history(id).value()[5];
  CHECK(queued.actor == billing::Actor::daily_job);
  CHECK(queued.reason == "auto-deleted: suspended for auto since 2026-02-02T00:00:00Z, 14 days");
  // Deleted holds nothing and is charged nothing later.
  REQUIRE(h->admin_credit(fay, Money::from_units(100), "").ok());
  h.advance_to(at("2026-04-01T00:00:00Z"));
  CHECK(h.balance(fay) == Money::from_units(100));
  REQUIRE_AUDIT_CLEAN(h);
}
