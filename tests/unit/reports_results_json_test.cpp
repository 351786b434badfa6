// Specification of reports/results_json.h: results.json holds the whole RunResult.
#include <catch2/catch.hpp>

#include <filesystem>

#include "common/json_input.h"
#include "reports/results_json.h"
#include "reports_sample.h"

using namespace dcisim::reports;
using namespace dcisim::reports::testing;
using dcisim::common::Json;

namespace {

RunResult round_trip(const RunResult& run) {
  dcisim::common::Result<RunResult> back = parse_results_json(results_json(run), "results.json");
  INFO((back.ok() ? std::string() : back.error().message));
  REQUIRE(back.ok());
  return back.value();
}

// The error message from reading `document` after `edit` changed it.
std::string error_after(void (*edit)(Json&)) {
  Json document = Json::parse(results_json(sample_run()));
  edit(document);
  dcisim::common::Result<RunResult> back = parse_results_json(document.dump(), "out/results.json");
  REQUIRE_FALSE(back.ok());
  return back.error().message;
}

}  // namespace

TEST_CASE("results.json round-trips every field of a run", "[unit][reports][results_json]") {
  RunResult run = sample_run();
  run.scenarios[2].name = "a<b & \"c\" \x01";  // valid UTF-8: kept exactly
  run.started_at = sample_at(-5);
  run.scenarios[0].replay = "dcisim run x.json --seed 1 --filter 'order to active'";
  CHECK(round_trip(run) == run);
  RunResult empty;
  CHECK(round_trip(empty) == empty);
}

TEST_CASE("seeds are written as decimal strings so 64-bit values survive JavaScript", "[unit][reports][results_json]") {
  Json document = Json::parse(results_json(sample_run()));
  CHECK(document["seed"] == "42");
  CHECK(document["scenarios"][0]["seed"] == "18446744073709551557");
}

TEST_CASE("times are written as ISO text and as unix milliseconds", "[unit][reports][results_json]") {
  Json document = Json::parse(results_json(sample_run()));
  const Json& step = document["scenarios"][0]["steps"][4];
  CHECK(step["virtual_at"] == "2026-01-01T01:00:00Z");
  CHECK(step["virtual_at_ms"] == 1767229200000);
  CHECK(document["scenarios"][0]["virtual_end"] == "2026-02-01T00:00:00Z");
  CHECK(document["started_at"].is_null());
  CHECK(document["summary"] == Json::parse(R"({"total":3,"passed":1,"failed":1,"errors":1,"skipped":0})"));
}

TEST_CASE("a time given only as ISO text is read too", "[unit][reports][results_json]") {
  Json document = Json::parse(results_json(sample_run()));
  document["scenarios"][0]["steps"][4].erase("virtual_at_ms");
  RunResult back = parse_results_json(document.dump(), "r.json").value();
  CHECK(back.scenarios[0].steps[4].virtual_at == sample_at(60));
}

TEST_CASE("invalid UTF-8 in text is replaced, never fails the write", "[unit][reports][results_json]") {
  RunResult run = sample_run();  // the hostile scenario's name holds \xff
  std::string text = results_json(run);
  RunResult back = parse_results_json(text, "r.json").value();
  CHECK(back.scenarios[2].name == "a<b & \"c\" 'd' \x01 bell\x07 bad\xEF\xBF\xBD utf8");
}

TEST_CASE("reading errors name the JSON pointer and the expected form", "[unit][reports][results_json]") {
  CHECK(error_after([](Json& d) { d["scenarios"][1]["seed"] = 1.5; }) ==
        "out/results.json: /scenarios/1/seed: expected a seed as a decimal string such as \"42\", got 1.5");
  CHECK(error_after([](Json& d) { d["scenarios"][0]["steps"][2]["outcome"] = "maybe"; }) ==
        "out/results.json: /scenarios/0/steps/2/outcome: expected one of \"passed\", \"failed\", "
        "\"not_run\", got \"maybe\"");
  CHECK(error_after([](Json& d) { d["scenarios"][0]["outcome"] = "green"; }).find(
            "/scenarios/0/outcome: expected one of \"passed\", \"failed\", \"error\"") != std::string::npos);
  CHECK(error_after([](Json& d) { d["scenarios"][1]["failure"]["last_requests"][0]["status"] = "ok"; })
            .find("/scenarios/1/failure/last_requests/0/status: expected an integer in 0..999") !=
        std::string::npos);
  CHECK(error_after([](Json& d) { d["format"] = "junit"; }).find("/format: expected \"dcisim-results\"") !=
        std::string::npos);
  CHECK(error_after([](Json& d) { d["format_version"] = 2; }).find("/format_version: expected an integer in 1..1") !=
        std::string::npos);
  CHECK(error_after([](Json& d) { d["scenarios"][0]["timeline"][1].erase("at_ms"); d["scenarios"][0]["timeline"][1]["at"] = "yesterday"; })
            .find("/scenarios/0/timeline/1/at: expected an ISO 8601 time") != std::string::npos);
  CHECK(error_after([](Json& d) { d.erase("scenarios"); }).find("/scenarios: expected an array") !=
        std::string::npos);
}

TEST_CASE("read_results_json reads a written file and names a missing one", "[unit][reports][results_json]") {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "dcisim_reports_json_test";
  std::filesystem::remove_all(dir);
  std::string path = (dir / "results.json").string();
  REQUIRE(write_results_json(sample_run(), path).ok());
  dcisim::common::Result<RunResult> back = read_results_json(path);
  REQUIRE(back.ok());
  CHECK(back.value().scenarios.size() == 3);
  CHECK(back.value().scenarios[1].failure->found == "processing (operation open, attempt 3)");
  dcisim::common::Result<RunResult> missing = read_results_json((dir / "nope.json").string());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("nope.json: cannot open") != std::string::npos);
  std::filesystem::remove_all(dir);
}
