// Payments: new -> in_pay -> paid | canceled; confirmation by the gateway's external id is
// idempotent; admin credit; refunds (full: the payment becomes `refunded`; partial: a negative
// payment row). Money arriving always goes through funds.h's credit_payment.
#include "billing/actions.h"
#include "billing/funds.h"
#include "billing/history.h"
#include "billing/ledger.h"
#include "billing/reads.h"
#include "billing/rows.h"
#include "billing/tariffs.h"
#include "common/planted.h"

namespace dcisim::billing {

namespace {

using common::Instant;
using common::Money;

common::Result<PaymentView> read_payment(store::Statement& st, const std::string& what) {
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return common::Error::not_found(what + " does not exist");
  }
  return payment_from_row(st);
}

common::Status set_payment_status(Core& core, const PaymentView& p, PaymentStatus to, Actor actor,
                                  const std::string& reason, std::optional<Money> balance_after) {
  store::Statement st = core.db.prepare("UPDATE payments SET status = ?2 WHERE id = ?1");
  st.bind(1, p.id.value()).bind(2, payment_status_name(to));
  DCISIM_RETURN_IF_ERROR(st.run());
  HistoryEntry entry;
  entry.entity = "payment";
  entry.entity_id = p.id.value();
  entry.from_status = payment_status_name(p.status);
  entry.to_status = payment_status_name(to);
  entry.actor = actor;
  entry.reason = reason;
  if (balance_after) {
    entry.amount = -p.amount;
    entry.balance_after = balance_after;
  }
  return write_history(core.db, core.now(), entry);
}

common::Result<PaymentId> insert_payment(Core& core, AccountId account, Money amount,
                                         const std::string& method, const std::string& note,
                                         std::optional<PaymentId> refund_of) {
  store::Statement st = core.db.prepare(
      "INSERT INTO payments (account_id, amount, method, status, refund_of, created_at, note) "
      "VALUES (?1, ?2, ?3, 'new', ?4, ?5, ?6)");
  st.bind(1, account.value()).bind(2, amount.sub_units()).bind(3, method);
  st.bind(4, refund_of ? std::optional<int64_t>(refund_of->value()) : std::nullopt);
  st.bind(5, core.now().unix_ms()).bind(6, note);
  DCISIM_RETURN_IF_ERROR(st.run());
  PaymentId id(core.db.last_insert_id());
  HistoryEntry entry;
  entry.entity = "payment";
  entry.entity_id = id.value();
  entry.to_status = payment_status_name(PaymentStatus::new_);
  entry.actor = refund_of ? Actor::admin : Actor::client;
  entry.reason = note.empty() ? "created (" + method + ")" : note;
  entry.amount = amount;
  DCISIM_RETURN_IF_ERROR(write_history(core.db, core.now(), entry));
  return id;
}

common::Status validate_amount(Money amount) {
  if (amount <= Money::zero()) {
    return common::Error::invalid("a payment amount must be positive, got " + amount.to_string());
  }
  if (amount > kMaxAmount) {
    return common::Error::invalid("a payment amount above " + kMaxAmount.to_string() + " is refused");
  }
  return common::Status::success();
}

}  // namespace

common::Result<PaymentView> payment_by_external_id(Core& core, const std::string& external_id) {
  store::Statement st = core.db.prepare(std::string("SELECT ") + kPaymentColumns +
                                        " FROM payments p JOIN accounts a ON a.id = p.account_id "
                                        "WHERE p.external_id = ?1");
  st.bind(1, external_id);
  return read_payment(st, "a payment with external id '" + external_id + "'");
}

common::Result<PaymentView> payment_view(Core& core, PaymentId payment) {
  store::Statement st = core.db.prepare(std::string("SELECT ") + kPaymentColumns +
                                        " FROM payments p JOIN accounts a ON a.id = p.account_id "
                                        "WHERE p.id = ?1");
  st.bind(1, payment.value());
  return read_payment(st, "payment " + payment.to_string());
}

common::Result<PaymentId> create_payment(Core& core, ClientId client, Money amount,
                                         const std::string& method) {
  DCISIM_RETURN_IF_ERROR(validate_amount(amount));
  if (method.empty() || method.size() > 64) return common::Error::invalid("payment method must be 1..64 characters");
  DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account_of_client(core.db, client));
  return insert_payment(core, account.id, amount, method, "", std::nullopt);
}

common::Status start_payment(Core& core, PaymentId payment, const std::string& external_id) {
  if (external_id.empty() || external_id.size() > 200) {
    return common::Error::invalid("a gateway external id must be 1..200 characters");
  }
  DCISIM_ASSIGN_OR_RETURN(PaymentView p, payment_view(core, payment));
  if (p.status == PaymentStatus::in_pay && p.external_id == external_id) return common::Status::success();
  if (p.status != PaymentStatus::new_) {
    return common::Error::conflict("payment " + payment.to_string() + " is " +
                                   payment_status_name(p.status) + ": only a new payment goes to the gateway");
  }
  store::Statement st = core.db.prepare("UPDATE payments SET external_id = ?2 WHERE id = ?1");
  st.bind(1, payment.value()).bind(2, external_id);
  common::Status set = st.run();
  if (!set.ok() && set.error().kind == common::ErrorKind::conflict) {
    return common::Error::conflict("external id '" + external_id + "' belongs to another payment");
  }
  DCISIM_RETURN_IF_ERROR(set);
  return set_payment_status(core, p, PaymentStatus::in_pay, Actor::client,
                            "sent to the gateway as '" + external_id + "'", std::nullopt);
}

common::Result<PaymentView> confirm_payment(Core& core, const std::string& external_id) {
  DCISIM_ASSIGN_OR_RETURN(PaymentView p, payment_by_external_id(core, external_id));
  switch (p.status) {
    case PaymentStatus::paid:
    case PaymentStatus::refunded:
      if (common::planted(core.settings.planted_bug, "renew_twice_on_replay")) {
        DCISIM_ASSIGN_OR_RETURN(std::vector<ServiceId> ids, service_ids_where(core.db, "client_id = ?1 AND status = 'active'",
                                                                              p.client_id.value()));
        for (ServiceId id : ids) {
          DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, id));
          DCISIM_ASSIGN_OR_RETURN(TariffView tariff, load_tariff(core.db, s.tariff_id));
          DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account(core.db, s.account_id));
          (void)renew(core, s, tariff.spec, account, 1, Actor::gateway, "renewed again by a replayed callback");
        }
      }
      return p;  // a replayed callback changes nothing
    case PaymentStatus::canceled:
      return common::Error::conflict("payment " + p.id.to_string() + " ('" + external_id +
                                     "') was canceled: money confirmed after a cancel needs staff");
    case PaymentStatus::new_:
    case PaymentStatus::in_pay:
      break;
  }
  DCISIM_RETURN_IF_ERROR(credit_payment(core, p.id, Actor::gateway, "confirmed by the gateway ('" + external_id + "')"));
  return payment_view(core, p.id);
}

common::Status cancel_payment(Core& core, PaymentId payment, const std::string& reason) {
  DCISIM_ASSIGN_OR_RETURN(PaymentView p, payment_view(core, payment));
  if (p.status != PaymentStatus::new_ && p.status != PaymentStatus::in_pay) {
    return common::Error::conflict("payment " + payment.to_string() + " is " +
                                   payment_status_name(p.status) + ": only new or in_pay can be canceled");
  }
  return set_payment_status(core, p, PaymentStatus::canceled, Actor::gateway,
                            reason.empty() ? "canceled" : reason, std::nullopt);
}

common::Result<PaymentId> admin_credit(Core& core, ClientId client, Money amount,
                                       const std::string& reason) {
  DCISIM_RETURN_IF_ERROR(validate_amount(amount));
  DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account_of_client(core.db, client));
  std::string note = "admin credit" + (reason.empty() ? "" : ": " + reason);
  DCISIM_ASSIGN_OR_RETURN(PaymentId id, insert_payment(core, account.id, amount, "admin", note, std::nullopt));
  DCISIM_RETURN_IF_ERROR(credit_payment(core, id, Actor::admin, note));
  return id;
}

common::Result<PaymentId> refund_payment(Core& core, PaymentId payment, std::optional<Money> amount,
                                         const std::string& reason) {
  DCISIM_ASSIGN_OR_RETURN(PaymentView p, payment_view(core, payment));
  if (p.status != PaymentStatus::paid || p.refund_of) {
    return common::Error::conflict("payment " + payment.to_string() + " is " +
                                   payment_status_name(p.status) +
                                   (p.refund_of ? " (a refund itself)" : "") + ": only a paid payment can be refunded");
  }
  store::Statement refunded = core.db.prepare(
      "SELECT COALESCE(-SUM(amount), 0) FROM payments WHERE refund_of = ?1 AND status = 'paid'");
  refunded.bind(1, payment.value());
  if (!refunded.next()) DCISIM_RETURN_IF_ERROR(refunded.status());
  Money already = Money::from_sub_units(refunded.integer(0));
  Money left = p.amount - already;
  Money wanted = amount.value_or(left);
  if (wanted <= Money::zero() || wanted > left) {
    return common::Error::invalid("refund of " + wanted.to_string() + " for payment " +
                                  payment.to_string() + ": must be in 0.0001.." + left.to_string() +
                                  " (paid " + p.amount.to_string() + ", refunded " + already.to_string() + ")");
  }
  DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account_of_client(core.db, p.client_id));
  if (account.balance - wanted < Money::zero()) {
    return common::Error::conflict("cannot refund " + wanted.to_string() + " of payment " +
                                   payment.to_string() + ": the balance is " + account.balance.to_string() +
                                   " and money already spent is not refunded");
  }
  std::string why = reason.empty() ? "refund" : reason;
  if (wanted == p.amount) {  // full refund, nothing refunded before
    DCISIM_RETURN_IF_ERROR(add_to_balance(core.db, account, -wanted));
    DCISIM_RETURN_IF_ERROR(set_payment_status(core, p, PaymentStatus::refunded, Actor::admin, why, account.balance));
    return payment;
  }
  DCISIM_ASSIGN_OR_RETURN(PaymentId row, insert_payment(core, account.id, -wanted, p.method,
                                               "partial refund of payment " + payment.to_string() + ": " + why,
                                               payment));
  store::Statement paid = core.db.prepare(
      "UPDATE payments SET status = 'paid', paid_at = ?2 WHERE id = ?1");
  paid.bind(1, row.value()).bind(2, core.now().unix_ms());
  DCISIM_RETURN_IF_ERROR(paid.run());
  DCISIM_RETURN_IF_ERROR(add_to_balance(core.db, account, -wanted));
  HistoryEntry entry;
  entry.entity = "payment";
  entry.entity_id = row.value();
  entry.from_status = "new";
  entry.to_status = "paid";
  entry.actor = Actor::admin;
  entry.reason = why;
  entry.amount = -wanted;
  entry.balance_after = account.balance;
  DCISIM_RETURN_IF_ERROR(write_history(core.db, core.now(), entry));
  return row;
}

}  // namespace dcisim::billing
