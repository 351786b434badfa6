// What callers hand to the billing facade (requests, tariff specs) and what they read back
// (views of clients, accounts, payments, expenses, services, operations, tasks and history).
// Views are copies: reading never holds anything open.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "billing/model.h"
#include "billing/provisioning.h"
#include "common/money.h"
#include "common/time.h"

namespace dcisim::billing {

using common::Instant;
using common::Money;

// The largest amount the billing core accepts anywhere money comes in (a payment, a credit, a
// credit limit, a price or fee): far above any real invoice, and far below where sums of many of
// them could overflow the int64 ledger.
inline constexpr Money kMaxAmount = Money::from_units(1'000'000'000);

// ---- requests ----

struct NewClient {
  std::string email;     // validated, unique (case-insensitive)
  std::string name;      // non-empty
  std::string password;  // at least 8 characters; stored only as a salted PBKDF2 hash
};

struct AddonSpec {
  AddonKind kind = AddonKind::ipv4;
  std::string name;         // ipv4/ipv6: any label ("extra-ipv4"); script: the script's name
  Money monthly_price;      // per unit (address or script) per month
  int max_quantity = 1;     // addresses per order; 1 for a script
};

struct TariffSpec {
  std::string name;                      // unique
  int64_t location_id = 0;               // DCImanager location id
  std::string configuration;             // DCImanager server configuration (server type)
  std::vector<std::string> os_templates; // allowed OS templates, by name
  std::map<int, Money> prices;           // period months (1, 3, 6, 12) -> price of the period
  Money setup_fee;                       // charged once, with the first period
  std::vector<AddonSpec> addons;         // at most one ipv4 and one ipv6 addon; scripts by name
  int auto_delete_days = 14;             // after auto-suspension; 0 = never
  bool auto_delete_manual = false;       // also delete services that carry manual flags too
  int grace_days = 0;                    // active past expiredate before suspension
  bool refund_unused_on_delete = false;  // refund the unused part of the period on delete
  SuspensionMode suspension_mode = SuspensionMode::port;
};

struct OrderRequest {
  ClientId client;
  TariffId tariff;
  int period_months = 1;
  std::string os_template;
  int extra_ipv4 = 0;
  int extra_ipv6 = 0;
  std::string script;  // "" for none
  bool autoprolong = true;
};

// ---- views ----

struct ClientView {
  ClientId id;
  AccountId account_id;
  std::string email;
  std::string name;
  ClientStatus status = ClientStatus::active;
  Instant created_at;
};

struct AccountView {
  AccountId id;
  ClientId client_id;
  Money balance;       // paid payments minus expenses
  Money credit_limit;  // the balance may go down to -credit_limit by charges
};

struct PaymentView {
  PaymentId id;
  ClientId client_id;
  Money amount;  // negative for a partial refund
  std::string method;
  PaymentStatus status = PaymentStatus::new_;
  std::string external_id;            // "" when none
  std::optional<PaymentId> refund_of; // set on a partial refund
  Instant created_at;
  std::optional<Instant> paid_at;
  std::string note;
};

struct ExpenseView {
  ExpenseId id;
  ClientId client_id;
  std::optional<ServiceId> service_id;
  ExpenseKind kind = ExpenseKind::period;
  Money amount;  // negative for a refund
  std::optional<int> period_seq;
  Instant created_at;
  Money balance_after;
  std::string description;
};

struct TariffView {
  TariffId id;
  TariffSpec spec;
};

struct PeriodView {
  int seq = 0;
  int months = 0;
  Instant charged_at;
  std::optional<Instant> start_at;  // unset until the period begins (activation or resume)
  std::optional<Instant> end_at;
  std::optional<Instant> canceled_at;
};

struct ServiceView {
  ServiceId id;
  ClientId client_id;
  TariffId tariff_id;
  ServiceStatus status = ServiceStatus::ordered;
  SuspendFlags flags;
  std::optional<OperationKind> processing;  // kind of the unfinished operation, if any
  int period_months = 1;
  bool autoprolong = true;
  std::string os_template;
  int extra_ipv4 = 0;
  int extra_ipv6 = 0;
  std::string script;
  std::string domain;
  std::optional<int64_t> server_id;
  std::string server_name;
  std::string root_password;  // never logged
  std::vector<RemoteAddress> addresses;
  std::optional<Instant> expiredate;
  std::optional<Instant> activated_at;
  std::optional<Instant> auto_suspended_at;
  Instant created_at;
  std::optional<Instant> deleted_at;
};

struct OperationView {
  OperationId id;
  ServiceId service_id;
  OperationKind kind = OperationKind::open;
  OperationStatus status = OperationStatus::pending;
  Actor actor = Actor::runner;
  std::string reason;
  int attempts = 0;  // failed attempts so far
  int steps = 0;     // module calls so far
  std::optional<Instant> next_run_at;
  std::string last_error;
  Json progress;
  Json result;
  Instant created_at;
  std::optional<Instant> finished_at;
};

struct TaskView {
  TaskId id;
  OperationId operation_id;
  ServiceId service_id;
  OperationKind kind = OperationKind::open;
  TaskStatus status = TaskStatus::open;
  std::string reason;
  Instant created_at;
  std::optional<Instant> closed_at;
  std::string resolution;
};

// One status change of a client, payment, service, operation or task.
struct HistoryView {
  int64_t id = 0;
  Instant at;
  std::string entity;  // "client", "payment", "service", "operation", "task"
  int64_t entity_id = 0;
  std::string from_status;  // "" when the entity was created
  std::string to_status;
  std::string from_flags;
  std::string to_flags;
  Actor actor = Actor::runner;
  std::string reason;
  std::optional<Money> amount;         // the money moved by this change, if any
  std::optional<Money> balance_after;  // the account's balance after it
  std::optional<OperationId> operation_id;
};

struct DailyRunView {
  std::string day;  // "2026-02-01"
  Instant ran_at;
  Json summary;     // counts: renewed, suspended, deleted, ...
};

struct SyncRunView {
  int64_t id = 0;
  Instant ran_at;
  int services = 0;
  std::vector<SyncAction> actions;
  std::string error;  // "" when the module answered
};

}  // namespace dcisim::billing
