// `dcisim explore`: property-based exploration of the billing core and the emulator (fuzz/explorer.h).
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/run_reports.h"
#include "common/clock.h"
#include "common/planted.h"
#include "common/text.h"
#include "fuzz/explorer.h"
#include "reports/failure_text.h"

namespace dcisim::cli {

namespace {

constexpr const char* kUsage =
    "usage: dcisim explore [--runs N] [--steps M] [--seed S] [--swarm] [--time DURATION] [--out DIR]\n"
    "                      [--shard K/N] [--check-determinism] [--plant NAME] [--list-plants]\n"
    "                      [--transport in-memory|http] [--junit-flavor strict|extended] [--quiet]\n"
    "Generates stories for the billing core and the DCImanager 6 emulator (register, pay, order,\n"
    "suspend, delete, faults, outside events, time passing...), checks every invariant after every\n"
    "step, and shrinks a failing story to the shortest that still fails: it is written to\n"
    "DIR/repro/*.json, which `dcisim run` replays to the same failure. Reports: DIR/junit.xml,\n"
    "results.json, report.html (one test case per failure found).\n"
    "  --runs N             stories to run (default 100), over every shard together\n"
    "  --steps M            commands per story at most (default 30)\n"
    "  --seed S             the exploration seed (default 1); printed, and in every repro\n"
    "  --swarm              each story turns on a random subset of command kinds\n"
    "  --time D             run batches until D has passed (e.g. 10m) instead of --runs\n"
    "  --shard K/N          run the K-th of N shares of the batches (CI parallelism; merge the\n"
    "                       results with dcisim report merge)\n"
    "  --check-determinism  run every story twice and compare journal and database digests\n"
    "  --plant NAME         plant a known bug (builds with -DDCISIM_PLANTED_BUGS=ON)\n"
    "  --list-plants        print the names of the bugs that can be planted, one a line\n"
    "Exit status: 0 nothing found, 1 a failure was found, 2 usage error, 4 a report not written.\n"
    "See docs/EXPLORATION.md.\n";

int usage_error(std::ostream& err, const std::string& message) {
  err << "dcisim explore: " << message << " (see dcisim explore --help)\n";
  return kExitUsage;
}

common::Result<fuzz::ExploreOptions> read_options(const Args& args) {
  fuzz::ExploreOptions options;
  if (auto runs = args.value("--runs")) {
    DCISIM_ASSIGN_OR_RETURN(int64_t n, parse_int_flag("--runs", *runs, 1, fuzz::kMaxRuns));
    options.runs = static_cast<int>(n);
  }
  if (auto steps = args.value("--steps")) {
    DCISIM_ASSIGN_OR_RETURN(int64_t n, parse_int_flag("--steps", *steps, 1, fuzz::kMaxStepsPerRunOption));
    options.max_commands = static_cast<int>(n);
  }
  if (auto seed = args.value("--seed")) {
    DCISIM_ASSIGN_OR_RETURN(int64_t s, parse_int_flag("--seed", *seed, 0, INT64_MAX));
    options.seed = static_cast<uint64_t>(s);
  }
  if (auto time = args.value("--time")) {
    common::Result<common::Duration> d = common::parse_duration(*time);
    if (!d || *d < common::Duration::seconds(1) || *d > common::Duration::days(7)) {
      return common::Error::invalid("--time expects a duration from 1s to 7d such as \"10m\", got \"" +
                                    common::printable_utf8(*time, 40) + "\"");
    }
    options.time_budget = *d;
  }
  if (auto shard = args.value("--shard")) {
    size_t slash = shard->find('/');
    if (slash == std::string::npos) return common::Error::invalid("--shard expects K/N such as 2/4, got \"" + common::printable_utf8(*shard, 40) + "\"");
    DCISIM_ASSIGN_OR_RETURN(int64_t k, parse_int_flag("--shard K", shard->substr(0, slash), 1, 10'000));
    DCISIM_ASSIGN_OR_RETURN(int64_t n, parse_int_flag("--shard N", shard->substr(slash + 1), 1, 10'000));
    if (k > n) return common::Error::invalid("--shard K/N needs K <= N, got " + *shard);
    options.shard = static_cast<int>(k);
    options.shards = static_cast<int>(n);
  }
  options.swarm = args.has("--swarm");
  options.check_determinism = args.has("--check-determinism");
  options.plant = args.value("--plant").value_or("");
  std::string transport = args.value("--transport").value_or("in-memory");
  if (transport == "http") {
    options.transport = scenarios::TransportKind::http;
  } else if (transport != "in-memory") {
    return common::Error::invalid("--transport must be in-memory or http, got \"" + common::printable_utf8(transport, 40) + "\"");
  }
  options.out = args.value("--out").value_or("out");
  DCISIM_RETURN_IF_ERROR(fuzz::check_explore_options(options));
  return options;
}

// The progress line on a terminal, at most a few times a second.
class ExploreProgressLine {
 public:
  ExploreProgressLine(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}
  void update(const fuzz::ExploreProgress& p) {
    if (!terminal_ || (shown_ && stopwatch_.elapsed_us() - last_us_ < 200'000)) return;
    last_us_ = stopwatch_.elapsed_us();
    shown_ = true;
    double seconds = static_cast<double>(p.elapsed_us) / 1e6;
    char line[200];
    std::snprintf(line, sizeof line, "\rexplore: %llu runs, %llu commands (%.0f/s), %zu failures, %.1f s   ",
                  static_cast<unsigned long long>(p.stats.runs), static_cast<unsigned long long>(p.stats.commands),
                  seconds > 0 ? static_cast<double>(p.stats.commands) / seconds : 0.0, p.findings, seconds);
    out_ << line << std::flush;
  }
  void finish() {
    if (shown_) out_ << "\n";
  }

 private:
  std::ostream& out_;
  bool terminal_;
  bool shown_ = false;
  int64_t last_us_ = 0;
  common::Stopwatch stopwatch_;
};

}  // namespace

int explore_command(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  common::Result<Args> args = Args::parse(words, {{"--runs"}, {"--steps"}, {"--seed"}, {"--swarm", false}, {"--time"},
                                                  {"--out"}, {"--shard"}, {"--check-determinism", false}, {"--plant"},
                                                  {"--list-plants", false}, {"--transport"}, {"--junit-flavor"},
                                                  {"--quiet", false}, {"--help", false}});
  if (args && args->has("--help")) {
    out << kUsage;
    return kExitOk;
  }
  if (args && args->has("--list-plants")) {
    for (const std::string& name : common::planted_bug_names()) out << name << "\n";
    if (!common::kPlantedBugsBuilt) err << "dcisim explore: (this build plants none: configure with -DDCISIM_PLANTED_BUGS=ON)\n";
    return kExitOk;
  }
  std::string named_out = args ? args->value("--out").value_or("out") : out_dir_in(words);
  common::Status removed = named_out.empty() ? common::Status::success() : remove_former_reports(named_out);
  if (!args) return usage_error(err, args.error().message);
  if (!args->positional().empty()) return usage_error(err, "unexpected argument \"" + common::printable_utf8(args->positional()[0], 60) + "\"");
  common::Result<fuzz::ExploreOptions> options = read_options(*args);
  if (!options) return usage_error(err, options.error().message);
  ReportOptions report_options;
  report_options.out_dir = options->out.string();
  if (auto flavor = args->value("--junit-flavor")) {
    std::optional<reports::JunitFlavor> parsed = reports::parse_junit_flavor(*flavor);
    if (!parsed) return usage_error(err, "--junit-flavor must be strict or extended, got \"" + common::printable_utf8(*flavor, 40) + "\"");
    report_options.junit_flavor = *parsed;
  }
  if (!removed) {
    err << "dcisim explore: " << removed.error().message << "\n";
    return kExitReportNotWritten;
  }
  bool quiet = args->has("--quiet");
  out << "dcisim explore: seed " << options->seed << ", "
      << (options->time_budget > common::Duration() ? "for " + common::format_duration(options->time_budget)
                                                    : std::to_string(options->runs) + " runs")
      << " of at most " << options->max_commands << " commands, shard " << options->shard << "/" << options->shards
      << (options->swarm ? ", swarm" : "") << (options->check_determinism ? ", each run twice" : "")
      << (options->plant.empty() ? "" : ", planted bug " + options->plant) << "\n";
  out.flush();
  bool terminal = &out == &std::cout && ::isatty(STDOUT_FILENO) && !quiet;
  ExploreProgressLine progress(out, terminal);
  fuzz::ExploreResult result = fuzz::explore(*options, [&](const fuzz::ExploreProgress& p) { progress.update(p); });
  progress.finish();
  reports::RunResult run = fuzz::explore_run_result(*options, result);
  run.tool_version = version_line();
  for (const fuzz::Found& found : result.found) {
    out << "\nFOUND: " << found.finding.message << "\n  shrunk to " << found.finding.commands << " commands: "
        << found.repro_file << (found.replay_matches ? " (replays to the same failure)" : " (its replay DIFFERS)") << "\n";
    if (!quiet) out << reports::failure_details(found.replay, run.seed, 10);
  }
  common::Status written = write_run_reports(run, report_options);
  double seconds = static_cast<double>(result.wall_us) / 1e6;
  char summary[256];
  std::snprintf(summary, sizeof summary, "dcisim explore: %llu runs, %llu commands (%.0f commands/s), %zu failures; seed %llu; %.2f s",
                static_cast<unsigned long long>(result.stats.runs), static_cast<unsigned long long>(result.stats.commands),
                seconds > 0 ? static_cast<double>(result.stats.commands) / seconds : 0.0, result.found.size(),
                static_cast<unsigned long long>(options->seed), seconds);
  out << summary;
  if (written) out << "; report: " << report_options.out_dir << "/report.html";
  out << "\n";
  if (!written) {
    err << "dcisim explore: cannot write the reports: " << written.error().message << "\n";
    return kExitReportNotWritten;
  }
  return result.found.empty() ? kExitOk : kExitFailure;
}

}  // namespace dcisim::cli
