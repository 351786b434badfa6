// A billing core on a real SQLite file in a fresh temporary directory, a VirtualClock it is
// subscribed to, and a ScriptedModule with a few servers: what the billing tests share.
// `reopen()` closes the Billing and opens the same file again (a restart); `audit()` runs
// billing::audit against the database and the scripted remote side.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "billing/audit.h"
#include "billing/billing.h"
#include "common/clock.h"
#include "tests/support/scripted_module.h"

namespace dcisim::testing {

using billing::Billing;
using billing::ClientId;
using billing::ServiceId;
using billing::TariffId;
using common::Duration;
using common::Instant;
using common::Money;

// "2026-02-01T00:20:00Z" or "2026-02-01" as an Instant (test input: must parse).
Instant at(const char* iso);

// Default settings for tests: as shipped, but with cheap password hashing.
billing::Settings test_settings();

// "i7-8700-32Gb" in location 1: 1, 3 and 12 months at 30.00, 81.00 and 300.00; setup 10.00;
// extra IPv4 at 2.00/month (up to 4), extra IPv6 at 0.50/month (up to 8), script "lamp" at
// 5.00/month; Debian 12 and Ubuntu 22.04; 14 auto-deletion days, no grace, port mode.
billing::TariffSpec standard_tariff(const std::string& name = "dedicated-small");

// A directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class BillingHarness {
 public:
  explicit BillingHarness(billing::Settings settings = test_settings(), uint64_t seed = 42,
                          int servers = 4);
  ~BillingHarness();

  Billing& operator*() { return *billing_; }
  Billing* operator->() { return billing_.get(); }

  // Closes the Billing (unsubscribing it from the clock) and opens the same file again.
  void reopen();
  void close();
  // Advances the clock; requires success and no scheduler errors.
  void advance(Duration d);
  void advance_to(Instant t) { advance(t - clock.now()); }
  // The first column of the first row of `sql` (counts, sums) on the billing database.
  int64_t scalar(const std::string& sql);
  // Runs billing::audit with the scripted remote side.
  std::vector<billing::Violation> audit(bool remote_state = true);

  // Registers a client ("<name>@example.com") and, if positive, pays `deposit` by card.
  ClientId client(const std::string& name, Money deposit = Money());
  TariffId tariff(const billing::TariffSpec& spec = standard_tariff());
  // Orders 1 month of `tariff` with Debian 12 (autoprolong on).
  ServiceId order(ClientId client, TariffId tariff, int months = 1);
  Money balance(ClientId client);
  billing::ServiceView service(ServiceId id);
  std::string db_path() const { return db_path_; }

  TempDir dir;
  common::VirtualClock clock;
  ScriptedModule module;

 private:
  void open();

  billing::Settings settings_;
  uint64_t seed_;
  std::string db_path_;
  std::unique_ptr<Billing> billing_;
  int payments_ = 0;
};

}  // namespace dcisim::testing

// Audit after a step: fails the test with every violation listed.
#define REQUIRE_AUDIT_CLEAN(harness)                                          \
  do {                                                                        \
    std::vector<::dcisim::billing::Violation> found_ = (harness).audit();     \
    INFO(::dcisim::billing::describe(found_));                                \
    REQUIRE(found_.empty());                                                  \
  } while (0)
