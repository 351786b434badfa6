// certify's read-only probes: everything the module relies on, asked of the endpoint without
// changing anything: login (with and without the /api prefix), token reuse and re-login, every
// list and `where` query the module sends, the server configurations, locations, racks, IP pools
// and the pool each rack would use (the documented order), OS templates, scripts with their
// access, and every route of the module's table told "unknown object" from "unknown route".
// Every answer is checked for the fields and types the module reads (certify/contracts.h).
//
// The same probes run against the embedded emulator for `--compare`; each keeps its answer as a
// ProbeRecord, so that the two runs can be diffed probe by probe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "certify/checks.h"
#include "certify/session.h"

namespace dcisim::certify {

using Json = nlohmann::json;

// One probe's answer, for the comparison: the same key on both sides.
struct ProbeRecord {
  std::string key;     // "server.get", "location.list", "route server.issue"
  std::string method;
  std::string path;    // as sent (ids differ between the sides; the key does not)
  int status = 0;      // 0: no answer
  Json body;           // null when not JSON
  std::string verdict; // for a route probe: "held" or why not ("answered like an unknown route")
};

// What the probes learned, for the destructive cycle and the inventory export.
struct EndpointFacts {
  std::vector<Json> servers;    // every server row, by id
  std::vector<Json> locations, racks, pools, networks, templates, scripts;
  std::map<int64_t, int64_t> rack_pool;  // rack id -> the pool it would use (0: none)
  std::map<int64_t, std::string> pool_names;
};

struct ProbeOptions {
  uint64_t seed = 1;
  size_t samples = 5;  // each read-only GET is sent this many times, for the latency table
};

struct ProbeRun {
  std::vector<Check> checks;
  std::vector<ProbeRecord> records;
  std::map<std::string, std::pair<bool, std::string>> route_held;  // route name -> held, what came back
  EndpointFacts facts;
};

ProbeRun run_read_only_probes(ProbeSession& session, const ProbeOptions& options);

// The verdict on every route of the table from a probe run.
std::vector<RouteVerdict> route_verdicts(const billing::dci6::RouteTable& routes, const ProbeRun& run);

// The pool DCImanager allocates a rack's servers from (API.md §6): the rack's own pool, else its
// location's, else the first pool whose name contains "public"; only pools with an IPv4 network
// count. 0 when none. `why` gets which rule chose it.
int64_t pool_for_rack(const Json& rack, const EndpointFacts& facts, std::string* why);

}  // namespace dcisim::certify
