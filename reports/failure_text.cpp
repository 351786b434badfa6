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

std::string position_text(const std::string& file, common::TextPosition at) {
  if (!at.known()) return file;
  return file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

}  // namespace

std::string failure_location(const ScenarioResult& scenario) {
  if (!scenario.failure) return "";
  return position_text(scenario.file, scenario.failure->at);
}

std::string failing_step_location(const ScenarioResult& scenario) {
  if (!scenario.failure || scenario.failure->file_error || !scenario.failure->step_at.known()) return "";
  return position_text(scenario.file, scenario.failure->step_at);
}

std::string failure_summary(const ScenarioResult& scenario, size_t max_bytes) {
  if (scenario.outcome == ScenarioOutcome::passed) return "";
  if (scenario.outcome == ScenarioOutcome::skipped) return first_line("skipped: " + scenario.skip_reason, max_bytes);
  std::string text;
  if (!scenario.failure) {
    text = scenario.outcome == ScenarioOutcome::error ? "could not run"
                                                      : "failed (no details recorded)";
  } else {
    const Failure& f = *scenario.failure;
    if (f.at.known()) text = failure_location(scenario) + ": ";
    if (!f.file_error) {
      text += "step " + std::to_string(f.step_index);
      if (!f.step_text.empty()) text += " (" + first_line(f.step_text, kStepTextInSummaryBytes) + ")";
      text += ": ";
    }
    text += f.message.empty() ? std::string("failed") : f.message;
  }
  return first_line(text, max_bytes);
}

std::string journal_line_text(const JournalLine& line) {
  return common::format_instant(line.at) + " " + line.method + " " + line.target + " -> " +
         std::to_string(line.status) + " (" + human_wall_time(line.duration_us) + ")";
}

std::vector<RequestRun> fold_requests(const std::vector<JournalLine>& lines) {
  std::vector<RequestRun> runs;
  for (const JournalLine& line : lines) {
    if (!runs.empty()) {
      RequestRun& last = runs.back();
      if (last.first.method == line.method && last.first.target == line.target && last.first.status == line.status) {
        ++last.count;
        last.last_at = line.at;
        continue;
      }
    }
    runs.push_back({line, line.at, 1});
  }
  return runs;
}

std::string request_run_text(const RequestRun& run) {
  std::string text = journal_line_text(run.first);
  if (run.count > 1) text += " x" + std::to_string(run.count) + " (until " + common::format_instant(run.last_at) + ")";
  return text;
}

std::string failure_details(const ScenarioResult& scenario, uint64_t run_seed, size_t max_requests) {
  if (scenario.outcome == ScenarioOutcome::passed) return "";
  std::string out = "scenario: " + scenario.suite + " / " + scenario.name + "\n";
  out += "file: " + scenario.file + "\n";
  if (scenario.outcome == ScenarioOutcome::skipped) {
    return out + "seed: " + std::to_string(scenario.seed) + " (run seed " + std::to_string(run_seed) + ")\nskipped: " +
           scenario.skip_reason + "\n";
  }
  if (!scenario.failure) {
    out += "seed: " + std::to_string(scenario.seed) + " (run seed " + std::to_string(run_seed) + ")\n";
    out += failure_summary(scenario, 1024) + "\n";
  } else if (scenario.failure->file_error) {
    const Failure& f = *scenario.failure;
    out += "at: " + failure_location(scenario) + (f.pointer.empty() ? "" : " (" + f.pointer + ")") + "\n";
    out += "message: " + f.message + "\n";
    append_block(out, "in the file", f.source);
  } else {
    const Failure& f = *scenario.failure;
    out += "seed: " + std::to_string(scenario.seed) + " (run seed " + std::to_string(run_seed) + ")\n";
    std::string step_at = failing_step_location(scenario);
    out += "step " + std::to_string(f.step_index) + (step_at.empty() ? "" : " at " + step_at) + ": " + f.step_text + "\n";
    if (f.at.known() && f.at != f.step_at) out += "failing key: " + f.pointer + " at " + failure_location(scenario) + "\n";
    out += "message: " + f.message + "\n";
    append_block(out, "as written", f.source);
    append_block(out, "expected", f.expected);
    append_block(out, "found", f.found);
    append_block(out, "request", f.request);
    append_block(out, "response", f.response);
    if (!f.last_requests.empty()) {
      std::vector<RequestRun> runs = fold_requests(f.last_requests);
      size_t first = runs.size() > max_requests ? runs.size() - max_requests : 0;
      size_t shown = 0;
      for (size_t i = first; i < runs.size(); ++i) shown += runs[i].count;
      out += "last requests (" + std::to_string(shown) + " of " + std::to_string(f.last_requests.size()) +
             ", repeats folded):\n";
      for (size_t i = first; i < runs.size(); ++i) out += "  " + request_run_text(runs[i]) + "\n";
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
