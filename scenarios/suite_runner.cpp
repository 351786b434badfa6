#include "scenarios/suite_runner.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "common/clock.h"
#include "mockdci/default_inventory.h"
#include "scenarios/actions.h"
#include "scenarios/parse.h"
#include "scenarios/world.h"

namespace dcisim::scenarios {

using common::Error;
using common::Result;
using common::Status;

namespace {

constexpr size_t kMaxErrorsShown = 50;

bool selected(const Scenario& scenario, const SuiteOptions& options) {
  if (!options.filter.empty() && scenario.name.find(options.filter) == std::string::npos) return false;
  if (options.tags.empty()) return true;
  for (const std::string& tag : options.tags) {
    if (std::find(scenario.tags.begin(), scenario.tags.end(), tag) != scenario.tags.end()) return true;
  }
  return false;
}

Status check_steps(const Scenario& scenario) {
  for (const Step& step : scenario.steps) {
    if (const auto* fault = std::get_if<FaultStep>(&step.body)) DCISIM_RETURN_IF_ERROR(check_fault(*fault, step.origin));
  }
  return Status::success();
}

Result<PreparedScenario> prepare_one(const std::string& file, const SuiteOptions& options) {
  DCISIM_ASSIGN_OR_RETURN(Scenario scenario, load_scenario_file(file));
  DCISIM_RETURN_IF_ERROR(check_steps(scenario));
  DCISIM_ASSIGN_OR_RETURN(mockdci::Inventory inventory, resolve_inventory(scenario));
  DCISIM_RETURN_IF_ERROR(check_fixture(scenario, inventory));
  uint64_t seed = scenario_seed(scenario, options.seed);
  return PreparedScenario{std::move(scenario), std::move(inventory), seed};
}

bool excluded(const std::string& file, const std::vector<std::string>& dirs) {
  std::error_code ec;
  std::filesystem::path path = std::filesystem::weakly_canonical(file, ec);
  for (const std::string& dir : dirs) {
    std::filesystem::path root = std::filesystem::weakly_canonical(dir, ec);
    auto [end, ignored] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
    (void)ignored;
    if (!root.empty() && end == root.end()) return true;
  }
  return false;
}

}  // namespace

Result<std::vector<PreparedScenario>> prepare_suite(const SuiteOptions& options) {
  DCISIM_ASSIGN_OR_RETURN(std::vector<std::string> all_files, collect_scenario_files(options.paths));
  std::vector<std::string> files;
  for (const std::string& file : all_files) {
    if (!excluded(file, options.exclude_dirs)) files.push_back(file);
  }
  if (files.empty()) return Error::invalid("no scenario files (*.json) found in the given paths");
  std::vector<PreparedScenario> prepared;
  std::vector<std::string> errors;
  std::set<std::string> names;
  for (const std::string& file : files) {
    Result<PreparedScenario> one = prepare_one(file, options);
    if (!one) {
      errors.push_back(one.error().message);
      continue;
    }
    std::string key = one->scenario.suite + "." + one->scenario.name;
    if (!names.insert(key).second) {
      errors.push_back(file + ": /name: another scenario of suite \"" + one->scenario.suite + "\" is already named \"" +
                       one->scenario.name + "\" (names must be unique: they are the JUnit test names)");
      continue;
    }
    if (selected(one->scenario, options)) prepared.push_back(std::move(*one));
  }
  if (!errors.empty()) {
    std::string message;
    for (size_t i = 0; i < errors.size() && i < kMaxErrorsShown; ++i) message += (i ? "\n" : "") + errors[i];
    if (errors.size() > kMaxErrorsShown) message += "\n(" + std::to_string(errors.size() - kMaxErrorsShown) + " more errors)";
    return Error::invalid(message);
  }
  return prepared;
}

reports::RunResult run_suite(const std::vector<PreparedScenario>& scenarios, const SuiteOptions& options,
                             ProgressSink* progress) {
  common::Stopwatch stopwatch;  // wall time, for the report only
  reports::RunResult run;
  run.tool_version = "dcisim 0.1.0";
  run.seed = options.seed;
  run.jobs = std::clamp(options.jobs, 1, 64);
  run.scenarios.resize(scenarios.size());
  std::mutex progress_mutex;
  ScenarioRunOptions scenario_options = options.scenario;
  if (progress != nullptr) {
    scenario_options.on_step = [&] {
      std::lock_guard lock(progress_mutex);
      progress->step_done();
    };
  }
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < scenarios.size(); i = next++) {
      const PreparedScenario& p = scenarios[i];
      run.scenarios[i] = run_scenario(p.scenario, p.inventory, p.seed, scenario_options);
      if (progress != nullptr) {
        std::lock_guard lock(progress_mutex);
        progress->scenario_done(run.scenarios[i]);
      }
    }
  };
  std::vector<std::thread> threads;
  size_t thread_count = std::min<size_t>(static_cast<size_t>(run.jobs), scenarios.size());
  for (size_t t = 1; t < thread_count; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  run.wall_us = stopwatch.elapsed_us();
  return run;
}

}  // namespace dcisim::scenarios
