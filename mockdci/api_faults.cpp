// The control API's faults: GET /mockdci/v1/faults (what is set, with each rule's matches and
// firings), POST /mockdci/v1/faults (add rules, change timings, expire tokens; the first API's
// counters too), DELETE /mockdci/v1/faults (clear every rule and counter). See faults.h.
#include "mockdci/accounts.h"
#include "mockdci/api_support.h"
#include "mockdci/auth.h"
#include "mockdci/emulator_core.h"
#include "mockdci/faults.h"

namespace dcisim::mockdci {

using common::Error;
using common::Result;
using Json = nlohmann::json;

namespace {

Json timings_json(const Timings& t) {
  return {{"os_install", common::format_duration(t.os_install)}, {"diagnostics", common::format_duration(t.diagnostics)},
          {"suspend", common::format_duration(t.suspend)},       {"resume", common::format_duration(t.resume)},
          {"power", common::format_duration(t.power)},           {"release", common::format_duration(t.release)}};
}

}  // namespace

Json faults_json(const Model& model) {
  const Faults& faults = model.faults;
  return {{"unavailable", faults.unavailable_remaining},
          {"path_prefix", faults.unavailable_path_prefix},
          {"os_install_failures", faults.os_install_failures_remaining},
          {"rules", faults.rules.to_json()},
          {"timings", timings_json(model.timings)}};
}

namespace {

Result<Reply> set_faults(EmulatorCore& core, Call& call) {
  Result<Json> body = parse_body(call.request);
  if (!body) return body.error();
  common::JsonNode node = body_node(*body);
  if (common::Status s = node.only_keys({"unavailable", "path_prefix", "os_install_failures", "expire_tokens", "rules", "timings"});
      !s) {
    return s.error();
  }
  // Everything is read and checked first; then applied: a refused request changes nothing.
  Faults& faults = core.model.faults;
  Result<int64_t> unavailable = node.at("unavailable").integer_or(faults.unavailable_remaining, 0, kMaxFaultCount);
  if (!unavailable) return unavailable.error();
  Result<std::string> prefix = node.at("path_prefix").string_or(faults.unavailable_path_prefix);
  if (!prefix) return prefix.error();
  Result<int64_t> failures = node.at("os_install_failures").integer_or(faults.os_install_failures_remaining, 0, kMaxFaultCount);
  if (!failures) return failures.error();
  Result<bool> expire = node.at("expire_tokens").boolean_or(false);
  if (!expire) return expire.error();
  std::vector<FaultRule> rules;
  common::JsonNode list = node.at("rules");
  if (list.present()) {
    if (common::Status s = list.require_array(); !s) return s.error();
    for (size_t i = 0; i < list.size(); ++i) {
      Result<FaultRule> rule = parse_fault_rule(list.at(i));
      if (!rule) return rule.error();
      rules.push_back(*rule);
    }
  }
  if (faults.rules.rules.size() + rules.size() > kMaxFaultRules) {
    return Error::conflict("at most " + std::to_string(kMaxFaultRules) + " fault rules: clear them (DELETE /mockdci/v1/faults) first");
  }
  Timings timings = core.model.timings;
  if (node.at("timings").present()) {
    Result<Timings> read = parse_timings(node.at("timings"), timings);
    if (!read) return read.error();
    timings = *read;
  }
  faults.unavailable_remaining = *unavailable;
  faults.unavailable_path_prefix = *prefix;
  faults.os_install_failures_remaining = *failures;
  for (FaultRule& rule : rules) (void)faults.rules.add(std::move(rule));
  core.model.timings = timings;
  if (*expire) expire_all_tokens(core.model);
  return Reply{200, faults_json(core.model)};
}

Result<Reply> clear_faults(EmulatorCore& core) {
  core.model.faults.rules.rules.clear();
  core.model.faults.unavailable_remaining = 0;
  core.model.faults.unavailable_path_prefix.clear();
  core.model.faults.os_install_failures_remaining = 0;
  return Reply{200, faults_json(core.model)};
}

}  // namespace

void add_fault_routes(Router& router, EmulatorCore& core) {
  const std::string base = "/mockdci/v1/faults";
  router.add("GET", base, Access::control, [&core](Call&) { return Result<Reply>(Reply{200, faults_json(core.model)}); });
  router.add("POST", base, Access::control, [&core](Call& c) { return set_faults(core, c); });
  router.add("DELETE", base, Access::control, [&core](Call&) { return clear_faults(core); });
}

}  // namespace dcisim::mockdci
