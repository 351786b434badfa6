// The service lifecycle of DOMAIN.md as transitions on rows, each run inside the caller's
// transaction: recording a status change (with its history row), moving a service into
// `processing` with a new operation, and applying what an operation's end means (done: active,
// suspended or deleted; canceled by staff: back to where it was, or deleted with a refund when it
// never opened). Internal to billing/.
#pragma once

#include <optional>
#include <string>

#include "billing/core.h"
#include "billing/operations.h"
#include "billing/records.h"
#include "billing/rows.h"
#include "common/money.h"
#include "common/result.h"

namespace dcisim::billing {

struct ChangeNote {
  Actor actor = Actor::runner;
  std::string reason;
  std::optional<common::Money> amount;
  std::optional<common::Money> balance_after;
  std::optional<OperationId> operation_id;
};

// Sets status and flags, saves the row and writes the history row.
common::Status change_service(Core& core, ServiceRow& service, ServiceStatus to, SuspendFlags flags,
                              const ChangeNote& note);

// Queues an operation of `kind` and moves the service to `processing` with `flags_after`.
// Refused (conflict) if the service already has an unfinished operation.
common::Result<OperationId> begin_operation(Core& core, ServiceRow& service, OperationKind kind,
                                            SuspendFlags flags_after, ChangeNote note);

// Deletes a service that holds nothing remote (an unpaid order): no module call; it keeps no
// secret either.
common::Status delete_without_module(Core& core, ServiceRow& service, const ChangeNote& note);

// "service 7 is processing (open): try again when the operation ends" when busy; else success.
common::Status require_not_processing(Core& core, const ServiceRow& service);

// The operation finished remotely: applies its meaning to the service (same transaction).
common::Status apply_done(Core& core, OperationRow& op, const StepResult& step);

// Staff canceled the operation's task: restores the service's previous status and flags and
// refunds what was charged for a period that never started; a service that never opened is
// deleted with all its charges refunded.
common::Status apply_canceled(Core& core, OperationRow& op, const std::string& reason);

// The refund owed when a service is deleted at `at`: for each paid period not yet over, the
// period and addon charges times unused days / days of the period (the day of `at` counts as
// unused), rounded once per period, half to even. Writes refund expenses; returns the total.
common::Result<common::Money> refund_unused(Core& core, ServiceRow& service, common::Instant at,
                                            const std::string& why);

}  // namespace dcisim::billing
