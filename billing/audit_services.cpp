// Audit checks on services, their periods and their operations (invariants 3-9 of DOMAIN.md).
#include <map>

#include "billing/audit_checks.h"
#include "billing/operations.h"
#include "billing/rows.h"
#include "billing/tariffs.h"

namespace dcisim::billing {

namespace {

using common::Duration;
using common::Instant;

std::string svc(const ServiceRow& s) {
  std::string out = "service ";
  out.append(s.id.to_string()).append(" (").append(service_status_name(s.status));
  if (!s.flags.empty()) out.append(" ").append(s.flags.to_string());
  return out.append(")");
}

std::string at(std::optional<Instant> t) { return t ? common::format_instant(*t) : "none"; }

std::vector<ServiceRow> all_services(AuditContext& ctx) {
  std::vector<ServiceRow> rows;
  common::Result<std::vector<ServiceId>> ids = service_ids_where(ctx.db, "1 = 1");
  if (!ids.ok()) {
    ctx.ok(ids.error(), "reading services");
    return rows;
  }
  for (ServiceId id : *ids) {
    common::Result<ServiceRow> row = load_service(ctx.db, id);
    if (ctx.ok(row.ok() ? common::Status() : common::Status(row.error()), "reading a service")) {
      rows.push_back(*row);
    }
  }
  return rows;
}

// Unfinished operation kind per service, and done opens with their server ids.
struct ServiceOperations {
  std::vector<OperationKind> unfinished;
  std::vector<int64_t> opened_servers;
};

std::map<int64_t, ServiceOperations> operations_by_service(AuditContext& ctx) {
  std::map<int64_t, ServiceOperations> out;
  store::Statement st = ctx.db.prepare(
      "SELECT service_id, kind, status, result FROM operations ORDER BY id");
  while (st.next()) {
    ServiceOperations& ops = out[st.integer(0)];
    common::Result<OperationKind> kind = parse_operation_kind(st.text(1));
    if (!kind.ok()) continue;
    std::string status = st.text(2);
    if (status == "pending" || status == "manual") ops.unfinished.push_back(*kind);
    if (*kind == OperationKind::open && status == "done") {
      Json result = Json::parse(st.text(3), nullptr, false);
      ops.opened_servers.push_back(result.is_object() ? result.value("server_id", int64_t{0}) : 0);
    }
  }
  ctx.ok(st.status(), "reading operations");
  return out;
}

void check_periods_of(AuditContext& ctx, const ServiceRow& s, const ServiceOperations& ops) {
  common::Result<std::vector<PeriodRow>> periods = load_periods(ctx.db, s.id);
  if (!periods.ok()) return (void)ctx.ok(periods.error(), "reading periods");
  std::optional<Instant> last_end;
  const PeriodRow* unstarted = nullptr;
  for (const PeriodRow& p : *periods) {
    if (p.canceled_at) continue;
    std::string where = svc(s) + " period " + std::to_string(p.seq);
    if (unstarted != nullptr) {
      ctx.add("period_chain", where + " follows period " + std::to_string(unstarted->seq) +
                                  " that never started");
    }
    if (!p.start_at) {
      unstarted = &p;
      continue;
    }
    if (!p.end_at || *p.end_at != common::add_months(*p.start_at, p.months)) {
      ctx.add("period_chain", where + ": " + std::to_string(p.months) + " month(s) from " +
                                  at(p.start_at) + " should end at " +
                                  at(common::add_months(*p.start_at, p.months)) + ", ends " + at(p.end_at));
    }
    if (last_end && *p.start_at < *last_end) {
      ctx.add("period_chain", where + " starts " + at(p.start_at) +
                                  " before the previous period ends " + at(last_end) + ": overlap");
    }
    last_end = p.end_at;
  }
  bool may_wait = s.status == ServiceStatus::processing && ops.unfinished.size() == 1 &&
                  (ops.unfinished[0] == OperationKind::open || ops.unfinished[0] == OperationKind::resume);
  if (unstarted != nullptr && !may_wait) {
    ctx.add("period_chain", svc(s) + ": period " + std::to_string(unstarted->seq) +
                                " was charged but never started, and no open or resume is running");
  }
  if (s.expiredate != last_end) {
    ctx.add("expiredate_matches_periods", svc(s) + ": expiredate " + at(s.expiredate) +
                                              " but the last started period ends " + at(last_end));
  }
}

void check_period_charges(AuditContext& ctx, const ServiceRow& s) {
  store::Statement st = ctx.db.prepare(
      "SELECT e.period_seq, p.canceled_at IS NOT NULL, p.seq IS NULL, "
      "SUM(e.kind = 'period'), SUM(e.kind = 'refund') FROM expenses e "
      "LEFT JOIN service_periods p ON p.service_id = e.service_id AND p.seq = e.period_seq "
      "WHERE e.service_id = ?1 GROUP BY e.period_seq ORDER BY e.period_seq");
  st.bind(1, s.id.value());
  while (st.next()) {
    std::string where = svc(s) + " period " + std::to_string(st.integer(0));
    if (st.boolean(2)) {
      ctx.add("period_charged", where + ": expenses for a period that does not exist");
    } else if (st.integer(3) != 1) {
      ctx.add("period_charged", where + ": " + std::to_string(st.integer(3)) + " period charges (expected 1)");
    } else if (st.boolean(1) && st.integer(4) != 1) {
      ctx.add("period_charged", where + ": canceled but not refunded");
    }
  }
  ctx.ok(st.status(), "reading period charges");
  store::Statement missing = ctx.db.prepare(
      "SELECT p.seq FROM service_periods p WHERE p.service_id = ?1 AND NOT EXISTS (SELECT 1 FROM "
      "expenses e WHERE e.service_id = p.service_id AND e.period_seq = p.seq AND e.kind = 'period')");
  missing.bind(1, s.id.value());
  while (missing.next()) {
    ctx.add("period_charged", svc(s) + " period " + std::to_string(missing.integer(0)) + " was never charged");
  }
  ctx.ok(missing.status(), "reading uncharged periods");
}

// When the service last became active (from another status): the daily job judges a service
// only at runs after that.
std::optional<Instant> became_active_at(AuditContext& ctx, ServiceId id) {
  store::Statement st = ctx.db.prepare(
      "SELECT MAX(at) FROM status_history WHERE entity = 'service' AND entity_id = ?1 "
      "AND to_status = 'active' AND from_status <> 'active'");
  st.bind(1, id.value());
  if (!st.next() || st.is_null(0)) return std::nullopt;
  return Instant::from_unix_ms(st.integer(0));
}

std::optional<Instant> last_daily_run(AuditContext& ctx) {
  store::Statement st = ctx.db.prepare("SELECT MAX(ran_at) FROM daily_runs");
  if (!st.next() || st.is_null(0)) return std::nullopt;
  return Instant::from_unix_ms(st.integer(0));
}

void check_active_and_flags(AuditContext& ctx, const ServiceRow& s, const TariffSpec& tariff,
                            std::optional<Instant> last_run) {
  if (s.status == ServiceStatus::active) {
    if (!s.flags.empty()) ctx.add("suspension_flags", svc(s) + ": active with suspension flags");
    Instant limit = s.expiredate.value_or(Instant()) + Duration::days(tariff.grace_days);
    std::optional<Instant> since = became_active_at(ctx, s.id);
    bool judged = last_run && since && *since < *last_run;  // the job runs before operations
    if (!s.expiredate || (judged && *last_run >= limit)) {
      ctx.add("active_paid", svc(s) + ": active, paid until " + at(s.expiredate) + " + " +
                                 std::to_string(tariff.grace_days) + " grace day(s), but the daily job ran at " +
                                 at(last_run));
    }
  }
  if (s.status == ServiceStatus::suspended && s.flags.empty()) {
    ctx.add("suspension_flags", svc(s) + ": suspended without a reason flag");
  }
}

void check_server(AuditContext& ctx, const ServiceRow& s, const ServiceOperations& ops) {
  if (ops.opened_servers.size() > 1) {
    ctx.add("single_open", svc(s) + ": " + std::to_string(ops.opened_servers.size()) +
                               " successful opens (at most one per service, ever)");
  }
  bool live = s.status == ServiceStatus::active || s.status == ServiceStatus::suspended ||
              (s.status == ServiceStatus::processing && !ops.opened_servers.empty());
  if (live && (ops.opened_servers.empty() || s.server_id != ops.opened_servers.front())) {
    ctx.add("server_set_once", svc(s) + ": holds server " + (s.server_id ? std::to_string(*s.server_id) : "none") +
                                   " but its open reported " +
                                   (ops.opened_servers.empty() ? "none" : std::to_string(ops.opened_servers.front())));
  }
  if ((s.status == ServiceStatus::ordered || (s.status == ServiceStatus::processing &&
                                              ops.opened_servers.empty())) && s.server_id) {
    ctx.add("server_set_once", svc(s) + ": holds server " + std::to_string(*s.server_id) + " before opening");
  }
}

void check_deleted(AuditContext& ctx, const ServiceRow& s, const ServiceOperations& ops) {
  if (s.status != ServiceStatus::deleted) return;
  store::Statement st = ctx.db.prepare(
      "SELECT (SELECT COUNT(*) FROM service_addresses WHERE service_id = ?1), "
      "(SELECT COUNT(*) FROM service_params WHERE service_id = ?1 AND name = 'root_password'), "
      "(SELECT COUNT(*) FROM expenses WHERE service_id = ?1 AND kind <> 'refund' AND created_at > ?2)");
  st.bind(1, s.id.value()).bind(2, s.deleted_at.value_or(Instant()).unix_ms());
  if (!st.next()) return (void)ctx.ok(st.status(), "reading a deleted service");
  std::string held;
  if (s.server_id) held += " server " + std::to_string(*s.server_id) + ";";
  if (st.integer(0) > 0) held.append(" ").append(std::to_string(st.integer(0))).append(" address(es);");
  if (st.integer(1) > 0) held += " a root password;";
  if (!ops.unfinished.empty()) held += " an unfinished operation;";
  if (st.integer(2) > 0) {
    held.append(" ").append(std::to_string(st.integer(2))).append(" charge(s) after deletion;");
  }
  if (!s.deleted_at) held += " no deletion time;";
  if (!held.empty()) ctx.add("deleted_holds_nothing", svc(s) + " holds:" + held);
}

// 8. auto-deleted => it was auto-suspended at t and the close was queued at >= t + days.
void check_auto_deletions(AuditContext& ctx, const ServiceRow& s, const TariffSpec& tariff) {
  store::Statement st = ctx.db.prepare(
      "SELECT id, created_at, from_flags FROM operations WHERE service_id = ?1 AND kind = 'close' "
      "AND actor = 'daily_job' ORDER BY id");
  st.bind(1, s.id.value());
  while (st.next()) {
    Instant queued = Instant::from_unix_ms(st.integer(1));
    common::Result<SuspendFlags> flags = SuspendFlags::parse(st.text(2));
    bool flagged = flags.ok() && flags->has(SuspendFlag::automatic) &&
                   (flags->only(SuspendFlag::automatic) || tariff.auto_delete_manual);
    bool late_enough = s.auto_suspended_at && tariff.auto_delete_days > 0 &&
                       queued >= *s.auto_suspended_at + Duration::days(tariff.auto_delete_days);
    if (!flagged || !late_enough) {
      ctx.add("auto_delete_timing", svc(s) + ": auto-deletion queued at " + at(queued) + " with flags '" +
                                        st.text(2) + "', auto-suspended at " + at(s.auto_suspended_at) +
                                        ", tariff waits " + std::to_string(tariff.auto_delete_days) + " day(s)");
    }
  }
  ctx.ok(st.status(), "reading auto-deletions");
}

}  // namespace

void audit_periods(AuditContext& ctx) {
  std::map<int64_t, ServiceOperations> ops = operations_by_service(ctx);
  for (const ServiceRow& s : all_services(ctx)) {
    check_periods_of(ctx, s, ops[s.id.value()]);
    check_period_charges(ctx, s);
  }
}

void audit_services(AuditContext& ctx) {
  std::map<int64_t, ServiceOperations> ops = operations_by_service(ctx);
  std::optional<Instant> last_run = last_daily_run(ctx);
  std::map<int64_t, TariffSpec> tariffs;
  for (const ServiceRow& s : all_services(ctx)) {
    if (tariffs.count(s.tariff_id.value()) == 0) {
      common::Result<TariffView> tariff = load_tariff(ctx.db, s.tariff_id);
      if (!tariff.ok()) {
        ctx.ok(tariff.error(), "reading a tariff");
        continue;
      }
      tariffs[s.tariff_id.value()] = tariff->spec;
    }
    const TariffSpec& tariff = tariffs[s.tariff_id.value()];
    check_active_and_flags(ctx, s, tariff, last_run);
    check_server(ctx, s, ops[s.id.value()]);
    check_deleted(ctx, s, ops[s.id.value()]);
    check_auto_deletions(ctx, s, tariff);
  }
}

// 5. processing <=> exactly one unfinished operation; a failed operation is scheduled for retry
// or has an open task; an open task belongs to an operation waiting for staff.
void audit_operations(AuditContext& ctx) {
  std::map<int64_t, ServiceOperations> ops = operations_by_service(ctx);
  for (const ServiceRow& s : all_services(ctx)) {
    size_t unfinished = ops[s.id.value()].unfinished.size();
    bool processing = s.status == ServiceStatus::processing;
    if ((processing && unfinished != 1) || (!processing && unfinished != 0)) {
      ctx.add("processing_operation", svc(s) + ": " + std::to_string(unfinished) +
                                          " unfinished operation(s) (processing <=> exactly one)");
    }
  }
  store::Statement st = ctx.db.prepare(
      "SELECT o.id, o.service_id, o.kind, o.status, o.next_run_at IS NOT NULL, o.last_error, "
      "(SELECT COUNT(*) FROM tasks t WHERE t.operation_id = o.id AND t.status = 'open') "
      "FROM operations o ORDER BY o.id");
  while (st.next()) {
    std::string where = "operation " + std::to_string(st.integer(0)) + " (" + st.text(2) +
                        " of service " + std::to_string(st.integer(1)) + ", " + st.text(3) + ")";
    std::string status = st.text(3);
    int64_t open_tasks = st.integer(6);
    if (status == "pending" && (!st.boolean(4) || open_tasks != 0)) {
      ctx.add("failed_operation_handled", where + ": pending without a next run, or with an open task");
    }
    if (status == "manual" && open_tasks != 1) {
      ctx.add("failed_operation_handled", where + ": waits for staff with " +
                                              std::to_string(open_tasks) + " open task(s) (expected 1); last error: " +
                                              st.text(5));
    }
    if (status != "manual" && status != "pending" && open_tasks != 0) {
      ctx.add("task_operation", where + ": finished but still has an open task");
    }
  }
  ctx.ok(st.status(), "reading operations");
}

}  // namespace dcisim::billing
