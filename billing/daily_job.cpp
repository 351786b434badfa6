#include "billing/daily_job.h"

#include <functional>

#include "billing/funds.h"
#include "billing/lifecycle.h"
#include "billing/tariffs.h"
#include "common/json_text.h"
#include "common/planted.h"

namespace dcisim::billing {

namespace {

using common::Duration;
using common::Instant;
using common::Money;

struct Summary {
  int unpaid_deleted = 0;
  int renewed = 0;
  int suspended = 0;
  int marked_expired = 0;
  int auto_deleted = 0;
  int accounts_settled = 0;
  Json errors = Json::array();

  Json to_json() const {
    return Json{{"unpaid_deleted", unpaid_deleted}, {"renewed", renewed},
                {"suspended", suspended}, {"marked_expired", marked_expired},
                {"auto_deleted", auto_deleted}, {"accounts_settled", accounts_settled},
                {"errors", errors}};
  }
};

using ServiceStep = std::function<common::Status(Core&, ServiceRow&, Summary&)>;

// Runs `step` for each matching service, each in its own transaction. A failure rolls back that
// service only and is recorded in the summary: one broken row must not stop the night's billing.
common::Status each_service(Core& core, const std::string& where, Summary& summary,
                            const ServiceStep& step) {
  DCISIM_ASSIGN_OR_RETURN(std::vector<ServiceId> ids, service_ids_where(core.db, where));
  for (ServiceId id : ids) {
    Summary attempt = summary;
    store::Transaction tx(core.db);
    DCISIM_RETURN_IF_ERROR(tx.begin());
    common::Status done = [&]() -> common::Status {
      DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, id));
      return step(core, s, attempt);
    }();
    if (done.ok()) done = tx.commit();
    if (done.ok()) {
      summary = attempt;
    } else {
      summary.errors.push_back("service " + id.to_string() + ": " + done.error().message);
    }
  }
  return common::Status::success();
}

common::Status delete_unpaid(Core& core, ServiceRow& s, Summary& summary) {
  Duration lifetime = Duration::days(core.settings.unpaid_order_days);
  if (s.status != ServiceStatus::ordered || s.created_at + lifetime > core.now()) {
    return common::Status::success();
  }
  ChangeNote note{Actor::daily_job,
                  "unpaid for " + std::to_string(core.settings.unpaid_order_days) + " days",
                  std::nullopt, std::nullopt, std::nullopt};
  ++summary.unpaid_deleted;
  return delete_without_module(core, s, note);
}

common::Status renew_or_suspend(Core& core, ServiceRow& s, Summary& summary) {
  if (s.status != ServiceStatus::active || !s.expiredate ||
      *s.expiredate >= core.now() + core.settings.renewal_lead) {
    return common::Status::success();
  }
  DCISIM_ASSIGN_OR_RETURN(TariffView tariff, load_tariff(core.db, s.tariff_id));
  DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account(core.db, s.account_id));
  Money price = total_of(service_charges(tariff.spec, s, 1, false));
  if (s.autoprolong && account.can_afford(price)) {
    ++summary.renewed;
    return renew(core, s, tariff.spec, account, 1, Actor::daily_job, "renewed by the daily job");
  }
  if (core.now() < *s.expiredate + Duration::days(tariff.spec.grace_days)) {
    return common::Status::success();  // in grace: try again tomorrow
  }
  std::string why = "expired " + common::format_instant(*s.expiredate) + ": " +
                    (s.autoprolong ? insufficient_funds(account, price, "the renewal").message
                                   : std::string("autoprolong is off"));
  s.auto_suspended_at = core.now();
  ChangeNote note{Actor::daily_job, why, std::nullopt, std::nullopt, std::nullopt};
  DCISIM_ASSIGN_OR_RETURN(OperationId op, begin_operation(core, s, OperationKind::suspend,
                                                 s.flags.with(SuspendFlag::automatic), note));
  (void)op;
  ++summary.suspended;
  return common::Status::success();
}

common::Status mark_expired(Core& core, ServiceRow& s, Summary& summary) {
  if (s.status != ServiceStatus::suspended || s.flags.has(SuspendFlag::automatic) || !s.expiredate) {
    return common::Status::success();
  }
  DCISIM_ASSIGN_OR_RETURN(TariffView tariff, load_tariff(core.db, s.tariff_id));
  if (core.now() < *s.expiredate + Duration::days(tariff.spec.grace_days)) return common::Status::success();
  s.auto_suspended_at = core.now();
  ChangeNote note{Actor::daily_job,
                  "paid time ran out while suspended (expired " + common::format_instant(*s.expiredate) + ")",
                  std::nullopt, std::nullopt, std::nullopt};
  ++summary.marked_expired;
  return change_service(core, s, s.status, s.flags.with(SuspendFlag::automatic), note);
}

common::Status auto_delete(Core& core, ServiceRow& s, Summary& summary) {
  if (s.status != ServiceStatus::suspended || !s.flags.has(SuspendFlag::automatic) ||
      !s.auto_suspended_at) {
    return common::Status::success();
  }
  DCISIM_ASSIGN_OR_RETURN(TariffView tariff, load_tariff(core.db, s.tariff_id));
  int days = tariff.spec.auto_delete_days;
  bool eligible = s.flags.only(SuspendFlag::automatic) || tariff.spec.auto_delete_manual;
  if (days == 0 || !eligible || core.now() < *s.auto_suspended_at + Duration::days(days)) {
    return common::Status::success();
  }
  ChangeNote note{Actor::daily_job,
                  "auto-deleted: suspended for auto since " + common::format_instant(*s.auto_suspended_at) +
                      ", " + std::to_string(days) + " days",
                  std::nullopt, std::nullopt, std::nullopt};
  DCISIM_ASSIGN_OR_RETURN(OperationId op, begin_operation(core, s, OperationKind::close, s.flags, note));
  (void)op;
  ++summary.auto_deleted;
  return common::Status::success();
}

common::Status settle_accounts(Core& core, Summary& summary) {
  store::Statement st = core.db.prepare(
      "SELECT DISTINCT account_id FROM services WHERE status = 'ordered' OR "
      "(status = 'suspended' AND flags = 'auto' AND autoprolong = 1) ORDER BY account_id");
  std::vector<AccountId> accounts;
  while (st.next()) accounts.emplace_back(st.integer(0));
  DCISIM_RETURN_IF_ERROR(st.status());
  for (AccountId account : accounts) {
    store::Transaction tx(core.db);
    DCISIM_RETURN_IF_ERROR(tx.begin());
    common::Status done = settle_account(core, account, Actor::funds, "the daily job");
    if (done.ok()) done = tx.commit();
    if (done.ok()) {
      ++summary.accounts_settled;
    } else {
      summary.errors.push_back("account " + account.to_string() + ": " + done.error().message);
    }
  }
  return common::Status::success();
}

}  // namespace

std::string daily_job_day(const Settings& settings, Instant at) {
  return common::format_date(at - settings.daily_job_offset);
}

common::Result<DailyRunView> run_daily_job(Core& core) {
  Summary summary;
  DCISIM_RETURN_IF_ERROR(each_service(core, "status = 'ordered'", summary, delete_unpaid));
  DCISIM_RETURN_IF_ERROR(each_service(core, "status = 'active'", summary, renew_or_suspend));
  if (common::planted(core.settings.planted_bug, "renew_deleted")) {
    DCISIM_RETURN_IF_ERROR(each_service(core, "status = 'deleted'", summary, [](Core& c, ServiceRow& s, Summary&) -> common::Status {
      if (!s.expiredate || *s.expiredate >= c.now() + c.settings.renewal_lead) return common::Status::success();
      DCISIM_ASSIGN_OR_RETURN(TariffView tariff, load_tariff(c.db, s.tariff_id));
      DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account(c.db, s.account_id));
      (void)renew(c, s, tariff.spec, account, 1, Actor::daily_job, "renewed though deleted");
      return common::Status::success();
    }));
  }
  DCISIM_RETURN_IF_ERROR(each_service(core, "status = 'suspended'", summary, mark_expired));
  DCISIM_RETURN_IF_ERROR(each_service(core, "status = 'suspended'", summary, auto_delete));
  DCISIM_RETURN_IF_ERROR(settle_accounts(core, summary));
  DailyRunView run{daily_job_day(core.settings, core.now()), core.now(), summary.to_json()};
  store::Statement st = core.db.prepare(
      "INSERT INTO daily_runs (day, ran_at, summary) VALUES (?1, ?2, ?3) ON CONFLICT (day) DO NOTHING");
  st.bind(1, run.day).bind(2, run.ran_at.unix_ms()).bind(3, common::json_text(run.summary));
  DCISIM_RETURN_IF_ERROR(st.run());
  return run;
}

common::Result<Instant> next_daily_run(Core& core) {
  store::Statement last = core.db.prepare("SELECT MAX(day) FROM daily_runs");
  if (last.next() && !last.is_null(0)) {
    DCISIM_ASSIGN_OR_RETURN(Instant day, common::parse_instant(last.text(0)));
    return day + Duration::days(1) + core.settings.daily_job_offset;
  }
  DCISIM_RETURN_IF_ERROR(last.status());
  store::Statement created = core.db.prepare("SELECT value FROM meta WHERE key = 'created_at'");
  Instant created_at = core.now();
  if (created.next()) created_at = Instant::from_unix_ms(std::stoll(created.text(0)));
  DCISIM_RETURN_IF_ERROR(created.status());
  Instant first = common::start_of_day(created_at) + core.settings.daily_job_offset;
  return first < created_at ? first + Duration::days(1) : first;
}

common::Result<std::vector<DailyRunView>> daily_run_views(store::Database& db) {
  store::Statement st = db.prepare("SELECT day, ran_at, summary FROM daily_runs ORDER BY day");
  std::vector<DailyRunView> runs;
  while (st.next()) {
    Json summary = Json::parse(st.text(2), nullptr, false);
    runs.push_back({st.text(0), Instant::from_unix_ms(st.integer(1)),
                    summary.is_discarded() ? Json::object() : summary});
  }
  DCISIM_RETURN_IF_ERROR(st.status());
  return runs;
}

}  // namespace dcisim::billing
