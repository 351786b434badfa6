// The operation runner: one module step for one due operation. The step runs outside any
// transaction (the module talks to the remote side and checkpoints its progress in its own
// transactions); its outcome is then applied in one transaction: done -> the lifecycle applies it;
// waiting -> polled again at wake_at; retry -> attempts + 1 and exponential backoff, a manual task
// after Settings::max_attempts; manual -> a task at once. Internal to billing/.
#pragma once

#include "billing/core.h"
#include "billing/model.h"
#include "common/result.h"

namespace dcisim::billing {

// Runs one step of a pending operation (a no-op if it is no longer pending).
common::Status run_operation_step(Core& core, OperationId id);

// The wait before attempt n+1 after n failed attempts: start * 2^(n-1), at most the cap.
common::Duration retry_backoff(const Settings& settings, int failed_attempts);

}  // namespace dcisim::billing
