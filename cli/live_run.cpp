// `dcisim run --target live`: the scenario suite's `live-safe` scenarios against a real DCImanager
// 6, the same billing core and module, behind certify's safety net (certify/live_target.h).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "certify/live_target.h"
#include "cli/command.h"
#include "cli/live_flags.h"
#include "cli/run_progress.h"
#include "cli/run_reports.h"
#include "reports/failure_text.h"
#include "scenarios/suite_runner.h"

namespace dcisim::cli {

namespace {

constexpr const char* kUsage =
    "usage: dcisim run [PATH...] --target live --endpoint URL --email E (--password-env VAR | --password-file F)\n"
    "                  [--ca FILE | --insecure] [--routes FILE] [--location NAME] [--allow-server ID ...]\n"
    "                  [--timeout-op 90m] [--tag T] [--filter NAME] [--seed S] [--out DIR] [--timeout D] [--quiet]\n"
    "                  [--junit-flavor strict|extended]\n"
    "Runs the scenarios tagged live-safe against a live DCImanager 6 (the others are skipped, with the\n"
    "reason in every report). The billing clock stays virtual; DCImanager's operations run for real and\n"
    "are awaited in real time (--timeout-op each). Only servers named by --allow-server are seen and may\n"
    "be issued; every change is written to the teardown ledger (DIR/ledger.jsonl) before it is sent and\n"
    "undone after each scenario, also on a failure and on Ctrl-C; after a crash, undo it with\n"
    "dcisim certify --cleanup DIR/ledger.jsonl. Tariffs sell the allowed servers in --location (default:\n"
    "theirs). Scenarios run one at a time. See docs/CERTIFICATION.md.\n"
    "Exit status: 0 all run scenarios passed (skips allowed), 1 a scenario failed, the run was interrupted\n"
    "or its teardown left something, 2 usage or scenario-file error, 3 no scenario matched --tag/--filter,\n"
    "4 a report could not be written.\n";

int usage_error(std::ostream& err, const std::string& message) {
  err << "dcisim run: " << message << " (see dcisim run --target live --help)\n";
  return kExitUsage;
}

std::string default_suite() {
  if (std::filesystem::is_directory("scenarios/suite")) return "scenarios/suite";
  return std::string(DCISIM_SOURCE_DIR) + "/scenarios/suite";
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

common::Result<scenarios::SuiteOptions> suite_options(const Args& args) {
  scenarios::SuiteOptions options;
  options.paths = args.positional();
  if (options.paths.empty()) options.paths.push_back(default_suite());
  if (auto tags = args.value("--tag")) options.tags = split_commas(*tags);
  options.filter = args.value("--filter").value_or("");
  if (auto jobs = args.value("-j")) {
    if (*jobs != "1") return common::Error::invalid("-j: the live target runs one scenario at a time (the allowed servers are shared)");
  }
  if (auto seed = args.value("--seed")) {
    DCISIM_ASSIGN_OR_RETURN(int64_t s, parse_int_flag("--seed", *seed, 0, INT64_MAX));
    options.seed = static_cast<uint64_t>(s);
  }
  options.scenario.wall_timeout = common::Duration::hours(24);  // live operations take real time
  if (auto timeout = args.value("--timeout")) {
    common::Result<common::Duration> d = common::parse_duration(*timeout);
    if (!d || *d < common::Duration::seconds(1) || *d > common::Duration::days(1)) {
      return common::Error::invalid("--timeout expects a duration from 1s to 1d, got \"" + *timeout + "\"");
    }
    options.scenario.wall_timeout = *d;
  }
  return options;
}

}  // namespace

bool wants_target(const std::vector<std::string>& words) {
  for (const std::string& word : words) {
    if (word == "--target" || word.rfind("--target=", 0) == 0) return true;
  }
  return false;
}

int run_live_command(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (common::Status refused = refuse_credential_flags(words); !refused) return usage_error(err, refused.error().message);
  std::vector<FlagSpec> flags = endpoint_flags();
  for (FlagSpec flag : std::vector<FlagSpec>{{"--target"}, {"--location"}, {"--allow-server", true, true}, {"--timeout-op"},
                                             {"--tag"}, {"--filter"}, {"-j"}, {"--seed"}, {"--out"}, {"--timeout"},
                                             {"--quiet", false}, {"--help", false}, {"--junit-flavor"}}) {
    flags.push_back(flag);
  }
  common::Result<Args> args = Args::parse(words, flags);
  if (!args) return usage_error(err, args.error().message);
  if (args->has("--help")) {
    out << kUsage;
    return kExitOk;
  }
  std::string target = args->value("--target").value_or("");
  if (target == "emulator") {  // the default target, named: the ordinary run
    std::vector<std::string> rest;
    for (size_t i = 0; i < words.size(); ++i) {
      if (words[i] == "--target") {
        ++i;
      } else if (words[i].rfind("--target=", 0) != 0) {
        rest.push_back(words[i]);
      }
    }
    return run_command(rest, out, err);
  }
  if (target != "live") return usage_error(err, "--target expects live or emulator, got \"" + target + "\"");
  common::Result<certify::EndpointOptions> endpoint = read_endpoint(*args, true);
  if (!endpoint) return usage_error(err, endpoint.error().message);
  common::Result<std::vector<int64_t>> allowed = read_allowed_servers(*args);
  if (!allowed) return usage_error(err, allowed.error().message);
  common::Result<common::Duration> timeout_op = read_timeout_op(*args);
  if (!timeout_op) return usage_error(err, timeout_op.error().message);
  common::Result<scenarios::SuiteOptions> options = suite_options(*args);
  if (!options) return usage_error(err, options.error().message);
  ReportOptions report_options;
  report_options.out_dir = args->value("--out").value_or("out");
  std::string flavor = args->value("--junit-flavor").value_or("strict");
  if (flavor != "strict" && flavor != "extended") return usage_error(err, "--junit-flavor expects strict or extended, got \"" + flavor + "\"");
  if (flavor == "extended") report_options.junit_flavor = reports::JunitFlavor::extended;
  const std::string& out_dir = report_options.out_dir;
  bool quiet = args->has("--quiet");
  options->exclude_dirs.push_back(out_dir);
  // CI must never read a former run's green junit.xml (the ledger stays: it is not a report).
  if (common::Status removed = remove_former_reports(out_dir); !removed) {
    err << "dcisim run: " << removed.error().message << "\n";
    return kExitReportNotWritten;
  }

  common::Result<std::vector<scenarios::PreparedScenario>> prepared = scenarios::prepare_suite(*options);
  if (!prepared) {
    err << prepared.error().message << "\n";
    return kExitUsage;
  }
  if (prepared->empty()) {
    err << "dcisim run: no scenario matches the given --tag/--filter (see dcisim run --target live --help)\n";
    return kExitNothingSelected;
  }

  certify::StopSignal stop;
  std::string ledger_path = out_dir + "/ledger.jsonl";
  std::string password_source = args->has("--password-env") ? "--password-env " + *args->value("--password-env")
                                                            : "--password-file " + *args->value("--password-file");
  std::string undo = "dcisim certify --cleanup " + ledger_path + " " + password_source;
  certify::SignalStop signals(stop, "Undo what was changed with: " + undo);
  bool terminal = &out == &std::cout && ::isatty(STDOUT_FILENO) && !quiet;
  certify::LiveTargetOptions live;
  live.endpoint = *endpoint;
  live.allowed_servers = *allowed;
  live.location = args->value("--location").value_or("");
  live.timeout_op = *timeout_op;
  live.ledger_path = ledger_path;
  live.seed = options->seed;
  live.stop = &stop;
  live.waiting = [&out, terminal](const std::string& text) {
    if (!terminal) return;
    out << "\r\033[2K";
    if (!text.empty()) out << "dcisim run: waiting for DCImanager: " << text;
    out.flush();
  };
  live.undone = [&out, quiet, terminal](const std::string& action) {
    if (quiet) return;
    if (terminal) out << "\r\033[2K";
    out << "undone: " << action << "\n" << std::flush;
  };
  common::Result<std::unique_ptr<certify::LiveTarget>> opened = certify::LiveTarget::open(live);
  if (!opened) {
    err << "dcisim run: " << opened.error().message << "\n";
    return kExitFailure;
  }
  certify::LiveTarget& live_target = **opened;
  options->scenario.world.target = &live_target;
  options->jobs = 1;

  out << "dcisim run: " << prepared->size() << " scenarios against " << live_target.describe() << ", seed "
      << options->seed << "\n";
  out << "dcisim run: if this run is killed, undo what it changed with: " << undo << "\n";
  out.flush();
  common::RealClock wall_clock;
  RunProgress progress(out, prepared->size(), terminal, quiet, wall_clock);
  reports::RunResult run = scenarios::run_suite(*prepared, *options, &progress);
  run.tool_version = version_line();
  progress.finish();
  common::Status undone = live_target.teardown();  // the last word: nothing may stay behind

  for (const reports::ScenarioResult& scenario : run.scenarios) {
    if (scenario.outcome == reports::ScenarioOutcome::failed || scenario.outcome == reports::ScenarioOutcome::error) {
      out << "\n" << reports::failure_details(scenario, run.seed, 10);
    }
  }
  std::filesystem::create_directories(out_dir);
  common::Status written = write_run_reports(run, report_options);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", static_cast<double>(run.wall_us) / 1e6);
  out << "dcisim run: " << run.scenarios.size() << " scenarios: " << run.passed_count() << " passed, " << run.failed_count()
      << " failed, " << run.skipped_count() << " skipped; seed " << run.seed << "; " << seconds << " s";
  if (stop.requested()) out << "; " << stop.why();
  if (written) out << "; report: " << out_dir << "/report.html (also junit.xml, results.json)";
  out << "\n";
  if (!undone) err << "dcisim run: " << undone.error().message << "\n";
  if (!written) err << "dcisim run: cannot write the reports: " << written.error().message << "\n";
  if (!written) return kExitReportNotWritten;
  bool ok = run.failed_count() == 0 && undone.ok() && !stop.requested();
  return ok ? kExitOk : kExitFailure;
}

}  // namespace dcisim::cli
