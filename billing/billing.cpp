#include "billing/billing.h"

#include "billing/actions.h"
#include "billing/daily_job.h"
#include "billing/operations.h"
#include "billing/reads.h"
#include "billing/runner.h"
#include "billing/store/migrations.h"
#include "billing/sync_job.h"
#include "billing/tariffs.h"
#include "common/json_text.h"

namespace dcisim::billing {

namespace {

constexpr size_t kMaxSchedulerErrors = 100;

common::Status validate_settings(const Settings& s) {
  if (s.max_attempts < 1 || s.max_steps_per_run < 1) {
    return common::Error::invalid("settings: max_attempts and max_steps_per_run must be >= 1");
  }
  if (s.retry_backoff_start <= common::Duration() || s.retry_backoff_cap < s.retry_backoff_start ||
      s.min_poll_interval <= common::Duration() || s.sync_interval <= common::Duration()) {
    return common::Error::invalid(
        "settings: retry backoff, poll interval and sync interval must be positive, cap >= start");
  }
  if (s.daily_job_offset < common::Duration() || s.daily_job_offset >= common::Duration::days(1) ||
      s.renewal_lead < common::Duration() || s.unpaid_order_days < 1 || s.domain_suffix.empty() ||
      s.password_iterations < 1000) {
    return common::Error::invalid(
        "settings: daily_job_offset in [0, 1d), renewal_lead >= 0, unpaid_order_days >= 1, "
        "a domain suffix and password_iterations >= 1000 are required");
  }
  return common::Status::success();
}

}  // namespace

Result<std::unique_ptr<Billing>> Billing::open(const BillingOptions& options) {
  if (options.clock == nullptr || options.module == nullptr) {
    return common::Error::invalid("Billing::open needs a clock and a processing module");
  }
  if (options.database_path.empty()) return common::Error::invalid("Billing::open needs a database path");
  DCISIM_RETURN_IF_ERROR(validate_settings(options.settings));
  DCISIM_ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db, store::Database::open(options.database_path));
  DCISIM_RETURN_IF_ERROR(store::migrate(*db));
  store::Statement created = db->prepare(
      "INSERT INTO meta (key, value) VALUES ('created_at', ?1) ON CONFLICT (key) DO NOTHING");
  created.bind(1, std::to_string(options.clock->now().unix_ms()));
  DCISIM_RETURN_IF_ERROR(created.run());
  return std::unique_ptr<Billing>(new Billing(std::move(db), options));
}

Billing::Billing(std::unique_ptr<store::Database> db, const BillingOptions& options)
    : db_(std::move(db)),
      clock_(*options.clock),
      module_(*options.module),
      settings_(options.settings),
      seed_(options.seed),
      core_{*db_, clock_, module_, settings_, seed_} {}

Billing::~Billing() = default;

// One action, one transaction: committed if it succeeds, rolled back (nothing changed) if not.
template <typename Fn>
auto Billing::write(Fn&& fn) {
  std::lock_guard lock(mutex_);
  store::Transaction tx(*db_);
  using R = decltype(fn(core_));
  common::Status begun = tx.begin();
  if (!begun.ok()) return R(begun.error());
  R result = fn(core_);
  if (!result.ok()) return result;
  common::Status committed = tx.commit();
  if (!committed.ok()) return R(committed.error());
  return result;
}

template <typename Fn>
auto Billing::read(Fn&& fn) const {
  std::lock_guard lock(mutex_);
  return fn(*db_);
}

void Billing::note_error(const std::string& what, const common::Error& error) {
  errors_.push_back(common::format_instant(clock_.now()) + " " + what + ": " + error.message);
  while (errors_.size() > kMaxSchedulerErrors) errors_.pop_front();
}

// ---- clients ----

Result<ClientId> Billing::register_client(const NewClient& request) {
  return write([&](Core& core) { return billing::register_client(core, request); });
}
Result<ClientId> Billing::authenticate(const std::string& email, const std::string& password) {
  std::lock_guard lock(mutex_);
  return billing::authenticate(core_, email, password);
}
Status Billing::block_client(ClientId client, const std::string& reason) {
  return write([&](Core& core) { return set_client_status(core, client, ClientStatus::blocked, reason); });
}
Status Billing::unblock_client(ClientId client, const std::string& reason) {
  return write([&](Core& core) { return set_client_status(core, client, ClientStatus::active, reason); });
}
Result<ClientView> Billing::client(ClientId client) const {
  return read([&](store::Database& db) { return client_view(db, client); });
}
Result<ClientView> Billing::client_by_email(const std::string& email) const {
  return read([&](store::Database& db) { return client_view_by_email(db, email); });
}
Result<std::vector<ClientView>> Billing::clients() const {
  return read([&](store::Database& db) { return client_views(db); });
}

// ---- money ----

Result<AccountView> Billing::account(ClientId client) const {
  return read([&](store::Database& db) { return account_view(db, client); });
}
Result<std::vector<AccountView>> Billing::accounts() const {
  return read([&](store::Database& db) { return account_views(db); });
}
Status Billing::set_credit_limit(ClientId client, Money limit, const std::string& reason) {
  return write([&](Core& core) { return billing::set_credit_limit(core, client, limit, reason); });
}
Result<PaymentId> Billing::create_payment(ClientId client, Money amount, const std::string& method) {
  return write([&](Core& core) { return billing::create_payment(core, client, amount, method); });
}
Status Billing::start_payment(PaymentId payment, const std::string& external_id) {
  return write([&](Core& core) { return billing::start_payment(core, payment, external_id); });
}
Result<PaymentView> Billing::confirm_payment(const std::string& external_id) {
  return write([&](Core& core) { return billing::confirm_payment(core, external_id); });
}
Status Billing::cancel_payment(PaymentId payment, const std::string& reason) {
  return write([&](Core& core) { return billing::cancel_payment(core, payment, reason); });
}
Result<PaymentId> Billing::pay(ClientId client, Money amount, const std::string& method,
                               const std::string& external_id) {
  return write([&](Core& core) -> Result<PaymentId> {
    // The gateway delivering the same payment again (a replayed callback, a retried request) is
    // the same payment: confirmed once, credited once (DOMAIN.md, failure #4).
    if (Result<PaymentView> known = payment_by_external_id(core, external_id); known) {
      if (known->client_id != client || known->amount != amount) {
        return common::Error::conflict("external id '" + external_id + "' already names payment " +
                                       known->id.to_string() + " of " + known->amount.to_string() +
                                       " for client " + known->client_id.to_string());
      }
      DCISIM_ASSIGN_OR_RETURN(PaymentView paid, billing::confirm_payment(core, external_id));
      return paid.id;
    }
    DCISIM_ASSIGN_OR_RETURN(PaymentId id, billing::create_payment(core, client, amount, method));
    DCISIM_RETURN_IF_ERROR(billing::start_payment(core, id, external_id));
    DCISIM_ASSIGN_OR_RETURN(PaymentView paid, billing::confirm_payment(core, external_id));
    return paid.id;
  });
}
Result<PaymentId> Billing::admin_credit(ClientId client, Money amount, const std::string& reason) {
  return write([&](Core& core) { return billing::admin_credit(core, client, amount, reason); });
}
Result<PaymentId> Billing::refund_payment(PaymentId payment, std::optional<Money> amount,
                                          const std::string& reason) {
  return write([&](Core& core) { return billing::refund_payment(core, payment, amount, reason); });
}
Result<PaymentView> Billing::payment(PaymentId payment) const {
  std::lock_guard lock(mutex_);
  return payment_view(core_, payment);
}
Result<std::vector<PaymentView>> Billing::payments(ClientId client) const {
  return read([&](store::Database& db) { return payment_views(db, client); });
}
Result<std::vector<ExpenseView>> Billing::expenses(ClientId client) const {
  return read([&](store::Database& db) { return expense_views(db, client, std::nullopt); });
}
Result<std::vector<ExpenseView>> Billing::service_expenses(ServiceId service) const {
  return read([&](store::Database& db) { return expense_views(db, std::nullopt, service); });
}

// ---- tariffs ----

Result<TariffId> Billing::create_tariff(const TariffSpec& spec) {
  return write([&](Core& core) { return insert_tariff(core.db, core.now(), spec); });
}
Result<TariffView> Billing::tariff(TariffId tariff) const {
  return read([&](store::Database& db) { return load_tariff(db, tariff); });
}

// ---- orders and services ----

Result<ServiceId> Billing::place_order(const OrderRequest& order) {
  return write([&](Core& core) { return billing::place_order(core, order); });
}
Status Billing::prolong(ServiceId service, int periods, Actor actor, std::optional<int> period_months) {
  return write([&](Core& core) { return billing::prolong(core, service, periods, actor, period_months); });
}
Status Billing::set_autoprolong(ServiceId service, bool on, Actor actor) {
  return write([&](Core& core) { return billing::set_autoprolong(core, service, on, actor); });
}
Status Billing::suspend(ServiceId service, SuspendFlag flag, const std::string& reason) {
  return write([&](Core& core) { return suspend_service(core, service, flag, reason); });
}
Status Billing::resume(ServiceId service, SuspendFlag flag, const std::string& reason) {
  return write([&](Core& core) { return resume_service(core, service, flag, reason); });
}
Status Billing::delete_service(ServiceId service, Actor actor, const std::string& reason) {
  return write([&](Core& core) { return billing::delete_service(core, service, actor, reason); });
}
Result<ServiceView> Billing::service(ServiceId service) const {
  return read([&](store::Database& db) { return service_view(db, service); });
}
Result<std::vector<ServiceView>> Billing::services(std::optional<ClientId> client) const {
  return read([&](store::Database& db) { return service_views(db, client); });
}
Result<std::vector<PeriodView>> Billing::periods(ServiceId service) const {
  return read([&](store::Database& db) { return period_views(db, service); });
}

// ---- operations and tasks ----

Result<std::vector<OperationView>> Billing::operations(ServiceId service) const {
  return read([&](store::Database& db) { return operation_views(db, service); });
}
Result<std::vector<TaskView>> Billing::tasks(bool open_only) const {
  return read([&](store::Database& db) { return task_views(db, open_only); });
}
Status Billing::retry_task(TaskId task, const std::string& reason) {
  return write([&](Core& core) { return billing::retry_task(core, task, reason); });
}
Status Billing::cancel_task(TaskId task, const std::string& reason) {
  return write([&](Core& core) { return billing::cancel_task(core, task, reason); });
}

// ---- history ----

Result<std::vector<HistoryView>> Billing::history(const std::string& entity, int64_t id) const {
  return read([&](store::Database& db) { return history_views(db, entity, id); });
}
Result<std::vector<HistoryView>> Billing::service_history(ServiceId service) const {
  return history("service", service.value());
}

// ---- jobs and scheduling ----

Result<DailyRunView> Billing::run_daily_job() {
  std::lock_guard lock(mutex_);
  return billing::run_daily_job(core_);
}
Result<SyncRunView> Billing::run_sync() {
  std::lock_guard lock(mutex_);
  return billing::run_sync(core_);
}
Result<std::vector<DailyRunView>> Billing::daily_runs() const {
  return read([&](store::Database& db) { return daily_run_views(db); });
}
Result<std::vector<SyncRunView>> Billing::sync_runs() const {
  return read([&](store::Database& db) { return sync_run_views(db); });
}

std::optional<common::Instant> Billing::next_due() const {
  std::lock_guard lock(mutex_);
  common::Result<common::Instant> daily = next_daily_run(core_);
  common::Result<common::Instant> sync = next_sync_run(core_);
  common::Result<std::optional<common::Instant>> operation = next_operation_run(*db_);
  std::optional<common::Instant> due;
  auto consider = [&](std::optional<common::Instant> t) {
    if (t && (!due || *t < *due)) due = t;
  };
  if (daily.ok()) consider(*daily);
  if (sync.ok()) consider(*sync);
  if (operation.ok()) consider(*operation);
  return due;
}

void Billing::run_due(common::Instant now) {
  std::lock_guard lock(mutex_);
  common::Result<common::Instant> daily = next_daily_run(core_);
  if (!daily.ok()) {
    note_error("daily job schedule", daily.error());
  } else if (*daily <= now) {
    common::Result<DailyRunView> run = billing::run_daily_job(core_);
    if (!run.ok()) note_error("daily job", run.error());
    else if (!run->summary["errors"].empty()) note_error("daily job", common::Error::internal(common::json_text(run->summary["errors"])));
  }
  common::Result<std::vector<OperationId>> due = due_operations(*db_, now, settings_.max_steps_per_run);
  if (!due.ok()) note_error("operation runner", due.error());
  for (OperationId id : due.ok() ? *due : std::vector<OperationId>{}) {
    common::Status step = run_operation_step(core_, id);
    if (!step.ok()) note_error("operation " + id.to_string(), step.error());
  }
  common::Result<common::Instant> sync = next_sync_run(core_);
  if (!sync.ok()) {
    note_error("sync schedule", sync.error());
  } else if (*sync <= now) {
    common::Result<SyncRunView> run = billing::run_sync(core_);
    if (!run.ok()) note_error("sync", run.error());
  }
}

std::vector<std::string> Billing::scheduler_errors() const {
  std::lock_guard lock(mutex_);
  return {errors_.begin(), errors_.end()};
}

}  // namespace dcisim::billing
