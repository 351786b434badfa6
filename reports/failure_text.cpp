#include "reports/failure_text.h"

#include "reports/text.h"

namespace dcisim::reports {

namespace {

constexpr size_t kStepTextInSummaryBytes = 160;

void append_block(std::string& out, const char* label, const std::string& value) {
  if (value.empty()) return;
  out += label;
  out += ":\n";
  out += value;
  if (value.back() != '\n') out += '\n';
}

}  // namespace

std::string failure_summary(const ScenarioResult& scenario, size_t max_bytes) {
  if (scenario.outcome == ScenarioOutcome::passed) return "";
  if (scenario.outcome == ScenarioOutcome::skipped) return first_line("skipped: " + scenario.skip_reason, max_bytes);
  std::string text;
  if (!scenario.failure) {
    text = scenario.outcome == ScenarioOutcome::error ? "could not run"
                                                      : "failed (no details recorded)";
  } else {
    const Failure& f = *scenario.failure;
    text = "step " + std::to_string(f.step_index);
    if (!f.step_text.empty()) text += " (" + first_line(f.step_text, kStepTextInSummaryBytes) + ")";
    text += ": " + (f.message.empty() ? std::string("failed") : f.message);
  }
  return first_line(text, max_bytes);
}

std::string journal_line_text(const JournalLine& line) {
  return common::format_instant(line.at) + " " + line.method + " " + line.target + " -> " +
         std::to_string(line.status) + " (" + human_wall_time(line.duration_us) + ")";
}

std::string failure_details(const ScenarioResult& scenario, uint64_t run_seed, size_t max_requests) {
  if (scenario.outcome == ScenarioOutcome::passed) return "";
  std::string out = "scenario: " + scenario.suite + " / " + scenario.name + "\n";
  out += "file: " + scenario.file + "\n";
  out += "seed: " + std::to_string(scenario.seed) + " (run seed " + std::to_string(run_seed) + ")\n";
  if (scenario.outcome == ScenarioOutcome::skipped) return out + "skipped: " + scenario.skip_reason + "\n";
  if (!scenario.failure) {
    out += failure_summary(scenario, 1024) + "\n";
  } else {
    const Failure& f = *scenario.failure;
    out += "step " + std::to_string(f.step_index) + ": " + f.step_text + "\n";
    out += "message: " + f.message + "\n";
    append_block(out, "expected", f.expected);
    append_block(out, "found", f.found);
    append_block(out, "request", f.request);
    append_block(out, "response", f.response);
    if (!f.last_requests.empty()) {
      size_t first = f.last_requests.size() > max_requests ? f.last_requests.size() - max_requests : 0;
      out += "last requests (" + std::to_string(f.last_requests.size() - first) + " of " +
             std::to_string(f.last_requests.size()) + "):\n";
      for (size_t i = first; i < f.last_requests.size(); ++i) {
        out += "  " + journal_line_text(f.last_requests[i]) + "\n";
      }
    }
  }
  out += "replay: " + replay_command(scenario, run_seed) + "\n";
  return out;
}

std::string steps_listing(const ScenarioResult& scenario) {
  std::string out;
  for (const StepRecord& step : scenario.steps) {
    std::string outcome = step_outcome_name(step.outcome);
    outcome.resize(8, ' ');
    out += "  " + outcome + " #" + std::to_string(step.index) + "  " +
           common::format_instant(step.virtual_at) + "  " + first_line(step.text, 400) + "  (" +
           human_wall_time(step.wall_us) + ")\n";
  }
  return out;
}

}  // namespace dcisim::reports
