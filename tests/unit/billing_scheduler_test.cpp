// Specification of billing scheduling (Billing as common::TimedWork): what is due when, the daily
// job's hour, the sync job, running without a virtual clock, and determinism.
#include <catch2/catch.hpp>

#include "tests/support/billing_harness.h"

using namespace dcisim;
using namespace dcisim::testing;
using billing::ServiceStatus;

namespace {

// Every row of every table, as text: equal dumps mean equal databases.
std::string dump(BillingHarness& h) {
  billing::store::Database& db = h->database();
  std::vector<std::string> tables;
  billing::store::Statement names =
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  while (names.next()) tables.push_back(names.text(0));
  std::string out;
  for (const std::string& table : tables) {
    std::string columns;
    billing::store::Statement info = db.prepare("PRAGMA table_info(" + table + ")");
    while (info.next()) columns += (columns.empty() ? "quote(" : " || ',' || quote(") + info.text(1) + ")";
    billing::store::Statement rows = db.prepare("SELECT " + columns + " FROM " + table + " ORDER BY rowid");
    out += "== " + table + "\n";
    while (rows.next()) out += rows.text(0) + "\n";
  }
  return out;
}

std::string run_script(uint64_t seed) {
  BillingHarness h(test_settings(), seed);
  TariffId tariff = h.tariff();
  ClientId alice = h.client("alice", Money::from_units(200));
  ClientId bob = h.client("bob", Money::from_units(40));
  ClientId carol = h.client("carol");
  h.module.fail_next(2);
  ServiceId a = h.order(alice, tariff);
  h.order(bob, tariff);
  ServiceId c = h.order(carol, tariff, 3);
  h.advance(Duration::hours(2));
  REQUIRE(h->suspend(a, billing::SuspendFlag::abuse, "report").ok());
  h.advance(Duration::days(1));
  REQUIRE(h->pay(carol, Money::from_units(91), "card", "gw-c").ok());
  h.advance(Duration::days(19));
  REQUIRE(h->resume(a, billing::SuspendFlag::abuse, "").ok());
  h.advance(Duration::days(50));
  common::Status deleted = h->delete_service(c, billing::Actor::client, "");
  INFO((deleted.ok() ? std::string() : deleted.error().message));
  REQUIRE(deleted.ok());
  h.advance(Duration::days(3));
  REQUIRE_AUDIT_CLEAN(h);
  return dump(h);
}

}  // namespace

TEST_CASE("next_due is the earliest of the daily job, a pending operation and the sync",
          "[unit][billing][scheduler]") {
  BillingHarness h;
  Instant t0 = h.clock.now();
  CHECK(h->next_due() == t0);  // the first daily run is at creation (00:00)
  h.advance(Duration::hours(1));
  CHECK(h->next_due() == at("2026-01-02T00:00:00Z"));
  ClientId alice = h.client("alice", Money::from_units(100));
  h.order(alice, h.tariff());
  CHECK(h->next_due() == h.clock.now());  // the open is due at once
  h.advance(Duration());
  CHECK(h->next_due() == h.clock.now() + Duration::minutes(20));  // the install poll
}

TEST_CASE("the daily job runs once a day at its configured hour", "[unit][billing][scheduler][daily]") {
  billing::Settings settings = test_settings();
  settings.daily_job_offset = Duration::hours(2);
  BillingHarness h(settings);
  h.advance(Duration::days(3) + Duration::hours(1));
  std::vector<billing::DailyRunView> runs = h->daily_runs().value();
  REQUIRE(runs.size() == 3);
  CHECK(runs[0].day == "2026-01-01");
  CHECK(runs[0].ran_at == at("2026-01-01T02:00:00Z"));
  CHECK(runs[2].ran_at == at("2026-01-03T02:00:00Z"));
  h.reopen();  // the schedule survives a restart
  CHECK(h->next_due() == at("2026-01-04T02:00:00Z"));
}

TEST_CASE("the sync job runs every interval, records what it did, and records a failure",
          "[unit][billing][scheduler][sync]") {
  billing::Settings settings = test_settings();
  settings.sync_interval = Duration::hours(6);
  BillingHarness h(settings);
  ClientId alice = h.client("alice", Money::from_units(100));
  ServiceId id = h.order(alice, h.tariff());
  h.advance(Duration::hours(1));
  int64_t server = *h.service(id).server_id;
  h.module.drift(server, false, "ON");
  h.advance_to(at("2026-01-01T06:00:00Z"));
  std::vector<billing::SyncRunView> runs = h->sync_runs().value();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].ran_at == at("2026-01-01T06:00:00Z"));
  CHECK(runs[0].services == 1);
  REQUIRE(runs[0].actions.size() == 1);
  CHECK(runs[0].actions[0].action == "ports_up");
  CHECK(h.module.server(server)->ports_up);
  h.module.fail_next_sync();
  h.advance_to(at("2026-01-01T12:00:00Z"));
  runs = h->sync_runs().value();
  REQUIRE(runs.size() == 2);
  CHECK(runs[1].error == "sync: 503 Service Unavailable");
  h.advance_to(at("2026-01-01T18:00:00Z"));
  CHECK(h->sync_runs().value().size() == 3);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("without a virtual clock a caller drives the scheduler with run_due",
          "[unit][billing][scheduler]") {
  BillingHarness h;
  h.clock.unsubscribe(&*h);
  ClientId alice = h.client("alice", Money::from_units(100));
  ServiceId id = h.order(alice, h.tariff());
  for (int i = 0; i < 10 && h.service(id).status != ServiceStatus::active; ++i) {
    std::optional<Instant> due = h->next_due();
    REQUIRE(due.has_value());
    REQUIRE(h.clock.advance_to(std::max(*due, h.clock.now())).ok());
    h->run_due(h.clock.now());
  }
  CHECK(h.service(id).status == ServiceStatus::active);
  CHECK(h->scheduler_errors().empty());
  h.clock.subscribe(&*h);
}

TEST_CASE("the same seed and the same actions give the same database, row for row",
          "[unit][billing][determinism]") {
  std::string first = run_script(1234);
  CHECK(first.find("== services") != std::string::npos);
  CHECK(first == run_script(1234));
  CHECK(first != run_script(4321));  // secrets differ
}
