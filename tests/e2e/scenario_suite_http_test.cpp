// The shipped scenario suite (scenarios/suite) over real HTTP on loopback: every scenario runs the
// billing core against the emulator through a socket, with its expectations at every step and the
// audit after every step. `dcisim run` uses the in-memory transport by default; this proves the
// same stories hold on the wire.
#include <catch2/catch.hpp>

#include "reports/failure_text.h"
#include "scenarios/parse.h"
#include "scenarios/suite_runner.h"

using namespace dcisim;

TEST_CASE("every shipped scenario passes with billing talking HTTP to the emulator", "[e2e][scenarios][http]") {
  auto files = scenarios::collect_scenario_files({std::string(DCISIM_SOURCE_DIR) + "/scenarios/suite"});
  REQUIRE(files.ok());
  REQUIRE(files->size() >= 30);
  for (const std::string& file : *files) {
    DYNAMIC_SECTION(file) {
      scenarios::SuiteOptions options;
      options.paths = {file};
      options.scenario.world.transport = scenarios::TransportKind::http;
      auto prepared = scenarios::prepare_suite(options);
      REQUIRE(prepared.ok());
      reports::RunResult run = scenarios::run_suite(*prepared, options, nullptr);
      REQUIRE(run.scenarios.size() == 1);
      INFO(reports::failure_details(run.scenarios[0], run.seed, 10));
      CHECK(run.scenarios[0].outcome == reports::ScenarioOutcome::passed);
    }
  }
}
