// The fault catalogue: rules that make the emulator fail the way a real DCImanager, its proxy or
// the network does, so that the billing core can be seen surviving each failure.
//
// A request rule matches a request (method, path pattern, and/or the operation it is, e.g.
// "server.issue") and fires on the next N matches, on every Kth, or with a probability drawn
// from the emulator's seed. What it does:
//   before the change (applied = false; the request never reaches DCImanager):
//     unavailable (503 "Unavailable"), error (500 with error JSON), unauthorized (401, code 1000:
//     the session ended), rate_limited (429 with Retry-After);
//   after the change (applied = true): the request takes effect, then its answer is lost: one of
//     the above instead of the real answer, or a transport fault;
//   transport (before or after): delay (after: the answer waits; before: the request is held up
//     and dropped, a gateway's 504, late; a wait past the client's timeout is a timeout either
//     way), hang (no answer until the client gives up), reset (connection reset), empty (the
//     connection closes without an answer), truncated (half the body), not_json (200 with an
//     HTML body, as a misconfigured proxy answers).
// Operation faults change what DCImanager's own work does: an OS install or diagnostics ends
// `failed`, or an operation never ends (`stuck`). Rules live in the model: `reset` clears those
// of scope "scenario" and keeps those of scope "run".
//
// The JSON form (the control API's POST /mockdci/v1/faults {"rules": [...]} and the scenario step
// `fault`) is parsed by parse_fault_rule; docs/EMULATOR.md and docs/SCENARIOS.md list it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/http.h"
#include "common/json_input.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/time.h"

namespace dcisim::mockdci {

enum class FaultKind {
  // request faults
  unavailable, error, unauthorized, rate_limited, delay, hang, reset, empty, truncated, not_json,
  // operation faults
  os_install_failure, diagnostics_failure, stuck,
};
const char* fault_kind_name(FaultKind kind);
std::optional<FaultKind> fault_kind_from_name(const std::string& name);
std::string fault_kind_list();  // "unavailable, error, ..." for messages
bool is_request_fault(FaultKind kind);

inline constexpr int64_t kMaxFaultCount = 1'000'000;
inline constexpr size_t kMaxFaultRules = 256;  // a full set refuses more (the control API says so)

struct FaultRule {
  int64_t id = 0;
  FaultKind kind = FaultKind::unavailable;
  // What it matches (request faults; every given part must match).
  std::string method;     // "" = any
  std::string path;       // "" = any; a prefix ("/api/dci"), or a pattern with * (one segment) and ** (the rest)
  std::string operation;  // "" = any; a route name such as "server.issue" (see operation_of), or for
                          // operation faults: "os_install", "diagnostics", "suspend", "resume", "release", "power"
  // When it fires.
  std::optional<int64_t> count;  // at most this many firings (default: 1 unless every/probability)
  int64_t every = 0;             // every Kth match (0: not used)
  int64_t probability_ppm = 0;   // per million matches (0: not used)
  int64_t after = 0;             // matches skipped before the rule can fire
  // What it does.
  bool applied = false;          // after the change
  common::Duration delay;        // for delay
  int status = 0;                // for error (default 500) and not_json (default 200)
  std::string scope = "scenario";  // "scenario" (cleared by reset) | "run"
  // Bookkeeping.
  int64_t matched = 0;
  int64_t fired = 0;

  bool exhausted() const;
  std::string describe() const;  // "fault 3 (unavailable after the change, POST server.issue)"
};

// `node` holds one rule ({"kind": "unavailable", "count": 2, "path": "/api/dci", ...}); errors name
// the JSON pointer and the expected form (a misspelt kind or key is an error).
common::Result<FaultRule> parse_fault_rule(const common::JsonNode& node);
nlohmann::json fault_rule_json(const FaultRule& rule);

// The route name of a matched route, "METHOD /pattern" ("POST /api/dci/v3/server/{id}/owner") ->
// "server.issue"; "" for routes without one. The same names as the billing module's route table.
std::string operation_of(const std::string& method, const std::string& pattern);
const std::vector<std::string>& operation_names();

// `pattern`: "" (any), a prefix ("/api/dci"), or segments with * (one segment) and ** (the rest).
bool path_matches(const std::string& pattern, const std::string& path);

// The rules of one emulator, with the seeded generator their probabilities draw from.
struct FaultSet {
  std::vector<FaultRule> rules;
  int64_t last_id = 0;

  common::Result<int64_t> add(FaultRule rule);
  // The request rule that fires for this request, if any (counts the match on every rule that
  // matches, fires at most one: the oldest that decides to fire).
  std::optional<FaultRule> fire_request(const std::string& method, const std::string& canonical_path,
                                        const std::string& operation, common::Rng& rng);
  // Whether an operation of `operation` ("os_install", "diagnostics", "suspend"...) starting now
  // gets `kind` (os_install_failure, diagnostics_failure or stuck); consumes a firing.
  bool fire_operation(FaultKind kind, const std::string& operation, common::Rng& rng);
  void keep_run_scoped();  // what reset leaves
  nlohmann::json to_json() const;
};

// The answer a fired request rule gives in place of (or after) the real one. `real` is the
// handler's response when the rule is applied (after the change), else nullptr.
common::HttpResponse fault_response(const FaultRule& rule, const common::HttpResponse* real);

}  // namespace dcisim::mockdci
