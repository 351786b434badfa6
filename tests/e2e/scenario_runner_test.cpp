// The scenario runner and `dcisim run` as a user meets them: a wrong expectation fails at its
// step with expected and found; outcomes do not depend on -j; the same seed gives the same run;
// file errors stop everything before it runs; the command's exit codes, output and reports.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "reports/results_json.h"
#include "scenarios/parse.h"
#include "scenarios/suite_runner.h"

using namespace dcisim;
namespace fs = std::filesystem;

namespace {

const char* const kStory = R"({
  "name": "%NAME%",
  "tags": ["%TAG%"],
  "fixture": {"tariffs": [{"name": "i9-ams", "location": "Amsterdam", "configuration": "i9-9900K-64Gb-2x1024NVMe",
                            "os": ["Debian 12"], "prices": {"1": "100.00"}}]},
  "steps": [
    {"register": {"as": "alice"}},
    {"pay": {"client": "alice", "amount": "100.00"}},
    {"order": {"client": "alice", "tariff": "i9-ams", "os": "Debian 12", "as": "s1"}},
    {"expect": {"service": "s1", "status": "%STATUS%"}},
    {"advance": "1h"},
    {"expect": {"service": "s1", "status": "active", "server": {"owner": "alice@example.com"}}}
  ]
})";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// A scratch folder of scenario files, removed at the end.
struct ScenarioDir {
  fs::path path = fs::temp_directory_path() / ("dcisim-runner-test-" + std::to_string(::getpid()));
  ScenarioDir() {
    fs::remove_all(path);
    fs::create_directories(path / "suite");
  }
  ~ScenarioDir() { fs::remove_all(path); }
  std::string write(const std::string& file, const std::string& name, const std::string& status,
                    const std::string& tag = "smoke") {
    std::string text = replace_all(replace_all(replace_all(kStory, "%NAME%", name), "%STATUS%", status), "%TAG%", tag);
    fs::path target = path / "suite" / file;
    std::ofstream(target) << text;
    return target.string();
  }
};

scenarios::SuiteOptions options_for(const std::vector<std::string>& paths, int jobs = 1, uint64_t seed = 1) {
  scenarios::SuiteOptions options;
  options.paths = paths;
  options.jobs = jobs;
  options.seed = seed;
  return options;
}

reports::RunResult run(const scenarios::SuiteOptions& options) {
  auto prepared = scenarios::prepare_suite(options);
  REQUIRE(prepared.ok());
  return scenarios::run_suite(*prepared, options, nullptr);
}

std::string dcisim_binary() {
  char buffer[4096];
  ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  REQUIRE(n > 0);
  return fs::path(std::string(buffer, static_cast<size_t>(n))).parent_path() / "dcisim";
}

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

CommandResult run_dcisim(const std::string& arguments) {
  std::string command = dcisim_binary() + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  CommandResult result;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace

TEST_CASE("a wrong expectation fails the scenario at its step, with expected and found", "[e2e][scenarios]") {
  ScenarioDir dir;
  std::string file = dir.write("wrong.json", "wrong status", "active");
  reports::RunResult result = run(options_for({file}));
  REQUIRE(result.scenarios.size() == 1);
  const reports::ScenarioResult& s = result.scenarios[0];
  CHECK(s.outcome == reports::ScenarioOutcome::failed);
  REQUIRE(s.failure.has_value());
  CHECK(s.failure->step_index == 3);
  CHECK(s.failure->step_text == R"(expect {"service": "s1", "status": "active"})");  // as written
  CHECK(s.failure->message == "expect: service s1 status: expected active, found processing (open)");
  CHECK(s.failure->expected == "service s1 status: active");
  CHECK(s.failure->found == "service s1 status: processing (open)");
  CHECK(s.steps[3].outcome == reports::StepOutcome::failed);
  CHECK(s.steps[4].outcome == reports::StepOutcome::not_run);
  CHECK(s.steps[4].virtual_at == s.virtual_end);  // not run: placed where the scenario stopped
  CHECK(s.virtual_end == s.virtual_start);
  CHECK(s.suite == "suite");
}

TEST_CASE("outcomes, seeds and digests do not depend on -j or on the other scenarios", "[e2e][scenarios]") {
  ScenarioDir dir;
  std::vector<std::string> files;
  for (int i = 0; i < 4; ++i) {
    files.push_back(dir.write("s" + std::to_string(i) + ".json", "story " + std::to_string(i), i == 2 ? "active" : "processing"));
  }
  reports::RunResult serial = run(options_for({dir.path.string()}, 1));
  reports::RunResult parallel = run(options_for({dir.path.string()}, 3));
  reports::RunResult alone = run(options_for({files[1]}, 1));
  REQUIRE(serial.scenarios.size() == 4);
  REQUIRE(parallel.scenarios.size() == 4);
  for (size_t i = 0; i < 4; ++i) {
    INFO(serial.scenarios[i].name);
    CHECK(serial.scenarios[i].name == parallel.scenarios[i].name);
    CHECK(serial.scenarios[i].outcome == parallel.scenarios[i].outcome);
    CHECK(serial.scenarios[i].seed == parallel.scenarios[i].seed);
    CHECK(serial.scenarios[i].digest == parallel.scenarios[i].digest);
  }
  CHECK(serial.scenarios[2].outcome == reports::ScenarioOutcome::failed);
  CHECK(serial.passed_count() == 3);
  CHECK(alone.scenarios[0].seed == serial.scenarios[1].seed);
  CHECK(alone.scenarios[0].digest == serial.scenarios[1].digest);
  reports::RunResult other_seed = run(options_for({files[1]}, 1, 99));
  CHECK(other_seed.scenarios[0].seed != serial.scenarios[1].seed);
}

TEST_CASE("errors in any file stop the run before anything runs, naming file and pointer", "[e2e][scenarios]") {
  ScenarioDir dir;
  dir.write("good.json", "good", "processing");
  std::ofstream(dir.path / "suite" / "bad.json") << R"({"name": "bad", "fixture": {"tariffs": [{"name": "t", "location": "Atlantis",
      "configuration": "c", "os": ["Debian 12"], "prices": {"1": "1"}}]}, "steps": [{"advance": "1h"}]})";
  auto prepared = scenarios::prepare_suite(options_for({dir.path.string()}));
  REQUIRE_FALSE(prepared.ok());
  CHECK(prepared.error().message == (dir.path / "suite" / "bad.json").string() +
                                        ": /fixture/tariffs/0/location: no location \"Atlantis\" in the inventory "
                                        "(it has: Amsterdam, Frankfurt)");
  dir.write("twin.json", "good", "processing");
  auto twins = scenarios::prepare_suite(options_for({(dir.path / "suite" / "good.json").string(), (dir.path / "suite" / "twin.json").string()}));
  REQUIRE_FALSE(twins.ok());
  CHECK(twins.error().message.find("is already named \"good\"") != std::string::npos);
}

TEST_CASE("dcisim run: exit 0 and three reports when all pass, 1 naming the step when one fails, 2 for bad files",
          "[e2e][scenarios][cli]") {
  ScenarioDir dir;
  dir.write("ok.json", "passes", "processing");
  fs::path out = dir.path / "out";
  CommandResult passed = run_dcisim("run " + dir.path.string() + " --out " + out.string());
  INFO(passed.output);
  CHECK(passed.exit_code == 0);
  CHECK(passed.output.find("dcisim run: 1 scenarios, seed 1") != std::string::npos);
  CHECK(passed.output.find("PASS suite/passes") != std::string::npos);
  for (const char* report : {"junit.xml", "results.json", "report.html"}) CHECK(fs::exists(out / report));
  CHECK(reports::read_results_json((out / "results.json").string()).ok());

  dir.write("wrong.json", "fails", "active", "money");
  CommandResult failed = run_dcisim("run " + dir.path.string() + " --out " + out.string() + " --quiet");
  INFO(failed.output);
  CHECK(failed.exit_code == 1);
  CHECK(failed.output.find("FAIL suite/fails: " + (dir.path / "suite" / "wrong.json").string() + ":10:") != std::string::npos);
  CHECK(failed.output.find("step 3 (expect {\"service\": \"s1\", \"status\": \"active\"}): "
                           "expect: service s1 status: expected active, found processing (open)") != std::string::npos);
  CHECK(failed.output.find("PASS suite/passes") == std::string::npos);  // --quiet
  CHECK(failed.output.find("1 passed, 1 failed") != std::string::npos);

  CommandResult tagged = run_dcisim("run " + dir.path.string() + " --out " + out.string() + " --tag smoke");
  CHECK(tagged.exit_code == 0);

  std::ofstream(dir.path / "suite" / "broken.json") << R"({"name": "broken", "fixture": {"tariffs": []}, "steps": [{"advance": "soon"}]})";
  CommandResult broken = run_dcisim("run " + dir.path.string() + " --out " + out.string());
  CHECK(broken.exit_code == 2);  // the broken file is reported; the others still ran
  CHECK(broken.output.find("broken.json:1:59: error: /steps/0/advance: expected a duration") != std::string::npos);

  CommandResult usage = run_dcisim("run --jobs 3");
  CHECK(usage.exit_code == 2);
  CHECK(usage.output.rfind("dcisim run: ", 0) == 0);
  CHECK(usage.output.find('\n') == usage.output.size() - 1);  // one line
  CHECK(run_dcisim("run --help").exit_code == 0);
}

TEST_CASE("a scenario past its wall-time bound stops mid-advance and fails saying where it was",
          "[e2e][scenarios][limits]") {
  ScenarioDir dir;
  fs::path file = dir.path / "suite" / "decades.json";
  std::ofstream(file) << R"({"name": "decades", "fixture": {"tariffs": [{"name": "t", "location": "Amsterdam",
      "configuration": "i9-9900K-64Gb-2x1024NVMe", "os": ["Debian 12"], "prices": {"1": "1.00"}}]},
    "steps": [{"register": {"as": "alice"}}, {"pay": {"client": "alice", "amount": "100000.00"}},
              {"order": {"client": "alice", "tariff": "t", "os": "Debian 12", "as": "s1"}},
              {"advance": "3660d"}, {"advance": "3660d"}, {"advance": "3660d"}, {"advance": "3660d"},
              {"expect": {"service": "s1", "status": "active"}}]})";
  scenarios::SuiteOptions options = options_for({file.string()});
  options.scenario.wall_timeout = common::Duration::ms(200);
  reports::RunResult result = run(options);
  REQUIRE(result.scenarios.size() == 1);
  const reports::ScenarioResult& s = result.scenarios[0];
  CHECK(s.outcome == reports::ScenarioOutcome::failed);
  REQUIRE(s.failure.has_value());
  INFO(s.failure->message);
  CHECK(s.failure->message.rfind("timed out: the scenario ran longer than 200ms of wall time (--timeout); it stopped at virtual time 20", 0) == 0);
  CHECK(s.failure->step_index >= 3);
  CHECK(s.failure->step_index <= 6);
  CHECK(s.failure->found.find("still running at step " + std::to_string(s.failure->step_index) + " (advance \"3660d\")") == 0);
  CHECK(s.virtual_end < s.virtual_start + common::Duration::days(4 * 3660));  // stopped mid-way
  CHECK(s.steps[7].outcome == reports::StepOutcome::not_run);

  CommandResult bad = run_dcisim("run " + file.string() + " --timeout 0s");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("--timeout expects a duration from 1s to 1d") != std::string::npos);
}

TEST_CASE("expect_audit: the named invariant must be reported after the step, and is tolerated after it",
          "[e2e][scenarios]") {
  ScenarioDir dir;
  auto story = [&](const std::string& name, const std::string& release_step, const std::string& last_step) {
    fs::path file = dir.path / "suite" / (name + ".json");
    std::ofstream(file) << R"({"name": ")" << name << R"(", "fixture": {"tariffs": [{"name": "t", "location": "Amsterdam",
        "configuration": "i9-9900K-64Gb-2x1024NVMe", "os": ["Debian 12"], "prices": {"1": "100.00"}}]},
      "steps": [{"register": {"as": "alice"}}, {"pay": {"client": "alice", "amount": "100.00"}},
                {"order": {"client": "alice", "tariff": "t", "os": "Debian 12", "as": "s1"}}, {"advance": "1h"},
                )" << release_step << ", " << last_step << "]}";
    return run(options_for({file.string()})).scenarios.at(0);
  };
  reports::ScenarioResult caught = story("caught", R"({"panel": {"action": "release", "service": "s1"}, "expect_audit": "remote_ownership"})",
                                         R"({"advance": "1h"})");
  CHECK(caught.outcome == reports::ScenarioOutcome::passed);

  reports::ScenarioResult unexpected = story("unexpected", R"({"panel": {"action": "release", "service": "s1"}})", R"({"advance": "1h"})");
  REQUIRE(unexpected.failure.has_value());
  CHECK(unexpected.failure->step_index == 4);
  CHECK(unexpected.failure->message.rfind("audit: remote_ownership: service 1 (active)", 0) == 0);

  reports::ScenarioResult missed = story("missed", R"({"panel": {"action": "power_off", "service": "s1"}, "expect_audit": "remote_ownership"})",
                                         R"({"advance": "1h"})");
  REQUIRE(missed.failure.has_value());
  CHECK(missed.failure->step_index == 4);
  CHECK(missed.failure->message == "expect_audit: the audit did not report remote_ownership after this step");

  auto bad = scenarios::parse_scenario_text(R"({"name": "x", "fixture": {"tariffs": []}, "steps": [{"advance": "1h", "expect_audit": "nonsense"}]})",
                                            "x.json", "suite");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.rfind("x.json: /steps/0/expect_audit: expected an audit invariant name (active_paid, ", 0) == 0);
}
