// Plain-text renderings of a scenario's failure and steps, shared by the JUnit writer, the HTML
// report and the runner's console output, so every place tells the same story in the same words.
// The text is not escaped for any format (the caller escapes) and is bounded by the caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "reports/results.h"

namespace dcisim::reports {

// One line: "step 3 (expect {"service":"s1"}): expect: service s1 status: expected active, found
// processing". Step numbers are the 0-based index, as in the scenario's JSON pointer /steps/3.
// For a scenario without a recorded Failure: "failed (no details recorded)" or "could not run".
// Empty for a passed scenario. Cut to `max_bytes`.
std::string failure_summary(const ScenarioResult& scenario, size_t max_bytes);

// "2026-01-01T00:20:00Z GET /api/dci/v3/server/3 -> 200 (1.2 ms)"
std::string journal_line_text(const JournalLine& line);

// The whole story of a failure, many lines: scenario, file, seed, step, message, expected, found,
// request, response, the last `max_requests` requests and the replay command. Empty for a passed
// scenario.
std::string failure_details(const ScenarioResult& scenario, uint64_t run_seed, size_t max_requests);

// The steps, one a line: "  passed   #0  2026-01-01T00:00:00Z  register {...}  (0.2 ms)".
std::string steps_listing(const ScenarioResult& scenario);

}  // namespace dcisim::reports
