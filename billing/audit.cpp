#include "billing/audit.h"

#include "billing/audit_checks.h"

namespace dcisim::billing {

namespace {

using common::Money;

std::string money(int64_t sub_units) { return Money::from_sub_units(sub_units).to_string(); }

// 1. balance == sum(paid payments) - sum(expenses), recomputed from the rows.
void check_balances(AuditContext& ctx) {
  store::Statement st = ctx.db.prepare(
      "SELECT a.id, a.client_id, a.balance, "
      "(SELECT COALESCE(SUM(amount), 0) FROM payments p WHERE p.account_id = a.id AND p.status = 'paid'), "
      "(SELECT COALESCE(SUM(amount), 0) FROM expenses e WHERE e.account_id = a.id) "
      "FROM accounts a ORDER BY a.id");
  while (st.next()) {
    int64_t balance = st.integer(2), paid = st.integer(3), spent = st.integer(4);
    if (balance != paid - spent) {
      ctx.add("ledger_balance", "account " + std::to_string(st.integer(0)) + " (client " +
                                    std::to_string(st.integer(1)) + "): balance " + money(balance) +
                                    " but paid payments " + money(paid) + " - expenses " +
                                    money(spent) + " = " + money(paid - spent));
    }
  }
  ctx.ok(st.status(), "reading balances");
}

// 2. after every committed charge the balance was >= -credit_limit; charges belong to the
// service's own account.
void check_charges(AuditContext& ctx) {
  store::Statement st = ctx.db.prepare(
      "SELECT e.id, e.account_id, e.service_id, e.kind, e.amount, e.balance_after, e.credit_limit, "
      "s.account_id FROM expenses e LEFT JOIN services s ON s.id = e.service_id ORDER BY e.id");
  while (st.next()) {
    std::string where = "expense " + std::to_string(st.integer(0)) + " (" + st.text(3) + " " +
                        money(st.integer(4)) + ", account " + std::to_string(st.integer(1)) + ")";
    if (st.text(3) != "refund" && st.integer(5) < -st.integer(6)) {
      ctx.add("credit_limit", where + ": balance after " + money(st.integer(5)) +
                                  " is below the credit limit -" + money(st.integer(6)));
    }
    if (!st.is_null(2) && st.integer(7) != st.integer(1)) {
      ctx.add("expense_account", where + ": service " + std::to_string(st.integer(2)) +
                                     " belongs to account " + std::to_string(st.integer(7)));
    }
  }
  ctx.ok(st.status(), "reading expenses");
}

// Refunds never exceed what they refund: a payment's partial refunds stay within its amount (and
// a fully refunded payment has none); a service period's refunds stay within its charges.
void check_refunds(AuditContext& ctx) {
  store::Statement payments = ctx.db.prepare(
      "SELECT p.id, p.amount, p.status, COALESCE(-SUM(r.amount), 0) FROM payments p "
      "JOIN payments r ON r.refund_of = p.id AND r.status = 'paid' GROUP BY p.id ORDER BY p.id");
  while (payments.next()) {
    int64_t amount = payments.integer(1), refunded = payments.integer(3);
    if (refunded > amount || payments.text(2) != "paid") {
      ctx.add("refund_bounds", "payment " + std::to_string(payments.integer(0)) + " (" +
                                   payments.text(2) + ", " + money(amount) + ") has partial refunds of " +
                                   money(refunded));
    }
  }
  ctx.ok(payments.status(), "reading refunds");
  store::Statement periods = ctx.db.prepare(
      "SELECT service_id, period_seq, SUM(amount) FROM expenses WHERE period_seq IS NOT NULL "
      "GROUP BY service_id, period_seq HAVING SUM(amount) < 0 ORDER BY service_id, period_seq");
  while (periods.next()) {
    ctx.add("refund_bounds", "service " + std::to_string(periods.integer(0)) + " period " +
                                 std::to_string(periods.integer(1)) + ": refunds exceed charges by " +
                                 money(-periods.integer(2)));
  }
  ctx.ok(periods.status(), "reading period refunds");
}

}  // namespace

void audit_ledger(AuditContext& ctx) {
  check_balances(ctx);
  check_charges(ctx);
  check_refunds(ctx);
}

std::vector<Violation> audit(const Billing& billing, const AuditOptions& options) {
  std::lock_guard lock(billing.mutex());
  std::vector<Violation> found;
  AuditContext ctx{billing.database(), billing.clock().now(), options, found};
  audit_ledger(ctx);
  audit_periods(ctx);
  audit_services(ctx);
  audit_operations(ctx);
  audit_history(ctx);
  if (options.remote != nullptr) audit_remote(ctx);
  return found;
}

const std::vector<std::string>& audit_invariant_names() {
  static const std::vector<std::string> kNames = {
      "active_paid", "audit_error", "auto_delete_timing", "credit_limit", "deleted_holds_nothing", "expense_account",
      "expiredate_matches_periods", "failed_operation_handled", "funds_clear_only_auto", "history_matches_status",
      "ip_unique", "ledger_balance", "period_chain", "period_charged", "pool_totals", "processing_operation",
      "refund_bounds", "remote_ownership", "remote_state", "server_set_once", "single_open", "suspension_flags",
      "task_operation"};
  return kNames;
}

std::string describe(const std::vector<Violation>& violations) {
  std::string out;
  for (const Violation& v : violations) out += v.invariant + ": " + v.message + "\n";
  return out;
}

}  // namespace dcisim::billing
