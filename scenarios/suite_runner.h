// Running a set of scenario files: prepare all of them first (parse, resolve the inventory,
// check the fixture: every mistake in every file is found before anything runs), then run them,
// `jobs` at a time, each in its own world. Results come back in file order whatever `jobs` is,
// and a scenario's outcome does not depend on `jobs` or on the other scenarios. A file with a
// mistake does not stop the others (prepare_suite_files): it is reported as a test case of its
// own (file_problem.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "mockdci/inventory.h"
#include "reports/results.h"
#include "scenarios/file_problem.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_runner.h"

namespace dcisim::scenarios {

struct SuiteOptions {
  std::vector<std::string> paths;  // files and folders
  std::vector<std::string> tags;   // keep scenarios with any of these tags (none: all)
  std::string filter;              // keep scenarios whose name or file name contains this (empty: all)
  std::vector<std::string> exclude_dirs;  // skip files under these (the report folder's results.json)
  int jobs = 1;                    // 1..64
  uint64_t seed = 1;               // the run seed
  ScenarioRunOptions scenario;
};

struct PreparedScenario {
  Scenario scenario;
  mockdci::Inventory inventory;
  uint64_t seed = 0;
};

// The files of a run: the scenarios selected to run and the files that cannot run.
struct SuitePreparation {
  std::vector<PreparedScenario> scenarios;  // selected (--tag, --filter), in file order
  std::vector<size_t> scenario_files;       // for each scenario, its file's position among all files
  std::vector<FileProblem> problems;        // every file that cannot run, selected or not, in file order
  std::vector<size_t> problem_files;        // for each problem, its file's position among all files
};

// An error only when the run cannot be what was asked: a PATH that does not exist, or no
// scenario file in the PATHs. Mistakes inside files are `problems`.
common::Result<SuitePreparation> prepare_suite_files(const SuiteOptions& options);

// All or nothing: every error found, one per line ("file: /pointer: what"), or the scenarios
// selected to run.
common::Result<std::vector<PreparedScenario>> prepare_suite(const SuiteOptions& options);

// Told about progress; called from the worker threads, one call at a time.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void step_done() = 0;
  virtual void scenario_done(const reports::ScenarioResult& result) = 0;
};

reports::RunResult run_suite(const std::vector<PreparedScenario>& scenarios, const SuiteOptions& options,
                             ProgressSink* progress);

// Runs the prepared scenarios (run_suite) and adds a test case for every file problem, all in
// file order.
reports::RunResult run_prepared_suite(const SuitePreparation& preparation, const SuiteOptions& options,
                                      ProgressSink* progress);

}  // namespace dcisim::scenarios
