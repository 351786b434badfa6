// `dcisim report merge DIR... [--out DIR]`: one report from the results.json of several runs, e.g.
// the shards of an exploration run by a CI system's own parallelism (GitLab `parallel:`, a GitHub
// Actions matrix, a Kubernetes Indexed Job), or suites run on several machines.
#include <algorithm>
#include <iostream>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/run_reports.h"
#include "common/text.h"
#include "reports/results_json.h"

namespace dcisim::cli {

namespace {

constexpr const char* kUsage =
    "usage: dcisim report merge DIR... [--out DIR] [--junit-flavor strict|extended]\n"
    "Reads DIR/results.json of each run (or a results.json file named directly) and writes one\n"
    "junit.xml, results.json and report.html into --out (default out/): every scenario of every\n"
    "run, in the order given; the first run's seed names the merged run. Two runs holding the same\n"
    "scenario (suite and name) is an error: merge the shards of one run, not one run twice.\n"
    "Exit status: 0 every scenario passed, 1 one failed, 2 usage or unreadable input, 4 a report\n"
    "could not be written.\n";

int usage_error(std::ostream& err, const std::string& message) {
  err << "dcisim report: " << message << " (see dcisim report --help)\n";
  return kExitUsage;
}

}  // namespace

int report_command(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  common::Result<Args> args = Args::parse(words, {{"--out"}, {"--junit-flavor"}, {"--help", false}});
  if (args && args->has("--help")) {
    out << kUsage;
    return kExitOk;
  }
  if (!args) return usage_error(err, args.error().message);
  const std::vector<std::string>& positional = args->positional();
  if (positional.empty() || positional[0] != "merge") return usage_error(err, "expected `merge` and the folders of the runs");
  if (positional.size() < 2) return usage_error(err, "merge needs at least one folder with a results.json");
  ReportOptions options;
  options.out_dir = args->value("--out").value_or("out");
  if (auto flavor = args->value("--junit-flavor")) {
    std::optional<reports::JunitFlavor> parsed = reports::parse_junit_flavor(*flavor);
    if (!parsed) return usage_error(err, "--junit-flavor must be strict or extended, got \"" + common::printable_utf8(*flavor, 40) + "\"");
    options.junit_flavor = *parsed;
  }
  reports::RunResult merged;
  merged.tool_version = version_line();
  std::vector<std::string> seen;
  for (size_t i = 1; i < positional.size(); ++i) {
    std::string path = positional[i];
    if (path.size() < 12 || path.compare(path.size() - 12, 12, "results.json") != 0) path += "/results.json";
    common::Result<reports::RunResult> run = reports::read_results_json(path);
    if (!run) {
      err << "dcisim report: " << run.error().message << "\n";
      return kExitUsage;
    }
    if (i == 1) merged.seed = run->seed;
    merged.wall_us = std::max(merged.wall_us, run->wall_us);  // shards run side by side
    merged.jobs += run->jobs;
    for (reports::ScenarioResult& scenario : run->scenarios) {
      std::string key = scenario.suite + "/" + scenario.name;
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        err << "dcisim report: " << path << ": scenario \"" << key << "\" is in two of the runs merged\n";
        return kExitUsage;
      }
      seen.push_back(key);
      merged.scenarios.push_back(std::move(scenario));
    }
  }
  common::Status removed = remove_former_reports(options.out_dir);
  common::Status written = removed ? write_run_reports(merged, options) : removed;
  out << "dcisim report: merged " << positional.size() - 1 << " runs: " << merged.scenarios.size() << " scenarios, "
      << merged.passed_count() << " passed, " << merged.failed_count() << " failed";
  if (written) out << "; report: " << options.out_dir << "/report.html (also junit.xml, results.json)";
  out << "\n";
  if (!written) {
    err << "dcisim report: cannot write the reports: " << written.error().message << "\n";
    return kExitReportNotWritten;
  }
  return merged.failed_count() == 0 ? kExitOk : kExitFailure;
}

}  // namespace dcisim::cli
