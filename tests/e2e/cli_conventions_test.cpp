// `dcisim run` as CI systems and editors meet it: a broken file is a failed test case while the
// others run; --out never keeps a former run's reports; failures name file:line:column and show
// the step as written (and, on GitHub Actions, as annotations); --version, `help run`, `--`, the
// exit codes, --filter on file names, a replay command that keeps the outcome's options,
// "$schema" and .jsonc files.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "reports/results_json.h"

using namespace dcisim;
namespace fs = std::filesystem;

namespace {

// Line 10 holds step 3 (column 5); its "status" key is on line 11, column 17.
const char* const kStory = R"({
  "name": "%NAME%",
  "tags": ["smoke"],
  "fixture": {"tariffs": [{"name": "i9-ams", "location": "Amsterdam", "configuration": "i9-9900K-64Gb-2x1024NVMe",
                            "os": ["Debian 12"], "prices": {"1": "100.00"}}]},
  "steps": [
    {"register": {"as": "alice"}},
    {"pay": {"client": "alice", "amount": "100.00"}},
    {"order": {"client": "alice", "tariff": "i9-ams", "os": "Debian 12", "as": "s1"}},
    {"expect": {"service": "s1",
                "status": "%STATUS%"}},
    {"advance": "1h"}
  ]
}
)";

// The "advance" key of step 0 is on line 2, column 13.
const char* const kBroken = "{\"name\": \"broken\", \"fixture\": {\"tariffs\": []},\n \"steps\": [{\"advance\": \"soon\"}]}\n";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A scratch folder with a suite/ of scenario files and an out/ for reports, removed at the end.
struct Workspace {
  fs::path path = fs::temp_directory_path() / ("dcisim-cli-test-" + std::to_string(::getpid()));
  fs::path suite = path / "suite";
  fs::path out = path / "out";
  Workspace() {
    fs::remove_all(path);
    fs::create_directories(suite);
  }
  ~Workspace() { fs::remove_all(path); }
  std::string story(const std::string& file, const std::string& name, const std::string& status) {
    return write(file, replace_all(replace_all(kStory, "%NAME%", name), "%STATUS%", status));
  }
  std::string write(const std::string& file, const std::string& text) {
    std::ofstream(suite / file) << text;
    return (suite / file).string();
  }
};

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

// `environment` is put before the command ("GITHUB_ACTIONS=true"); GITHUB_ACTIONS is unset
// otherwise, so that the test reads the same on a GitHub runner.
CommandResult run_dcisim(const std::string& arguments, const std::string& environment = "GITHUB_ACTIONS=") {
  std::string command = "env " + environment + " " + dcisim_binary() + " " + arguments + " 2>&1";
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

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a broken scenario file is a failed test case in every report while the others run (exit 2)",
          "[e2e][cli]") {
  Workspace ws;
  ws.story("ok.json", "passes", "processing");
  std::string broken = ws.write("broken.json", kBroken);
  fs::create_directories(ws.out);
  for (const char* stale : {"junit.xml", "results.json", "report.html"}) std::ofstream(ws.out / stale) << "<stale/>";

  CommandResult run = run_dcisim("run " + ws.suite.string() + " --out " + ws.out.string());
  INFO(run.output);
  CHECK(run.exit_code == 2);
  CHECK(has(run.output, broken + ":2:13: error: /steps/0/advance: expected a duration"));
  CHECK(has(run.output, "dcisim run: 1 scenarios, seed 1, -j 1 (and 1 invalid file)"));
  CHECK(has(run.output, "PASS suite/passes"));
  CHECK(has(run.output, "2 scenarios: 1 passed, 1 failed (1 invalid file)"));

  std::string junit = read_file(ws.out / "junit.xml");
  CHECK_FALSE(has(junit, "<stale/>"));
  CHECK(has(junit, "<testsuites name=\"dcisim\" tests=\"2\" failures=\"0\" errors=\"1\""));
  CHECK(has(junit, "<testcase classname=\"suite\" name=\"broken\""));
  CHECK(has(junit, "<error message=\"" + broken + ":2:13: invalid scenario file: /steps/0/advance: expected a duration"));
  CHECK(has(junit, "&gt; 2 |  &quot;steps&quot;: [{&quot;advance&quot;: &quot;soon&quot;}]}"));

  auto results = reports::read_results_json((ws.out / "results.json").string());
  REQUIRE(results.ok());
  REQUIRE(results->scenarios.size() == 2);
  const reports::ScenarioResult& error = results->scenarios[0];  // file order: broken.json, ok.json
  CHECK(error.name == "broken");
  CHECK(error.outcome == reports::ScenarioOutcome::error);
  REQUIRE(error.failure.has_value());
  CHECK(error.failure->file_error);
  CHECK(error.failure->pointer == "/steps/0/advance");
  CHECK(error.failure->at == common::TextPosition{2, 13});
  CHECK(results->scenarios[1].outcome == reports::ScenarioOutcome::passed);

  std::string html = read_file(ws.out / "report.html");
  CHECK(has(html, "Invalid scenario file"));
  CHECK(has(html, "<code>" + broken + ":2:13</code>"));

  // Nothing selected: exit 3, and the former run's reports are gone, not left for CI to read.
  CommandResult none = run_dcisim("run " + ws.suite.string() + " --out " + ws.out.string() + " --filter no-such-name");
  INFO(none.output);
  CHECK(none.exit_code == 2);  // the broken file is still there
  fs::remove(broken);
  none = run_dcisim("run " + ws.suite.string() + " --out " + ws.out.string() + " --filter no-such-name");
  CHECK(none.exit_code == 3);
  CHECK(has(none.output, "no scenario matches the given --tag/--filter"));
  for (const char* report : {"junit.xml", "results.json", "report.html"}) CHECK_FALSE(fs::exists(ws.out / report));

  // A mistake on the command line leaves no former report behind either.
  std::ofstream(ws.out / "junit.xml") << "<stale/>";
  CHECK(run_dcisim("run " + ws.suite.string() + " --out=" + ws.out.string() + " --bogus").exit_code == 2);
  CHECK_FALSE(fs::exists(ws.out / "junit.xml"));
  std::ofstream(ws.out / "junit.xml") << "<stale/>";
  CHECK(run_dcisim("run " + ws.suite.string() + " --out " + ws.out.string() + " -j 0").exit_code == 2);
  CHECK_FALSE(fs::exists(ws.out / "junit.xml"));
}

TEST_CASE("a failure names file:line:column of the step and of the failing key, and shows the step as written",
          "[e2e][cli]") {
  Workspace ws;
  std::string file = ws.story("wrong.json", "fails", "active");
  CommandResult run = run_dcisim("run " + file + " --out " + ws.out.string());
  INFO(run.output);
  CHECK(run.exit_code == 1);
  CHECK(has(run.output, "FAIL suite/fails: " + file + ":11:17: step 3 (expect {\"service\": \"s1\", \"status\": \"active\"}): "
                        "expect: service s1 status: expected active, found processing (open)"));
  CHECK(has(run.output, "step 3 at " + file + ":10:5: expect {\"service\": \"s1\", \"status\": \"active\"}\n"));
  CHECK(has(run.output, "failing key: /steps/3/expect/status at " + file + ":11:17\n"));
  CHECK(has(run.output, "as written:\n  10 |     {\"expect\": {\"service\": \"s1\",\n"
                        "> 11 |                 \"status\": \"active\"}},\n"));
  CHECK_FALSE(has(run.output, "::error"));

  std::string junit = read_file(ws.out / "junit.xml");
  CHECK(has(junit, "<failure message=\"" + file + ":11:17: step 3 (expect"));
  CHECK(has(junit, "<system-out>file: " + file + ":11:17\nseed: "));
  CHECK(has(read_file(ws.out / "report.html"), "The step as written"));

  CommandResult github = run_dcisim("run " + file + " --out " + ws.out.string(), "GITHUB_ACTIONS=true GITHUB_WORKSPACE=" + ws.path.string());
  INFO(github.output);
  CHECK(has(github.output, "\n::error file=suite/wrong.json,line=11,col=17,title=dcisim suite/fails::step 3 (expect "
                           "{\"service\": \"s1\", \"status\": \"active\"}): expect: service s1 status: expected active, "
                           "found processing (open)%0Areplay: dcisim run " + file + " --seed 1\n"));
}

TEST_CASE("dcisim --version, help <command>, -- and the exit codes of run and inventory check", "[e2e][cli]") {
  Workspace ws;
  std::string file = ws.story("ok.json", "passes", "processing");
  CommandResult version = run_dcisim("--version");
  CHECK(version.exit_code == 0);
  CHECK(version.output.rfind("dcisim ", 0) == 0);
  CHECK(std::count(version.output.begin(), version.output.end(), '\n') == 1);
  CommandResult help = run_dcisim("help run");
  CHECK(help.exit_code == 0);
  CHECK(help.output == run_dcisim("run --help").output);
  CHECK(has(help.output, "4 a report could not be written"));
  CHECK(run_dcisim("help no-such-command").exit_code == 2);

  // `--` ends the options: a PATH after it may start with a dash.
  fs::copy_file(file, ws.suite / "-dash.json");
  CommandResult dashed = run_dcisim("run --out " + ws.out.string() + " --quiet -- " + (ws.suite / "-dash.json").string());
  INFO(dashed.output);
  CHECK(dashed.exit_code == 0);
  fs::path before = fs::current_path();
  fs::current_path(ws.suite);
  CHECK(run_dcisim("run --out " + ws.out.string() + " -- -dash.json").exit_code == 0);
  CHECK(run_dcisim("run --out " + ws.out.string() + " -dash.json").exit_code == 2);  // an unknown option
  fs::current_path(before);
  fs::remove(ws.suite / "-dash.json");

  // A report that cannot be written is not a failed test: exit 4.
  CommandResult unwritable = run_dcisim("run " + file + " --out /proc/self/dcisim-reports");
  INFO(unwritable.output);
  CHECK(unwritable.exit_code == 4);
  CHECK(has(unwritable.output, "dcisim run: cannot write the reports: "));

  // inventory check: a missing file is a usage error like run's (2), an invalid one a failed check (1).
  CHECK(run_dcisim("inventory check " + (ws.path / "missing.json").string()).exit_code == 2);
  ws.write("inventory.json", "{\"locations\": 3}");
  CHECK(run_dcisim("inventory check " + (ws.suite / "inventory.json").string()).exit_code == 1);
  CHECK(run_dcisim("run " + (ws.path / "missing").string() + " --out " + ws.out.string()).exit_code == 2);
}

TEST_CASE("file names match --filter and the replay command keeps --transport and --timeout", "[e2e][cli]") {
  Workspace ws;
  ws.story("order-story.json", "passes", "processing");
  std::string wrong = ws.story("wrong.json", "fails", "active");
  CommandResult by_file = run_dcisim("run " + ws.suite.string() + " --out " + ws.out.string() + " --filter order-story");
  INFO(by_file.output);
  CHECK(by_file.exit_code == 0);
  CHECK(has(by_file.output, "1 scenarios: 1 passed, 0 failed"));

  CommandResult http = run_dcisim("run " + wrong + " --out " + ws.out.string() + " --transport http --timeout 2m");
  INFO(http.output);
  CHECK(http.exit_code == 1);
  std::string replay = "dcisim run " + wrong + " --seed 1 --transport http --timeout 2m";
  CHECK(has(http.output, "replay: " + replay + "\n"));
  auto results = reports::read_results_json((ws.out / "results.json").string());
  REQUIRE(results.ok());
  CHECK(results->scenarios.at(0).replay == replay);
}

TEST_CASE("editors: \"$schema\" is allowed and .jsonc files are scenarios", "[e2e][cli]") {
  Workspace ws;
  std::string text = replace_all(replace_all(kStory, "%NAME%", "commented"), "%STATUS%", "processing");
  text = "// written in an editor that knows the schema\n" +
         replace_all(text, "{\n  \"name\"", "{\n  \"$schema\": \"../schema/scenario.schema.json\", /* for editors */\n  \"name\"");
  ws.write("story.jsonc", text);
  CommandResult run = run_dcisim("run " + ws.suite.string() + " --out " + ws.out.string());
  INFO(run.output);
  CHECK(run.exit_code == 0);
  CHECK(has(run.output, "PASS suite/commented"));

  ws.write("story.jsonc", replace_all(text, "\"../schema/scenario.schema.json\"", "3"));
  CommandResult wrong = run_dcisim("run " + ws.suite.string() + " --out " + ws.out.string());
  CHECK(wrong.exit_code == 2);
  CHECK(has(wrong.output, "story.jsonc:3:3: error: /$schema: expected a string"));
}
