// A skipped scenario (the live target skips those that need the emulator) shows in every report
// with its reason, and counts neither as passed nor as failed.
#include <catch2/catch.hpp>

#include "reports/failure_text.h"
#include "reports/html.h"
#include "reports/junit.h"
#include "reports/results_json.h"

using namespace dcisim;
using reports::ScenarioOutcome;

namespace {

reports::RunResult run_with_a_skip() {
  reports::RunResult run;
  run.tool_version = "dcisim test";
  reports::ScenarioResult passed;
  passed.suite = "suite";
  passed.name = "order to active";
  passed.file = "scenarios/suite/order-to-active.json";
  reports::ScenarioResult skipped = passed;
  skipped.name = "a fault & more";
  skipped.outcome = ScenarioOutcome::skipped;
  skipped.skip_reason = "injects a fault (/steps/2): faults are the emulator's";
  run.scenarios = {passed, skipped};
  return run;
}

}  // namespace

TEST_CASE("a skipped scenario is neither passed nor failed, and says why in every report", "[reports][skipped]") {
  reports::RunResult run = run_with_a_skip();
  CHECK(run.passed_count() == 1);
  CHECK(run.failed_count() == 0);
  CHECK(run.skipped_count() == 1);

  std::string junit = reports::junit_xml(run);
  CHECK_THAT(junit, Catch::Contains("<skipped message=\"injects a fault (/steps/2): faults are the emulator&apos;s\"/>") ||
                        Catch::Contains("<skipped message=\"injects a fault (/steps/2): faults are the emulator&#39;s\"/>"));
  CHECK_THAT(junit, Catch::Contains("skipped=\"1\""));
  CHECK(junit.find("<failure") == std::string::npos);

  std::string json = reports::results_json(run);
  CHECK_THAT(json, Catch::Contains("\"outcome\": \"skipped\""));
  CHECK_THAT(json, Catch::Contains("\"skip_reason\": \"injects a fault"));
  CHECK_THAT(json, Catch::Contains("\"skipped\": 1"));
  auto read = reports::parse_results_json(json, "results.json");
  REQUIRE(read.ok());
  CHECK(*read == run);

  std::string html = reports::html_report(run);
  CHECK_THAT(html, Catch::Contains("1 passed, 1 skipped of 2 scenarios"));
  CHECK_THAT(html, Catch::Contains("<h3>Skipped</h3>"));
  CHECK_THAT(html, Catch::Contains("faults are the emulator"));
  CHECK_THAT(reports::failure_summary(run.scenarios[1], 200), Catch::StartsWith("skipped: injects a fault"));
}
