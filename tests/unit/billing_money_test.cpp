// Specification of money in the billing core (DOMAIN.md "Money" and the "what goes wrong" table):
// the payment lifecycle, idempotent gateway callbacks, one crediting path, refunds, the credit
// limit, debt first, rounding once, and the daily job run twice for the same day.
#include <catch2/catch.hpp>

#include "tests/support/billing_harness.h"

using namespace dcisim;
using namespace dcisim::testing;
using billing::Actor;
using billing::PaymentStatus;
using billing::ServiceStatus;

namespace {

std::string error_of(const common::Status& status) {
  return status.ok() ? std::string("(ok)") : status.error().message;
}
template <typename T>
std::string error_of(const common::Result<T>& result) {
  return result.ok() ? std::string("(ok)") : result.error().message;
}

// Everything a billing run can change, as text: equal fingerprints mean nothing changed.
std::string fingerprint(BillingHarness& h) {
  std::string out;
  for (const char* sql : {
           "SELECT group_concat(id || ':' || balance, ',') FROM accounts",
           "SELECT group_concat(id || ':' || status || ':' || flags || ':' || COALESCE(expiredate, '-'), ',') FROM services",
           "SELECT COUNT(*) || '/' || COALESCE(SUM(amount), 0) FROM expenses",
           "SELECT COUNT(*) || '/' || COALESCE(SUM(amount), 0) FROM payments",
           "SELECT COUNT(*) FROM status_history",
           "SELECT group_concat(id || ':' || status, ',') FROM operations",
           "SELECT COUNT(*) FROM tasks",
           "SELECT COUNT(*) FROM service_periods"}) {
    billing::store::Statement st = h->database().prepare(sql);
    REQUIRE(st.next());
    out += st.text(0) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("a payment goes new -> in_pay -> paid, each step with a history row",
          "[unit][billing][money]") {
  BillingHarness h;
  ClientId alice = h.client("alice");
  billing::PaymentId id = h->create_payment(alice, Money::from_units(25), "card").value();
  CHECK(h->payment(id).value().status == PaymentStatus::new_);
  CHECK(h.balance(alice) == Money::zero());
  REQUIRE(h->start_payment(id, "gw-1001").ok());
  REQUIRE(h->start_payment(id, "gw-1001").ok());  // a repeated redirect is harmless
  CHECK(h->payment(id).value().status == PaymentStatus::in_pay);
  CHECK(h.balance(alice) == Money::zero());
  billing::PaymentView paid = h->confirm_payment("gw-1001").value();
  CHECK(paid.status == PaymentStatus::paid);
  CHECK(paid.paid_at == h.clock.now());
  CHECK(h.balance(alice) == Money::from_units(25));
  std::vector<billing::HistoryView> history = h->history("payment", id.value()).value();
  REQUIRE(history.size() == 3);
  CHECK(history[2].from_status == "in_pay");
  CHECK(history[2].to_status == "paid");
  CHECK(history[2].actor == Actor::gateway);
  CHECK(history[2].balance_after == Money::from_units(25));
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("a gateway callback delivered twice credits once", "[unit][billing][money]") {
  BillingHarness h;
  ClientId bob = h.client("bob");
  TariffId tariff = h.tariff();
  ServiceId waiting = h.order(bob, tariff);
  billing::PaymentId id = h->create_payment(bob, Money::from_units(40), "card").value();
  REQUIRE(h->start_payment(id, "gw-2002").ok());
  REQUIRE(h->confirm_payment("gw-2002").ok());
  CHECK(h.service(waiting).status == ServiceStatus::processing);
  std::string before = fingerprint(h);
  billing::PaymentView again = h->confirm_payment("gw-2002").value();
  CHECK(again.id == id);
  CHECK(again.status == PaymentStatus::paid);
  CHECK(fingerprint(h) == before);
  CHECK(h.balance(bob) == Money::zero());
  CHECK(error_of(h->confirm_payment("gw-unknown")) == "a payment with external id 'gw-unknown' does not exist");
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("paying again with the same gateway id is the same payment, credited once", "[unit][billing][money]") {
  BillingHarness h;
  ClientId bob = h.client("bob");
  ClientId eve = h.client("eve");
  TariffId tariff = h.tariff();
  ServiceId waiting = h.order(bob, tariff);
  billing::PaymentId id = h->pay(bob, Money::from_units(40), "card", "gw-4004").value();
  CHECK(h.service(waiting).status == ServiceStatus::processing);
  std::string before = fingerprint(h);
  CHECK(h->pay(bob, Money::from_units(40), "card", "gw-4004").value() == id);
  CHECK(fingerprint(h) == before);
  CHECK(error_of(h->pay(eve, Money::from_units(40), "card", "gw-4004")) ==
        "external id 'gw-4004' already names payment 1 of 40.00 for client 1");
  CHECK(error_of(h->pay(bob, Money::from_units(41), "card", "gw-4004")) ==
        "external id 'gw-4004' already names payment 1 of 40.00 for client 1");
  CHECK(fingerprint(h) == before);
  CHECK(h.balance(eve) == Money::zero());
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("payment refusals: canceled, reused external id, bad amounts", "[unit][billing][money]") {
  BillingHarness h;
  ClientId carol = h.client("carol");
  billing::PaymentId first = h->create_payment(carol, Money::from_units(10), "card").value();
  billing::PaymentId second = h->create_payment(carol, Money::from_units(10), "card").value();
  REQUIRE(h->start_payment(first, "gw-3003").ok());
  CHECK(error_of(h->start_payment(second, "gw-3003")) == "external id 'gw-3003' belongs to another payment");
  REQUIRE(h->cancel_payment(first, "client closed the page").ok());
  CHECK(error_of(h->confirm_payment("gw-3003")) ==
        "payment 1 ('gw-3003') was canceled: money confirmed after a cancel needs staff");
  CHECK(error_of(h->cancel_payment(first, "")) == "payment 1 is canceled: only new or in_pay can be canceled");
  CHECK(error_of(h->create_payment(carol, Money::zero(), "card")) == "a payment amount must be positive, got 0.00");
  CHECK(error_of(h->create_payment(carol, -Money::from_units(5), "card")) ==
        "a payment amount must be positive, got -5.00");
  CHECK(error_of(h->create_payment(carol, Money::from_units(5), "")) == "payment method must be 1..64 characters");
  CHECK(h.balance(carol) == Money::zero());
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("admin 'mark as paid' goes through the same crediting path and activates the order",
          "[unit][billing][money]") {
  BillingHarness h;
  ClientId dave = h.client("dave");
  ServiceId id = h.order(dave, h.tariff());
  billing::PaymentId credit = h->admin_credit(dave, Money::from_units(40), "paid by wire").value();
  billing::PaymentView p = h->payment(credit).value();
  CHECK(p.method == "admin");
  CHECK(p.status == PaymentStatus::paid);
  CHECK(h.service(id).status == ServiceStatus::processing);
  h.advance(Duration::hours(1));
  CHECK(h.service(id).status == ServiceStatus::active);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("a full refund marks the payment refunded and a partial refund is a negative payment",
          "[unit][billing][money]") {
  BillingHarness h;
  ClientId erin = h.client("erin", Money::from_units(100));
  billing::PaymentId paid = h->payments(erin).value()[0].id;

  SECTION("full") {
    REQUIRE(h->refund_payment(paid, std::nullopt, "duplicate charge").ok());
    CHECK(h->payment(paid).value().status == PaymentStatus::refunded);
    CHECK(h.balance(erin) == Money::zero());
    CHECK(error_of(h->refund_payment(paid, std::nullopt, "")) ==
          "payment 1 is refunded: only a paid payment can be refunded");
  }
  SECTION("partial, twice, then no more than what is left") {
    billing::PaymentId r1 = h->refund_payment(paid, Money::from_units(30), "goodwill").value();
    billing::PaymentView row = h->payment(r1).value();
    CHECK(row.amount == -Money::from_units(30));
    CHECK(row.refund_of == paid);
    CHECK(row.status == PaymentStatus::paid);
    CHECK(h->payment(paid).value().status == PaymentStatus::paid);
    REQUIRE(h->refund_payment(paid, Money::from_units(20), "").ok());
    CHECK(h.balance(erin) == Money::from_units(50));
    CHECK(error_of(h->refund_payment(paid, Money::from_units(60), "")) ==
          "refund of 60.00 for payment 1: must be in 0.0001..50.00 (paid 100.00, refunded 50.00)");
    CHECK(error_of(h->refund_payment(r1, std::nullopt, "")) ==
          "payment 2 is paid (a refund itself): only a paid payment can be refunded");
  }
  SECTION("money already spent is not refunded") {
    h.order(erin, h.tariff());  // 40.00 spent
    CHECK(error_of(h->refund_payment(paid, std::nullopt, "")) ==
          "cannot refund 100.00 of payment 1: the balance is 60.00 and money already spent is not refunded");
    REQUIRE(h->refund_payment(paid, Money::from_units(60), "").ok());
    CHECK(h.balance(erin) == Money::zero());
  }
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("the credit limit lets charges go below zero, down to -limit and no further",
          "[unit][billing][money]") {
  BillingHarness h;
  ClientId fay = h.client("fay");
  TariffId tariff = h.tariff();
  REQUIRE(h->set_credit_limit(fay, Money::from_units(50), "trusted").ok());
  ServiceId first = h.order(fay, tariff);
  CHECK(h.service(first).status == ServiceStatus::processing);
  CHECK(h.balance(fay) == -Money::from_units(40));
  // The next would take the balance to -80: refused as a whole, the order waits.
  ServiceId second = h.order(fay, tariff);
  CHECK(h.service(second).status == ServiceStatus::ordered);
  CHECK(h->service_expenses(second).value().empty());
  CHECK(h->operations(second).value().empty());
  CHECK(h.balance(fay) == -Money::from_units(40));
  REQUIRE_AUDIT_CLEAN(h);
  h.advance(Duration::hours(1));
  REQUIRE(h.service(first).status == ServiceStatus::active);
  Instant expiredate = *h.service(first).expiredate;
  CHECK(error_of(h->prolong(first, 1, Actor::client)) ==
        "insufficient funds for the renewal of service 1: balance -40.00, credit limit 50.00, charge 30.00");
  CHECK(*h.service(first).expiredate == expiredate);
  CHECK(error_of(h->set_credit_limit(fay, -Money::from_units(1), "")) == "a credit limit cannot be negative");
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("incoming money covers debt first: a service suspended in debt resumes only once the "
          "debt is paid", "[unit][billing][money][lifecycle]") {
  BillingHarness h;
  ClientId gus = h.client("gus");
  REQUIRE(h->set_credit_limit(gus, Money::from_units(50), "").ok());
  ServiceId id = h.order(gus, h.tariff());  // balance -40
  h.advance_to(at("2026-02-02T00:00:00Z"));  // renewal to -70 exceeds the limit: suspended
  REQUIRE(h.service(id).status == ServiceStatus::suspended);
  REQUIRE(h.balance(gus) == -Money::from_units(40));

  // -15 after this payment: the renewal would fit the credit limit (-45), but the debt is not paid.
  REQUIRE(h->pay(gus, Money::from_units(25), "card", "gw-gus-1").ok());
  CHECK(h.service(id).status == ServiceStatus::suspended);
  CHECK(h.balance(gus) == -Money::from_units(15));
  REQUIRE_AUDIT_CLEAN(h);
  REQUIRE(h->pay(gus, Money::from_units(15), "card", "gw-gus-2").ok());
  CHECK(h.service(id).status == ServiceStatus::processing);
  CHECK(h.balance(gus) == -Money::from_units(30));
  h.advance(Duration::minutes(1));
  CHECK(h.service(id).status == ServiceStatus::active);
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("pro-rata refunds round once, half to even", "[unit][billing][money]") {
  BillingHarness h;
  billing::TariffSpec spec = standard_tariff("tiny");
  spec.prices = {{1, Money::from_sub_units(5)}};  // 0.0005 a month
  spec.setup_fee = Money::zero();
  spec.refund_unused_on_delete = true;
  ClientId hal = h.client("hal", Money::from_units(1));
  TariffId tariff = h.tariff(spec);
  h.advance_to(at("2026-02-01T00:00:00Z"));
  ServiceId id = h.order(hal, tariff);
  h.advance(Duration::hours(1));  // active 2026-02-01T00:20 .. 2026-03-01T00:20: 28 days
  h.advance_to(at("2026-02-15T00:20:00Z"));  // 14 days used, 14 unused
  REQUIRE(h->delete_service(id, Actor::client, "").ok());
  h.advance(Duration::minutes(1));
  std::vector<billing::ExpenseView> expenses = h->service_expenses(id).value();
  REQUIRE(expenses.size() == 2);
  // 5 sub-units * 14 / 28 = 2.5 -> 2 (half to even), not 3.
  CHECK(expenses[1].amount == -Money::from_sub_units(2));
  CHECK(h.balance(hal) == Money::from_units(1) - Money::from_sub_units(3));
  REQUIRE_AUDIT_CLEAN(h);
}

TEST_CASE("running the daily job twice for the same day changes nothing the second time",
          "[unit][billing][money][daily]") {
  BillingHarness h;
  TariffId tariff = h.tariff();
  ClientId rich = h.client("rich", Money::from_units(100));
  ClientId poor = h.client("poor", Money::from_units(40));
  ClientId late = h.client("late");
  ServiceId renewed = h.order(rich, tariff);
  ServiceId suspended = h.order(poor, tariff);
  ServiceId unpaid = h.order(late, tariff);
  h.advance(Duration::hours(1));
  h.clock.unsubscribe(&*h);  // from here the test runs the job by hand
  REQUIRE(h.clock.advance_to(at("2026-02-02T00:00:00Z")).ok());

  billing::DailyRunView first = h->run_daily_job().value();
  CHECK(first.summary["renewed"] == 1);
  CHECK(first.summary["suspended"] == 1);
  CHECK(first.summary["unpaid_deleted"] == 1);
  CHECK(h.service(renewed).status == ServiceStatus::active);
  CHECK(*h.service(renewed).expiredate == at("2026-03-01T00:20:00Z"));
  CHECK(h.service(suspended).status == ServiceStatus::processing);
  CHECK(h.service(unpaid).status == ServiceStatus::deleted);
  std::string after_first = fingerprint(h);
  billing::DailyRunView second = h->run_daily_job().value();
  CHECK(second.summary["renewed"] == 0);
  CHECK(second.summary["suspended"] == 0);
  CHECK(second.summary["unpaid_deleted"] == 0);
  CHECK(fingerprint(h) == after_first);
  std::vector<billing::DailyRunView> runs = h->daily_runs().value();
  CHECK(runs.back().day == "2026-02-02");
  CHECK(runs.back().summary["renewed"] == 1);  // the day's first run is the record
  h.clock.subscribe(&*h);
  REQUIRE_AUDIT_CLEAN(h);
}
