// The writing half of results_json.h.
#include <nlohmann/json.hpp>

#include "reports/file_output.h"
#include "reports/results_json.h"

namespace dcisim::reports {

namespace {

// ordered_json keeps members in insertion order, so the file reads top-down like the report.
using OJson = nlohmann::ordered_json;

void put_instant(OJson& object, const std::string& name, common::Instant t) {
  object[name] = common::format_instant(t);
  object[name + "_ms"] = t.unix_ms();
}

OJson journal_json(const JournalLine& line) {
  OJson j = OJson::object();
  put_instant(j, "at", line.at);
  j["method"] = line.method;
  j["target"] = line.target;
  j["status"] = line.status;
  j["duration_us"] = line.duration_us;
  return j;
}

OJson failure_json(const Failure& f) {
  OJson j = OJson::object();
  j["step_index"] = f.step_index;
  j["step_text"] = f.step_text;
  j["message"] = f.message;
  j["expected"] = f.expected;
  j["found"] = f.found;
  j["request"] = f.request;
  j["response"] = f.response;
  j["last_requests"] = OJson::array();
  for (const JournalLine& line : f.last_requests) j["last_requests"].push_back(journal_json(line));
  j["file_error"] = f.file_error;
  j["pointer"] = f.pointer;
  j["line"] = f.at.line;
  j["column"] = f.at.column;
  j["step_line"] = f.step_at.line;
  j["step_column"] = f.step_at.column;
  j["source"] = f.source;
  return j;
}

OJson step_json(const StepRecord& step) {
  OJson j = OJson::object();
  j["index"] = step.index;
  j["text"] = step.text;
  put_instant(j, "virtual_at", step.virtual_at);
  j["wall_us"] = step.wall_us;
  j["outcome"] = step_outcome_name(step.outcome);
  j["line"] = step.at.line;
  j["column"] = step.at.column;
  return j;
}

OJson scenario_json(const ScenarioResult& s) {
  OJson j = OJson::object();
  j["suite"] = s.suite;
  j["name"] = s.name;
  j["file"] = s.file;
  j["tags"] = s.tags;
  j["seed"] = std::to_string(s.seed);
  j["outcome"] = scenario_outcome_name(s.outcome);
  j["wall_us"] = s.wall_us;
  put_instant(j, "virtual_start", s.virtual_start);
  put_instant(j, "virtual_end", s.virtual_end);
  j["digest"] = s.digest;
  j["replay"] = s.replay;
  j["steps"] = OJson::array();
  for (const StepRecord& step : s.steps) j["steps"].push_back(step_json(step));
  j["failure"] = s.failure ? failure_json(*s.failure) : OJson(nullptr);
  if (s.outcome == ScenarioOutcome::skipped) j["skip_reason"] = s.skip_reason;
  j["timeline"] = OJson::array();
  for (const TimelineEvent& e : s.timeline) {
    OJson event = OJson::object();
    put_instant(event, "at", e.at);
    event["lane"] = e.lane;
    event["kind"] = e.kind;
    event["text"] = e.text;
    j["timeline"].push_back(std::move(event));
  }
  j["journal"] = OJson::array();
  for (const JournalLine& line : s.journal) j["journal"].push_back(journal_json(line));
  return j;
}

}  // namespace

std::string results_json(const RunResult& run) {
  OJson j = OJson::object();
  j["format"] = kResultsFormat;
  j["format_version"] = kResultsFormatVersion;
  j["tool_version"] = run.tool_version;
  j["seed"] = std::to_string(run.seed);
  j["jobs"] = run.jobs;
  j["wall_us"] = run.wall_us;
  if (run.started_at) {
    put_instant(j, "started_at", *run.started_at);
  } else {
    j["started_at"] = nullptr;
    j["started_at_ms"] = nullptr;
  }
  j["summary"] = {{"total", run.scenarios.size()},
                  {"passed", run.passed_count()},
                  {"failed", run.outcome_count(ScenarioOutcome::failed)},
                  {"errors", run.outcome_count(ScenarioOutcome::error)},
                  {"skipped", run.skipped_count()}};
  j["scenarios"] = OJson::array();
  for (const ScenarioResult& s : run.scenarios) j["scenarios"].push_back(scenario_json(s));
  // Scenario text is user input: replace invalid UTF-8 rather than throw.
  return j.dump(2, ' ', false, OJson::error_handler_t::replace) + "\n";
}

common::Status write_results_json(const RunResult& run, const std::string& path) {
  return write_file_atomically(path, results_json(run));
}

}  // namespace dcisim::reports
