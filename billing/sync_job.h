// The sync job: every Settings::sync_interval, asks the module to bring the remote side in line
// with billing (ports and power of active vs suspended services, per the tariff's suspension
// mode) and records what it found and did in `sync_runs`.
#pragma once

#include <vector>

#include "billing/core.h"
#include "billing/records.h"
#include "common/result.h"

namespace dcisim::billing {

// The expectations for every active or suspended service (not processing), by service id.
common::Result<std::vector<SyncExpectation>> sync_expectations(store::Database& db);

// Runs a sync now and records it; a module error is recorded too (and returned in the view).
common::Result<SyncRunView> run_sync(Core& core);

// Last run + interval; the first run is one interval after the database's creation.
common::Result<common::Instant> next_sync_run(Core& core);

common::Result<std::vector<SyncRunView>> sync_run_views(store::Database& db);

}  // namespace dcisim::billing
