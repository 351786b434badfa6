// `dcisim run`: runs scenario files and writes junit.xml, results.json and report.html.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/run_progress.h"
#include "common/text.h"
#include "reports/failure_text.h"
#include "reports/html.h"
#include "reports/junit.h"
#include "reports/results_json.h"
#include "scenarios/suite_runner.h"

namespace dcisim::cli {

namespace {

constexpr const char* kUsage =
    "usage: dcisim run [PATH...] [--tag T[,T...]] [--filter NAME] [-j N] [--seed S] [--out DIR]\n"
    "                  [--transport in-memory|http] [--timeout DURATION] [--quiet]\n"
    "       dcisim run [PATH...] --target live --endpoint URL ... (see dcisim run --target live --help)\n"
    "Runs scenario files (PATH: files or folders of *.json; default scenarios/suite) and writes\n"
    "DIR/junit.xml, DIR/results.json and DIR/report.html (DIR default out/).\n"
    "  --tag T        only scenarios with one of these tags\n"
    "  --filter NAME  only scenarios whose name contains NAME\n"
    "  -j N           run N scenarios at a time (1..64, default 1); results do not depend on N\n"
    "  --seed S       the run seed (default 1); each scenario's seed derives from it and its name\n"
    "  --transport    how billing reaches the emulator: in-memory (default) or http (loopback)\n"
    "  --timeout D    wall-time bound per scenario (default 5m, e.g. 60s); a scenario past it\n"
    "                 stops and fails saying at which step and virtual time it was\n"
    "  --quiet        print only failures and the summary\n"
    "Exit status: 0 all passed, 1 a scenario failed, 2 usage or scenario-file errors.\n"
    "The format is documented in docs/SCENARIOS.md.\n";

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string default_suite() {
  if (std::filesystem::is_directory("scenarios/suite")) return "scenarios/suite";
  return std::string(DCISIM_SOURCE_DIR) + "/scenarios/suite";
}

int usage_error(std::ostream& err, const std::string& message) {
  err << "dcisim run: " << message << " (see dcisim run --help)\n";
  return kExitUsage;
}

common::Result<scenarios::SuiteOptions> read_options(const Args& args) {
  scenarios::SuiteOptions options;
  options.paths = args.positional();
  if (options.paths.empty()) options.paths.push_back(default_suite());
  if (auto tags = args.value("--tag")) options.tags = split_commas(*tags);
  options.filter = args.value("--filter").value_or("");
  if (auto jobs = args.value("-j")) {
    DCISIM_ASSIGN_OR_RETURN(int64_t n, parse_int_flag("-j", *jobs, 1, 64));
    options.jobs = static_cast<int>(n);
  }
  if (auto seed = args.value("--seed")) {
    DCISIM_ASSIGN_OR_RETURN(int64_t s, parse_int_flag("--seed", *seed, 0, INT64_MAX));
    options.seed = static_cast<uint64_t>(s);
  }
  if (auto timeout = args.value("--timeout")) {
    common::Result<common::Duration> d = common::parse_duration(*timeout);
    if (!d || *d < common::Duration::seconds(1) || *d > common::Duration::days(1)) {
      return common::Error::invalid("--timeout expects a duration from 1s to 1d such as \"60s\" or \"10m\", got \"" +
                                    common::printable_utf8(*timeout, 40) + "\"");
    }
    options.scenario.wall_timeout = *d;
  }
  std::string transport = args.value("--transport").value_or("in-memory");
  if (transport == "http") {
    options.scenario.world.transport = scenarios::TransportKind::http;
  } else if (transport != "in-memory") {
    return common::Error::invalid("--transport must be in-memory or http, got \"" + transport + "\"");
  }
  return options;
}

common::Status write_reports(const reports::RunResult& run, const std::string& out_dir) {
  DCISIM_RETURN_IF_ERROR(reports::write_junit_xml(run, out_dir + "/junit.xml"));
  DCISIM_RETURN_IF_ERROR(reports::write_results_json(run, out_dir + "/results.json"));
  return reports::write_html_report(run, out_dir + "/report.html");
}

}  // namespace

int run_command(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (wants_target(words)) return run_live_command(words, out, err);  // cli/live_run.cpp
  common::Result<Args> args = Args::parse(words, {{"--tag"}, {"--filter"}, {"-j"}, {"--seed"}, {"--out"},
                                                  {"--transport"}, {"--timeout"}, {"--quiet", false}, {"--help", false}});
  if (!args) return usage_error(err, args.error().message);
  if (args->has("--help")) {
    out << kUsage;
    return kExitOk;
  }
  common::Result<scenarios::SuiteOptions> options = read_options(*args);
  if (!options) return usage_error(err, options.error().message);
  std::string out_dir = args->value("--out").value_or("out");
  bool quiet = args->has("--quiet");
  options->exclude_dirs.push_back(out_dir);  // a report folder inside PATH holds results.json

  common::Result<std::vector<scenarios::PreparedScenario>> prepared = scenarios::prepare_suite(*options);
  if (!prepared) {
    err << prepared.error().message << "\n";
    return kExitUsage;
  }
  if (prepared->empty()) return usage_error(err, "no scenario matches the given --tag/--filter");

  out << "dcisim run: " << prepared->size() << " scenarios, seed " << options->seed << ", -j " << options->jobs << "\n";
  out.flush();
  common::RealClock wall_clock;  // progress display only
  bool terminal = &out == &std::cout && ::isatty(STDOUT_FILENO) && !quiet;
  RunProgress progress(out, prepared->size(), terminal, quiet, wall_clock);
  reports::RunResult run = scenarios::run_suite(*prepared, *options, &progress);
  progress.finish();

  for (const reports::ScenarioResult& scenario : run.scenarios) {
    if (scenario.outcome != reports::ScenarioOutcome::passed) out << "\n" << reports::failure_details(scenario, run.seed, 10);
  }
  common::Status written = write_reports(run, out_dir);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", static_cast<double>(run.wall_us) / 1e6);
  out << "dcisim run: " << run.scenarios.size() << " scenarios: " << run.passed_count() << " passed, "
      << run.failed_count() << " failed; seed " << run.seed << "; " << seconds << " s";
  if (written) out << "; report: " << out_dir << "/report.html (also junit.xml, results.json)";
  out << "\n";
  if (!written) {
    err << "dcisim run: cannot write the reports: " << written.error().message << "\n";
    return kExitFailure;
  }
  return run.failed_count() == 0 ? kExitOk : kExitFailure;
}

}  // namespace dcisim::cli
