// Specification of billing::audit (billing/audit.h): a clean run has no violations, and each kind
// of corruption made behind the billing's back is named by its invariant, with the numbers.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/support/billing_harness.h"

using namespace dcisim;
using namespace dcisim::testing;
using billing::ServiceStatus;

namespace {

bool has(const std::vector<billing::Violation>& found, const std::string& invariant,
         const std::string& message_part = "") {
  return std::any_of(found.begin(), found.end(), [&](const billing::Violation& v) {
    return v.invariant == invariant && v.message.find(message_part) != std::string::npos;
  });
}

void exec(BillingHarness& h, const std::string& sql) {
  common::Status done = h->database().exec(sql);
  INFO((done.ok() ? std::string() : done.error().message));
  REQUIRE(done.ok());
}

ServiceId active_service(BillingHarness& h, ClientId client) {
  ServiceId id = h.order(client, h.tariff());
  h.advance(Duration::hours(1));
  REQUIRE(h.service(id).status == ServiceStatus::active);
  REQUIRE_AUDIT_CLEAN(h);
  return id;
}

}  // namespace

TEST_CASE("audit: an expense inserted behind the billing's back breaks the ledger",
          "[unit][billing][audit]") {
  BillingHarness h;
  ClientId alice = h.client("alice", Money::from_units(100));
  active_service(h, alice);
  exec(h, "INSERT INTO expenses (account_id, service_id, kind, amount, period_seq, created_at, "
          "balance_after, credit_limit, description) VALUES (1, 1, 'period', 300000, 7, 0, 0, 0, 'x')");
  std::vector<billing::Violation> found = h.audit();
  INFO(billing::describe(found));
  CHECK(has(found, "ledger_balance",
            "account 1 (client 1): balance 60.00 but paid payments 100.00 - expenses 70.00 = 30.00"));
  CHECK(has(found, "period_charged", "service 1 (active) period 7: expenses for a period that does not exist"));
}

TEST_CASE("audit: a charge below the credit limit is named with its balance",
          "[unit][billing][audit]") {
  BillingHarness h;
  ClientId bob = h.client("bob", Money::from_units(100));
  active_service(h, bob);
  exec(h, "INSERT INTO expenses (account_id, service_id, kind, amount, period_seq, created_at, "
          "balance_after, credit_limit, description) VALUES (1, NULL, 'addon', 800000, NULL, 0, "
          "-200000, 0, 'x')");
  exec(h, "UPDATE accounts SET balance = -200000");
  std::vector<billing::Violation> found = h.audit();
  INFO(billing::describe(found));
  CHECK(has(found, "credit_limit", "balance after -20.00 is below the credit limit -0.00"));
  CHECK_FALSE(has(found, "ledger_balance"));
}

TEST_CASE("audit: a status changed without a history row, and a suspended service whose ports "
          "are up", "[unit][billing][audit]") {
  BillingHarness h;
  ClientId carol = h.client("carol", Money::from_units(100));
  active_service(h, carol);
  exec(h, "UPDATE services SET status = 'suspended', flags = 'admin' WHERE id = 1");
  std::vector<billing::Violation> found = h.audit();
  INFO(billing::describe(found));
  CHECK(has(found, "history_matches_status",
            "service 1 is 'suspended' flags 'admin' but its last history row says 'active' flags ''"));
  CHECK(has(found, "remote_state", "service 1 (suspended) in port mode, but server 1"));
}

TEST_CASE("audit: processing without an operation, and an operation with no way forward",
          "[unit][billing][audit]") {
  BillingHarness h;
  ClientId dave = h.client("dave", Money::from_units(100));
  active_service(h, dave);
  exec(h, "UPDATE services SET status = 'processing' WHERE id = 1");
  exec(h, "INSERT INTO operations (service_id, kind, status, actor, reason, request, from_status, "
          "from_flags, created_at, updated_at) VALUES (1, 'suspend', 'manual', 'admin', 'x', '{}', "
          "'active', '', 0, 0)");
  exec(h, "INSERT INTO operations (service_id, kind, status, actor, reason, request, from_status, "
          "from_flags, created_at, updated_at, result) VALUES (1, 'open', 'done', 'runner', 'x', "
          "'{}', 'ordered', '', 0, 0, '{\"server_id\": 3}')");
  std::vector<billing::Violation> found = h.audit();
  INFO(billing::describe(found));
  CHECK(has(found, "failed_operation_handled", "waits for staff with 0 open task(s) (expected 1)"));
  CHECK(has(found, "single_open", "service 1 (processing): 2 successful opens"));
  common::Status second = h->database().exec(
      "INSERT INTO operations (service_id, kind, status, actor, reason, request, from_status, "
      "from_flags, created_at, updated_at, next_run_at) VALUES (1, 'close', 'pending', 'admin', "
      "'x', '{}', 'active', '', 0, 0, 0)");
  REQUIRE_FALSE(second.ok());  // the store itself refuses a second unfinished operation
  CHECK(second.error().kind == common::ErrorKind::conflict);
}

TEST_CASE("audit: a deleted service still holding an address, a leaked server, and a broken "
          "remote side", "[unit][billing][audit]") {
  BillingHarness h;
  ClientId erin = h.client("erin", Money::from_units(100));
  ServiceId id = active_service(h, erin);
  REQUIRE(h->delete_service(id, billing::Actor::client, "").ok());
  h.advance(Duration::minutes(1));
  REQUIRE_AUDIT_CLEAN(h);
  exec(h, "INSERT INTO service_addresses (service_id, remote_id, address, family) "
          "VALUES (1, 5, '192.0.2.5', 'ipv4')");
  h.module.assign(3, "erin@example.com", "");
  billing::RemoteView remote = h.module.remote_view().value();
  remote.servers[1].addresses.push_back({77, "198.51.100.7", "ipv4"});
  remote.servers[2].addresses.push_back({77, "198.51.100.7", "ipv4"});
  remote.pools[0].free -= 1;
  billing::AuditOptions options;
  options.remote = &remote;
  std::vector<billing::Violation> found = billing::audit(*h, options);
  INFO(billing::describe(found));
  CHECK(has(found, "deleted_holds_nothing", "service 1 (deleted) holds: 1 address(es);"));
  CHECK(has(found, "remote_ownership",
            "server 3 (owner 'erin@example.com', domain '') is owned but maps to no live service"));
  CHECK(has(found, "ip_unique", "198.51.100.7 is held by servers 2 and 3"));
  CHECK(has(found, "pool_totals", "pool 1 'ipv4-pool': free 31 + assigned 0 != size 32"));
}

TEST_CASE("audit: ports that drifted are caught, and the sync job repairs them",
          "[unit][billing][audit][sync]") {
  BillingHarness h;
  ClientId fay = h.client("fay", Money::from_units(100));
  ServiceId id = active_service(h, fay);
  int64_t server = *h.service(id).server_id;
  h.module.drift(server, /*ports_up=*/false, "ON");
  std::vector<billing::Violation> found = h.audit();
  INFO(billing::describe(found));
  CHECK(has(found, "remote_state", "service 1 (active) in port mode, but server 1"));
  CHECK(h.audit(/*remote_state=*/false).empty());

  billing::SyncRunView run = h->run_sync().value();
  CHECK(run.services == 1);
  REQUIRE(run.actions.size() == 1);
  CHECK(run.actions[0].action == "ports_up");
  CHECK(run.actions[0].server_id == server);
  CHECK(h->sync_runs().value().back().actions[0].action == "ports_up");
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("audit: an active service the daily job has judged past its paid time",
          "[unit][billing][audit]") {
  BillingHarness h;
  ClientId gil = h.client("gil", Money::from_units(100));
  active_service(h, gil);
  h.advance_to(at("2026-01-03T00:00:00Z"));
  // Pretend the period ended on Jan 2: the Jan 3 run should have renewed or suspended it.
  exec(h, "UPDATE services SET expiredate = 1767312000000 WHERE id = 1");
  std::vector<billing::Violation> found = h.audit();
  INFO(billing::describe(found));
  CHECK(has(found, "active_paid", "service 1 (active): active, paid until 2026-01-02T00:00:00Z + 0 "
                                  "grace day(s), but the daily job ran at 2026-01-03T00:00:00Z"));
  CHECK(has(found, "expiredate_matches_periods", "the last started period ends 2026-02-01T00:20:00Z"));
}
