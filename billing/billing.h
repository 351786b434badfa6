// The billing core's public face, in the image of BILLmanager: clients and their accounts,
// payments and expenses, tariffs, orders and services through the lifecycle of DOMAIN.md, the
// operation runner driving a ProvisioningModule, the daily job and the sync job.
//
// One `Billing` owns one SQLite file. Opening an existing file resumes where it stopped: pending
// operations continue at their next run. Every action runs in one transaction and either
// changes what it says or returns an error (with a message a person can act on) and changes
// nothing. Time comes only from the Clock handed in; randomness only from the seed.
//
// Scheduling: Billing is a common::TimedWork. With a VirtualClock, subscribe it
// (`clock.subscribe(billing.get())`, unsubscribe before destroying it) and advance the clock; with
// a RealClock, call run_due(clock.now()) in a loop. Actions never call the module themselves:
// an order queues an `open` that the next run_due runs.
//
//   BillingOptions options{"/tmp/b.db", &clock, &module, /*seed=*/42, Settings{}};
//   auto billing = Billing::open(options).value();
//   ClientId alice = billing->register_client({"alice@example.com", "Alice", "secret-pass"}).value();
//   billing->pay(alice, Money::from_units(100), "card", "gw-1");
//   ServiceId s = billing->place_order({alice, tariff, 1, "Debian 12"}).value();
//   clock.advance(Duration::hours(1));   // open runs; s becomes active
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "billing/core.h"
#include "billing/provisioning.h"
#include "billing/records.h"
#include "billing/settings.h"
#include "billing/store/sqlite.h"
#include "common/clock.h"
#include "common/result.h"

namespace dcisim::billing {

using common::Result;
using common::Status;

struct BillingOptions {
  std::string database_path;          // created if missing, migrated at open
  common::Clock* clock = nullptr;     // required; the only source of time
  ProvisioningModule* module = nullptr;  // required; outlives the Billing
  uint64_t seed = 0;                  // secrets under SecretSource::seeded derive from it
  Settings settings;
};

class Billing final : public common::TimedWork {
 public:
  static Result<std::unique_ptr<Billing>> open(const BillingOptions& options);
  ~Billing() override;
  Billing(const Billing&) = delete;
  Billing& operator=(const Billing&) = delete;

  // ---- clients ----
  Result<ClientId> register_client(const NewClient& request);
  // The client for a correct e-mail and password; `unauthorized` otherwise, `forbidden` if blocked.
  Result<ClientId> authenticate(const std::string& email, const std::string& password);
  // A blocked client cannot order or act on services; money is still accepted.
  Status block_client(ClientId client, const std::string& reason);
  Status unblock_client(ClientId client, const std::string& reason);
  Result<ClientView> client(ClientId client) const;
  Result<ClientView> client_by_email(const std::string& email) const;
  Result<std::vector<ClientView>> clients() const;

  // ---- money ----
  Result<AccountView> account(ClientId client) const;
  Result<std::vector<AccountView>> accounts() const;
  // Raising the limit lets waiting orders and renewals go through, like money arriving.
  Status set_credit_limit(ClientId client, Money limit, const std::string& reason);
  // A payment in `new`; start_payment sends it to the gateway (`in_pay`) under the gateway's id.
  Result<PaymentId> create_payment(ClientId client, Money amount, const std::string& method);
  Status start_payment(PaymentId payment, const std::string& external_id);
  // The gateway's callback: `paid`, credited, then spent on resumes and waiting orders.
  // Idempotent: a second callback for the same external id returns the payment, changes nothing.
  Result<PaymentView> confirm_payment(const std::string& external_id);
  Status cancel_payment(PaymentId payment, const std::string& reason);
  // create + start + confirm in one transaction (a client paying by card in one go).
  Result<PaymentId> pay(ClientId client, Money amount, const std::string& method,
                        const std::string& external_id);
  // Staff adding money ("mark as paid"): a paid payment of method "admin", same crediting path.
  Result<PaymentId> admin_credit(ClientId client, Money amount, const std::string& reason);
  // Full refund (amount unset or equal to the payment): the payment becomes `refunded`.
  // Partial: a negative payment row referring to it. Only unspent money (balance >= amount).
  Result<PaymentId> refund_payment(PaymentId payment, std::optional<Money> amount,
                                   const std::string& reason);
  Result<PaymentView> payment(PaymentId payment) const;
  Result<std::vector<PaymentView>> payments(ClientId client) const;
  Result<std::vector<ExpenseView>> expenses(ClientId client) const;
  Result<std::vector<ExpenseView>> service_expenses(ServiceId service) const;

  // ---- tariffs ----
  Result<TariffId> create_tariff(const TariffSpec& spec);
  Result<TariffView> tariff(TariffId tariff) const;

  // ---- orders and services ----
  // Creates the service (`ordered`); charges period + setup + addons at once when the account can
  // afford it (then `processing` with an `open` queued), else it waits for money.
  Result<ServiceId> place_order(const OrderRequest& order);
  // Charges `periods` (1..12) more periods. Active (or suspended for a manual reason): continues
  // from expiredate. Suspended for `auto`: lifts it and resumes; the period starts at the resume.
  // `period_months`: periods of another length the tariff prices (3 months on a monthly service),
  // at that period's price; the service's own period (for renewals) does not change.
  Status prolong(ServiceId service, int periods, Actor actor, std::optional<int> period_months = std::nullopt);
  Status set_autoprolong(ServiceId service, bool on, Actor actor);
  // Manual suspension flags: admin, abuse (actor admin) or client (actor client).
  Status suspend(ServiceId service, SuspendFlag flag, const std::string& reason);
  Status resume(ServiceId service, SuspendFlag flag, const std::string& reason);
  // By Actor::client or Actor::admin. Ordered: deleted at once. Active/suspended: a `close`.
  Status delete_service(ServiceId service, Actor actor, const std::string& reason);
  Result<ServiceView> service(ServiceId service) const;
  Result<std::vector<ServiceView>> services(std::optional<ClientId> client = std::nullopt) const;
  Result<std::vector<PeriodView>> periods(ServiceId service) const;

  // ---- operations and manual tasks ----
  Result<std::vector<OperationView>> operations(ServiceId service) const;
  Result<std::vector<TaskView>> tasks(bool open_only = true) const;
  // Staff fixed the cause: the operation runs again now with its attempts reset.
  Status retry_task(TaskId task, const std::string& reason);
  // Staff gave up: open -> its charges are refunded and the service is deleted; when the module
  // says the open may have taken a server, a close first releases it (the service is processing
  // until it ends; canceling that close deletes the service at once). Suspend, resume, close ->
  // the service returns to its previous status and flags (an unstarted renewal is refunded).
  Status cancel_task(TaskId task, const std::string& reason);

  // ---- history ----
  // Status changes of one entity ("client", "payment", "service", "operation", "task"), oldest first.
  Result<std::vector<HistoryView>> history(const std::string& entity, int64_t id) const;
  Result<std::vector<HistoryView>> service_history(ServiceId service) const;

  // ---- jobs ----
  // Runs the daily job now (the scheduler runs it once a day by itself).
  Result<DailyRunView> run_daily_job();
  Result<SyncRunView> run_sync();
  Result<std::vector<DailyRunView>> daily_runs() const;
  Result<std::vector<SyncRunView>> sync_runs() const;

  // ---- scheduling (common::TimedWork) ----
  // min(next daily run, next operation run, next sync).
  std::optional<common::Instant> next_due() const override;
  // Runs the daily job if due, then one step of every operation due (oldest next_run_at first,
  // at most Settings::max_steps_per_run), then the sync if due.
  void run_due(common::Instant now) override;
  // Errors the scheduler met (run_due cannot return them), oldest first; at most 100 kept.
  std::vector<std::string> scheduler_errors() const;

  // ---- for the audit and for tests ----
  store::Database& database() const { return *db_; }
  const common::Clock& clock() const { return clock_; }
  ProvisioningModule& module() const { return module_; }
  const Settings& settings() const { return settings_; }
  std::recursive_mutex& mutex() const { return mutex_; }

 private:
  Billing(std::unique_ptr<store::Database> db, const BillingOptions& options);
  template <typename Fn>
  auto write(Fn&& fn);
  template <typename Fn>
  auto read(Fn&& fn) const;
  void note_error(const std::string& what, const common::Error& error);

  std::unique_ptr<store::Database> db_;
  common::Clock& clock_;
  ProvisioningModule& module_;
  Settings settings_;
  uint64_t seed_;
  mutable Core core_;
  mutable std::recursive_mutex mutex_;
  std::deque<std::string> errors_;
};

}  // namespace dcisim::billing
