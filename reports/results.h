// The outcome of a `dcisim run`, as plain values: what the scenario runner records and what every
// report (JUnit XML, results.json, report.html) is written from. results.json holds all of it, so
// a report can be rebuilt from results.json alone (`read_results_json`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_positions.h"
#include "common/result.h"
#include "common/time.h"

namespace dcisim::reports {

// One request the emulator served (from its journal).
struct JournalLine {
  common::Instant at;        // virtual (or real) time of the request
  std::string method;        // "GET"
  std::string target;        // "/api/dci/v3/server/3?..." (no tokens: they are redacted at source)
  int status = 0;            // HTTP status
  int64_t duration_us = 0;   // wall time spent serving it

  bool operator==(const JournalLine&) const = default;
};

// Something that happened on the virtual time axis, for the timeline.
struct TimelineEvent {
  common::Instant at;
  std::string lane;   // what the event belongs to: "service s1", "client alice", "emulator"
  std::string kind;   // "status", "charge", "payment", "refund", "operation", "task", "step"
  std::string text;   // "active -> suspended (auto: expired, no funds)", "charge 100.00 period"

  bool operator==(const TimelineEvent&) const = default;
};

enum class StepOutcome { passed, failed, not_run };
const char* step_outcome_name(StepOutcome outcome);

struct StepRecord {
  size_t index = 0;            // 0-based position in the scenario's steps
  std::string text;            // one line: `pay {"client":"alice","amount":"120.00"}`
  common::Instant virtual_at;  // virtual time when the step started
  int64_t wall_us = 0;         // wall time the step took
  StepOutcome outcome = StepOutcome::not_run;
  common::TextPosition at;     // where the step is written in the scenario file (line 0: unknown)

  bool operator==(const StepRecord&) const = default;
};

// Why a scenario failed: where, what was expected, what was found, and the evidence.
struct Failure {
  size_t step_index = 0;
  std::string step_text;
  std::string message;   // one line: "expect: service s1 status: expected active, found processing"
  std::string expected;  // may be empty (e.g. for an audit violation)
  std::string found;
  std::string request;   // the failing step's last emulator request, if any (method, target, body)
  std::string response;  // and its response (status, body)
  std::vector<JournalLine> last_requests;  // the last emulator requests before the failure
  // Where in the scenario file (line 0: unknown, e.g. in a results.json of an older dcisim):
  common::TextPosition step_at;  // the failing step
  std::string pointer;           // the most precise part: the failing expectation key
                                 // ("/steps/3/expect/status"), else the step; for a file error the
                                 // value the error is about (empty for a syntax error)
  common::TextPosition at;       // where `pointer` (or the syntax error) is
  std::string source;            // the step (or the broken part of the file) as written, lines numbered
  // The scenario file itself is wrong (unreadable, not JSON, not the format): nothing ran, and
  // `step_index` means nothing. Such a scenario's outcome is `error`.
  bool file_error = false;

  bool operator==(const Failure&) const = default;
};

// error: could not run (bad fixture...); skipped: not run on purpose (`skip_reason` says why), e.g.
// a scenario that needs the emulator, on the live target.
enum class ScenarioOutcome { passed, failed, error, skipped };
const char* scenario_outcome_name(ScenarioOutcome outcome);

struct ScenarioResult {
  std::string suite;  // stable JUnit classname: the scenario file's folder, e.g. "suite"
  std::string name;   // stable JUnit name: the scenario's "name"
  std::string file;   // path as given on the command line
  std::vector<std::string> tags;
  uint64_t seed = 0;
  ScenarioOutcome outcome = ScenarioOutcome::passed;
  int64_t wall_us = 0;
  common::Instant virtual_start;
  common::Instant virtual_end;
  std::vector<StepRecord> steps;
  std::optional<Failure> failure;
  std::string skip_reason;  // for `skipped`: why, in one line ("uses a fault step: ...")
  std::vector<TimelineEvent> timeline;
  std::vector<JournalLine> journal;  // an extract: bounded by the runner
  std::string digest;                // hash of journal + final state: same seed, same digest
  // The command that replays this scenario alone. Empty: the reports show
  // `dcisim run <file> --seed <run seed>` (see replay_command()).
  std::string replay;

  bool operator==(const ScenarioResult&) const = default;
};

struct RunResult {
  std::string tool_version;  // "dcisim 0.1.0"
  uint64_t seed = 0;         // the run seed every scenario seed derives from (unless pinned)
  int jobs = 1;
  int64_t wall_us = 0;
  // Wall-clock time the run began (from RealClock), when the runner knows it. Only shown in the
  // reports (JUnit timestamp, HTML header); leave it empty for byte-identical reports.
  std::optional<common::Instant> started_at;
  std::vector<ScenarioResult> scenarios;

  size_t passed_count() const;
  size_t failed_count() const;  // failed + error (skipped is neither a pass nor a failure)
  size_t skipped_count() const { return outcome_count(ScenarioOutcome::skipped); }
  size_t outcome_count(ScenarioOutcome outcome) const;

  bool operator==(const RunResult&) const = default;
};

// `scenario.replay` if set, else `dcisim run <file> --seed <run_seed>` (the file shell-quoted
// when it needs it).
std::string replay_command(const ScenarioResult& scenario, uint64_t run_seed);

// Parse the names step_outcome_name / scenario_outcome_name give; nullopt for anything else.
std::optional<StepOutcome> parse_step_outcome(std::string_view name);
std::optional<ScenarioOutcome> parse_scenario_outcome(std::string_view name);

}  // namespace dcisim::reports
