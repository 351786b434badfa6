// A measurement, not a specification (hidden: run with `dcisim_tests_unit "[bench]"`): a year of
// billing for 200 services on a virtual clock, audited monthly.
#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>

#include "tests/support/billing_harness.h"

using namespace dcisim;
using namespace dcisim::testing;

TEST_CASE("a year of billing for 200 services", "[.][bench]") {
  BillingHarness h(test_settings(), 42, /*servers=*/220);
  TariffId tariff = h.tariff();
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) {
    // Three in four clients keep paying; the others lapse and are auto-deleted.
    Money deposit = Money::from_units(i % 4 == 3 ? 40 : 400);
    ClientId client = h.client("client" + std::to_string(i), deposit);
    h.order(client, tariff);
  }
  auto ordered = std::chrono::steady_clock::now();
  double audit_ms = 0;
  for (int month = 0; month < 12; ++month) {
    h.advance(Duration::days(30));
    auto before = std::chrono::steady_clock::now();
    REQUIRE_AUDIT_CLEAN(h);
    audit_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - before).count();
  }
  auto done = std::chrono::steady_clock::now();
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  std::cout << "200 clients + orders: " << ms(started, ordered) << " ms; 360 days: "
            << ms(ordered, done) - audit_ms << " ms; 12 audits: " << audit_ms << " ms; history rows: "
            << h.scalar("SELECT COUNT(*) FROM status_history") << "; expenses: "
            << h.scalar("SELECT COUNT(*) FROM expenses") << "\n";
}
