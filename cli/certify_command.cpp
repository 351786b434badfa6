// `dcisim certify`: certifies a DCImanager 6 endpoint for the billing core (docs/CERTIFICATION.md).
// Read-only by default; --allow-server runs the destructive cycle on the named servers; --compare
// diffs the endpoint against the embedded emulator; --export-inventory writes the endpoint as an
// emulator inventory; --cleanup undoes a ledger left by a run that did not finish.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "certify/certify.h"
#include "certify/report.h"
#include "cli/command.h"
#include "cli/live_flags.h"

namespace dcisim::cli {

namespace {

constexpr const char* kUsage =
    "usage: dcisim certify --endpoint URL --email E (--password-env VAR | --password-file FILE)\n"
    "                      [--ca FILE | --insecure] [--routes FILE] [--allow-server ID ...]\n"
    "                      [--compare [--inventory FILE]] [--out DIR] [--ledger FILE] [--seed S]\n"
    "                      [--samples N] [--timeout-op D] [--quiet]\n"
    "       dcisim certify --export-inventory FILE --endpoint URL --email E --password-env VAR [...]\n"
    "       dcisim certify --cleanup LEDGER --password-env VAR [--endpoint URL] [--ca FILE | --insecure]\n"
    "Certifies that the billing core's DCImanager 6 module works against this endpoint. Read-only by\n"
    "default: login, sessions, every list and where query the module sends, the catalog, IP pools and\n"
    "the pool order, every route of the module's table, the fields the module reads, latencies.\n"
    "  --allow-server ID  also run the destructive cycle on this free server (issue, addresses, OS\n"
    "                     install, suspend, resume, power, release), every change written first to\n"
    "                     the teardown ledger and undone at the end (repeat the flag, or 5,7)\n"
    "  --compare          also run the probes against the embedded emulator (inventory from\n"
    "                     --inventory FILE, or read from the endpoint now) and list the differences\n"
    "  --routes FILE      route overrides {\"server.issue\": \"POST /api/dci/v3/server/{id}/assign\"}\n"
    "  --out DIR          junit.xml, results.json, report.html (default out/certify)\n"
    "  --ledger FILE      the teardown ledger (default DIR/ledger.jsonl)\n"
    "  --timeout-op D     real time an operation may take (default 90m)\n"
    "  --samples N        each read-only GET N times for latency p50/p95 (1..100, default 5)\n"
    "  --export-inventory FILE  write the endpoint as an emulator inventory and stop\n"
    "  --cleanup LEDGER   undo what LEDGER says a run changed (also after a crash) and stop\n"
    "The password comes from an environment variable or a file, never from a flag.\n"
    "Exit status: 0 certified (or cleaned up), 1 a check failed (or something is left), 2 usage error,\n"
    "4 a report could not be written.\n";

int usage_error(std::ostream& err, const std::string& message) {
  err << "dcisim certify: " << message << " (see dcisim certify --help)\n";
  return kExitUsage;
}

const char* tag_of(certify::CheckOutcome outcome) {
  switch (outcome) {
    case certify::CheckOutcome::pass: return "PASS";
    case certify::CheckOutcome::fail: return "FAIL";
    case certify::CheckOutcome::skip: return "SKIP";
  }
  return "?";
}

// Lines as checks end; on a terminal the waiting line is redrawn in place.
class CertifyProgress {
 public:
  CertifyProgress(std::ostream& out, bool terminal, bool quiet) : out_(out), terminal_(terminal), quiet_(quiet) {}
  void check(const certify::Check& c) {
    clear();
    if (c.outcome == certify::CheckOutcome::fail || !quiet_) {
      out_ << tag_of(c.outcome) << " " << c.group << ": " << c.name;
      if (c.outcome != certify::CheckOutcome::pass && !c.message.empty()) out_ << ": " << c.message;
      out_ << "\n";
    }
    out_.flush();
  }
  void waiting(const std::string& text) {
    if (!terminal_) return;
    clear();
    if (!text.empty()) out_ << "dcisim certify: waiting: " << text;
    drawn_ = !text.empty();
    out_.flush();
  }

 private:
  void clear() {
    if (terminal_ && drawn_) out_ << "\r\033[2K";
    drawn_ = false;
  }
  std::ostream& out_;
  bool terminal_;
  bool quiet_;
  bool drawn_ = false;
};

int cleanup(const Args& args, std::ostream& out, std::ostream& err) {
  common::Result<certify::EndpointOptions> endpoint = read_endpoint(args, false);
  if (!endpoint) return usage_error(err, endpoint.error().message);
  common::Result<common::Duration> timeout = read_timeout_op(args);
  if (!timeout) return usage_error(err, timeout.error().message);
  std::string ledger = *args.value("--cleanup");
  certify::CleanupOptions options;
  options.timeout = *timeout;
  options.on_action = [&out](const std::string& action) { out << "undone: " << action << "\n" << std::flush; };
  common::Result<certify::CleanupReport> report = certify::run_cleanup(ledger, *endpoint, options);
  if (!report) {
    err << "dcisim certify: --cleanup " << ledger << ": " << report.error().message << "\n";
    return kExitFailure;
  }
  for (const std::string& problem : report->problems) out << "left: " << problem << "\n";
  out << "dcisim certify: cleanup of " << ledger << ": " << report->actions.size() << " things undone, "
      << (report->ok() ? "nothing left" : std::to_string(report->problems.size()) + " left (see above)") << "\n";
  return report->ok() ? kExitOk : kExitFailure;
}

int export_inventory(const Args& args, const certify::EndpointOptions& endpoint, uint64_t seed, std::ostream& out,
                     std::ostream& err) {
  std::string path = *args.value("--export-inventory");
  common::Result<certify::ExportOutcome> exported = certify::run_export(endpoint, path, seed);
  if (!exported) {
    err << "dcisim certify: --export-inventory " << path << ": " << exported.error().message << "\n";
    return kExitFailure;
  }
  for (const std::string& note : exported->notes) out << "note: " << note << "\n";
  out << "dcisim certify: wrote " << path << " (" << exported->servers << " servers); serve it with dcisim serve --inventory "
      << path << "\n";
  return kExitOk;
}

}  // namespace

int certify_command(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (common::Status refused = refuse_credential_flags(words); !refused) return usage_error(err, refused.error().message);
  std::vector<FlagSpec> flags = endpoint_flags();
  for (FlagSpec flag : std::vector<FlagSpec>{{"--allow-server", true, true}, {"--compare", false}, {"--inventory"}, {"--out"},
                                             {"--ledger"}, {"--seed"}, {"--samples"}, {"--timeout-op"}, {"--quiet", false},
                                             {"--export-inventory"}, {"--cleanup"}, {"--help", false}}) {
    flags.push_back(flag);
  }
  common::Result<Args> args = Args::parse(words, flags);
  if (!args) return usage_error(err, args.error().message);
  if (args->has("--help")) {
    out << kUsage;
    return kExitOk;
  }
  if (!args->positional().empty()) return usage_error(err, "unexpected argument \"" + args->positional()[0] + "\"");
  if (args->has("--cleanup")) return cleanup(*args, out, err);
  common::Result<certify::EndpointOptions> endpoint = read_endpoint(*args, true);
  if (!endpoint) return usage_error(err, endpoint.error().message);
  certify::CertifyOptions options;
  options.endpoint = *endpoint;
  if (auto seed = args->value("--seed")) {
    common::Result<int64_t> s = parse_int_flag("--seed", *seed, 0, INT64_MAX);
    if (!s) return usage_error(err, s.error().message);
    options.seed = static_cast<uint64_t>(*s);
  }
  if (args->has("--export-inventory")) return export_inventory(*args, options.endpoint, options.seed, out, err);
  common::Result<std::vector<int64_t>> allowed = read_allowed_servers(*args);
  if (!allowed) return usage_error(err, allowed.error().message);
  options.allowed_servers = *allowed;
  common::Result<common::Duration> timeout = read_timeout_op(*args);
  if (!timeout) return usage_error(err, timeout.error().message);
  options.timeout_op = *timeout;
  if (auto samples = args->value("--samples")) {
    common::Result<int64_t> n = parse_int_flag("--samples", *samples, 1, 100);
    if (!n) return usage_error(err, n.error().message);
    options.samples = static_cast<size_t>(*n);
  }
  options.compare = args->has("--compare");
  options.inventory_file = args->value("--inventory").value_or("");
  if (!options.inventory_file.empty() && !options.compare) return usage_error(err, "--inventory goes with --compare");
  std::string out_dir = args->value("--out").value_or("out/certify");
  options.ledger_path = args->value("--ledger").value_or(out_dir + "/ledger.jsonl");

  certify::StopSignal stop;
  std::string password_source = args->has("--password-env") ? "--password-env " + *args->value("--password-env")
                                                            : "--password-file " + *args->value("--password-file");
  certify::SignalStop signals(stop, "Undo what was changed with: dcisim certify --cleanup " + options.ledger_path + " " +
                                        password_source);
  options.stop = &stop;
  bool terminal = &out == &std::cout && ::isatty(STDOUT_FILENO) && !args->has("--quiet");
  CertifyProgress progress(out, terminal, args->has("--quiet"));
  options.on_check = [&progress](const certify::Check& c) { progress.check(c); };
  options.waiting = [&progress](const std::string& text) { progress.waiting(text); };

  out << "dcisim certify: " << options.endpoint.url << " as " << options.endpoint.email << ", seed " << options.seed
      << (options.allowed_servers.empty() ? ", read-only" : ", destructive cycle on " + std::to_string(options.allowed_servers.size()) +
                                                               (options.allowed_servers.size() == 1 ? " server" : " servers"))
      << (options.compare ? ", compared with the emulator" : "") << "\n";
  if (!options.allowed_servers.empty()) {
    out << "dcisim certify: teardown ledger " << options.ledger_path << " (if this run is killed, undo it with: dcisim certify "
        << "--cleanup " << options.ledger_path << " " << password_source << ")\n";
  }
  out.flush();
  certify::CertifyResult result = certify::run_certify(options);
  result.tool_version = version_line();
  progress.waiting("");
  common::Status written = certify::write_certify_reports(result, out_dir);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", static_cast<double>(result.wall_us) / 1e6);
  out << "dcisim certify: " << result.checks.size() << " checks: " << result.count(certify::CheckOutcome::pass) << " passed, "
      << result.count(certify::CheckOutcome::fail) << " failed, " << result.count(certify::CheckOutcome::skip) << " skipped; "
      << seconds << " s";
  if (stop.requested()) out << "; " << stop.why();
  if (written) out << "; report: " << out_dir << "/report.html (also junit.xml, results.json)";
  out << "\n";
  if (!written) {
    err << "dcisim certify: cannot write the reports: " << written.error().message << "\n";
    return kExitReportNotWritten;
  }
  return result.passed() && !stop.requested() ? kExitOk : kExitFailure;
}

}  // namespace dcisim::cli
