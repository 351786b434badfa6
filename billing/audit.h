// The audit: checks every invariant of DOMAIN.md ("Invariants for property-based tests") and
// DESIGN.md against the billing database and, when given, the remote side as a `RemoteView`
// (read by the module from DCImanager, or built by the caller from the emulator). Returns the
// violations, each naming its invariant and the service/account and numbers involved; an empty
// list means every invariant holds. Read-only: safe to run after every step of a scenario.
//
//   RemoteView remote = module.remote_view().value();
//   for (const Violation& v : audit(*billing, {&remote})) std::cerr << v.invariant << ": " << v.message;
#pragma once

#include <string>
#include <vector>

#include "billing/billing.h"
#include "billing/provisioning.h"

namespace dcisim::billing {

struct Violation {
  std::string invariant;  // e.g. "ledger_balance", "period_overlap", "remote_ownership"
  std::string message;    // names the service/account and the numbers
};

struct AuditOptions {
  const RemoteView* remote = nullptr;  // unset: the remote invariants are skipped
  // Check ports/power of active and suspended services against the remote side (invariant 11,
  // "after a sync"): turn off while the remote side is known to drift until the next sync.
  bool remote_state = true;
};

// Invariant names, one per checked rule (see docs/BILLING.md for each rule's exact statement):
//   ledger_balance, credit_limit, expense_account, refund_bounds    (money: 1, 2)
//   period_chain, expiredate_matches_periods, period_charged        (3)
//   active_paid                                                      (4)
//   processing_operation, failed_operation_handled, task_operation   (5)
//   single_open, server_set_once                                     (6)
//   funds_clear_only_auto, suspension_flags                          (7)
//   auto_delete_timing                                               (8)
//   deleted_holds_nothing                                            (9)
//   ip_unique, pool_totals                                           (10)
//   remote_ownership, remote_state                                   (11)
//   history_matches_status                                           (every change has a row)
//   audit_error                                                      (the audit could not read)
std::vector<Violation> audit(const Billing& billing, const AuditOptions& options = {});

// Every invariant name the audit can report, sorted (the list above).
const std::vector<std::string>& audit_invariant_names();

// "ledger_balance: account 3 ...\n..." for test failure messages; "" when empty.
std::string describe(const std::vector<Violation>& violations);

}  // namespace dcisim::billing
