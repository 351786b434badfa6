// `dcisim run`: runs scenario files and writes junit.xml, results.json and report.html.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/run_progress.h"
#include "cli/run_reports.h"
#include "common/text.h"
#include "fuzz/explorer.h"
#include "reports/failure_text.h"
#include "reports/github_annotations.h"
#include "scenarios/suite_runner.h"

namespace dcisim::cli {

namespace {

constexpr const char* kUsage =
    "usage: dcisim run [PATH...] [--tag T[,T...]] [--filter NAME] [-j N] [--seed S] [--out DIR]\n"
    "                  [--transport in-memory|http] [--timeout DURATION] [--quiet]\n"
    "                  [--junit-flavor strict|extended] [--] [PATH...]\n"
    "       dcisim run [PATH...] --target live --endpoint URL ... (see dcisim run --target live --help)\n"
    "Runs scenario files (PATH: files or folders of *.json and *.jsonc; default scenarios/suite) and\n"
    "writes DIR/junit.xml, DIR/results.json and DIR/report.html (DIR default out/; reports a former\n"
    "run left there are removed first). A file with a mistake does not stop the others: it is\n"
    "reported (file:line:column: error: ...) and is a failed test case in every report.\n"
    "  --tag T        only scenarios with one of these tags\n"
    "  --filter NAME  only scenarios whose name or file name contains NAME\n"
    "  -j N           run N scenarios at a time (1..64, default 1); results do not depend on N\n"
    "  --seed S       the run seed (default 1); each scenario's seed derives from it and its name\n"
    "  --transport    how billing reaches the emulator: in-memory (default) or http (loopback)\n"
    "  --timeout D    wall-time bound per scenario (default 5m, e.g. 60s); a scenario past it\n"
    "                 stops and fails saying at which step and virtual time it was\n"
    "  --quiet        print only failures and the summary\n"
    "  --plant NAME   plant a known bug (builds with -DDCISIM_PLANTED_BUGS=ON; dcisim explore\n"
    "                 --list-plants names them): replays an exploration's repro with it\n"
    "  --junit-flavor strict (default: valid against the JUnit XSD of Jenkins' xunit plugin) or\n"
    "                 extended (adds testcase file, line and properties for GitLab and GitHub readers)\n"
    "  --             ends the options: every word after it is a PATH\n"
    "With GITHUB_ACTIONS=true each failure is also printed as a GitHub annotation (::error file=...).\n"
    "Exit status: 0 all passed, 1 a scenario failed, 2 usage or scenario-file errors (the other\n"
    "scenarios still ran), 3 no scenario matched --tag/--filter, 4 a report could not be written.\n"
    "The format is documented in docs/SCENARIOS.md, the reports in docs/REPORTS.md.\n";

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
  if (auto plant = args.value("--plant")) {
    fuzz::ExploreOptions check;  // the same names and the same refusal as dcisim explore --plant
    check.plant = *plant;
    DCISIM_RETURN_IF_ERROR(fuzz::check_explore_options(check));
    options.scenario.world.planted_bug = *plant;
  }
  return options;
}

common::Result<ReportOptions> read_report_options(const Args& args) {
  ReportOptions options;
  options.out_dir = args.value("--out").value_or("out");
  if (options.out_dir.empty()) return common::Error::invalid("--out expects a folder");
  std::string flavor = args.value("--junit-flavor").value_or("strict");
  std::optional<reports::JunitFlavor> parsed = reports::parse_junit_flavor(flavor);
  if (!parsed) return common::Error::invalid("--junit-flavor must be strict or extended, got \"" + common::printable_utf8(flavor, 40) + "\"");
  options.junit_flavor = *parsed;
  return options;
}

// Compiler-style lines for files that cannot run, which editors and terminals link to the place.
void print_file_problems(const std::vector<scenarios::FileProblem>& problems, std::ostream& err) {
  for (const scenarios::FileProblem& problem : problems) {
    std::string line = scenarios::problem_line(problem);
    size_t at = problem.at.known() ? line.find(": ", problem.file.size()) : std::string::npos;
    if (at != std::string::npos) line.insert(at + 2, "error: ");
    err << line << "\n";
  }
}

// The one place `dcisim run`'s outcome becomes an exit status (see command.h).
int exit_status(const reports::RunResult& run, size_t file_problems, bool reports_written) {
  if (!reports_written) return kExitReportNotWritten;
  if (file_problems > 0) return kExitUsage;
  return run.failed_count() == 0 ? kExitOk : kExitFailure;
}

}  // namespace

int run_command(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (wants_target(words)) return run_live_command(words, out, err);  // cli/live_run.cpp
  common::Result<Args> args = Args::parse(words, {{"--tag"}, {"--filter"}, {"-j"}, {"--seed"}, {"--out"},
                                                  {"--transport"}, {"--timeout"}, {"--quiet", false}, {"--help", false},
                                                  {"--junit-flavor"}, {"--plant"}});
  if (args && args->has("--help")) {
    out << kUsage;
    return kExitOk;
  }
  // Every way out from here leaves no report of a former run in --out, a mistake on the command
  // line included: CI must never read an old green junit.xml.
  std::string named_out = args ? args->value("--out").value_or("out") : out_dir_in(words);
  common::Status removed = named_out.empty() ? common::Status::success() : remove_former_reports(named_out);
  if (!args) return usage_error(err, args.error().message);
  common::Result<scenarios::SuiteOptions> options = read_options(*args);
  if (!options) return usage_error(err, options.error().message);
  common::Result<ReportOptions> report_options = read_report_options(*args);
  if (!report_options) return usage_error(err, report_options.error().message);
  const std::string& out_dir = report_options->out_dir;
  bool quiet = args->has("--quiet");
  options->exclude_dirs.push_back(out_dir);  // a report folder inside PATH holds results.json
  if (!removed) {
    err << "dcisim run: " << removed.error().message << "\n";
    return kExitReportNotWritten;
  }

  common::Result<scenarios::SuitePreparation> prepared = scenarios::prepare_suite_files(*options);
  if (!prepared) {
    err << prepared.error().message << "\n";
    return kExitUsage;
  }
  const std::vector<scenarios::FileProblem>& problems = prepared->problems;
  print_file_problems(problems, err);
  if (prepared->scenarios.empty() && problems.empty()) {
    err << "dcisim run: no scenario matches the given --tag/--filter (see dcisim run --help)\n";
    return kExitNothingSelected;
  }

  out << "dcisim run: " << prepared->scenarios.size() << " scenarios, seed " << options->seed << ", -j " << options->jobs;
  if (!problems.empty()) out << " (and " << problems.size() << " invalid " << (problems.size() == 1 ? "file" : "files") << ")";
  out << "\n";
  out.flush();
  common::RealClock wall_clock;  // progress display only
  bool terminal = &out == &std::cout && ::isatty(STDOUT_FILENO) && !quiet;
  RunProgress progress(out, prepared->scenarios.size(), terminal, quiet, wall_clock);
  reports::RunResult run = scenarios::run_prepared_suite(*prepared, *options, &progress);
  run.tool_version = version_line();
  progress.finish();

  for (const reports::ScenarioResult& scenario : run.scenarios) {
    if (scenario.outcome != reports::ScenarioOutcome::passed) out << "\n" << reports::failure_details(scenario, run.seed, 10);
  }
  if (const char* github = std::getenv("GITHUB_ACTIONS"); github != nullptr && std::string(github) == "true") {
    const char* workspace = std::getenv("GITHUB_WORKSPACE");
    out << reports::github_annotations(run, workspace == nullptr ? "" : workspace);
  }
  common::Status written = write_run_reports(run, *report_options);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", static_cast<double>(run.wall_us) / 1e6);
  out << "dcisim run: " << run.scenarios.size() << " scenarios: " << run.passed_count() << " passed, "
      << run.failed_count() << " failed";
  if (!problems.empty()) out << " (" << problems.size() << " invalid " << (problems.size() == 1 ? "file" : "files") << ")";
  out << "; seed " << run.seed << "; " << seconds << " s";
  if (written) out << "; report: " << out_dir << "/report.html (also junit.xml, results.json)";
  out << "\n";
  if (!written) err << "dcisim run: cannot write the reports: " << written.error().message << "\n";
  return exit_status(run, problems.size(), written.ok());
}

}  // namespace dcisim::cli
