// The account ledger: balances, charges (expenses) and refunds. Every function here runs inside
// the caller's transaction and keeps `accounts.balance` equal to paid payments minus expenses
// (the audit recomputes it from the rows). A charge either writes all its expenses or none: it is
// refused when it would take the balance below -credit_limit.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "billing/model.h"
#include "billing/store/sqlite.h"
#include "common/money.h"
#include "common/result.h"
#include "common/time.h"

namespace dcisim::billing {

struct AccountRow {
  AccountId id;
  ClientId client_id;
  common::Money balance;
  common::Money credit_limit;

  // Whether a charge of `amount` keeps the balance at or above -credit_limit.
  bool can_afford(common::Money amount) const { return balance - amount >= -credit_limit; }
};

common::Result<AccountRow> load_account(store::Database& db, AccountId id);
common::Result<AccountRow> load_account_of_client(store::Database& db, ClientId client);

// Adds `delta` to the cached balance (a payment becoming paid or refunded).
common::Status add_to_balance(store::Database& db, AccountRow& account, common::Money delta);

struct ChargeItem {
  ExpenseKind kind = ExpenseKind::period;
  common::Money amount;
  std::string description;
};

common::Money total_of(const std::vector<ChargeItem>& items);

// "insufficient funds for <what>: balance 10.00, credit limit 0.00, charge 25.00".
common::Error insufficient_funds(const AccountRow& account, common::Money charge,
                                 const std::string& what);

// Writes the items as expenses of `service` for period `period_seq` and lowers the balance.
// Refused as a whole (conflict, nothing written) if the account cannot afford the total.
common::Status charge(store::Database& db, common::Instant now, AccountRow& account,
                      ServiceId service, int period_seq, const std::vector<ChargeItem>& items,
                      const std::string& what);

// Writes a refund expense (negative) of `amount` (> 0) and raises the balance.
common::Status refund(store::Database& db, common::Instant now, AccountRow& account,
                      ServiceId service, int period_seq, common::Money amount,
                      const std::string& description);

// Sum of the expenses of one service period, by kind (refunds are negative).
common::Result<common::Money> period_expenses(store::Database& db, ServiceId service, int period_seq,
                                              std::optional<ExpenseKind> kind);

}  // namespace dcisim::billing
