// The daily billing job (BILLmanager's nightly run), once per calendar day at 00:00 UTC +
// Settings::daily_job_offset. In order: deletes orders unpaid for Settings::unpaid_order_days;
// renews every active service expiring before the next run (autoprolong on and funds allow:
// charge + extend, no module call) or, once past expiredate + grace, sets `auto` and queues a
// suspend; marks suspended services whose paid time ran out with `auto`; queues the close of
// services suspended for `auto` longer than the tariff's auto-deletion days; and spends money
// that became usable (resumes, waiting orders). Each service changes in its own transaction, so
// running the job twice for the same day changes nothing the second time.
#pragma once

#include <optional>
#include <string>

#include "billing/core.h"
#include "billing/records.h"
#include "common/result.h"

namespace dcisim::billing {

// Runs the job at core.now() and records the run for its day (the first record of a day stays).
common::Result<DailyRunView> run_daily_job(Core& core);

// The instant of the next scheduled run: the day after the last recorded run, or the first
// scheduled instant at or after the database's creation.
common::Result<common::Instant> next_daily_run(Core& core);

// "2026-02-01": the day a run at `at` belongs to.
std::string daily_job_day(const Settings& settings, common::Instant at);

common::Result<std::vector<DailyRunView>> daily_run_views(store::Database& db);

}  // namespace dcisim::billing
