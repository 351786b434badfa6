#include "billing/operations.h"

#include "common/json_text.h"

namespace dcisim::billing {

namespace {

using common::Instant;

std::optional<int64_t> ms_of(std::optional<Instant> t) {
  if (!t) return std::nullopt;
  return t->unix_ms();
}

std::optional<Instant> instant_at(const store::Statement& st, int column) {
  std::optional<int64_t> ms = st.optional_integer(column);
  if (!ms) return std::nullopt;
  return Instant::from_unix_ms(*ms);
}

Json parse_json_column(const std::string& text) {
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? Json::object() : parsed;
}

constexpr const char* kOperationColumns =
    "id, service_id, kind, status, actor, reason, request, progress, result, attempts, steps, "
    "next_run_at, last_error, from_status, from_flags, created_at, finished_at";

common::Result<OperationRow> read_operation(const store::Statement& st) {
  OperationRow row;
  row.id = OperationId(st.integer(0));
  row.service_id = ServiceId(st.integer(1));
  DCISIM_ASSIGN_OR_RETURN(row.kind, parse_operation_kind(st.text(2)));
  DCISIM_ASSIGN_OR_RETURN(row.status, parse_operation_status(st.text(3)));
  DCISIM_ASSIGN_OR_RETURN(row.actor, parse_actor(st.text(4)));
  row.reason = st.text(5);
  row.request = parse_json_column(st.text(6));
  row.progress = parse_json_column(st.text(7));
  row.result = parse_json_column(st.text(8));
  row.attempts = static_cast<int>(st.integer(9));
  row.steps = static_cast<int>(st.integer(10));
  row.next_run_at = instant_at(st, 11);
  row.last_error = st.text(12);
  DCISIM_ASSIGN_OR_RETURN(row.from_status, parse_service_status(st.text(13)));
  DCISIM_ASSIGN_OR_RETURN(row.from_flags, SuspendFlags::parse(st.text(14)));
  row.created_at = Instant::from_unix_ms(st.integer(15));
  row.finished_at = instant_at(st, 16);
  return row;
}

}  // namespace

common::Result<OperationId> insert_operation(store::Database& db, Instant now,
                                             const OperationRow& row) {
  store::Statement st = db.prepare(
      "INSERT INTO operations (service_id, kind, status, actor, reason, request, next_run_at, "
      "from_status, from_flags, created_at, updated_at) "
      "VALUES (?1, ?2, 'pending', ?3, ?4, ?5, ?6, ?7, ?8, ?6, ?6)");
  st.bind(1, row.service_id.value()).bind(2, operation_kind_name(row.kind));
  st.bind(3, actor_name(row.actor)).bind(4, row.reason).bind(5, common::json_text(row.request));
  st.bind(6, now.unix_ms()).bind(7, service_status_name(row.from_status));
  st.bind(8, row.from_flags.to_string());
  common::Status inserted = st.run();
  if (!inserted.ok() && inserted.error().kind == common::ErrorKind::conflict) {
    return common::Error::conflict("service " + row.service_id.to_string() +
                                   " already has an unfinished operation");
  }
  DCISIM_RETURN_IF_ERROR(inserted);
  return OperationId(db.last_insert_id());
}

common::Result<OperationRow> load_operation(store::Database& db, OperationId id) {
  store::Statement st =
      db.prepare(std::string("SELECT ") + kOperationColumns + " FROM operations WHERE id = ?1");
  st.bind(1, id.value());
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return common::Error::not_found("operation " + id.to_string() + " does not exist");
  }
  return read_operation(st);
}

common::Result<std::optional<OperationRow>> unfinished_operation(store::Database& db, ServiceId id) {
  store::Statement st = db.prepare(std::string("SELECT ") + kOperationColumns +
                                   " FROM operations WHERE service_id = ?1 AND status IN "
                                   "('pending', 'manual')");
  st.bind(1, id.value());
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return std::optional<OperationRow>();
  }
  DCISIM_ASSIGN_OR_RETURN(OperationRow row, read_operation(st));
  return std::optional<OperationRow>(std::move(row));
}

common::Status save_operation(store::Database& db, Instant now, const OperationRow& row) {
  store::Statement st = db.prepare(
      "UPDATE operations SET status = ?2, progress = ?3, result = ?4, attempts = ?5, steps = ?6, "
      "next_run_at = ?7, last_error = ?8, finished_at = ?9, updated_at = ?10 WHERE id = ?1");
  st.bind(1, row.id.value()).bind(2, operation_status_name(row.status));
  st.bind(3, common::json_text(row.progress)).bind(4, common::json_text(row.result)).bind(5, row.attempts);
  st.bind(6, row.steps).bind(7, ms_of(row.next_run_at)).bind(8, row.last_error);
  st.bind(9, ms_of(row.finished_at)).bind(10, now.unix_ms());
  return st.run();
}

common::Status save_progress(store::Database& db, Instant now, OperationId id, const Json& progress) {
  store::Statement st = db.prepare(
      "UPDATE operations SET progress = ?2, updated_at = ?3 WHERE id = ?1 AND status = 'pending'");
  st.bind(1, id.value()).bind(2, common::json_text(progress)).bind(3, now.unix_ms());
  DCISIM_RETURN_IF_ERROR(st.run());
  if (db.changes() != 1) {
    return common::Error::conflict("operation " + id.to_string() + " is no longer pending");
  }
  return common::Status::success();
}

common::Result<std::vector<OperationId>> due_operations(store::Database& db, Instant now, int limit) {
  store::Statement st = db.prepare(
      "SELECT id FROM operations WHERE status = 'pending' AND next_run_at <= ?1 "
      "ORDER BY next_run_at, id LIMIT ?2");
  st.bind(1, now.unix_ms()).bind(2, limit);
  std::vector<OperationId> ids;
  while (st.next()) ids.emplace_back(st.integer(0));
  DCISIM_RETURN_IF_ERROR(st.status());
  return ids;
}

common::Result<std::optional<Instant>> next_operation_run(store::Database& db) {
  store::Statement st = db.prepare("SELECT MIN(next_run_at) FROM operations WHERE status = 'pending'");
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return std::optional<Instant>();
  }
  return instant_at(st, 0);
}

OperationView view_of(const OperationRow& row) {
  OperationView v;
  v.id = row.id;
  v.service_id = row.service_id;
  v.kind = row.kind;
  v.status = row.status;
  v.actor = row.actor;
  v.reason = row.reason;
  v.attempts = row.attempts;
  v.steps = row.steps;
  v.next_run_at = row.next_run_at;
  v.last_error = row.last_error;
  v.progress = row.progress;
  v.result = row.result;
  v.created_at = row.created_at;
  v.finished_at = row.finished_at;
  return v;
}

common::Result<std::vector<OperationView>> operation_views(store::Database& db, ServiceId id) {
  store::Statement st = db.prepare(std::string("SELECT ") + kOperationColumns +
                                   " FROM operations WHERE service_id = ?1 ORDER BY id");
  st.bind(1, id.value());
  std::vector<OperationView> views;
  while (st.next()) {
    DCISIM_ASSIGN_OR_RETURN(OperationRow row, read_operation(st));
    views.push_back(view_of(row));
  }
  DCISIM_RETURN_IF_ERROR(st.status());
  return views;
}

common::Result<TaskId> insert_task(store::Database& db, Instant now, const OperationRow& op,
                                   const std::string& reason) {
  store::Statement st = db.prepare(
      "INSERT INTO tasks (operation_id, service_id, status, reason, created_at) "
      "VALUES (?1, ?2, 'open', ?3, ?4)");
  st.bind(1, op.id.value()).bind(2, op.service_id.value()).bind(3, reason).bind(4, now.unix_ms());
  DCISIM_RETURN_IF_ERROR(st.run());
  return TaskId(db.last_insert_id());
}

common::Result<TaskRow> load_task(store::Database& db, TaskId id) {
  store::Statement st = db.prepare(
      "SELECT id, operation_id, service_id, status, reason, created_at FROM tasks WHERE id = ?1");
  st.bind(1, id.value());
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return common::Error::not_found("task " + id.to_string() + " does not exist");
  }
  TaskRow row;
  row.id = TaskId(st.integer(0));
  row.operation_id = OperationId(st.integer(1));
  row.service_id = ServiceId(st.integer(2));
  DCISIM_ASSIGN_OR_RETURN(row.status, parse_task_status(st.text(3)));
  row.reason = st.text(4);
  row.created_at = Instant::from_unix_ms(st.integer(5));
  return row;
}

common::Status close_task(store::Database& db, Instant now, TaskId id, TaskStatus status,
                          const std::string& resolution) {
  store::Statement st = db.prepare(
      "UPDATE tasks SET status = ?2, closed_at = ?3, resolution = ?4 WHERE id = ?1 AND status = 'open'");
  st.bind(1, id.value()).bind(2, task_status_name(status)).bind(3, now.unix_ms()).bind(4, resolution);
  DCISIM_RETURN_IF_ERROR(st.run());
  DCISIM_ASSERT(db.changes() == 1, "close_task: the task is not open");
  return common::Status::success();
}

common::Result<std::vector<TaskView>> task_views(store::Database& db, bool open_only) {
  store::Statement st = db.prepare(
      "SELECT t.id, t.operation_id, t.service_id, o.kind, t.status, t.reason, t.created_at, "
      "t.closed_at, t.resolution FROM tasks t JOIN operations o ON o.id = t.operation_id "
      "WHERE (?1 = 0 OR t.status = 'open') ORDER BY t.id");
  st.bind(1, open_only);
  std::vector<TaskView> views;
  while (st.next()) {
    TaskView v;
    v.id = TaskId(st.integer(0));
    v.operation_id = OperationId(st.integer(1));
    v.service_id = ServiceId(st.integer(2));
    DCISIM_ASSIGN_OR_RETURN(v.kind, parse_operation_kind(st.text(3)));
    DCISIM_ASSIGN_OR_RETURN(v.status, parse_task_status(st.text(4)));
    v.reason = st.text(5);
    v.created_at = Instant::from_unix_ms(st.integer(6));
    v.closed_at = instant_at(st, 7);
    v.resolution = st.text(8);
    views.push_back(std::move(v));
  }
  DCISIM_RETURN_IF_ERROR(st.status());
  return views;
}

}  // namespace dcisim::billing
