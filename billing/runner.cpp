#include "billing/runner.h"

#include <algorithm>
#include <exception>

#include "billing/history.h"
#include "billing/lifecycle.h"
#include "billing/operations.h"
#include "billing/rows.h"
#include "billing/tariffs.h"

namespace dcisim::billing {

namespace {

using common::Instant;

// What the module gets for one step: the time, and a checkpoint that commits at once.
class StepContext final : public OperationContext {
 public:
  StepContext(Core& core, OperationId id) : core_(core), id_(id) {}
  Instant now() const override { return core_.now(); }
  common::Status checkpoint(const Json& progress) override {
    if (core_.db.in_transaction()) {
      return common::Error::internal("checkpoint called inside a transaction");
    }
    store::Transaction tx(core_.db);
    DCISIM_RETURN_IF_ERROR(tx.begin());
    DCISIM_RETURN_IF_ERROR(save_progress(core_.db, core_.now(), id_, progress));
    return tx.commit();
  }

 private:
  Core& core_;
  OperationId id_;
};

StepResult refused(StepStatus status, const std::string& message) {
  StepResult result;
  result.status = status;
  result.message = message;
  result.progress = Json();  // keep the saved progress
  return result;
}

common::Result<OpenOrder> open_order_of(Core& core, const ServiceRow& s, const ClientRow& client,
                                        const TariffSpec& tariff) {
  OpenOrder order;
  order.service_id = s.id.value();
  order.client_email = client.email;
  order.client_name = client.name;
  order.user_password = client.remote_password;
  order.location_id = tariff.location_id;
  order.configuration = tariff.configuration;
  order.os_template = s.os_template;
  order.script = s.script;
  order.extra_ipv4 = s.extra_ipv4;
  order.extra_ipv6 = s.extra_ipv6;
  order.domain = s.domain;
  DCISIM_ASSIGN_OR_RETURN(order.root_password, service_param(core.db, s.id, "root_password"));
  return order;
}

common::Result<StepResult> call_module(Core& core, const OperationRow& op) {
  DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, op.service_id));
  DCISIM_ASSIGN_OR_RETURN(TariffView tariff, load_tariff(core.db, s.tariff_id));
  StepContext context(core, op.id);
  DCISIM_ASSIGN_OR_RETURN(ClientRow client, load_client(core.db, s.client_id));
  RemoteService remote{s.id.value(), s.server_id.value_or(0), tariff.spec.suspension_mode, client.email, s.domain};
  // A close without a server follows a canceled open: the module finds the server by its holder.
  if ((op.kind == OperationKind::suspend || op.kind == OperationKind::resume) && !s.server_id) {
    return refused(StepStatus::manual, "service " + s.id.to_string() + " holds no server to " +
                                           operation_kind_name(op.kind));
  }
  try {
    switch (op.kind) {
      case OperationKind::open: {
        DCISIM_ASSIGN_OR_RETURN(OpenOrder order, open_order_of(core, s, client, tariff.spec));
        return core.module.open(order, op.progress, context);
      }
      case OperationKind::suspend: return core.module.suspend(remote, op.progress, context);
      case OperationKind::resume: return core.module.resume(remote, op.progress, context);
      case OperationKind::close: return core.module.close(remote, op.progress, context);
    }
  } catch (const std::exception& e) {
    return refused(StepStatus::retry, std::string("the module threw: ") + e.what());
  }
  return refused(StepStatus::manual, "unknown operation kind");
}

common::Status to_manual(Core& core, OperationRow& op, const std::string& reason) {
  HistoryEntry entry;
  entry.entity = "operation";
  entry.entity_id = op.id.value();
  entry.from_status = operation_status_name(op.status);
  entry.to_status = operation_status_name(OperationStatus::manual);
  entry.actor = Actor::runner;
  entry.reason = reason;
  entry.operation_id = op.id.value();
  op.status = OperationStatus::manual;
  op.next_run_at.reset();
  DCISIM_RETURN_IF_ERROR(save_operation(core.db, core.now(), op));
  DCISIM_RETURN_IF_ERROR(write_history(core.db, core.now(), entry));
  DCISIM_ASSIGN_OR_RETURN(TaskId task, insert_task(core.db, core.now(), op, reason));
  HistoryEntry opened;
  opened.entity = "task";
  opened.entity_id = task.value();
  opened.to_status = task_status_name(TaskStatus::open);
  opened.actor = Actor::runner;
  opened.reason = std::string(operation_kind_name(op.kind)) + " of service " +
                  op.service_id.to_string() + ": " + reason;
  opened.operation_id = op.id.value();
  return write_history(core.db, core.now(), opened);
}

common::Status apply_step(Core& core, OperationId id, const StepResult& step) {
  store::Transaction tx(core.db);
  DCISIM_RETURN_IF_ERROR(tx.begin());
  DCISIM_ASSIGN_OR_RETURN(OperationRow op, load_operation(core.db, id));  // checkpoints moved progress
  if (op.status != OperationStatus::pending) return tx.commit();
  op.steps += 1;
  // An empty progress keeps the last checkpoint: losing it could take a second server.
  if (!step.progress.is_null() && !(step.progress.is_object() && step.progress.empty())) {
    op.progress = step.progress;
  }
  switch (step.status) {
    case StepStatus::done:
      DCISIM_RETURN_IF_ERROR(apply_done(core, op, step));
      break;
    case StepStatus::waiting:
      op.next_run_at = std::max(step.wake_at, core.now() + core.settings.min_poll_interval);
      DCISIM_RETURN_IF_ERROR(save_operation(core.db, core.now(), op));
      break;
    case StepStatus::retry:
      op.attempts += 1;
      op.last_error = step.message.empty() ? "the module asked for a retry" : step.message;
      if (op.attempts >= core.settings.max_attempts) {
        DCISIM_RETURN_IF_ERROR(to_manual(core, op, "gave up after " + std::to_string(op.attempts) +
                                            " attempts: " + op.last_error));
      } else {
        op.next_run_at = core.now() + retry_backoff(core.settings, op.attempts);
        DCISIM_RETURN_IF_ERROR(save_operation(core.db, core.now(), op));
      }
      break;
    case StepStatus::manual:
      op.last_error = step.message.empty() ? "the module asked for staff" : step.message;
      DCISIM_RETURN_IF_ERROR(to_manual(core, op, op.last_error));
      break;
  }
  return tx.commit();
}

// The module's outcome could not be applied (say, it reported an address another live service
// holds): nothing of it was written; the operation waits for staff.
common::Status give_up(Core& core, OperationId id, const std::string& reason) {
  store::Transaction tx(core.db);
  DCISIM_RETURN_IF_ERROR(tx.begin());
  DCISIM_ASSIGN_OR_RETURN(OperationRow op, load_operation(core.db, id));
  if (op.status != OperationStatus::pending) return tx.commit();
  op.steps += 1;
  op.last_error = reason;
  DCISIM_RETURN_IF_ERROR(to_manual(core, op, reason));
  return tx.commit();
}

}  // namespace

common::Duration retry_backoff(const Settings& settings, int failed_attempts) {
  common::Duration wait = settings.retry_backoff_start;
  for (int i = 1; i < failed_attempts && wait < settings.retry_backoff_cap; ++i) wait = wait * 2;
  return std::min(wait, settings.retry_backoff_cap);
}

common::Status run_operation_step(Core& core, OperationId id) {
  DCISIM_ASSIGN_OR_RETURN(OperationRow op, load_operation(core.db, id));
  if (op.status != OperationStatus::pending) return common::Status::success();
  common::Result<StepResult> step = call_module(core, op);
  if (!step.ok()) return give_up(core, id, "cannot run the step: " + step.error().message);
  common::Status applied = apply_step(core, id, *step);
  if (applied.ok()) return applied;
  return give_up(core, id, "cannot apply the module's result (" +
                               std::string(step_status_name(step->status)) + "): " +
                               applied.error().message);
}

}  // namespace dcisim::billing
