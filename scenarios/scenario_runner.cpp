#include "scenarios/scenario_runner.h"

#include <algorithm>

#include "common/clock.h"
#include "common/rng.h"
#include "scenarios/actions.h"
#include "scenarios/expectations.h"
#include "scenarios/step_session.h"
#include "scenarios/timeline.h"

namespace dcisim::scenarios {

using common::Result;
using common::Status;
using reports::Failure;
using reports::ScenarioOutcome;
using reports::StepOutcome;

namespace {

constexpr size_t kMaxSourceLines = 16;  // of the failing step, shown as written

StepFailure timeout_failure(common::Duration timeout, size_t index, const Step& step, const World& world) {
  std::string where = "step " + std::to_string(index) + " (" + step.text + ") at virtual time " +
                      common::format_instant(world.clock->now());
  return StepFailure{"timed out: the scenario ran longer than " + common::format_duration(timeout) +
                         " of wall time (--timeout); it stopped at virtual time " + common::format_instant(world.clock->now()),
                     "the scenario ends within " + common::format_duration(timeout), "still running at " + where, ""};
}

Failure make_failure(const Step& step, size_t index, const StepFailure& f, World& world, size_t last_requests,
                     uint64_t exchanges_before) {
  Failure failure;
  failure.step_index = index;
  failure.step_text = step.text;
  failure.message = f.message;
  failure.expected = f.expected;
  failure.found = f.found;
  if (world.transport->total() > exchanges_before) {
    std::deque<Exchange> exchanges = world.transport->exchanges();
    failure.request = exchanges.back().request;
    failure.response = exchanges.back().response;
  }
  failure.last_requests = world.emulator ? journal_lines(world.emulator->journal(last_requests))
                                         : exchange_lines(world.transport->exchanges(), last_requests);
  return failure;
}

// Where the failure is in the file: the step, and the key that failed within it when known.
void locate_failure(Failure& failure, const Step& step, const std::string& key, const std::string& source_text) {
  failure.step_at = step.source.value_at;
  failure.pointer = step.origin.pointer + key;
  failure.at = step.source.value_at;
  if (!step.source.value_at.known()) return;
  if (!key.empty()) {
    common::JsonPositions positions = common::JsonPositions::index(source_text);
    if (std::optional<common::JsonSpan> span = positions.nearest(failure.pointer)) failure.at = span->at;
  }
  size_t mark = failure.at.line;
  failure.source = common::source_excerpt(source_text, step.source.value_at.line, step.source.last_line, mark, kMaxSourceLines);
}

}  // namespace

uint64_t scenario_seed(const Scenario& scenario, uint64_t run_seed) {
  if (scenario.seed) return *scenario.seed;
  return common::Rng(run_seed ^ common::seed_from_text(scenario.name)).next_u64() >> 1;
}

reports::ScenarioResult run_scenario(const Scenario& scenario, const mockdci::Inventory& inventory, uint64_t seed,
                                     const ScenarioRunOptions& options) {
  common::Stopwatch stopwatch;  // wall time, for the report only
  reports::ScenarioResult result;
  result.suite = scenario.suite;
  result.name = scenario.name;
  result.file = scenario.file;
  result.tags = scenario.tags;
  result.seed = seed;
  for (size_t i = 0; i < scenario.steps.size(); ++i) {
    reports::StepRecord record;
    record.index = i;
    record.text = scenario.steps[i].text;
    record.at = scenario.steps[i].source.value_at;
    result.steps.push_back(std::move(record));
  }
  RemoteTarget* target = options.world.target;
  if (target != nullptr) {
    std::string why = target->unsupported(scenario);
    if (why.empty() && !target->interrupted().ok()) why = "not run: " + target->interrupted().error().message;
    if (!why.empty()) {
      result.outcome = ScenarioOutcome::skipped;
      result.skip_reason = why;
      result.wall_us = stopwatch.elapsed_us();
      return result;
    }
  }

  Result<std::unique_ptr<StepSession>> started = StepSession::start(scenario, inventory, seed, options.world);
  if (!started) {
    result.outcome = ScenarioOutcome::error;
    Failure failure;
    failure.step_text = "(fixture)";
    failure.message = "the scenario could not start: " + started.error().message;
    result.failure = std::move(failure);
    if (target != nullptr) {
      if (common::Status undone = target->teardown(); !undone) result.failure->message += "; teardown: " + undone.error().message;
    }
    result.wall_us = stopwatch.elapsed_us();
    return result;
  }
  StepSession& session = **started;
  World& world = session.world();
  result.virtual_start = world.clock->now();
  // The wall-time bound, checked between steps and at every stop of the virtual clock.
  bool timed_out = false;
  auto over_time = [&] {
    return options.wall_timeout > common::Duration() && stopwatch.elapsed_us() / 1000 > options.wall_timeout.count_ms();
  };
  world.clock->set_stop_check([&]() -> Status {
    if (target != nullptr) DCISIM_RETURN_IF_ERROR(target->interrupted());
    if (!over_time()) return Status::success();
    timed_out = true;
    return common::Error::io("timed out");
  });
  for (size_t i = 0; i < scenario.steps.size(); ++i) {
    Step step = scenario.steps[i];
    common::Stopwatch step_stopwatch;
    result.steps[i].virtual_at = world.clock->now();
    uint64_t exchanges_before = world.transport->total();
    std::optional<StepFailure> failure =
        timed_out || over_time() ? timeout_failure(options.wall_timeout, i, step, world) : session.run(step, i);
    if (common::Status go_on = target != nullptr ? target->interrupted() : Status::success(); !go_on) {
      failure = StepFailure{go_on.error().message + " at step " + std::to_string(i) + " (" + step.text + ")", "", "", ""};
    }
    if (timed_out) failure = timeout_failure(options.wall_timeout, i, step, world);
    result.steps[i].wall_us = step_stopwatch.elapsed_us();
    result.steps[i].outcome = failure ? StepOutcome::failed : StepOutcome::passed;
    if (options.on_step) options.on_step();
    if (failure) {
      result.outcome = ScenarioOutcome::failed;
      result.failure = make_failure(step, i, *failure, world, options.last_requests, exchanges_before);
      locate_failure(*result.failure, step, failure->key, scenario.source_text);
      break;
    }
  }
  result.virtual_end = world.clock->now();
  for (reports::StepRecord& record : result.steps) {
    if (record.outcome == StepOutcome::not_run) record.virtual_at = result.virtual_end;  // where it stopped
  }
  result.timeline = collect_timeline(scenario, result.steps, world);
  std::vector<mockdci::JournalEntry> journal = world.emulator ? world.emulator->journal(SIZE_MAX) : std::vector<mockdci::JournalEntry>();
  result.digest = run_digest(journal, world);
  if (journal.size() > options.journal_extract) journal.erase(journal.begin(), journal.end() - static_cast<long>(options.journal_extract));
  result.journal = world.emulator ? journal_lines(journal) : exchange_lines(world.transport->exchanges(), options.journal_extract);
  if (target != nullptr) {
    // Undo what the scenario changed on the live side, whatever its outcome.
    started->reset();  // the world (billing, its module) closes before the teardown
    if (common::Status undone = target->teardown(); !undone) {
      if (result.outcome == ScenarioOutcome::passed) {
        result.outcome = ScenarioOutcome::failed;
        Failure failure;
        failure.step_index = scenario.steps.empty() ? 0 : scenario.steps.size() - 1;
        failure.step_text = "(teardown)";
        failure.message = "teardown: " + undone.error().message;
        result.failure = std::move(failure);
      } else if (result.failure) {
        result.failure->message += "; teardown: " + undone.error().message;
      }
    }
  }
  result.wall_us = stopwatch.elapsed_us();
  return result;
}

}  // namespace dcisim::scenarios
