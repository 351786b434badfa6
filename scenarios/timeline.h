// What a scenario leaves for its report: the timeline on the virtual time axis (steps, service
// statuses, charges, payments, tasks, the emulator's state-changing requests), the journal in the
// reports' shape, and the run's digest (same seed => same digest; a different digest for the same
// seed is hidden nondeterminism).
#pragma once

#include <string>
#include <vector>

#include "mockdci/journal.h"
#include "reports/results.h"
#include "scenarios/scenario.h"
#include "scenarios/world.h"

namespace dcisim::scenarios {

std::vector<reports::TimelineEvent> collect_timeline(const Scenario& scenario,
                                                     const std::vector<reports::StepRecord>& steps,
                                                     World& world);

std::vector<reports::JournalLine> journal_lines(const std::vector<mockdci::JournalEntry>& entries);
// The last `max_lines` requests the module sent (on a remote target, where no emulator journal
// exists), in the journal's shape; their wall duration is not known here (0).
std::vector<reports::JournalLine> exchange_lines(const std::deque<Exchange>& exchanges, size_t max_lines);

// A hash (16 hex digits) of every journal entry's virtual time, method, target and status, and
// of the final billing state (services, balances): wall-clock durations are left out.
std::string run_digest(const std::vector<mockdci::JournalEntry>& journal, World& world);

}  // namespace dcisim::scenarios
