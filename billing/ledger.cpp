#include "billing/ledger.h"


namespace dcisim::billing {

namespace {

using common::Money;

common::Result<AccountRow> read_account(store::Statement& st, const std::string& what) {
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return common::Error::not_found(what + " does not exist");
  }
  AccountRow row;
  row.id = AccountId(st.integer(0));
  row.client_id = ClientId(st.integer(1));
  row.balance = Money::from_sub_units(st.integer(2));
  row.credit_limit = Money::from_sub_units(st.integer(3));
  return row;
}

common::Status insert_expense(store::Database& db, common::Instant now, const AccountRow& account,
                              ServiceId service, int period_seq, ExpenseKind kind, Money amount,
                              const std::string& description) {
  store::Statement st = db.prepare(
      "INSERT INTO expenses (account_id, service_id, kind, amount, period_seq, created_at, "
      "balance_after, credit_limit, description) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  st.bind(1, account.id.value()).bind(2, service.value()).bind(3, expense_kind_name(kind));
  st.bind(4, amount.sub_units()).bind(5, period_seq).bind(6, now.unix_ms());
  st.bind(7, account.balance.sub_units()).bind(8, account.credit_limit.sub_units());
  st.bind(9, description);
  common::Status status = st.run();
  if (!status.ok() && status.error().kind == common::ErrorKind::conflict) {
    return common::Error::conflict("service " + service.to_string() + " already has a " +
                                   expense_kind_name(kind) + " expense for period " +
                                   std::to_string(period_seq) + ": nothing charged twice");
  }
  return status;
}

}  // namespace

common::Result<AccountRow> load_account(store::Database& db, AccountId id) {
  store::Statement st =
      db.prepare("SELECT id, client_id, balance, credit_limit FROM accounts WHERE id = ?1");
  st.bind(1, id.value());
  return read_account(st, "account " + id.to_string());
}

common::Result<AccountRow> load_account_of_client(store::Database& db, ClientId client) {
  store::Statement st =
      db.prepare("SELECT id, client_id, balance, credit_limit FROM accounts WHERE client_id = ?1");
  st.bind(1, client.value());
  return read_account(st, "client " + client.to_string());
}

common::Status add_to_balance(store::Database& db, AccountRow& account, Money delta) {
  store::Statement st = db.prepare("UPDATE accounts SET balance = balance + ?1 WHERE id = ?2");
  st.bind(1, delta.sub_units()).bind(2, account.id.value());
  DCISIM_RETURN_IF_ERROR(st.run());
  account.balance += delta;
  return common::Status::success();
}

Money total_of(const std::vector<ChargeItem>& items) {
  Money total;
  for (const ChargeItem& item : items) total += item.amount;
  return total;
}

common::Error insufficient_funds(const AccountRow& account, Money charge, const std::string& what) {
  return common::Error::conflict("insufficient funds for " + what + ": balance " +
                                 account.balance.to_string() + ", credit limit " +
                                 account.credit_limit.to_string() + ", charge " +
                                 charge.to_string());
}

common::Status charge(store::Database& db, common::Instant now, AccountRow& account,
                      ServiceId service, int period_seq, const std::vector<ChargeItem>& items,
                      const std::string& what) {
  Money total = total_of(items);
  DCISIM_ASSERT(!total.is_negative(), "a charge cannot be negative");
  if (!account.can_afford(total)) return insufficient_funds(account, total, what);
  for (const ChargeItem& item : items) {
    DCISIM_ASSERT(item.kind != ExpenseKind::refund, "refunds go through refund()");
    DCISIM_RETURN_IF_ERROR(add_to_balance(db, account, -item.amount));
    DCISIM_RETURN_IF_ERROR(insert_expense(db, now, account, service, period_seq, item.kind, item.amount,
                               item.description));
  }
  DCISIM_ASSERT(account.balance >= -account.credit_limit, "charge below the credit limit");
  return common::Status::success();
}

common::Status refund(store::Database& db, common::Instant now, AccountRow& account,
                      ServiceId service, int period_seq, Money amount,
                      const std::string& description) {
  DCISIM_ASSERT(amount > Money::zero(), "a refund is a positive amount");
  DCISIM_RETURN_IF_ERROR(add_to_balance(db, account, amount));
  return insert_expense(db, now, account, service, period_seq, ExpenseKind::refund, -amount,
                        description);
}

common::Result<Money> period_expenses(store::Database& db, ServiceId service, int period_seq,
                                      std::optional<ExpenseKind> kind) {
  store::Statement st = db.prepare(
      "SELECT COALESCE(SUM(amount), 0) FROM expenses WHERE service_id = ?1 AND period_seq = ?2 "
      "AND (?3 = '' OR kind = ?3)");
  st.bind(1, service.value()).bind(2, period_seq).bind(3, kind ? expense_kind_name(*kind) : "");
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return Money::zero();
  }
  return Money::from_sub_units(st.integer(0));
}

}  // namespace dcisim::billing
