// The fault matrix (scenarios/faults/, written by scripts/gen-fault-matrix): every fault kind x
// module operation x before/after the change, faults that never stop, and DCImanager's own
// operations failing, stuck or slow. Every scenario must pass: the billing core gets through a
// fault that fires once with one server, one release and no double charge, and turns a fault that
// never stops into a manual task that names the cause; the audit runs after every step.
#include <catch2/catch.hpp>

#include "reports/failure_text.h"
#include "scenarios/suite_runner.h"

using namespace dcisim;

TEST_CASE("every scenario of the fault matrix passes", "[e2e][scenarios][faults]") {
  scenarios::SuiteOptions options;
  options.paths = {std::string(DCISIM_SOURCE_DIR) + "/scenarios/faults"};
  options.jobs = 2;
  auto prepared = scenarios::prepare_suite(options);
  INFO((prepared.ok() ? std::string() : prepared.error().message));
  REQUIRE(prepared.ok());
  CHECK(prepared->size() >= 140);
  reports::RunResult run = scenarios::run_suite(*prepared, options, nullptr);
  for (const reports::ScenarioResult& scenario : run.scenarios) {
    INFO(reports::failure_details(scenario, run.seed, 10));
    CHECK(scenario.outcome == reports::ScenarioOutcome::passed);
  }
}
