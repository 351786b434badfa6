// Writes the sample reports where DCISIM_REPORT_SAMPLE_DIR says (default: a temporary folder).
// Hidden from the normal run ([.]): the `report` ctest label runs it to produce the report.html
// that scripts/check-report-render opens in headless Chromium.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "reports/html.h"
#include "reports/junit.h"
#include "reports/results_json.h"
#include "reports_sample.h"

using namespace dcisim::reports;

TEST_CASE("writes the sample report for the render check", "[.][report-sample]") {
  const char* dir_env = std::getenv("DCISIM_REPORT_SAMPLE_DIR");
  std::filesystem::path dir = dir_env != nullptr && *dir_env != '\0'
                                  ? std::filesystem::path(dir_env)
                                  : std::filesystem::temp_directory_path() / "dcisim-report-sample";
  RunResult run = testing::sample_run();
  REQUIRE(write_html_report(run, (dir / "report.html").string()).ok());
  REQUIRE(write_junit_xml(run, (dir / "junit.xml").string()).ok());
  REQUIRE(write_results_json(run, (dir / "results.json").string()).ok());
  WARN("sample reports written to " << dir.string());
}
