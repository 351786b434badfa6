// Plain-text renderings of a scenario's failure and steps, shared by the JUnit writer, the HTML
// report and the runner's console output, so every place tells the same story in the same words.
// The text is not escaped for any format (the caller escapes) and is bounded by the caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "reports/results.h"

namespace dcisim::reports {

// One line: "suite/a.json:12:40: step 3 (expect {"service": "s1", "status": "active"}): expect:
// service s1 status: expected active, found processing", led by where the failure is in the file
// (the failing expectation key, else the step) when that is known. Step numbers are the 0-based
// index, as in the scenario's JSON pointer /steps/3. A file error reads "x.json:3:14: invalid
// scenario file: ...". For a scenario without a recorded Failure: "failed (no details recorded)"
// or "could not run". Empty for a passed scenario. Cut to `max_bytes`.
std::string failure_summary(const ScenarioResult& scenario, size_t max_bytes);

// "suite/a.json:12:40": the file, line and column of the failure (the failing key when known, else
// the step); just the file when the line is unknown; "" without a failure.
std::string failure_location(const ScenarioResult& scenario);
// The same for the failing step ("" when unknown or for a file error).
std::string failing_step_location(const ScenarioResult& scenario);

// "2026-01-01T00:20:00Z GET /api/dci/v3/server/3 -> 200 (1.2 ms)"
std::string journal_line_text(const JournalLine& line);

// Consecutive requests with the same method, target and status, as one: a module that polls
// GET /api/dci/v3/server/1 twenty times reads as one line "... x20". Bounded by its input.
struct RequestRun {
  JournalLine first;
  common::Instant last_at;  // of the last request of the run
  size_t count = 1;
};
std::vector<RequestRun> fold_requests(const std::vector<JournalLine>& lines);
// journal_line_text of the first, and for a run "x20 (until 2026-01-01T00:30:00Z)".
std::string request_run_text(const RequestRun& run);

// The whole story of a failure, many lines: scenario, file, seed, where (file:line:column of the
// step and of the failing key), step, message, the step as written, expected, found, request,
// response, the last `max_requests` lines of requests (repeats folded) and the replay command.
// Empty for a passed scenario.
std::string failure_details(const ScenarioResult& scenario, uint64_t run_seed, size_t max_requests);

// The steps, one a line: "  passed   #0  2026-01-01T00:00:00Z  register {...}  (0.2 ms)".
std::string steps_listing(const ScenarioResult& scenario);

}  // namespace dcisim::reports
