// The outcome of a `dcisim certify` run as plain values: one Check per thing certified (what was
// sent, what came back, why it matters to billing), the verdict on each route of the module's
// table, latencies per route, and the live-vs-emulator comparison. The reports (junit.xml,
// results.json, report.html: certify/report.h) are written from it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dcisim::certify {

enum class CheckOutcome { pass, fail, skip };
const char* check_outcome_name(CheckOutcome outcome);

struct Check {
  std::string group;     // "login", "lists", "catalog", "pools", "routes", "fields", "cycle", "compare", "cleanup"
  std::string name;      // "login with the /api prefix"
  CheckOutcome outcome = CheckOutcome::pass;
  std::string message;   // why it failed or was skipped; a note when it passed
  std::string sent;      // the request(s), secrets redacted: "POST /api/auth/v4/public/token {...}"
  std::string received;  // what came back, secrets redacted, bounded: "201 {...}"
  std::string why;       // why it matters to billing
  int64_t wall_us = 0;
};

// Did a route of the module's table hold on the endpoint?
struct RouteVerdict {
  std::string name;       // "server.issue"
  std::string route;      // "POST /api/dci/v3/server/{id}/owner"
  bool assumed = false;   // not public (API.md §7)
  bool overridden = false;  // from --routes
  std::optional<bool> held;  // nullopt: not probed
  std::string detail;     // what came back, in one line
};

struct LatencyRow {
  std::string route;      // "server.list" or "GET /api/ip/v3/ippool"
  size_t samples = 0;
  double p50_ms = 0;
  double p95_ms = 0;
  double max_ms = 0;
};

// One difference between the live system and the emulator for the same probe.
struct Difference {
  std::string probe;      // "server.get"
  std::string path;       // "hardware_info.cpu[].model", or "(status)"
  std::string live;       // what live has: "string", "\"on\"", "201", "(absent)"
  std::string emulator;   // what the emulator has
};

struct CompareResult {
  std::string inventory;  // where the emulator's inventory came from
  size_t probes = 0;      // probes compared
  std::vector<Difference> differences;
};

struct CertifyResult {
  std::string tool_version = "dcisim 0.1.0";
  std::string endpoint;
  std::string admin_email;
  uint64_t seed = 1;
  std::string routes_file;  // "" = the built-in routes
  std::vector<Check> checks;
  std::vector<RouteVerdict> routes;
  std::vector<LatencyRow> latency;
  std::optional<CompareResult> compare;
  std::string ledger;       // the teardown ledger of the destructive cycle; "" when none
  int64_t wall_us = 0;

  size_t count(CheckOutcome outcome) const;
  bool passed() const { return count(CheckOutcome::fail) == 0; }
};

}  // namespace dcisim::certify
