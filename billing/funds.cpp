#include "billing/funds.h"

#include "billing/history.h"
#include "billing/lifecycle.h"
#include "billing/tariffs.h"
#include "common/planted.h"

namespace dcisim::billing {

namespace {

using common::Money;

common::Status settle_resumes(Core& core, AccountRow& account, Actor actor, const std::string& why) {
  DCISIM_ASSIGN_OR_RETURN(std::vector<ServiceId> ids,
                 service_ids_where(core.db,
                                   "account_id = ?1 AND status = 'suspended' AND flags = 'auto' "
                                   "AND autoprolong = 1",
                                   account.id.value()));
  for (ServiceId id : ids) {
    if (account.balance.is_negative()) break;  // money covers debt first
    DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, id));
    DCISIM_ASSIGN_OR_RETURN(TariffView tariff, load_tariff(core.db, s.tariff_id));
    Money price = total_of(service_charges(tariff.spec, s, 1, false));
    if (!account.can_afford(price)) continue;
    DCISIM_RETURN_IF_ERROR(pay_resume(core, s, tariff.spec, account, 1, actor, why));
  }
  return common::Status::success();
}

common::Status settle_orders(Core& core, AccountRow& account, Actor actor, const std::string& why) {
  DCISIM_ASSIGN_OR_RETURN(std::vector<ServiceId> ids,
                 service_ids_where(core.db, "account_id = ?1 AND status = 'ordered'",
                                   account.id.value()));
  for (ServiceId id : ids) {
    if (account.balance.is_negative()) break;  // money covers debt first
    DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, id));
    DCISIM_ASSIGN_OR_RETURN(TariffView tariff, load_tariff(core.db, s.tariff_id));
    Money price = total_of(service_charges(tariff.spec, s, 1, true));
    if (!account.can_afford(price)) continue;
    DCISIM_RETURN_IF_ERROR(pay_order(core, s, tariff.spec, account, actor, why));
  }
  return common::Status::success();
}

}  // namespace

common::Status pay_order(Core& core, ServiceRow& s, const TariffSpec& tariff, AccountRow& account,
                         Actor actor, const std::string& reason) {
  DCISIM_ASSERT(s.status == ServiceStatus::ordered, "pay_order on a service not ordered");
  std::vector<ChargeItem> items = service_charges(tariff, s, 1, true);
  Money total = total_of(items);
  if (!account.can_afford(total)) {
    return insufficient_funds(account, total, "the order of service " + s.id.to_string());
  }
  DCISIM_ASSIGN_OR_RETURN(int seq, add_period(core.db, s.id, s.period_months, core.now(), std::nullopt));
  DCISIM_RETURN_IF_ERROR(charge(core.db, core.now(), account, s.id, seq, items,
                     "the order of service " + s.id.to_string()));
  ChangeNote note{actor, "order paid: " + reason, total, account.balance, std::nullopt};
  DCISIM_ASSIGN_OR_RETURN(OperationId op, begin_operation(core, s, OperationKind::open, SuspendFlags(), note));
  (void)op;
  return common::Status::success();
}

common::Status pay_resume(Core& core, ServiceRow& s, const TariffSpec& tariff, AccountRow& account,
                          int periods, Actor actor, const std::string& reason, int period_months) {
  DCISIM_ASSERT(s.status == ServiceStatus::suspended && s.flags.has(SuspendFlag::automatic),
                "pay_resume on a service not suspended for auto");
  int unit = period_months == 0 ? s.period_months : period_months;
  std::vector<ChargeItem> items = service_charges(tariff, s, periods, false, unit);
  Money total = total_of(items);
  std::string what = "the renewal of service " + s.id.to_string();
  if (!account.can_afford(total)) return insufficient_funds(account, total, what);
  bool resumes = s.flags.only(SuspendFlag::automatic);
  // A service that stays suspended for a manual flag starts its new period now; one that resumes
  // starts it when the resume completes.
  std::optional<common::Instant> start;
  if (!resumes) start = core.now();
  DCISIM_ASSIGN_OR_RETURN(int seq, add_period(core.db, s.id, unit * periods, core.now(), start));
  DCISIM_RETURN_IF_ERROR(charge(core.db, core.now(), account, s.id, seq, items, what));
  ChangeNote note{actor, "renewal paid: " + reason, total, account.balance, std::nullopt};
  SuspendFlags flags = s.flags.without(SuspendFlag::automatic);
  if (!resumes) {
    s.expiredate = common::add_months(core.now(), unit * periods);
    s.auto_suspended_at.reset();
    return change_service(core, s, s.status, flags, note);
  }
  DCISIM_ASSIGN_OR_RETURN(OperationId op, begin_operation(core, s, OperationKind::resume, flags, note));
  (void)op;
  return common::Status::success();
}

common::Status renew(Core& core, ServiceRow& s, const TariffSpec& tariff, AccountRow& account,
                     int periods, Actor actor, const std::string& reason, int period_months) {
  DCISIM_ASSERT(s.expiredate.has_value(), "renewing a service that never opened");
  int unit = period_months == 0 ? s.period_months : period_months;
  std::vector<ChargeItem> items = service_charges(tariff, s, periods, false, unit);
  Money total = total_of(items);
  std::string what = "the renewal of service " + s.id.to_string();
  if (!account.can_afford(total)) return insufficient_funds(account, total, what);
  int months = unit * periods;
  DCISIM_ASSIGN_OR_RETURN(int seq, add_period(core.db, s.id, months, core.now(), *s.expiredate));
  DCISIM_RETURN_IF_ERROR(charge(core.db, core.now(), account, s.id, seq, items, what));
  s.expiredate = common::add_months(*s.expiredate, months);
  ChangeNote note{actor, reason + ": paid until " + common::format_instant(*s.expiredate), total,
                  account.balance, std::nullopt};
  return change_service(core, s, s.status, s.flags, note);
}

common::Status settle_account(Core& core, AccountId account_id, Actor actor, const std::string& why) {
  DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account(core.db, account_id));
  // One rule for all spending: a blocked client's money is accepted but not spent (unblocking
  // settles again).
  DCISIM_ASSIGN_OR_RETURN(ClientRow client, load_client(core.db, account.client_id));
  if (client.status == ClientStatus::blocked && !common::planted(core.settings.planted_bug, "blocked_money_spent")) {
    return common::Status::success();
  }
  DCISIM_RETURN_IF_ERROR(settle_resumes(core, account, actor, why));
  return settle_orders(core, account, actor, why);
}

common::Status credit_payment(Core& core, PaymentId payment, Actor actor, const std::string& reason) {
  store::Statement st = core.db.prepare(
      "SELECT account_id, amount, status FROM payments WHERE id = ?1");
  st.bind(1, payment.value());
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return common::Error::not_found("payment " + payment.to_string() + " does not exist");
  }
  AccountId account_id(st.integer(0));
  Money amount = Money::from_sub_units(st.integer(1));
  std::string from = st.text(2);
  DCISIM_ASSERT(from == "new" || from == "in_pay", "credit_payment: payment not awaiting money");
  store::Statement paid = core.db.prepare(
      "UPDATE payments SET status = 'paid', paid_at = ?2 WHERE id = ?1");
  paid.bind(1, payment.value()).bind(2, core.now().unix_ms());
  DCISIM_RETURN_IF_ERROR(paid.run());
  DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account(core.db, account_id));
  DCISIM_RETURN_IF_ERROR(add_to_balance(core.db, account, amount));
  HistoryEntry entry;
  entry.entity = "payment";
  entry.entity_id = payment.value();
  entry.from_status = from;
  entry.to_status = "paid";
  entry.actor = actor;
  entry.reason = reason;
  entry.amount = amount;
  entry.balance_after = account.balance;
  DCISIM_RETURN_IF_ERROR(write_history(core.db, core.now(), entry));
  if (common::planted(core.settings.planted_bug, "abuse_lifted_by_payment")) {
    DCISIM_ASSIGN_OR_RETURN(std::vector<ServiceId> ids, service_ids_where(core.db, "account_id = ?1 AND status = 'suspended'",
                                                                          account_id.value()));
    for (ServiceId id : ids) {
      DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, id));
      if (!s.flags.has(SuspendFlag::abuse)) continue;
      ChangeNote note{Actor::funds, "abuse lifted by a payment", std::nullopt, std::nullopt, std::nullopt};
      DCISIM_RETURN_IF_ERROR(change_service(core, s, s.status, s.flags.without(SuspendFlag::abuse), note));
    }
  }
  return settle_account(core, account_id, Actor::funds,
                        "payment " + payment.to_string() + " of " + amount.to_string());
}

}  // namespace dcisim::billing
