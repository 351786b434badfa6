#include "billing/reads.h"

#include "billing/operations.h"
#include "billing/rows.h"

namespace dcisim::billing {

namespace {

using common::Instant;
using common::Money;

std::optional<Instant> instant_at(const store::Statement& st, int column) {
  if (st.is_null(column)) return std::nullopt;
  return Instant::from_unix_ms(st.integer(column));
}

constexpr const char* kClientSelect =
    "SELECT c.id, a.id, c.email, c.name, c.status, c.created_at FROM clients c "
    "JOIN accounts a ON a.client_id = c.id ";

common::Result<ClientView> read_client(const store::Statement& st) {
  ClientView v;
  v.id = ClientId(st.integer(0));
  v.account_id = AccountId(st.integer(1));
  v.email = st.text(2);
  v.name = st.text(3);
  DCISIM_ASSIGN_OR_RETURN(v.status, parse_client_status(st.text(4)));
  v.created_at = Instant::from_unix_ms(st.integer(5));
  return v;
}

}  // namespace

common::Result<ClientView> client_view(store::Database& db, ClientId id) {
  store::Statement st = db.prepare(std::string(kClientSelect) + "WHERE c.id = ?1");
  st.bind(1, id.value());
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return common::Error::not_found("client " + id.to_string() + " does not exist");
  }
  return read_client(st);
}

common::Result<ClientView> client_view_by_email(store::Database& db, const std::string& email) {
  store::Statement st = db.prepare(std::string(kClientSelect) + "WHERE c.email = ?1");
  st.bind(1, email);
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return common::Error::not_found("no client with e-mail '" + email + "'");
  }
  return read_client(st);
}

common::Result<std::vector<ClientView>> client_views(store::Database& db) {
  store::Statement st = db.prepare(std::string(kClientSelect) + "ORDER BY c.id");
  std::vector<ClientView> views;
  while (st.next()) {
    DCISIM_ASSIGN_OR_RETURN(ClientView v, read_client(st));
    views.push_back(std::move(v));
  }
  DCISIM_RETURN_IF_ERROR(st.status());
  return views;
}

common::Result<std::vector<AccountView>> account_views(store::Database& db) {
  store::Statement st =
      db.prepare("SELECT id, client_id, balance, credit_limit FROM accounts ORDER BY id");
  std::vector<AccountView> views;
  while (st.next()) {
    views.push_back({AccountId(st.integer(0)), ClientId(st.integer(1)),
                     Money::from_sub_units(st.integer(2)), Money::from_sub_units(st.integer(3))});
  }
  DCISIM_RETURN_IF_ERROR(st.status());
  return views;
}

common::Result<AccountView> account_view(store::Database& db, ClientId client) {
  store::Statement st = db.prepare(
      "SELECT id, client_id, balance, credit_limit FROM accounts WHERE client_id = ?1");
  st.bind(1, client.value());
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return common::Error::not_found("client " + client.to_string() + " does not exist");
  }
  return AccountView{AccountId(st.integer(0)), ClientId(st.integer(1)),
                     Money::from_sub_units(st.integer(2)), Money::from_sub_units(st.integer(3))};
}

const char* const kPaymentColumns =
    "p.id, a.client_id, p.amount, p.method, p.status, COALESCE(p.external_id, ''), p.refund_of, "
    "p.created_at, p.paid_at, p.note";

common::Result<PaymentView> payment_from_row(const store::Statement& st) {
  PaymentView v;
  v.id = PaymentId(st.integer(0));
  v.client_id = ClientId(st.integer(1));
  v.amount = Money::from_sub_units(st.integer(2));
  v.method = st.text(3);
  DCISIM_ASSIGN_OR_RETURN(v.status, parse_payment_status(st.text(4)));
  v.external_id = st.text(5);
  if (!st.is_null(6)) v.refund_of = PaymentId(st.integer(6));
  v.created_at = Instant::from_unix_ms(st.integer(7));
  v.paid_at = instant_at(st, 8);
  v.note = st.text(9);
  return v;
}

common::Result<std::vector<PaymentView>> payment_views(store::Database& db,
                                                       std::optional<ClientId> client) {
  store::Statement st = db.prepare(std::string("SELECT ") + kPaymentColumns +
                                   " FROM payments p JOIN accounts a ON a.id = p.account_id "
                                   "WHERE (?1 = 0 OR a.client_id = ?1) ORDER BY p.id");
  st.bind(1, client ? client->value() : 0);
  std::vector<PaymentView> views;
  while (st.next()) {
    DCISIM_ASSIGN_OR_RETURN(PaymentView v, payment_from_row(st));
    views.push_back(std::move(v));
  }
  DCISIM_RETURN_IF_ERROR(st.status());
  return views;
}

common::Result<std::vector<ExpenseView>> expense_views(store::Database& db,
                                                       std::optional<ClientId> client,
                                                       std::optional<ServiceId> service) {
  store::Statement st = db.prepare(
      "SELECT e.id, a.client_id, e.service_id, e.kind, e.amount, e.period_seq, e.created_at, "
      "e.balance_after, e.description FROM expenses e JOIN accounts a ON a.id = e.account_id "
      "WHERE (?1 = 0 OR a.client_id = ?1) AND (?2 = 0 OR e.service_id = ?2) ORDER BY e.id");
  st.bind(1, client ? client->value() : 0).bind(2, service ? service->value() : 0);
  std::vector<ExpenseView> views;
  while (st.next()) {
    ExpenseView v;
    v.id = ExpenseId(st.integer(0));
    v.client_id = ClientId(st.integer(1));
    if (!st.is_null(2)) v.service_id = ServiceId(st.integer(2));
    DCISIM_ASSIGN_OR_RETURN(v.kind, parse_expense_kind(st.text(3)));
    v.amount = Money::from_sub_units(st.integer(4));
    if (!st.is_null(5)) v.period_seq = static_cast<int>(st.integer(5));
    v.created_at = Instant::from_unix_ms(st.integer(6));
    v.balance_after = Money::from_sub_units(st.integer(7));
    v.description = st.text(8);
    views.push_back(std::move(v));
  }
  DCISIM_RETURN_IF_ERROR(st.status());
  return views;
}

common::Result<ServiceView> service_view(store::Database& db, ServiceId id) {
  DCISIM_ASSIGN_OR_RETURN(ServiceRow row, load_service(db, id));
  ServiceView v;
  v.id = row.id;
  v.client_id = row.client_id;
  v.tariff_id = row.tariff_id;
  v.status = row.status;
  v.flags = row.flags;
  v.period_months = row.period_months;
  v.autoprolong = row.autoprolong;
  v.os_template = row.os_template;
  v.extra_ipv4 = row.extra_ipv4;
  v.extra_ipv6 = row.extra_ipv6;
  v.script = row.script;
  v.domain = row.domain;
  v.server_id = row.server_id;
  v.expiredate = row.expiredate;
  v.activated_at = row.activated_at;
  v.auto_suspended_at = row.auto_suspended_at;
  v.created_at = row.created_at;
  v.deleted_at = row.deleted_at;
  DCISIM_ASSIGN_OR_RETURN(v.server_name, service_param(db, id, "server_name"));
  DCISIM_ASSIGN_OR_RETURN(v.root_password, service_param(db, id, "root_password"));
  DCISIM_ASSIGN_OR_RETURN(std::optional<OperationRow> running, unfinished_operation(db, id));
  if (running) v.processing = running->kind;
  store::Statement st = db.prepare(
      "SELECT remote_id, address, family FROM service_addresses WHERE service_id = ?1 "
      "ORDER BY family, remote_id, address");
  st.bind(1, id.value());
  while (st.next()) v.addresses.push_back({st.integer(0), st.text(1), st.text(2)});
  DCISIM_RETURN_IF_ERROR(st.status());
  return v;
}

common::Result<std::vector<ServiceView>> service_views(store::Database& db,
                                                       std::optional<ClientId> client) {
  DCISIM_ASSIGN_OR_RETURN(std::vector<ServiceId> ids,
                 service_ids_where(db, "(?1 = 0 OR client_id = ?1)",
                                   client ? client->value() : int64_t{0}));
  std::vector<ServiceView> views;
  for (ServiceId id : ids) {
    DCISIM_ASSIGN_OR_RETURN(ServiceView v, service_view(db, id));
    views.push_back(std::move(v));
  }
  return views;
}

common::Result<std::vector<PeriodView>> period_views(store::Database& db, ServiceId id) {
  DCISIM_ASSIGN_OR_RETURN(std::vector<PeriodRow> rows, load_periods(db, id));
  std::vector<PeriodView> views;
  for (const PeriodRow& p : rows) {
    views.push_back({p.seq, p.months, p.charged_at, p.start_at, p.end_at, p.canceled_at});
  }
  return views;
}

common::Result<std::vector<HistoryView>> history_views(store::Database& db, const std::string& entity,
                                                       int64_t id) {
  store::Statement st = db.prepare(
      "SELECT id, at, entity, entity_id, from_status, to_status, from_flags, to_flags, actor, "
      "reason, amount, balance_after, operation_id FROM status_history "
      "WHERE (?1 = '' OR (entity = ?1 AND entity_id = ?2)) ORDER BY id");
  st.bind(1, entity).bind(2, id);
  std::vector<HistoryView> views;
  while (st.next()) {
    HistoryView v;
    v.id = st.integer(0);
    v.at = Instant::from_unix_ms(st.integer(1));
    v.entity = st.text(2);
    v.entity_id = st.integer(3);
    v.from_status = st.text(4);
    v.to_status = st.text(5);
    v.from_flags = st.text(6);
    v.to_flags = st.text(7);
    DCISIM_ASSIGN_OR_RETURN(v.actor, parse_actor(st.text(8)));
    v.reason = st.text(9);
    if (!st.is_null(10)) v.amount = Money::from_sub_units(st.integer(10));
    if (!st.is_null(11)) v.balance_after = Money::from_sub_units(st.integer(11));
    if (!st.is_null(12)) v.operation_id = OperationId(st.integer(12));
    views.push_back(std::move(v));
  }
  DCISIM_RETURN_IF_ERROR(st.status());
  return views;
}

}  // namespace dcisim::billing
