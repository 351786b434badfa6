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
  if (!options.filter.empty() && scenario.name.find(options.filter) == std::string::npos &&
      std::filesystem::path(scenario.file).filename().string().find(options.filter) == std::string::npos) {
    return false;
  }
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

// The folder's name: a scenario's JUnit classname (as load_scenario_file gives it).
std::string suite_of(const std::string& file) {
  std::string suite = std::filesystem::path(file).parent_path().filename().string();
  return suite.empty() ? "scenarios" : suite;
}

// `dcisim run <file> --seed <run seed>` plus every option that changes the outcome: the transport
// and a wall-time bound other than the default (-j, --tag and --filter do not change it).
std::string replay_for(const reports::ScenarioResult& result, const SuiteOptions& options) {
  std::string command = reports::replay_command(result, options.seed);
  if (options.scenario.world.transport == TransportKind::http) command += " --transport http";
  if (options.scenario.wall_timeout != ScenarioRunOptions().wall_timeout) {
    command += " --timeout " + common::format_duration(options.scenario.wall_timeout);
  }
  return command;
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

Result<SuitePreparation> prepare_suite_files(const SuiteOptions& options) {
  DCISIM_ASSIGN_OR_RETURN(std::vector<std::string> all_files, collect_scenario_files(options.paths));
  std::vector<std::string> files;
  for (const std::string& file : all_files) {
    if (!excluded(file, options.exclude_dirs)) files.push_back(file);
  }
  if (files.empty()) return Error::invalid("no scenario files (*.json, *.jsonc) found in the given paths");
  SuitePreparation preparation;
  std::set<std::string> names;  // suite.name of every test case: JUnit names must be unique
  std::vector<std::pair<size_t, FileProblem>> problems;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& file = files[i];
    Result<PreparedScenario> one = prepare_one(file, options);
    if (!one) {
      problems.emplace_back(i, describe_file_problem(file, suite_of(file), one.error()));
      continue;
    }
    std::string key = one->scenario.suite + "." + one->scenario.name;
    if (!names.insert(key).second) {
      Error twin = Error::invalid(file + ": /name: another scenario of suite \"" + one->scenario.suite +
                                  "\" is already named \"" + one->scenario.name +
                                  "\" (names must be unique: they are the JUnit test names)");
      problems.emplace_back(i, describe_file_problem(file, one->scenario.suite, twin));
      problems.back().second.name = file;
      continue;
    }
    if (selected(one->scenario, options)) {
      preparation.scenarios.push_back(std::move(*one));
      preparation.scenario_files.push_back(i);
    }
  }
  // A broken file keeps the name it gives itself (so CI keeps its history) unless a scenario
  // that runs has it: then its path names it.
  for (auto& [index, problem] : problems) {
    if (!names.insert(problem.suite + "." + problem.name).second) problem.name = problem.file;
    names.insert(problem.suite + "." + problem.name);
    preparation.problems.push_back(std::move(problem));
    preparation.problem_files.push_back(index);
  }
  return preparation;
}

Result<std::vector<PreparedScenario>> prepare_suite(const SuiteOptions& options) {
  DCISIM_ASSIGN_OR_RETURN(SuitePreparation preparation, prepare_suite_files(options));
  const std::vector<FileProblem>& problems = preparation.problems;
  if (problems.empty()) return std::move(preparation.scenarios);
  std::string message;
  for (size_t i = 0; i < problems.size() && i < kMaxErrorsShown; ++i) message += (i ? "\n" : "") + problems[i].message;
  if (problems.size() > kMaxErrorsShown) message += "\n(" + std::to_string(problems.size() - kMaxErrorsShown) + " more errors)";
  return Error::invalid(message);
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
      run.scenarios[i].replay = replay_for(run.scenarios[i], options);
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

reports::RunResult run_prepared_suite(const SuitePreparation& preparation, const SuiteOptions& options,
                                      ProgressSink* progress) {
  reports::RunResult ran = run_suite(preparation.scenarios, options, progress);
  // Merge both lists by file position: each is already in file order.
  std::vector<reports::ScenarioResult> merged;
  merged.reserve(ran.scenarios.size() + preparation.problems.size());
  size_t s = 0, p = 0;
  while (s < ran.scenarios.size() || p < preparation.problems.size()) {
    bool problem_next = p < preparation.problems.size() &&
                        (s == ran.scenarios.size() || preparation.problem_files[p] < preparation.scenario_files[s]);
    if (problem_next) {
      merged.push_back(problem_result(preparation.problems[p++]));
    } else {
      merged.push_back(std::move(ran.scenarios[s++]));
    }
  }
  ran.scenarios = std::move(merged);
  return ran;
}

}  // namespace dcisim::scenarios
