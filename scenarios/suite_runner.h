// Running a set of scenario files: prepare all of them first (parse, resolve the inventory,
// check the fixture: any mistake in any file is reported before anything runs), then run them,
// `jobs` at a time, each in its own world. Results come back in file order whatever `jobs` is,
// and a scenario's outcome does not depend on `jobs` or on the other scenarios.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "mockdci/inventory.h"
#include "reports/results.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_runner.h"

namespace dcisim::scenarios {

struct SuiteOptions {
  std::vector<std::string> paths;  // files and folders
  std::vector<std::string> tags;   // keep scenarios with any of these tags (none: all)
  std::string filter;              // keep scenarios whose name contains this (empty: all)
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

// Every error found, one per line ("file: /pointer: what"), or the scenarios selected to run.
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

}  // namespace dcisim::scenarios
