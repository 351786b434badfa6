// Operation and task rows. An operation is persisted before the module sees it; the runner saves
// its progress after every step, and the module checkpoints progress before every remote change
// (save_progress, in its own transaction). At most one unfinished operation per service is
// enforced by a unique index. Internal to billing/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "billing/model.h"
#include "billing/provisioning.h"
#include "billing/records.h"
#include "billing/store/sqlite.h"
#include "common/result.h"
#include "common/time.h"

namespace dcisim::billing {

struct OperationRow {
  OperationId id;
  ServiceId service_id;
  OperationKind kind = OperationKind::open;
  OperationStatus status = OperationStatus::pending;
  Actor actor = Actor::runner;
  std::string reason;
  Json request = Json::object();   // what was asked, for people (no secrets)
  Json progress = Json::object();  // the module's, opaque to billing
  Json result = Json::object();    // what the module reported when done
  int attempts = 0;
  int steps = 0;
  std::optional<common::Instant> next_run_at;
  std::string last_error;
  ServiceStatus from_status = ServiceStatus::ordered;  // restored if staff cancel the operation
  SuspendFlags from_flags;
  common::Instant created_at;
  std::optional<common::Instant> finished_at;
};

common::Result<OperationId> insert_operation(store::Database& db, common::Instant now,
                                             const OperationRow& row);
common::Result<OperationRow> load_operation(store::Database& db, OperationId id);
common::Result<std::optional<OperationRow>> unfinished_operation(store::Database& db, ServiceId id);
// Writes status, progress, result, counters, next run, error and finish time.
common::Status save_operation(store::Database& db, common::Instant now, const OperationRow& row);
// The checkpoint: only the progress, and only while the operation is pending.
common::Status save_progress(store::Database& db, common::Instant now, OperationId id,
                             const Json& progress);
// Pending operations due at `now`, in (next_run_at, id) order.
common::Result<std::vector<OperationId>> due_operations(store::Database& db, common::Instant now,
                                                        int limit);
common::Result<std::optional<common::Instant>> next_operation_run(store::Database& db);
common::Result<std::vector<OperationView>> operation_views(store::Database& db, ServiceId id);
OperationView view_of(const OperationRow& row);

struct TaskRow {
  TaskId id;
  OperationId operation_id;
  ServiceId service_id;
  TaskStatus status = TaskStatus::open;
  std::string reason;
  common::Instant created_at;
};

common::Result<TaskId> insert_task(store::Database& db, common::Instant now, const OperationRow& op,
                                   const std::string& reason);
common::Result<TaskRow> load_task(store::Database& db, TaskId id);
common::Status close_task(store::Database& db, common::Instant now, TaskId id, TaskStatus status,
                          const std::string& resolution);
common::Result<std::vector<TaskView>> task_views(store::Database& db, bool open_only);

}  // namespace dcisim::billing
