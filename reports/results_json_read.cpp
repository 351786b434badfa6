// The reading half of results_json.h: every value is checked through common::JsonNode, so an
// error names the JSON pointer and the expected form.
#include <charconv>
#include <limits>

#include "common/json_input.h"
#include "reports/results_json.h"

// Evaluates `expr` (a Result); on error returns it from the enclosing function, else moves the
// value into `target`.
#define DCISIM_READ(target, expr)                 \
  do {                                            \
    auto read_result_ = (expr);                   \
    if (!read_result_.ok()) return read_result_.error(); \
    target = std::move(read_result_).value();     \
  } while (0)

namespace dcisim::reports {

namespace {

using common::Error;
using common::JsonNode;
using common::Result;

constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinInt = std::numeric_limits<int64_t>::min();

// "<name>_ms" is authoritative; "<name>" (ISO text) is accepted alone for hand-written files.
Result<common::Instant> read_instant(const JsonNode& object, const std::string& name) {
  JsonNode ms = object.at(name + "_ms");
  if (ms.present()) {
    int64_t value = 0;
    DCISIM_READ(value, ms.integer(kMinInt, kMaxInt));
    return common::Instant::from_unix_ms(value);
  }
  JsonNode text = object.at(name);
  const char* expected = "an ISO 8601 time such as \"2026-01-01T00:00:00Z\"";
  if (!text.present() || !text.raw()->is_string()) return text.error(expected);
  Result<common::Instant> parsed = common::parse_instant(text.raw()->get_ref<const std::string&>());
  if (!parsed) return text.error(expected);
  return parsed;
}

Result<uint64_t> read_seed(const JsonNode& node) {
  const char* expected = "a seed as a decimal string such as \"42\"";
  if (node.present() && node.raw()->is_number_unsigned()) return node.raw()->get<uint64_t>();
  if (!node.present() || !node.raw()->is_string()) return node.error(expected);
  const std::string& text = node.raw()->get_ref<const std::string&>();
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return node.error(expected);
  }
  return value;
}

Result<size_t> read_count(const JsonNode& node) {
  int64_t value = 0;
  DCISIM_READ(value, node.integer(0, kMaxInt));
  return static_cast<size_t>(value);
}

// A position in the scenario file; absent members (an older results.json) read as 0, unknown.
Result<common::TextPosition> read_position(const JsonNode& object, const char* line_name, const char* column_name) {
  constexpr int64_t kMaxPosition = 1'000'000'000;
  common::TextPosition at;
  int64_t line = 0, column = 0;
  DCISIM_READ(line, object.at(line_name).integer_or(0, 0, kMaxPosition));
  DCISIM_READ(column, object.at(column_name).integer_or(0, 0, kMaxPosition));
  at.line = static_cast<size_t>(line);
  at.column = static_cast<size_t>(column);
  return at;
}

Result<std::vector<std::string>> read_strings(const JsonNode& node) {
  common::Status is_array = node.require_array();
  if (!is_array) return is_array.error();
  std::vector<std::string> out;
  for (size_t i = 0; i < node.size(); ++i) {
    std::string s;
    DCISIM_READ(s, node.at(i).string());
    out.push_back(std::move(s));
  }
  return out;
}

// Reads the array at `node` with `read_one` for each element.
template <typename T, typename ReadOne>
Result<std::vector<T>> read_array(const JsonNode& node, ReadOne read_one) {
  common::Status is_array = node.require_array();
  if (!is_array) return is_array.error();
  std::vector<T> out;
  out.reserve(node.size());
  for (size_t i = 0; i < node.size(); ++i) {
    T element;
    DCISIM_READ(element, read_one(node.at(i)));
    out.push_back(std::move(element));
  }
  return out;
}

Result<JournalLine> read_journal_line(const JsonNode& node) {
  common::Status is_object = node.require_object();
  if (!is_object) return is_object.error();
  JournalLine line;
  DCISIM_READ(line.at, read_instant(node, "at"));
  DCISIM_READ(line.method, node.at("method").string());
  DCISIM_READ(line.target, node.at("target").string());
  int64_t status = 0;
  DCISIM_READ(status, node.at("status").integer(0, 999));
  line.status = static_cast<int>(status);
  DCISIM_READ(line.duration_us, node.at("duration_us").integer(0, kMaxInt));
  return line;
}

Result<TimelineEvent> read_event(const JsonNode& node) {
  common::Status is_object = node.require_object();
  if (!is_object) return is_object.error();
  TimelineEvent event;
  DCISIM_READ(event.at, read_instant(node, "at"));
  DCISIM_READ(event.lane, node.at("lane").string());
  DCISIM_READ(event.kind, node.at("kind").string());
  DCISIM_READ(event.text, node.at("text").string());
  return event;
}

Result<StepRecord> read_step(const JsonNode& node) {
  common::Status is_object = node.require_object();
  if (!is_object) return is_object.error();
  StepRecord step;
  DCISIM_READ(step.index, read_count(node.at("index")));
  DCISIM_READ(step.text, node.at("text").string());
  DCISIM_READ(step.virtual_at, read_instant(node, "virtual_at"));
  DCISIM_READ(step.wall_us, node.at("wall_us").integer(0, kMaxInt));
  JsonNode outcome = node.at("outcome");
  std::optional<StepOutcome> parsed;
  if (outcome.present() && outcome.raw()->is_string()) {
    parsed = parse_step_outcome(outcome.raw()->get_ref<const std::string&>());
  }
  if (!parsed) return outcome.error("one of \"passed\", \"failed\", \"not_run\"");
  step.outcome = *parsed;
  DCISIM_READ(step.at, read_position(node, "line", "column"));
  return step;
}

Result<Failure> read_failure(const JsonNode& node) {
  common::Status is_object = node.require_object();
  if (!is_object) return is_object.error();
  Failure f;
  DCISIM_READ(f.step_index, read_count(node.at("step_index")));
  DCISIM_READ(f.step_text, node.at("step_text").string_or(""));
  DCISIM_READ(f.message, node.at("message").string());
  DCISIM_READ(f.expected, node.at("expected").string_or(""));
  DCISIM_READ(f.found, node.at("found").string_or(""));
  DCISIM_READ(f.request, node.at("request").string_or(""));
  DCISIM_READ(f.response, node.at("response").string_or(""));
  if (node.at("last_requests").present()) {
    DCISIM_READ(f.last_requests, read_array<JournalLine>(node.at("last_requests"), read_journal_line));
  }
  DCISIM_READ(f.file_error, node.at("file_error").boolean_or(false));
  DCISIM_READ(f.pointer, node.at("pointer").string_or(""));
  DCISIM_READ(f.at, read_position(node, "line", "column"));
  DCISIM_READ(f.step_at, read_position(node, "step_line", "step_column"));
  DCISIM_READ(f.source, node.at("source").string_or(""));
  return f;
}

Result<ScenarioResult> read_scenario(const JsonNode& node) {
  common::Status is_object = node.require_object();
  if (!is_object) return is_object.error();
  ScenarioResult s;
  DCISIM_READ(s.suite, node.at("suite").string());
  DCISIM_READ(s.name, node.at("name").string());
  DCISIM_READ(s.file, node.at("file").string_or(""));
  if (node.at("tags").present()) DCISIM_READ(s.tags, read_strings(node.at("tags")));
  DCISIM_READ(s.seed, read_seed(node.at("seed")));
  JsonNode outcome = node.at("outcome");
  std::optional<ScenarioOutcome> parsed;
  if (outcome.present() && outcome.raw()->is_string()) {
    parsed = parse_scenario_outcome(outcome.raw()->get_ref<const std::string&>());
  }
  if (!parsed) return outcome.error("one of \"passed\", \"failed\", \"error\", \"skipped\"");
  s.outcome = *parsed;
  DCISIM_READ(s.skip_reason, node.at("skip_reason").string_or(""));
  DCISIM_READ(s.wall_us, node.at("wall_us").integer(0, kMaxInt));
  DCISIM_READ(s.virtual_start, read_instant(node, "virtual_start"));
  DCISIM_READ(s.virtual_end, read_instant(node, "virtual_end"));
  DCISIM_READ(s.digest, node.at("digest").string_or(""));
  DCISIM_READ(s.replay, node.at("replay").string_or(""));
  DCISIM_READ(s.steps, read_array<StepRecord>(node.at("steps"), read_step));
  if (node.at("failure").present()) DCISIM_READ(s.failure, read_failure(node.at("failure")));
  DCISIM_READ(s.timeline, read_array<TimelineEvent>(node.at("timeline"), read_event));
  DCISIM_READ(s.journal, read_array<JournalLine>(node.at("journal"), read_journal_line));
  return s;
}

Result<RunResult> read_run(const JsonNode& root) {
  common::Status is_object = root.require_object();
  if (!is_object) return is_object.error();
  JsonNode format = root.at("format");
  if (!format.present() || *format.raw() != kResultsFormat) {
    return format.error("\"dcisim-results\" (is this a dcisim results.json?)");
  }
  Result<int64_t> version =
      root.at("format_version").integer(kResultsFormatVersion, kResultsFormatVersion);
  if (!version) return version.error();
  RunResult run;
  DCISIM_READ(run.tool_version, root.at("tool_version").string_or(""));
  DCISIM_READ(run.seed, read_seed(root.at("seed")));
  int64_t jobs = 0;
  DCISIM_READ(jobs, root.at("jobs").integer_or(1, 1, 4096));
  run.jobs = static_cast<int>(jobs);
  DCISIM_READ(run.wall_us, root.at("wall_us").integer(0, kMaxInt));
  if (root.at("started_at_ms").present() || root.at("started_at").present()) {
    DCISIM_READ(run.started_at, read_instant(root, "started_at"));
  }
  DCISIM_READ(run.scenarios, read_array<ScenarioResult>(root.at("scenarios"), read_scenario));
  return run;
}

}  // namespace

Result<RunResult> parse_results_json(std::string_view text, const std::string& source) {
  Result<common::Json> document = common::parse_json_text(text, source, false);
  if (!document) return document.error();
  return read_run(JsonNode::root(document.value(), source));
}

Result<RunResult> read_results_json(const std::string& path) {
  Result<common::Json> document = common::parse_json_file(path, false);
  if (!document) return document.error();
  return read_run(JsonNode::root(document.value(), path));
}

}  // namespace dcisim::reports

#undef DCISIM_READ
