#include "reports/results.h"

namespace dcisim::reports {

namespace {

// Characters a POSIX shell leaves alone in an unquoted word.
bool shell_safe(std::string_view word) {
  if (word.empty()) return false;
  for (char c : word) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '/' || c == '.' || c == '_' || c == '-' || c == '+' || c == ':' || c == '@' ||
                c == ',' || c == '=';
    if (!safe) return false;
  }
  return true;
}

std::string shell_quote(std::string_view word) {
  if (shell_safe(word)) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

}  // namespace

const char* step_outcome_name(StepOutcome outcome) {
  switch (outcome) {
    case StepOutcome::passed: return "passed";
    case StepOutcome::failed: return "failed";
    case StepOutcome::not_run: return "not_run";
  }
  return "unknown";
}

const char* scenario_outcome_name(ScenarioOutcome outcome) {
  switch (outcome) {
    case ScenarioOutcome::passed: return "passed";
    case ScenarioOutcome::failed: return "failed";
    case ScenarioOutcome::error: return "error";
    case ScenarioOutcome::skipped: return "skipped";
  }
  return "unknown";
}

std::optional<StepOutcome> parse_step_outcome(std::string_view name) {
  for (StepOutcome o : {StepOutcome::passed, StepOutcome::failed, StepOutcome::not_run}) {
    if (name == step_outcome_name(o)) return o;
  }
  return std::nullopt;
}

std::optional<ScenarioOutcome> parse_scenario_outcome(std::string_view name) {
  for (ScenarioOutcome o : {ScenarioOutcome::passed, ScenarioOutcome::failed, ScenarioOutcome::error,
                            ScenarioOutcome::skipped}) {
    if (name == scenario_outcome_name(o)) return o;
  }
  return std::nullopt;
}

size_t RunResult::outcome_count(ScenarioOutcome outcome) const {
  size_t n = 0;
  for (const ScenarioResult& s : scenarios) n += s.outcome == outcome ? 1 : 0;
  return n;
}

size_t RunResult::passed_count() const { return outcome_count(ScenarioOutcome::passed); }

size_t RunResult::failed_count() const {
  return outcome_count(ScenarioOutcome::failed) + outcome_count(ScenarioOutcome::error);
}

std::string replay_command(const ScenarioResult& scenario, uint64_t run_seed) {
  if (!scenario.replay.empty()) return scenario.replay;
  return "dcisim run " + shell_quote(scenario.file) + " --seed " + std::to_string(run_seed);
}

}  // namespace dcisim::reports
