// Rows of clients, services and service periods as the billing core reads and writes them inside
// its transactions. Internal to billing/ (callers read views through the facade).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "billing/model.h"
#include "billing/store/sqlite.h"
#include "common/result.h"
#include "common/time.h"

namespace dcisim::billing {

using common::Instant;

struct ClientRow {
  ClientId id;
  AccountId account_id;
  std::string email;
  std::string name;
  ClientStatus status = ClientStatus::active;
  std::string remote_password;  // for the client's DCImanager user; never logged
  Instant created_at;
};

common::Result<ClientRow> load_client(store::Database& db, ClientId id);

struct ServiceRow {
  ServiceId id;
  ClientId client_id;
  AccountId account_id;
  TariffId tariff_id;
  ServiceStatus status = ServiceStatus::ordered;
  SuspendFlags flags;
  int period_months = 1;
  bool autoprolong = true;
  std::string os_template;
  int extra_ipv4 = 0;
  int extra_ipv6 = 0;
  std::string script;
  std::string domain;
  std::optional<int64_t> server_id;
  std::optional<Instant> expiredate;
  std::optional<Instant> activated_at;
  std::optional<Instant> auto_suspended_at;
  Instant created_at;
  std::optional<Instant> deleted_at;
};

common::Result<ServiceRow> load_service(store::Database& db, ServiceId id);
// Writes the mutable columns (status, flags, autoprolong, server, dates).
common::Status update_service(store::Database& db, const ServiceRow& row);
// Ids of services matching `where` (a fixed SQL condition on `services`; `?1` is bound to
// `param` when given), by id. The condition text is cached as a statement: never build it from
// values, bind them.
common::Result<std::vector<ServiceId>> service_ids_where(store::Database& db, const std::string& where,
                                                         std::optional<int64_t> param = std::nullopt);

common::Status set_service_param(store::Database& db, ServiceId id, const std::string& name,
                                 const std::string& value);
common::Result<std::string> service_param(store::Database& db, ServiceId id, const std::string& name);

struct PeriodRow {
  int seq = 0;
  int months = 0;
  Instant charged_at;
  std::optional<Instant> start_at;
  std::optional<Instant> end_at;
  std::optional<Instant> canceled_at;
};

common::Result<std::vector<PeriodRow>> load_periods(store::Database& db, ServiceId id);
// Adds the next period (seq = last + 1); `start` set means it begins at once (a renewal).
common::Result<int> add_period(store::Database& db, ServiceId id, int months, Instant charged_at,
                               std::optional<Instant> start);
// Begins the period that was charged before it could start (activation, resume): returns its end.
common::Result<std::optional<Instant>> start_pending_period(store::Database& db, ServiceId id, Instant start);
common::Status cancel_period(store::Database& db, ServiceId id, int seq, Instant at);

}  // namespace dcisim::billing
