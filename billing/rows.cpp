#include "billing/rows.h"


namespace dcisim::billing {

namespace {

std::optional<Instant> optional_instant(const store::Statement& st, int column) {
  std::optional<int64_t> ms = st.optional_integer(column);
  if (!ms) return std::nullopt;
  return Instant::from_unix_ms(*ms);
}

std::optional<int64_t> ms_of(std::optional<Instant> t) {
  if (!t) return std::nullopt;
  return t->unix_ms();
}

constexpr const char* kServiceColumns =
    "id, client_id, account_id, tariff_id, status, flags, period_months, autoprolong, os_template, "
    "extra_ipv4, extra_ipv6, script, domain, server_id, expiredate, activated_at, "
    "auto_suspended_at, created_at, deleted_at";

common::Result<ServiceRow> read_service(const store::Statement& st) {
  ServiceRow row;
  row.id = ServiceId(st.integer(0));
  row.client_id = ClientId(st.integer(1));
  row.account_id = AccountId(st.integer(2));
  row.tariff_id = TariffId(st.integer(3));
  DCISIM_ASSIGN_OR_RETURN(row.status, parse_service_status(st.text(4)));
  DCISIM_ASSIGN_OR_RETURN(row.flags, SuspendFlags::parse(st.text(5)));
  row.period_months = static_cast<int>(st.integer(6));
  row.autoprolong = st.boolean(7);
  row.os_template = st.text(8);
  row.extra_ipv4 = static_cast<int>(st.integer(9));
  row.extra_ipv6 = static_cast<int>(st.integer(10));
  row.script = st.text(11);
  row.domain = st.text(12);
  row.server_id = st.optional_integer(13);
  row.expiredate = optional_instant(st, 14);
  row.activated_at = optional_instant(st, 15);
  row.auto_suspended_at = optional_instant(st, 16);
  row.created_at = Instant::from_unix_ms(st.integer(17));
  row.deleted_at = optional_instant(st, 18);
  return row;
}

}  // namespace

common::Result<ClientRow> load_client(store::Database& db, ClientId id) {
  store::Statement st = db.prepare(
      "SELECT c.id, a.id, c.email, c.name, c.status, c.remote_password, c.created_at "
      "FROM clients c JOIN accounts a ON a.client_id = c.id WHERE c.id = ?1");
  st.bind(1, id.value());
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return common::Error::not_found("client " + id.to_string() + " does not exist");
  }
  ClientRow row;
  row.id = ClientId(st.integer(0));
  row.account_id = AccountId(st.integer(1));
  row.email = st.text(2);
  row.name = st.text(3);
  DCISIM_ASSIGN_OR_RETURN(row.status, parse_client_status(st.text(4)));
  row.remote_password = st.text(5);
  row.created_at = Instant::from_unix_ms(st.integer(6));
  return row;
}

common::Result<ServiceRow> load_service(store::Database& db, ServiceId id) {
  store::Statement st =
      db.prepare(std::string("SELECT ") + kServiceColumns + " FROM services WHERE id = ?1");
  st.bind(1, id.value());
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return common::Error::not_found("service " + id.to_string() + " does not exist");
  }
  return read_service(st);
}

common::Status update_service(store::Database& db, const ServiceRow& row) {
  store::Statement st = db.prepare(
      "UPDATE services SET status = ?2, flags = ?3, autoprolong = ?4, server_id = ?5, "
      "expiredate = ?6, activated_at = ?7, auto_suspended_at = ?8, deleted_at = ?9 WHERE id = ?1");
  st.bind(1, row.id.value()).bind(2, service_status_name(row.status));
  st.bind(3, row.flags.to_string()).bind(4, row.autoprolong).bind(5, row.server_id);
  st.bind(6, ms_of(row.expiredate)).bind(7, ms_of(row.activated_at));
  st.bind(8, ms_of(row.auto_suspended_at)).bind(9, ms_of(row.deleted_at));
  DCISIM_RETURN_IF_ERROR(st.run());
  DCISIM_ASSERT(db.changes() == 1, "update_service: no such service");
  return common::Status::success();
}

common::Result<std::vector<ServiceId>> service_ids_where(store::Database& db,
                                                         const std::string& where,
                                                         std::optional<int64_t> param) {
  store::Statement st = db.prepare("SELECT id FROM services WHERE " + where + " ORDER BY id");
  if (param) st.bind(1, *param);
  std::vector<ServiceId> ids;
  while (st.next()) ids.emplace_back(st.integer(0));
  DCISIM_RETURN_IF_ERROR(st.status());
  return ids;
}

common::Status set_service_param(store::Database& db, ServiceId id, const std::string& name,
                                 const std::string& value) {
  store::Statement st = db.prepare(
      "INSERT INTO service_params (service_id, name, value) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (service_id, name) DO UPDATE SET value = excluded.value");
  st.bind(1, id.value()).bind(2, name).bind(3, value);
  return st.run();
}

common::Result<std::string> service_param(store::Database& db, ServiceId id,
                                          const std::string& name) {
  store::Statement st =
      db.prepare("SELECT value FROM service_params WHERE service_id = ?1 AND name = ?2");
  st.bind(1, id.value()).bind(2, name);
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return std::string();
  }
  return st.text(0);
}

common::Result<std::vector<PeriodRow>> load_periods(store::Database& db, ServiceId id) {
  store::Statement st = db.prepare(
      "SELECT seq, months, charged_at, start_at, end_at, canceled_at FROM service_periods "
      "WHERE service_id = ?1 ORDER BY seq");
  st.bind(1, id.value());
  std::vector<PeriodRow> periods;
  while (st.next()) {
    PeriodRow p;
    p.seq = static_cast<int>(st.integer(0));
    p.months = static_cast<int>(st.integer(1));
    p.charged_at = Instant::from_unix_ms(st.integer(2));
    p.start_at = optional_instant(st, 3);
    p.end_at = optional_instant(st, 4);
    p.canceled_at = optional_instant(st, 5);
    periods.push_back(p);
  }
  DCISIM_RETURN_IF_ERROR(st.status());
  return periods;
}

common::Result<int> add_period(store::Database& db, ServiceId id, int months, Instant charged_at,
                               std::optional<Instant> start) {
  DCISIM_ASSERT(months > 0, "a period of no months");
  store::Statement last =
      db.prepare("SELECT COALESCE(MAX(seq), 0) FROM service_periods WHERE service_id = ?1");
  last.bind(1, id.value());
  if (!last.next()) {
    DCISIM_RETURN_IF_ERROR(last.status());
    return common::Error::internal("cannot read the last period of service " + id.to_string());
  }
  int seq = static_cast<int>(last.integer(0)) + 1;
  std::optional<Instant> end;
  if (start) end = common::add_months(*start, months);
  store::Statement st = db.prepare(
      "INSERT INTO service_periods (service_id, seq, months, charged_at, start_at, end_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  st.bind(1, id.value()).bind(2, seq).bind(3, months).bind(4, charged_at.unix_ms());
  st.bind(5, ms_of(start)).bind(6, ms_of(end));
  DCISIM_RETURN_IF_ERROR(st.run());
  return seq;
}

common::Result<std::optional<Instant>> start_pending_period(store::Database& db, ServiceId id,
                                                           Instant start) {
  store::Statement find = db.prepare(
      "SELECT seq, months FROM service_periods WHERE service_id = ?1 AND start_at IS NULL "
      "AND canceled_at IS NULL ORDER BY seq");
  find.bind(1, id.value());
  if (!find.next()) {
    DCISIM_RETURN_IF_ERROR(find.status());
    return std::optional<Instant>();
  }
  int64_t seq = find.integer(0);
  Instant end = common::add_months(start, static_cast<int>(find.integer(1)));
  DCISIM_ASSERT(!find.next(), "two periods waiting to start");
  store::Statement st = db.prepare(
      "UPDATE service_periods SET start_at = ?3, end_at = ?4 WHERE service_id = ?1 AND seq = ?2");
  st.bind(1, id.value()).bind(2, seq).bind(3, start.unix_ms()).bind(4, end.unix_ms());
  DCISIM_RETURN_IF_ERROR(st.run());
  return std::optional<Instant>(end);
}

common::Status cancel_period(store::Database& db, ServiceId id, int seq, Instant at) {
  store::Statement st = db.prepare(
      "UPDATE service_periods SET canceled_at = ?3 WHERE service_id = ?1 AND seq = ?2");
  st.bind(1, id.value()).bind(2, seq).bind(3, at.unix_ms());
  return st.run();
}

}  // namespace dcisim::billing
