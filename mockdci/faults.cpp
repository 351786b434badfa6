#include "mockdci/faults.h"

#include <algorithm>

#include "common/json_text.h"
#include "mockdci/api_error.h"

namespace dcisim::mockdci {

using common::Error;
using common::JsonNode;
using common::Result;
using Json = nlohmann::json;

namespace {

struct KindName {
  FaultKind kind;
  const char* name;
};
constexpr KindName kKinds[] = {
    {FaultKind::unavailable, "unavailable"},   {FaultKind::error, "error"},
    {FaultKind::unauthorized, "unauthorized"}, {FaultKind::rate_limited, "rate_limited"},
    {FaultKind::delay, "delay"},               {FaultKind::hang, "hang"},
    {FaultKind::reset, "reset"},               {FaultKind::empty, "empty"},
    {FaultKind::truncated, "truncated"},       {FaultKind::not_json, "not_json"},
    {FaultKind::os_install_failure, "os_install_failure"},
    {FaultKind::diagnostics_failure, "diagnostics_failure"},
    {FaultKind::stuck, "stuck"},
};

// The emulator's routes by name: the billing module's route table uses the same names
// (docs/DCI6_MODULE.md), so a rule can say "server.issue" instead of a path.
struct Operation {
  const char* name;
  const char* method;
  const char* pattern;
};
constexpr Operation kOperations[] = {
    {"auth.token", "POST", "/api/auth/v4/public/token"},
    {"user.list", "GET", "/api/dci/v3/user"},
    {"user.create", "POST", "/api/dci/v3/user"},
    {"user.get", "GET", "/api/dci/v3/user/{id}"},
    {"user.delete", "DELETE", "/api/dci/v3/user/{id}"},
    {"server.list", "GET", "/api/dci/v3/server"},
    {"server.get", "GET", "/api/dci/v3/server/{id}"},
    {"server.configurations", "GET", "/api/dci/v3/server/configuration"},
    {"server.power_on", "POST", "/api/dci/v3/server/{id}/power_on"},
    {"server.power_off", "POST", "/api/dci/v3/server/{id}/power_off"},
    {"server.power_reset", "POST", "/api/dci/v3/server/{id}/power_reset"},
    {"server.issue", "POST", "/api/dci/v3/server/{id}/owner"},
    {"server.release", "DELETE", "/api/dci/v3/server/{id}/owner"},
    {"server.ip_add", "POST", "/api/dci/v3/server/{id}/ip"},
    {"server.ip_delete", "DELETE", "/api/dci/v3/server/{id}/ip/{id}"},
    {"server.install_os", "POST", "/api/dci/v3/server/{id}/operating_system"},
    {"server.suspend", "POST", "/api/dci/v3/server/{id}/suspend"},
    {"server.resume", "POST", "/api/dci/v3/server/{id}/resume"},
    {"switch.port_list", "GET", "/api/dci/v3/switch/{id}/port"},
    {"switch.port_edit", "POST", "/api/dci/v3/switch/{id}/port/{id}"},
    {"catalog.locations", "GET", "/api/dci/v3/location"},
    {"catalog.racks", "GET", "/api/dci/v3/rack"},
    {"catalog.os_templates", "GET", "/api/dci/v3/os_template"},
    {"catalog.scripts", "GET", "/api/dci/v3/script"},
};
// What operation faults (os_install_failure, diagnostics_failure, stuck) may name.
constexpr const char* kOperationKinds[] = {"os_install", "diagnostics", "suspend", "resume", "release", "power"};

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    if (slash > pos) segments.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return segments;
}


// Rules may name DCImanager paths without /api, as clients do: they match the canonical path.
std::string canonical_rule_path(const std::string& path) {
  for (const char* service : {"/dci/", "/ip/", "/auth/"}) {
    if (path.rfind(service, 0) == 0) return "/api" + path;
  }
  return path;
}

template <typename Items, typename Name>
std::string names_of(const Items& items, Name name) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + std::string(name(item));
  return out;
}

}  // namespace

const char* fault_kind_name(FaultKind kind) {
  for (const KindName& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

std::optional<FaultKind> fault_kind_from_name(const std::string& name) {
  for (const KindName& k : kKinds) {
    if (name == k.name) return k.kind;
  }
  return std::nullopt;
}

std::string fault_kind_list() { return names_of(kKinds, [](const KindName& k) { return k.name; }); }

bool is_request_fault(FaultKind kind) {
  return kind != FaultKind::os_install_failure && kind != FaultKind::diagnostics_failure && kind != FaultKind::stuck;
}

std::string operation_of(const std::string& method, const std::string& pattern) {
  for (const Operation& op : kOperations) {
    if (method == op.method && pattern == op.pattern) return op.name;
  }
  return "";
}

const std::vector<std::string>& operation_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const Operation& op : kOperations) names.push_back(op.name);
    return names;
  }();
  return kNames;
}

bool path_matches(const std::string& pattern, const std::string& path) {
  if (pattern.empty()) return true;
  if (pattern.find('*') == std::string::npos) return path.compare(0, pattern.size(), pattern) == 0;  // a prefix
  std::vector<std::string> want = split_path(pattern), have = split_path(path);
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "**") return true;
    if (i >= have.size()) return false;
    if (want[i] != "*" && want[i] != have[i]) return false;
  }
  return want.size() == have.size();
}

bool FaultRule::exhausted() const {
  int64_t limit = count.value_or(every > 0 || probability_ppm > 0 ? kMaxFaultCount * 1000 : 1);
  return fired >= limit;
}

std::string FaultRule::describe() const {
  std::string text = "fault " + std::to_string(id) + " (" + fault_kind_name(kind);
  if (applied) text += " after the change";
  if (!method.empty()) text += ", " + method;
  if (!operation.empty()) text += (method.empty() ? ", " : " ") + operation;
  if (!path.empty()) text += (method.empty() && operation.empty() ? ", " : " ") + path;
  return text + ")";
}

Result<FaultRule> parse_fault_rule(const JsonNode& node) {
  if (common::Status s = node.require_object(); !s) return s.error();
  FaultRule rule;
  Result<std::string> kind = node.at("kind").non_empty_string();
  if (!kind) return kind.error();
  std::optional<FaultKind> known = fault_kind_from_name(*kind);
  if (!known) return node.at("kind").error("a fault kind (" + fault_kind_list() + ")");
  rule.kind = *known;
  bool request = is_request_fault(rule.kind);
  if (request) {
    if (common::Status s = node.only_keys({"kind", "method", "path", "operation", "count", "every", "probability", "after",
                                           "applied", "delay", "status", "scope"});
        !s) {
      return s.error();
    }
  } else if (common::Status s = node.only_keys({"kind", "operation", "count", "every", "probability", "after", "scope"}); !s) {
    return s.error();
  }
  Result<std::string> method = node.at("method").string_or("");
  if (!method) return method.error();
  rule.method = *method;
  if (!rule.method.empty() && rule.method != "GET" && rule.method != "POST" && rule.method != "DELETE") {
    return node.at("method").error("GET, POST or DELETE");
  }
  Result<std::string> path = node.at("path").string_or("");
  if (!path) return path.error();
  if (!path->empty() && (*path)[0] != '/') return node.at("path").error("a path starting with / (a prefix, or a pattern with * and **)");
  rule.path = canonical_rule_path(*path);
  Result<std::string> operation = node.at("operation").string_or("");
  if (!operation) return operation.error();
  rule.operation = *operation;
  if (!rule.operation.empty()) {
    if (request) {
      const auto& names = operation_names();
      if (std::find(names.begin(), names.end(), rule.operation) == names.end()) {
        return node.at("operation").error("a route name (" + names_of(names, [](const std::string& n) { return n; }) + ")");
      }
    } else if (std::none_of(std::begin(kOperationKinds), std::end(kOperationKinds),
                            [&](const char* k) { return rule.operation == k; })) {
      return node.at("operation").error("an operation (" + names_of(kOperationKinds, [](const char* k) { return k; }) + ")");
    }
  }
  if (rule.kind == FaultKind::os_install_failure) rule.operation = "os_install";
  if (rule.kind == FaultKind::diagnostics_failure) rule.operation = "diagnostics";
  if (rule.kind == FaultKind::stuck && rule.operation.empty()) {
    return node.at("operation").error("the operation that never ends (" +
                                      names_of(kOperationKinds, [](const char* k) { return k; }) + ")");
  }
  if (node.at("count").present()) {
    Result<int64_t> count = node.at("count").integer(1, kMaxFaultCount);
    if (!count) return count.error();
    rule.count = *count;
  }
  Result<int64_t> every = node.at("every").integer_or(0, 1, kMaxFaultCount);
  if (!every) return every.error();
  rule.every = *every;
  if (node.at("probability").present()) {
    const Json* p = node.at("probability").raw();
    if (!p->is_number() || p->get<double>() <= 0 || p->get<double>() > 1) {
      return node.at("probability").error("a probability in (0, 1], e.g. 0.25");
    }
    rule.probability_ppm = std::max<int64_t>(1, static_cast<int64_t>(p->get<double>() * 1'000'000 + 0.5));
  }
  if (rule.every > 0 && rule.probability_ppm > 0) return node.error_message("\"every\" and \"probability\" cannot be used together");
  Result<int64_t> after = node.at("after").integer_or(0, 0, kMaxFaultCount);
  if (!after) return after.error();
  rule.after = *after;
  Result<bool> applied = node.at("applied").boolean_or(false);
  if (!applied) return applied.error();
  rule.applied = *applied;
  if (rule.kind == FaultKind::delay) {
    if (!node.at("delay").present()) return node.at("delay").error("how long the answer waits, e.g. \"30s\"");
    Result<common::Duration> delay = node.at("delay").duration();
    if (!delay) return delay.error();
    if (*delay > common::Duration::hours(1)) return node.at("delay").error("a delay of at most 1h");
    rule.delay = *delay;
  } else if (node.at("delay").present()) {
    return node.at("delay").error_message("\"delay\" applies to kind \"delay\" only");
  }
  if (node.at("status").present()) {
    if (rule.kind != FaultKind::error && rule.kind != FaultKind::not_json) {
      return node.at("status").error_message("\"status\" applies to kinds \"error\" and \"not_json\" only");
    }
    Result<int64_t> status = node.at("status").integer(rule.kind == FaultKind::error ? 400 : 200, 599);
    if (!status) return status.error();
    rule.status = static_cast<int>(*status);
  }
  Result<std::string> scope = node.at("scope").string_or("scenario");
  if (!scope) return scope.error();
  if (*scope != "scenario" && *scope != "run") return node.at("scope").error("\"scenario\" (cleared by reset) or \"run\"");
  rule.scope = *scope;
  return rule;
}

Json fault_rule_json(const FaultRule& rule) {
  Json j = {{"id", rule.id}, {"kind", fault_kind_name(rule.kind)}, {"scope", rule.scope},
            {"matched", rule.matched}, {"fired", rule.fired}, {"exhausted", rule.exhausted()}};
  if (!rule.method.empty()) j["method"] = rule.method;
  if (!rule.path.empty()) j["path"] = rule.path;
  if (!rule.operation.empty()) j["operation"] = rule.operation;
  if (rule.count) j["count"] = *rule.count;
  if (rule.every > 0) j["every"] = rule.every;
  if (rule.probability_ppm > 0) j["probability"] = static_cast<double>(rule.probability_ppm) / 1e6;
  if (rule.after > 0) j["after"] = rule.after;
  if (rule.applied) j["applied"] = true;
  if (rule.kind == FaultKind::delay) j["delay"] = common::format_duration(rule.delay);
  if (rule.status != 0) j["status"] = rule.status;
  return j;
}

Result<int64_t> FaultSet::add(FaultRule rule) {
  if (rules.size() >= kMaxFaultRules) {
    return Error::conflict("the emulator already holds " + std::to_string(kMaxFaultRules) +
                           " fault rules: clear them (DELETE /mockdci/v1/faults) first");
  }
  rule.id = ++last_id;
  rule.matched = 0;
  rule.fired = 0;
  rules.push_back(std::move(rule));
  return rules.back().id;
}

namespace {

// Counts the match and says whether `rule` fires on it.
bool decide(FaultRule& rule, common::Rng& rng) {
  ++rule.matched;
  if (rule.exhausted() || rule.matched <= rule.after) return false;
  int64_t n = rule.matched - rule.after;
  if (rule.every > 0) return n % rule.every == 0;
  if (rule.probability_ppm > 0) return rng.uniform(0, 999'999) < rule.probability_ppm;
  return true;
}

}  // namespace

std::optional<FaultRule> FaultSet::fire_request(const std::string& method, const std::string& canonical_path,
                                                const std::string& operation, common::Rng& rng) {
  std::optional<FaultRule> chosen;
  for (FaultRule& rule : rules) {
    if (!is_request_fault(rule.kind)) continue;
    if (!rule.method.empty() && rule.method != method) continue;
    if (!rule.operation.empty() && rule.operation != operation) continue;
    if (!path_matches(rule.path, canonical_path)) continue;
    if (decide(rule, rng) && !chosen) {
      ++rule.fired;
      chosen = rule;
    }
  }
  return chosen;
}

bool FaultSet::fire_operation(FaultKind kind, const std::string& operation, common::Rng& rng) {
  for (FaultRule& rule : rules) {
    if (rule.kind != kind || (!rule.operation.empty() && rule.operation != operation)) continue;
    if (decide(rule, rng)) {
      ++rule.fired;
      return true;
    }
  }
  return false;
}

void FaultSet::keep_run_scoped() {
  rules.erase(std::remove_if(rules.begin(), rules.end(), [](const FaultRule& r) { return r.scope != "run"; }), rules.end());
}

Json FaultSet::to_json() const {
  Json list = Json::array();
  for (const FaultRule& rule : rules) list.push_back(fault_rule_json(rule));
  return list;
}

common::HttpResponse fault_response(const FaultRule& rule, const common::HttpResponse* real) {
  common::HttpResponse out;
  switch (rule.kind) {
    case FaultKind::unavailable: return unavailable_response();
    case FaultKind::error:
      out = error_response(Error::internal("internal error (injected by " + rule.describe() + ")"));
      out.status = rule.status != 0 ? rule.status : 500;
      return out;
    case FaultKind::unauthorized:
      return error_response(Error{common::ErrorKind::unauthorized, "unauthorized: the session has ended"});
    case FaultKind::rate_limited:
      out = json_response(429, {{"error", {{"code", 1007}, {"msg", "too many requests: retry later"}, {"value", ""}}}});
      out.headers.emplace_back("Retry-After", "1");
      return out;
    case FaultKind::not_json:
      out.status = rule.status != 0 ? rule.status : 200;
      out.headers.emplace_back("Content-Type", "text/html");
      out.body = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n";
      return out;
    case FaultKind::delay:
      // After the change: the real answer, late. Before it: the request was held up in front of
      // DCImanager and dropped; a gateway's 504, late (past the client's timeout: a timeout).
      if (real != nullptr) {
        out = *real;
      } else {
        out = json_response(504, {{"error", {{"code", 1099}, {"msg", "gateway timeout: the request did not reach DCImanager"}, {"value", ""}}}});
      }
      out.delivery.delay = rule.delay;
      return out;
    case FaultKind::hang:
    case FaultKind::reset:
    case FaultKind::empty:
    case FaultKind::truncated:
      // Before the change there is no real answer: what a proxy in front would have sent.
      out = real != nullptr ? *real : unavailable_response();
      out.delivery.mode = rule.kind == FaultKind::hang    ? common::Delivery::Mode::hang
                          : rule.kind == FaultKind::reset ? common::Delivery::Mode::reset
                          : rule.kind == FaultKind::empty ? common::Delivery::Mode::close
                                                          : common::Delivery::Mode::truncate;
      return out;
    case FaultKind::os_install_failure:
    case FaultKind::diagnostics_failure:
    case FaultKind::stuck: break;
  }
  return unavailable_response();
}

}  // namespace dcisim::mockdci
