// What people do to a running service: suspend and resume for a manual reason (admin, abuse,
// client), delete (client or admin), and staff resolving a manual task (retry or cancel).
#include "billing/actions.h"
#include "billing/funds.h"
#include "billing/history.h"
#include "billing/lifecycle.h"
#include "billing/tariffs.h"

namespace dcisim::billing {

namespace {

Actor actor_for(SuspendFlag flag) { return flag == SuspendFlag::client ? Actor::client : Actor::admin; }

common::Status require_manual_flag(SuspendFlag flag, const char* action) {
  if (flag == SuspendFlag::automatic) {
    return common::Error::invalid(std::string("cannot ") + action +
                                  " for 'auto': that flag follows the money (the daily job sets "
                                  "it, a payment or prolong lifts it)");
  }
  return common::Status::success();
}

common::Status require_unblocked(Core& core, const ServiceRow& s, Actor actor) {
  if (actor != Actor::client) return common::Status::success();
  DCISIM_ASSIGN_OR_RETURN(ClientRow client, load_client(core.db, s.client_id));
  if (client.status == ClientStatus::blocked) {
    return common::Error::conflict("client " + client.id.to_string() +
                                   " is blocked: client actions are refused");
  }
  return common::Status::success();
}

// Past expiredate + the tariff's grace days: the daily job would set `auto` now.
common::Result<bool> paid_time_ran_out(Core& core, const ServiceRow& s) {
  if (!s.expiredate) return false;
  DCISIM_ASSIGN_OR_RETURN(TariffView tariff, load_tariff(core.db, s.tariff_id));
  return core.now() >= *s.expiredate + common::Duration::days(tariff.spec.grace_days);
}

std::string with_reason(const std::string& what, const std::string& reason) {
  return reason.empty() ? what : what + ": " + reason;
}

common::Result<TaskRow> open_task(Core& core, TaskId task) {
  DCISIM_ASSIGN_OR_RETURN(TaskRow row, load_task(core.db, task));
  if (row.status != TaskStatus::open) {
    return common::Error::conflict("task " + task.to_string() + " is already " +
                                   task_status_name(row.status));
  }
  return row;
}

common::Status record_task_close(Core& core, const TaskRow& task, TaskStatus to,
                                 const std::string& reason) {
  DCISIM_RETURN_IF_ERROR(close_task(core.db, core.now(), task.id, to, reason));
  HistoryEntry entry;
  entry.entity = "task";
  entry.entity_id = task.id.value();
  entry.from_status = task_status_name(TaskStatus::open);
  entry.to_status = task_status_name(to);
  entry.actor = Actor::admin;
  entry.reason = reason;
  entry.operation_id = task.operation_id.value();
  return write_history(core.db, core.now(), entry);
}

}  // namespace

common::Status suspend_service(Core& core, ServiceId id, SuspendFlag flag, const std::string& reason) {
  DCISIM_RETURN_IF_ERROR(require_manual_flag(flag, "suspend"));
  DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, id));
  Actor actor = actor_for(flag);
  DCISIM_RETURN_IF_ERROR(require_unblocked(core, s, actor));
  DCISIM_RETURN_IF_ERROR(require_not_processing(core, s));
  std::string why = with_reason(std::string("suspended for ") + suspend_flag_name(flag), reason);
  ChangeNote note{actor, why, std::nullopt, std::nullopt, std::nullopt};
  if (s.status == ServiceStatus::active) {
    DCISIM_ASSIGN_OR_RETURN(OperationId op, begin_operation(core, s, OperationKind::suspend, s.flags.with(flag), note));
    (void)op;
    return common::Status::success();
  }
  if (s.status != ServiceStatus::suspended) {
    return common::Error::conflict("service " + id.to_string() + " is " + service_status_name(s.status) +
                                   ": only an active or suspended service can be suspended");
  }
  if (s.flags.has(flag)) {
    return common::Error::conflict("service " + id.to_string() + " is already suspended for " +
                                   suspend_flag_name(flag));
  }
  return change_service(core, s, ServiceStatus::suspended, s.flags.with(flag), note);
}

common::Status resume_service(Core& core, ServiceId id, SuspendFlag flag, const std::string& reason) {
  DCISIM_RETURN_IF_ERROR(require_manual_flag(flag, "resume"));
  DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, id));
  Actor actor = actor_for(flag);
  DCISIM_RETURN_IF_ERROR(require_unblocked(core, s, actor));
  DCISIM_RETURN_IF_ERROR(require_not_processing(core, s));
  if (s.status != ServiceStatus::suspended || !s.flags.has(flag)) {
    return common::Error::conflict("service " + id.to_string() + " is not suspended for " +
                                   suspend_flag_name(flag) + " (status " +
                                   service_status_name(s.status) + ", flags '" + s.flags.to_string() + "')");
  }
  SuspendFlags left = s.flags.without(flag);
  ChangeNote note{actor, with_reason(std::string("lifted ") + suspend_flag_name(flag), reason),
                  std::nullopt, std::nullopt, std::nullopt};
  DCISIM_ASSIGN_OR_RETURN(bool ran_out, paid_time_ran_out(core, s));
  if (left.empty() && ran_out) {
    // The paid time ended while it was suspended (before the daily job noticed): what is left
    // is the `auto` reason, which only money lifts.
    left = SuspendFlags::of(SuspendFlag::automatic);
    s.auto_suspended_at = core.now();
    note.reason += "; paid time ran out on " + common::format_instant(*s.expiredate);
  }
  if (left.empty()) {
    DCISIM_ASSIGN_OR_RETURN(OperationId op, begin_operation(core, s, OperationKind::resume, left, note));
    (void)op;
    return common::Status::success();
  }
  DCISIM_RETURN_IF_ERROR(change_service(core, s, ServiceStatus::suspended, left, note));
  if (left.only(SuspendFlag::automatic)) {
    return settle_account(core, s.account_id, Actor::funds, "manual flags lifted");
  }
  return common::Status::success();
}

common::Status delete_service(Core& core, ServiceId id, Actor actor, const std::string& reason) {
  if (actor != Actor::client && actor != Actor::admin) {
    return common::Error::invalid("a service is deleted by a client or an admin");
  }
  DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, id));
  DCISIM_RETURN_IF_ERROR(require_unblocked(core, s, actor));
  DCISIM_RETURN_IF_ERROR(require_not_processing(core, s));
  std::string why = with_reason(std::string("deleted by ") + actor_name(actor), reason);
  ChangeNote note{actor, why, std::nullopt, std::nullopt, std::nullopt};
  switch (s.status) {
    case ServiceStatus::ordered:  // never paid, nothing remote: no module call
      return delete_without_module(core, s, note);
    case ServiceStatus::active:
    case ServiceStatus::suspended: {
      DCISIM_ASSIGN_OR_RETURN(OperationId op, begin_operation(core, s, OperationKind::close, s.flags, note));
      (void)op;
      return common::Status::success();
    }
    case ServiceStatus::deleted:
      return common::Error::conflict("service " + id.to_string() + " is already deleted");
    case ServiceStatus::processing:
      break;
  }
  return common::Error::internal("service " + id.to_string() + " is processing without an operation");
}

common::Status cancel_task(Core& core, TaskId task, const std::string& reason) {
  DCISIM_ASSIGN_OR_RETURN(TaskRow row, open_task(core, task));
  DCISIM_ASSIGN_OR_RETURN(OperationRow op, load_operation(core.db, row.operation_id));
  DCISIM_ASSERT(op.status == OperationStatus::manual, "an open task on an operation not manual");
  std::string why = with_reason("canceled by staff", reason);
  DCISIM_RETURN_IF_ERROR(record_task_close(core, row, TaskStatus::canceled, why));
  return apply_canceled(core, op, why);
}

common::Status retry_task(Core& core, TaskId task, const std::string& reason) {
  DCISIM_ASSIGN_OR_RETURN(TaskRow row, open_task(core, task));
  DCISIM_ASSIGN_OR_RETURN(OperationRow op, load_operation(core.db, row.operation_id));
  DCISIM_ASSERT(op.status == OperationStatus::manual, "an open task on an operation not manual");
  std::string why = with_reason("retried by staff", reason);
  DCISIM_RETURN_IF_ERROR(record_task_close(core, row, TaskStatus::retried, why));
  op.status = OperationStatus::pending;
  op.attempts = 0;
  op.next_run_at = core.now();
  DCISIM_RETURN_IF_ERROR(save_operation(core.db, core.now(), op));
  HistoryEntry entry;
  entry.entity = "operation";
  entry.entity_id = op.id.value();
  entry.from_status = operation_status_name(OperationStatus::manual);
  entry.to_status = operation_status_name(OperationStatus::pending);
  entry.actor = Actor::admin;
  entry.reason = why;
  entry.operation_id = op.id.value();
  return write_history(core.db, core.now(), entry);
}

}  // namespace dcisim::billing
