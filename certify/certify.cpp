#include "certify/certify.h"

#include <fstream>

#include "billing/dci6/client.h"
#include "certify/compare.h"
#include "certify/cycle.h"
#include "certify/inventory_export.h"
#include "certify/ledger.h"
#include "certify/probes.h"
#include "certify/safety_net.h"
#include "certify/session.h"
#include "common/clock.h"
#include "common/json_input.h"
#include "common/json_text.h"
#include "mockdci/emulator.h"
#include "mockdci/inventory.h"

namespace dcisim::certify {

using common::Error;
using common::Result;

namespace {

void add(CertifyResult& result, const CertifyOptions& options, Check check) {
  if (options.on_check) options.on_check(check);
  result.checks.push_back(std::move(check));
}

Check failed(const std::string& group, const std::string& name, const std::string& message, const std::string& why) {
  Check check;
  check.group = group;
  check.name = name;
  check.outcome = CheckOutcome::fail;
  check.message = message;
  check.why = why;
  return check;
}

void merge_latency(std::vector<LatencyRow>& into, const std::vector<LatencyRow>& more) {
  // Rows of the same route from two sessions: kept as the larger sample (latencies are not summed).
  for (const LatencyRow& row : more) {
    auto it = std::find_if(into.begin(), into.end(), [&](const LatencyRow& r) { return r.route == row.route; });
    if (it == into.end()) {
      into.push_back(row);
    } else if (row.samples > it->samples) {
      *it = row;
    }
  }
  std::sort(into.begin(), into.end(), [](const LatencyRow& a, const LatencyRow& b) { return a.route < b.route; });
}

void run_cycles(const CertifyOptions& options, const ProbeRun& probes, CertifyResult& result) {
  LedgerHeader header{options.endpoint.url, options.endpoint.email, "certify", options.seed, options.endpoint.routes.overrides()};
  Result<std::unique_ptr<Ledger>> ledger = Ledger::create(options.ledger_path, header);
  if (!ledger) {
    add(result, options, failed("cycle", "start the teardown ledger", ledger.error().message,
                                "no change is sent before it is written down for the cleanup"));
    return;
  }
  result.ledger = options.ledger_path;
  for (int64_t server : options.allowed_servers) {
    if (options.stop != nullptr && options.stop->requested()) break;
    Result<std::unique_ptr<common::HttpTransport>> inner = connect_endpoint(options.endpoint);
    if (!inner) break;
    SafetyNetOptions net{{server}, options.endpoint.routes, ledger->get()};
    SafetyNet guarded(std::move(inner).value(), net);
    ProbeSession session(guarded, options.endpoint);
    session.login();
    CycleOptions cycle;
    cycle.server_id = server;
    cycle.seed = options.seed;
    cycle.timeout_op = options.timeout_op;
    cycle.poll = options.poll;
    cycle.stop = options.stop;
    cycle.waiting = options.waiting;
    cycle.on_check = options.on_check;
    cycle.facts = &probes.facts;
    for (Check& check : run_cycle(guarded, session, **ledger, cycle)) result.checks.push_back(std::move(check));
    merge_latency(result.latency, session.latency());
  }
  // Whatever happened (a failure, Ctrl-C): undo what the ledger says was changed.
  Check cleanup;
  cleanup.group = "cleanup";
  cleanup.name = "nothing left behind (cleanup of " + options.ledger_path + ")";
  cleanup.why = "certification must leave the operator's DCImanager as it found it";
  Result<std::unique_ptr<common::HttpTransport>> transport = connect_endpoint(options.endpoint);
  if (!transport) {
    cleanup.outcome = CheckOutcome::fail;
    cleanup.message = transport.error().message;
    add(result, options, cleanup);
    return;
  }
  common::RealClock clock;
  billing::dci6::Dci6Client client(module_settings(options.endpoint), **transport, clock);
  CleanupOptions undo;
  undo.timeout = options.timeout_op;
  undo.poll = options.poll;
  CleanupReport report = cleanup_ledger(**ledger, client, undo);
  for (const std::string& action : report.actions) cleanup.received += action + "\n";
  cleanup.outcome = report.ok() ? CheckOutcome::pass : CheckOutcome::fail;
  for (const std::string& problem : report.problems) cleanup.message += (cleanup.message.empty() ? "" : "; ") + problem;
  if (report.ok()) cleanup.message = report.actions.empty() ? "nothing to undo" : std::to_string(report.actions.size()) + " things undone";
  add(result, options, cleanup);
}

Result<mockdci::Inventory> compare_inventory(const CertifyOptions& options, const ProbeRun& probes, std::string* source) {
  if (!options.inventory_file.empty()) {
    *source = options.inventory_file;
    return mockdci::load_inventory_file(options.inventory_file);
  }
  *source = "read from the endpoint now (as --export-inventory writes it)";
  DCISIM_ASSIGN_OR_RETURN(ExportedInventory exported, export_inventory(probes.facts, options.endpoint.email));
  return mockdci::parse_inventory(exported.inventory, "the exported inventory");
}

void run_compare(const CertifyOptions& options, const ProbeRun& live, CertifyResult& result) {
  Check check;
  check.group = "compare";
  check.name = "the emulator answers the read-only probes as the live system does";
  check.why = "scenarios run against the emulator prove what they prove only where it behaves like your DCImanager";
  std::string source;
  Result<mockdci::Inventory> inventory = compare_inventory(options, live, &source);
  if (!inventory) {
    check.outcome = CheckOutcome::fail;
    check.message = "no emulator inventory: " + inventory.error().message;
    add(result, options, check);
    return;
  }
  // The embedded emulator's administrator gets a password of its own: the live one never goes there.
  inventory->admin.password = "dcisim-compare";
  std::string admin_email = inventory->admin.email;
  common::VirtualClock clock;
  mockdci::EmulatorOptions emulator_options;
  emulator_options.inventory = std::move(inventory).value();
  emulator_options.clock = &clock;
  emulator_options.seed = options.seed;
  Result<std::unique_ptr<mockdci::Emulator>> emulator = mockdci::Emulator::create(std::move(emulator_options));
  if (!emulator) {
    check.outcome = CheckOutcome::fail;
    check.message = emulator.error().message;
    add(result, options, check);
    return;
  }
  common::InMemoryTransport transport((*emulator)->handler());
  EndpointOptions embedded;
  embedded.url = "embedded emulator";
  embedded.email = admin_email;
  embedded.password = "dcisim-compare";
  embedded.routes = options.endpoint.routes;
  ProbeSession session(transport, embedded);
  ProbeRun emulated = run_read_only_probes(session, ProbeOptions{options.seed, 1});
  CompareResult compare;
  compare.inventory = source;
  compare.probes = live.records.size();
  compare.differences = diff_records(live.records, emulated.records);
  check.outcome = compare.differences.empty() ? CheckOutcome::pass : CheckOutcome::fail;
  check.message = compare.differences.empty()
                      ? std::to_string(compare.probes) + " probes, no difference"
                      : std::to_string(compare.differences.size()) + " differences over " + std::to_string(compare.probes) +
                            " probes (see the comparison in report.html and results.json)";
  for (size_t i = 0; i < compare.differences.size() && i < 20; ++i) {
    const Difference& d = compare.differences[i];
    check.received += d.probe + ": " + d.path + ": live " + d.live + ", emulator " + d.emulator + "\n";
  }
  result.compare = std::move(compare);
  add(result, options, check);
}

}  // namespace

CertifyResult run_certify(const CertifyOptions& options) {
  common::Stopwatch stopwatch;
  CertifyResult result;
  result.endpoint = options.endpoint.url;
  result.admin_email = options.endpoint.email;
  result.seed = options.seed;
  result.routes_file = options.endpoint.routes_file;
  Result<std::unique_ptr<common::HttpTransport>> transport = connect_endpoint(options.endpoint);
  if (!transport) {
    add(result, options, failed("login", "connect", transport.error().message, "nothing can be certified without it"));
    result.wall_us = stopwatch.elapsed_us();
    return result;
  }
  ProbeSession session(**transport, options.endpoint);
  ProbeRun probes = run_read_only_probes(session, ProbeOptions{options.seed, std::max<size_t>(options.samples, 1)});
  for (Check& check : probes.checks) add(result, options, std::move(check));
  probes.checks.clear();
  result.routes = route_verdicts(options.endpoint.routes, probes);
  result.latency = session.latency();
  bool logged_in = session.logged_in();
  if (!options.allowed_servers.empty() && logged_in) run_cycles(options, probes, result);
  if (options.compare && logged_in) run_compare(options, probes, result);
  result.wall_us = stopwatch.elapsed_us();
  return result;
}

Result<ExportOutcome> run_export(const EndpointOptions& endpoint, const std::string& path, uint64_t seed) {
  DCISIM_ASSIGN_OR_RETURN(std::unique_ptr<common::HttpTransport> transport, connect_endpoint(endpoint));
  ProbeSession session(*transport, endpoint);
  ProbeRun probes = run_read_only_probes(session, ProbeOptions{seed, 1});
  if (!session.logged_in()) {
    std::string why = probes.checks.empty() ? "cannot log in" : probes.checks.front().message;
    return Error::invalid("cannot log in to " + endpoint.url + " as " + endpoint.email + ": " + why);
  }
  DCISIM_ASSIGN_OR_RETURN(ExportedInventory exported, export_inventory(probes.facts, endpoint.email));
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << common::json_text(exported.inventory, 2) << "\n";
  if (!file.good()) return Error::io("cannot write " + path);
  return ExportOutcome{path, probes.facts.servers.size(), exported.notes};
}

Result<CleanupReport> run_cleanup(const std::string& ledger_path, EndpointOptions endpoint, const CleanupOptions& options) {
  DCISIM_ASSIGN_OR_RETURN(LedgerContents contents, Ledger::read(ledger_path));
  if (endpoint.url.empty()) endpoint.url = contents.header.endpoint;
  if (endpoint.email.empty()) endpoint.email = contents.header.admin_email;
  if (endpoint.url != contents.header.endpoint) {
    return Error::invalid("--endpoint " + endpoint.url + " is not the ledger's endpoint (" + contents.header.endpoint + ")");
  }
  // The ledger's routes first (what the run used), then --routes on top.
  billing::dci6::RouteTable routes = billing::dci6::RouteTable::defaults();
  common::Json overrides = contents.header.routes;
  DCISIM_RETURN_IF_ERROR(routes.apply_overrides(common::JsonNode::root(overrides, ledger_path + " (header routes)")));
  common::Json more = endpoint.routes.overrides();
  DCISIM_RETURN_IF_ERROR(routes.apply_overrides(common::JsonNode::root(more, "--routes")));
  endpoint.routes = routes;
  DCISIM_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, Ledger::open_existing(ledger_path));
  DCISIM_ASSIGN_OR_RETURN(std::unique_ptr<common::HttpTransport> transport, connect_endpoint(endpoint));
  common::RealClock clock;
  billing::dci6::Dci6Client client(module_settings(endpoint), *transport, clock);
  return cleanup_ledger(*ledger, client, options);
}

}  // namespace dcisim::certify
