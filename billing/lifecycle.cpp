#include "billing/lifecycle.h"

#include "billing/funds.h"
#include "billing/history.h"
#include "billing/ledger.h"
#include "billing/tariffs.h"
#include "common/planted.h"

namespace dcisim::billing {

namespace {

using common::Instant;
using common::Money;

constexpr int64_t kMsPerDay = 86'400'000;

Json request_of(const ServiceRow& s, const TariffSpec& tariff, OperationKind kind) {
  if (kind == OperationKind::open) {
    return Json{{"configuration", tariff.configuration}, {"location_id", tariff.location_id},
                {"os_template", s.os_template}, {"extra_ipv4", s.extra_ipv4},
                {"extra_ipv6", s.extra_ipv6}, {"script", s.script}, {"domain", s.domain}};
  }
  return Json{{"server_id", s.server_id.value_or(0)},
              {"mode", suspension_mode_name(tariff.suspension_mode)}};
}

common::Status record_operation_end(Core& core, OperationRow& op, OperationStatus to,
                                    Actor actor, const std::string& reason) {
  HistoryEntry entry;
  entry.entity = "operation";
  entry.entity_id = op.id.value();
  entry.from_status = operation_status_name(op.status);
  entry.to_status = operation_status_name(to);
  entry.actor = actor;
  entry.reason = reason;
  entry.operation_id = op.id.value();
  op.status = to;
  op.next_run_at.reset();
  op.finished_at = core.now();
  DCISIM_RETURN_IF_ERROR(save_operation(core.db, core.now(), op));
  return write_history(core.db, core.now(), entry);
}

common::Status store_opened(Core& core, ServiceRow& s, const OpenedServer& opened) {
  if (s.server_id) {
    return common::Error::internal("service " + s.id.to_string() + " already holds server " +
                                   std::to_string(*s.server_id) + ": a server id is set once");
  }
  s.server_id = opened.server_id;
  DCISIM_RETURN_IF_ERROR(set_service_param(core.db, s.id, "server_name", opened.server_name));
  DCISIM_RETURN_IF_ERROR(set_service_param(core.db, s.id, "remote_user_id", std::to_string(opened.remote_user_id)));
  for (const RemoteAddress& address : opened.addresses) {
    store::Statement st = core.db.prepare(
        "INSERT INTO service_addresses (service_id, remote_id, address, family) VALUES (?1, ?2, ?3, ?4)");
    st.bind(1, s.id.value()).bind(2, address.id).bind(3, address.address).bind(4, address.family);
    common::Status inserted = st.run();
    if (!inserted.ok() && inserted.error().kind == common::ErrorKind::conflict) {
      return common::Error::conflict("the module assigned " + address.address + " to service " +
                                     s.id.to_string() + ", but another live service holds it");
    }
    DCISIM_RETURN_IF_ERROR(inserted);
  }
  return common::Status::success();
}

Json opened_json(const OpenedServer& opened) {
  Json addresses = Json::array();
  for (const RemoteAddress& a : opened.addresses) {
    addresses.push_back({{"id", a.id}, {"address", a.address}, {"family", a.family}});
  }
  return Json{{"server_id", opened.server_id}, {"remote_user_id", opened.remote_user_id},
              {"server_name", opened.server_name}, {"addresses", addresses}};
}

// The close that follows a canceled open starts from `ordered`; every other close from active or
// suspended. Canceling it deletes the service (staff release the server by hand).
bool is_cleanup_close(const OperationRow& op) {
  return op.kind == OperationKind::close && op.from_status == ServiceStatus::ordered;
}

// Deleted services hold nothing: no server, no address, no secret.
common::Status release_holdings(Core& core, ServiceRow& s) {
  s.server_id.reset();
  s.deleted_at = core.now();
  if (!common::planted(core.settings.planted_bug, "keep_addresses_on_close")) {
    store::Statement addresses = core.db.prepare("DELETE FROM service_addresses WHERE service_id = ?1");
    addresses.bind(1, s.id.value());
    DCISIM_RETURN_IF_ERROR(addresses.run());
  }
  store::Statement params = core.db.prepare(
      "DELETE FROM service_params WHERE service_id = ?1 AND name = 'root_password'");
  params.bind(1, s.id.value());
  return params.run();
}

common::Status apply_close(Core& core, OperationRow& op, ServiceRow& s, ChangeNote& note) {
  DCISIM_ASSIGN_OR_RETURN(TariffView tariff, load_tariff(core.db, s.tariff_id));
  bool requested = op.actor == Actor::client || op.actor == Actor::admin;
  if (requested && tariff.spec.refund_unused_on_delete) {
    DCISIM_ASSIGN_OR_RETURN(Money refunded, refund_unused(core, s, op.created_at, "unused time on delete"));
    if (!refunded.is_zero()) {
      DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account(core.db, s.account_id));
      note.amount = -refunded;
      note.balance_after = account.balance;
    }
  }
  DCISIM_RETURN_IF_ERROR(release_holdings(core, s));
  note.reason = "closed: " + op.reason;
  return change_service(core, s, ServiceStatus::deleted, SuspendFlags(), note);
}

// Refunds whatever was charged for periods that never started, and cancels them.
common::Result<Money> refund_unstarted(Core& core, ServiceRow& s, const std::string& why) {
  DCISIM_ASSIGN_OR_RETURN(std::vector<PeriodRow> periods, load_periods(core.db, s.id));
  DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account(core.db, s.account_id));
  Money total;
  for (const PeriodRow& p : periods) {
    if (p.start_at || p.canceled_at) continue;
    DCISIM_ASSIGN_OR_RETURN(Money charged, period_expenses(core.db, s.id, p.seq, std::nullopt));
    if (charged > Money::zero()) {
      DCISIM_RETURN_IF_ERROR(refund(core.db, core.now(), account, s.id, p.seq, charged,
                         why + " (period " + std::to_string(p.seq) + ")"));
      total += charged;
    }
    DCISIM_RETURN_IF_ERROR(cancel_period(core.db, s.id, p.seq, core.now()));
  }
  return total;
}

}  // namespace

common::Status change_service(Core& core, ServiceRow& s, ServiceStatus to, SuspendFlags flags,
                              const ChangeNote& note) {
  HistoryEntry entry;
  entry.entity = "service";
  entry.entity_id = s.id.value();
  entry.from_status = service_status_name(s.status);
  entry.to_status = service_status_name(to);
  entry.from_flags = s.flags.to_string();
  entry.to_flags = flags.to_string();
  entry.actor = note.actor;
  entry.reason = note.reason;
  entry.amount = note.amount;
  entry.balance_after = note.balance_after;
  if (note.operation_id) entry.operation_id = note.operation_id->value();
  s.status = to;
  s.flags = flags;
  DCISIM_RETURN_IF_ERROR(update_service(core.db, s));
  return write_history(core.db, core.now(), entry);
}

common::Status delete_without_module(Core& core, ServiceRow& s, const ChangeNote& note) {
  DCISIM_ASSERT(!s.server_id, "deleting a service that holds a server without the module");
  DCISIM_RETURN_IF_ERROR(release_holdings(core, s));
  return change_service(core, s, ServiceStatus::deleted, SuspendFlags(), note);
}

common::Status require_not_processing(Core& core, const ServiceRow& s) {
  DCISIM_ASSIGN_OR_RETURN(std::optional<OperationRow> running, unfinished_operation(core.db, s.id));
  if (!running && s.status != ServiceStatus::processing) return common::Status::success();
  std::string kind = running ? operation_kind_name(running->kind) : "unknown";
  std::string when = running && running->status == OperationStatus::manual
                         ? "it waits for staff (an open task)"
                         : "try again when the operation ends";
  return common::Error::conflict("service " + s.id.to_string() + " is processing (" + kind +
                                 "): " + when);
}

common::Result<OperationId> begin_operation(Core& core, ServiceRow& s, OperationKind kind,
                                            SuspendFlags flags_after, ChangeNote note) {
  DCISIM_RETURN_IF_ERROR(require_not_processing(core, s));
  DCISIM_ASSIGN_OR_RETURN(TariffView tariff, load_tariff(core.db, s.tariff_id));
  OperationRow op;
  op.service_id = s.id;
  op.kind = kind;
  op.actor = note.actor;
  op.reason = note.reason;
  op.request = request_of(s, tariff.spec, kind);
  op.from_status = s.status;
  op.from_flags = s.flags;
  DCISIM_ASSIGN_OR_RETURN(op.id, insert_operation(core.db, core.now(), op));
  HistoryEntry created;
  created.entity = "operation";
  created.entity_id = op.id.value();
  created.to_status = operation_status_name(OperationStatus::pending);
  created.actor = note.actor;
  created.reason = std::string(operation_kind_name(kind)) + " service " + s.id.to_string() + ": " +
                   note.reason;
  created.operation_id = op.id.value();
  DCISIM_RETURN_IF_ERROR(write_history(core.db, core.now(), created));
  note.operation_id = op.id;
  DCISIM_RETURN_IF_ERROR(change_service(core, s, ServiceStatus::processing, flags_after, note));
  return op.id;
}

common::Status apply_done(Core& core, OperationRow& op, const StepResult& step) {
  DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, op.service_id));
  DCISIM_ASSERT(s.status == ServiceStatus::processing, "an operation ended on a service not processing");
  ChangeNote note{Actor::runner, "", std::nullopt, std::nullopt, op.id};
  switch (op.kind) {
    case OperationKind::open: {
      if (!step.opened) return common::Error::internal("the module finished open without a server");
      DCISIM_RETURN_IF_ERROR(store_opened(core, s, *step.opened));
      op.result = opened_json(*step.opened);
      s.activated_at = core.now();
      DCISIM_ASSIGN_OR_RETURN(std::optional<Instant> end, start_pending_period(core.db, s.id, core.now()));
      if (!end) return common::Error::internal("service " + s.id.to_string() + " opened without a paid period");
      s.expiredate = *end;
      note.reason = "opened on server " + std::to_string(step.opened->server_id) + ", paid until " +
                    common::format_instant(*end);
      DCISIM_RETURN_IF_ERROR(change_service(core, s, ServiceStatus::active, SuspendFlags(), note));
      break;
    }
    case OperationKind::suspend:
      note.reason = "suspended: " + op.reason;
      DCISIM_RETURN_IF_ERROR(change_service(core, s, ServiceStatus::suspended, s.flags, note));
      break;
    case OperationKind::resume: {
      DCISIM_ASSIGN_OR_RETURN(std::optional<Instant> end, start_pending_period(core.db, s.id, core.now()));
      if (end) s.expiredate = *end;
      note.reason = "resumed: " + op.reason +
                    (end ? ", paid until " + common::format_instant(*end) : std::string());
      DCISIM_RETURN_IF_ERROR(change_service(core, s, ServiceStatus::active, s.flags, note));
      break;
    }
    case OperationKind::close:
      DCISIM_RETURN_IF_ERROR(apply_close(core, op, s, note));
      break;
  }
  DCISIM_RETURN_IF_ERROR(record_operation_end(core, op, OperationStatus::done, Actor::runner,
                                              step.message.empty() ? "the module reported done" : step.message));
  // What the account holds may now pay for something it could not while the service was
  // processing (money that came during a suspension, a refund on close).
  return settle_account(core, s.account_id, Actor::funds,
                        std::string(operation_kind_name(op.kind)) + " of service " + s.id.to_string() + " ended");
}

common::Status apply_canceled(Core& core, OperationRow& op, const std::string& reason) {
  DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, op.service_id));
  ChangeNote note{Actor::admin, "operation " + std::string(operation_kind_name(op.kind)) +
                                    " canceled: " + reason, std::nullopt, std::nullopt, op.id};
  DCISIM_ASSIGN_OR_RETURN(Money refunded, refund_unstarted(core, s, "canceled " +
                                                               std::string(operation_kind_name(op.kind))));
  if (!refunded.is_zero()) {
    DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account(core.db, s.account_id));
    note.amount = -refunded;
    note.balance_after = account.balance;
  }
  if (op.kind == OperationKind::open && core.module.may_hold_server(op.progress)) {
    // A server may have been taken: the service goes back to ordered and at once into a close
    // that releases it (found by the client's e-mail and the service's domain); the close's end
    // deletes the service. Deleting it now would leave the server with the client for free.
    DCISIM_ASSERT(op.from_status == ServiceStatus::ordered, "an open that did not start from ordered");
    DCISIM_RETURN_IF_ERROR(record_operation_end(core, op, OperationStatus::canceled, Actor::admin, reason));
    DCISIM_RETURN_IF_ERROR(change_service(core, s, op.from_status, SuspendFlags(), note));
    ChangeNote cleanup{Actor::admin, "release the server the canceled open may have taken", std::nullopt,
                       std::nullopt, std::nullopt};
    DCISIM_ASSIGN_OR_RETURN(OperationId close, begin_operation(core, s, OperationKind::close, SuspendFlags(), cleanup));
    (void)close;
    return common::Status::success();
  }
  if (op.kind == OperationKind::open || is_cleanup_close(op)) {
    DCISIM_RETURN_IF_ERROR(release_holdings(core, s));
    DCISIM_RETURN_IF_ERROR(change_service(core, s, ServiceStatus::deleted, SuspendFlags(), note));
  } else {
    if (op.kind == OperationKind::suspend && !op.from_flags.has(SuspendFlag::automatic)) {
      s.auto_suspended_at.reset();
    }
    DCISIM_RETURN_IF_ERROR(change_service(core, s, op.from_status, op.from_flags, note));
  }
  // No settling here: staff gave up on this operation, and spending the refund at once would
  // start the same operation again (the next daily job settles the account as usual).
  return record_operation_end(core, op, OperationStatus::canceled, Actor::admin, reason);
}

common::Result<Money> refund_unused(Core& core, ServiceRow& s, Instant at, const std::string& why) {
  DCISIM_ASSIGN_OR_RETURN(std::vector<PeriodRow> periods, load_periods(core.db, s.id));
  DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account(core.db, s.account_id));
  Money total;
  for (const PeriodRow& p : periods) {
    if (!p.start_at || !p.end_at || p.canceled_at || *p.end_at <= at) continue;
    int64_t period_days = (*p.end_at - *p.start_at).count_ms() / kMsPerDay;
    int64_t used_days = *p.start_at >= at ? 0 : (at - *p.start_at).count_ms() / kMsPerDay;
    int64_t unused_days = period_days - used_days;
    DCISIM_ASSERT(period_days > 0 && unused_days > 0, "refund_unused: empty period");
    DCISIM_ASSIGN_OR_RETURN(Money period_charge, period_expenses(core.db, s.id, p.seq, ExpenseKind::period));
    DCISIM_ASSIGN_OR_RETURN(Money addon_charge, period_expenses(core.db, s.id, p.seq, ExpenseKind::addon));
    Money amount = (period_charge + addon_charge).scale(unused_days, period_days);
    if (amount <= Money::zero()) continue;
    DCISIM_RETURN_IF_ERROR(refund(core.db, core.now(), account, s.id, p.seq, amount,
                       why + ": " + std::to_string(unused_days) + " of " +
                           std::to_string(period_days) + " days of period " + std::to_string(p.seq)));
    total += amount;
  }
  return total;
}

}  // namespace dcisim::billing
